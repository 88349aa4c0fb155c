/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-image-check.c: aavm image-check's rules, size parser and verdict
 * forms (helper/image/image-check.h), on image headers built byte by byte here:
 * qcow2 v2 and v3 (backing file and format, external data file), QED,
 * VMDK (sparse, descriptor with extents, parent hint), LUKS1, and raw
 * images with and without another format's signature. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "image-check.h"
#include "testutil.h"

#define IMAGE_LEN 4096
#define QCOW2_CLUSTER_BITS 12 /* the whole test image is the first cluster */
#define QCOW2_BACKING_AT 1024

/* ---- building images ---- */

static void
put_be32(guint8 *p, guint32 v)
{
    p[0] = (guint8)(v >> 24);
    p[1] = (guint8)(v >> 16);
    p[2] = (guint8)(v >> 8);
    p[3] = (guint8)v;
}

static void
put_be64(guint8 *p, guint64 v)
{
    put_be32(p, (guint32)(v >> 32));
    put_be32(p + 4, (guint32)v);
}

static void
put_le32(guint8 *p, guint32 v)
{
    p[0] = (guint8)v;
    p[1] = (guint8)(v >> 8);
    p[2] = (guint8)(v >> 16);
    p[3] = (guint8)(v >> 24);
}

static void
put_le64(guint8 *p, guint64 v)
{
    put_le32(p, (guint32)v);
    put_le32(p + 4, (guint32)(v >> 32));
}

typedef struct {
    guint version;              /* 2 or 3 */
    guint64 size;               /* virtual size */
    const char *backing;        /* NULL: none */
    const char *backing_format; /* header extension; NULL: none */
    const char *data_file;      /* header extension; NULL: none */
    gboolean data_file_bit;     /* v3 incompatible feature "external data file" */
    guint32 crypt_method;
} Qcow2Spec;

/* Append one header extension at *@pos. */
static void
put_extension(guint8 *image, gsize *pos, guint32 type, const char *data)
{
    gsize len = strlen(data);

    put_be32(image + *pos, type);
    put_be32(image + *pos + 4, (guint32)len);
    memcpy(image + *pos + 8, data, len);
    *pos += 8 + (len + 7) / 8 * 8;
}

/* A qcow2 image of IMAGE_LEN bytes (free with g_free). */
static guint8 *
make_qcow2(const Qcow2Spec *spec)
{
    guint8 *image = g_malloc0(IMAGE_LEN);
    gsize pos;

    memcpy(image, "QFI\xfb", 4);
    put_be32(image + 4, spec->version);
    if (spec->backing) {
        put_be64(image + 8, QCOW2_BACKING_AT);
        put_be32(image + 16, (guint32)strlen(spec->backing));
        memcpy(image + QCOW2_BACKING_AT, spec->backing, strlen(spec->backing));
    }
    put_be32(image + 20, QCOW2_CLUSTER_BITS);
    put_be64(image + 24, spec->size);
    put_be32(image + 32, spec->crypt_method);
    pos = 72;
    if (spec->version == 3) {
        put_be64(image + 72, spec->data_file_bit ? G_GUINT64_CONSTANT(1) << 2 : 0);
        put_be32(image + 96, 4); /* refcount order */
        put_be32(image + 100, 104);
        pos = 104;
    }
    if (spec->backing_format)
        put_extension(image, &pos, 0xe2792acaU, spec->backing_format);
    if (spec->data_file)
        put_extension(image, &pos, 0x44415441U, spec->data_file);
    put_be32(image + pos, 0); /* end of extensions */
    return image;
}

/* A QED image of IMAGE_LEN bytes; @raw_backing sets the "backing file is
 * raw" feature. */
static guint8 *
make_qed(guint64 size, const char *backing, gboolean raw_backing)
{
    guint8 *image = g_malloc0(IMAGE_LEN);
    guint64 features = 0;

    memcpy(image, "QED\0", 4);
    put_le32(image + 4, 4096); /* cluster size */
    put_le32(image + 8, 4);    /* table size */
    put_le32(image + 12, 1);   /* header size in clusters */
    put_le64(image + 48, size);
    if (backing) {
        features |= 1;
        if (raw_backing)
            features |= 4;
        put_le32(image + 56, 64);
        put_le32(image + 60, (guint32)strlen(backing));
        memcpy(image + 64, backing, strlen(backing));
    }
    put_le64(image + 16, features);
    return image;
}

/* A VMDK sparse image ("KDMV", version 1) of IMAGE_LEN bytes with
 * @sectors of capacity and, unless NULL, @descriptor at byte 512. */
static guint8 *
make_vmdk_sparse(guint64 sectors, const char *descriptor)
{
    guint8 *image = g_malloc0(IMAGE_LEN);

    memcpy(image, "KDMV", 4);
    put_le32(image + 4, 1);
    put_le64(image + 12, sectors);
    if (descriptor)
        memcpy(image + 512, descriptor, strlen(descriptor));
    return image;
}

/* A LUKS1 header of IMAGE_LEN bytes with its payload at @payload_sectors. */
static guint8 *
make_luks1(guint32 payload_sectors)
{
    guint8 *image = g_malloc0(IMAGE_LEN);

    memcpy(image, "LUKS\xba\xbe", 6);
    image[7] = 1;
    memcpy(image + 8, "aes", 3);
    memcpy(image + 40, "xts-plain64", 11);
    memcpy(image + 72, "sha256", 6);
    put_be32(image + 104, payload_sectors);
    return image;
}

static const char vmdk_flat_descriptor[] =
    "# Disk DescriptorFile\n"
    "version=1\n"
    "CID=fffffffe\n"
    "parentCID=ffffffff\n"
    "createType=\"twoGbMaxExtentFlat\"\n"
    "\n"
    "# Extent description\n"
    "RW 2048 FLAT \"disk-f001.vmdk\" 0\n"
    "RW 1024 FLAT \"disk-f002.vmdk\" 0\n";

/* ---- running checks ---- */

static AavmImageVerdict *
check_ok(const guint8 *data, gsize len, const AavmImageCheckOptions *options)
{
    AavmImageReader reader = aavm_image_reader_memory(data, len);
    g_autoptr(GError) error = NULL;
    AavmImageVerdict *verdict = aavm_image_check(&reader, options, &error);

    if (!verdict)
        fail_msg("aavm_image_check failed: %s", error->message);
    assert_null(error);
    assert_int_equal(verdict->file_size, len);
    assert_int_equal(verdict->accepted, verdict->problems->len == 0);
    return verdict;
}

/* The verdict must have exactly the problems containing the given texts,
 * in this order (NULL-terminated). */
static void
assert_problems(const AavmImageVerdict *verdict, ...)
{
    va_list args;
    const char *part;
    guint i = 0;

    va_start(args, verdict);
    while ((part = va_arg(args, const char *))) {
        const char *problem;

        if (i >= verdict->problems->len)
            fail_msg("problem %u ('%s') missing", i, part);
        problem = g_ptr_array_index(verdict->problems, i);
        if (!strstr(problem, part))
            fail_msg("problem %u is '%s', expected one containing '%s'", i, problem, part);
        i++;
    }
    va_end(args);
    if (i != verdict->problems->len)
        fail_msg("%u problems, expected %u; the first extra one: '%s'", verdict->problems->len,
                 i, (const char *)g_ptr_array_index(verdict->problems, i));
    assert_int_equal(verdict->accepted, i == 0);
}

/* OPTIONS(format[, .field = value...]): a pointer to check options. */
#define OPTIONS(...) (&(AavmImageCheckOptions){ .format = __VA_ARGS__ })

/* ---- size parsing ---- */

static void
test_image_check_parse_size_good(void **state)
{
    static const struct {
        const char *text;
        guint64 value;
    } cases[] = {
        { "0", 0 },
        { "1", 1 },
        { "512", 512 },
        { "007", 7 },
        { "1k", 1024 },
        { "1K", 1024 },
        { "2m", 2 * 1024 * 1024 },
        { "2M", 2 * 1024 * 1024 },
        { "3G", G_GUINT64_CONSTANT(3) << 30 },
        { "10g", G_GUINT64_CONSTANT(10) << 30 },
        { "4T", G_GUINT64_CONSTANT(4) << 40 },
        { "5P", G_GUINT64_CONSTANT(5) << 50 },
        { "15E", G_GUINT64_CONSTANT(15) << 60 },
        { "1KiB", 1024 },
        { "2MiB", 2 * 1024 * 1024 },
        { "10GiB", G_GUINT64_CONSTANT(10) << 30 },
        { "1TiB", G_GUINT64_CONSTANT(1) << 40 },
        { "1PiB", G_GUINT64_CONSTANT(1) << 50 },
        { "1EiB", G_GUINT64_CONSTANT(1) << 60 },
        { "16777215T", G_GUINT64_CONSTANT(16777215) << 40 },
        { "18446744073709551615", G_MAXUINT64 },
        { "17179869183G", G_GUINT64_CONSTANT(17179869183) << 30 },
    };

    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        guint64 value = 12345;

        if (!aavm_parse_size(cases[i].text, &value, &error))
            fail_msg("'%s' refused: %s", cases[i].text, error->message);
        if (value != cases[i].value)
            fail_msg("'%s' gave %" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT,
                     cases[i].text, value, cases[i].value);
    }
}

static void
test_image_check_parse_size_bad(void **state)
{
    static const char *const cases[] = {
        "", "-1", "-0", "+1", " 1", "1 ", "1 G", "1.5", "1.5G", "0.5K", "1,5", "G", "K",
        "KiB", "1GB", "1Gi", "1GiBB", "1KIB", "1kb", "1B", "1X", "1e3", "0x10", "1G1",
        "1\n", "abc", "18446744073709551616", "99999999999999999999999", "16E", "16EiB",
        "16777216T", "17179869184G", "18014398509481984K",
    };

    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        guint64 value = 12345;

        if (aavm_parse_size(cases[i], &value, &error))
            fail_msg("'%s' accepted as %" G_GUINT64_FORMAT, cases[i], value);
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
        assert_non_null(strstr(error->message, cases[i]));
        assert_int_equal(value, 12345);
    }
}

static void
test_image_check_parse_size_messages(void **state)
{
    g_autoptr(GError) junk = NULL;
    g_autoptr(GError) big = NULL;
    guint64 value;

    (void)state;
    assert_false(aavm_parse_size("1.5G", &value, &junk));
    assert_string_equal(junk->message,
                        "'1.5G' is not a size: give a whole number of bytes, optionally followed by K, M, G, T, P or E (or KiB, MiB, ...: powers of 1024).");
    assert_false(aavm_parse_size("16E", &value, &big));
    assert_string_equal(big->message, "The size '16E' is more than 2^64 - 1 bytes.");
}

/* ---- formats ---- */

static void
test_image_check_format_names(void **state)
{
    static const struct {
        const char *name;
        AavmImageFormat format;
    } good[] = {
        { "raw", AAVM_IMAGE_RAW },
        { "qcow2", AAVM_IMAGE_QCOW2 },
        { "qed", AAVM_IMAGE_QED },
        { "vmdk", AAVM_IMAGE_VMDK },
        { "luks", AAVM_IMAGE_LUKS },
    };
    static const char *const bad[] = {
        "", "file", "host_device", "host_cdrom", "iso", "vdi", "vpc", "qcow", "QCOW2", "qcow2 ",
        "no-backing", "unknown",
    };

    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
        AavmImageFormat format = AAVM_IMAGE_UNKNOWN;

        assert_true(aavm_image_check_format_from_string(good[i].name, &format, NULL));
        assert_int_equal(format, good[i].format);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) error = NULL;
        AavmImageFormat format = AAVM_IMAGE_QCOW2;

        assert_false(aavm_image_check_format_from_string(bad[i], &format, &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSUPPORTED));
        assert_non_null(strstr(error->message, "raw, qcow2, qed, vmdk, luks"));
        assert_int_equal(format, AAVM_IMAGE_QCOW2);
    }
}

static void
test_image_check_unsupported_format(void **state)
{
    static const guint8 data[512] = { 0 };
    AavmImageReader reader = aavm_image_reader_memory(data, sizeof(data));

    (void)state;
    for (AavmImageFormat f = AAVM_IMAGE_NO_BACKING; f < AAVM_IMAGE_FORMAT_LAST; f++) {
        g_autoptr(GError) error = NULL;

        assert_null(aavm_image_check(&reader, OPTIONS(f), &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSUPPORTED));
        assert_non_null(strstr(error->message, AAVM_IMAGE_CHECK_FORMATS));
    }
}

/* ---- qcow2 ---- */

static void
test_image_check_qcow2_v2_accepted(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 2, .size = 1 << 30 });
    g_autoptr(AavmImageVerdict) v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));

    (void)state;
    assert_problems(v, NULL);
    assert_non_null(v->info);
    assert_int_equal(v->format, AAVM_IMAGE_QCOW2);
    assert_int_equal(v->info->version, 2);
    assert_int_equal(v->info->virtual_size, 1 << 30);
    assert_null(v->info->backing);
    assert_null(v->detected_format);
}

static void
test_image_check_qcow2_v3_accepted(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = 10737418240 });
    g_autoptr(AavmImageVerdict) v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));

    (void)state;
    assert_problems(v, NULL);
    assert_int_equal(v->info->version, 3);
    assert_int_equal(v->info->virtual_size, G_GUINT64_CONSTANT(10737418240));
    assert_false(v->info->data_file_needed);
    assert_false(v->info->encrypted);
}

static void
test_image_check_qcow2_backing(void **state)
{
    const Qcow2Spec spec = { .version = 3, .size = 1 << 20, .backing = "/etc/shadow",
                             .backing_format = "raw" };
    g_autofree guint8 *image = make_qcow2(&spec);
    g_autoptr(AavmImageVerdict) refused = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));
    g_autoptr(AavmImageVerdict) allowed =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .allow_backing = TRUE));
    g_autoptr(AavmImageVerdict) other =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .allow_data_file = TRUE));

    (void)state;
    assert_problems(refused, "names the backing file '/etc/shadow'", NULL);
    assert_string_equal(g_ptr_array_index(refused->problems, 0),
                        "The image names the backing file '/etc/shadow'; a backing file can point the VM at any host file.");
    assert_string_equal(refused->info->backing, "/etc/shadow");
    assert_string_equal(refused->info->backing_format, "raw");
    assert_problems(allowed, NULL);
    assert_string_equal(allowed->info->backing, "/etc/shadow");
    /* Allowing data files does not allow a backing file. */
    assert_problems(other, "backing file", NULL);
}

static void
test_image_check_qcow2_v2_backing(void **state)
{
    g_autofree guint8 *image =
        make_qcow2(&(Qcow2Spec){ .version = 2, .size = 1 << 20, .backing = "base.img" });
    g_autoptr(AavmImageVerdict) refused = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));
    g_autoptr(AavmImageVerdict) allowed =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .allow_backing = TRUE));

    (void)state;
    assert_problems(refused, "'base.img'", NULL);
    assert_null(refused->info->backing_format);
    assert_problems(allowed, NULL);
}

static void
test_image_check_qcow2_data_file(void **state)
{
    const Qcow2Spec spec = { .version = 3, .size = 1 << 20, .data_file = "/dev/sda",
                             .data_file_bit = TRUE };
    g_autofree guint8 *image = make_qcow2(&spec);
    g_autoptr(AavmImageVerdict) refused = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));
    g_autoptr(AavmImageVerdict) allowed =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .allow_data_file = TRUE));
    g_autoptr(AavmImageVerdict) other =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .allow_backing = TRUE));

    (void)state;
    assert_problems(refused, "external data file '/dev/sda'", NULL);
    assert_string_equal(g_ptr_array_index(refused->problems, 0),
                        "The image keeps its data in the external data file '/dev/sda'; a data file can point the VM at any host file.");
    assert_true(refused->info->data_file_needed);
    assert_problems(allowed, NULL);
    /* Allowing a backing file does not allow a data file. */
    assert_problems(other, "external data file", NULL);
}

static void
test_image_check_qcow2_data_file_unnamed(void **state)
{
    g_autofree guint8 *image =
        make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20, .data_file_bit = TRUE });
    g_autoptr(AavmImageVerdict) refused = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));
    g_autoptr(AavmImageVerdict) allowed =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .allow_data_file = TRUE));

    (void)state;
    assert_problems(refused, "an external data file it does not name", NULL);
    assert_null(refused->info->data_file);
    assert_problems(allowed, NULL);
}

/* A data file name without the feature bit is ignored by QEMU, and so by
 * the check. */
static void
test_image_check_qcow2_data_file_name_without_bit(void **state)
{
    g_autofree guint8 *image =
        make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20, .data_file = "/dev/sda" });
    g_autoptr(AavmImageVerdict) v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));

    (void)state;
    assert_problems(v, NULL);
    assert_null(v->info->data_file);
}

static void
test_image_check_qcow2_encrypted(void **state)
{
    g_autofree guint8 *image =
        make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20, .crypt_method = 2 });
    g_autoptr(AavmImageVerdict) v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));

    (void)state;
    assert_problems(v, NULL);
    assert_true(v->info->encrypted);
}

static void
test_image_check_size_limit(void **state)
{
    const guint64 size = G_GUINT64_CONSTANT(10737418240);
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = size });
    g_autoptr(AavmImageVerdict) below =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = size - 1));
    g_autoptr(AavmImageVerdict) at =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = size));
    g_autoptr(AavmImageVerdict) none =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = 0));
    g_autoptr(AavmImageVerdict) tiny =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = 1));

    (void)state;
    assert_problems(below, "above the limit", NULL);
    assert_string_equal(g_ptr_array_index(below->problems, 0),
                        "The virtual size of 10737418240 bytes is above the limit of 10737418239 bytes.");
    assert_problems(at, NULL);
    assert_problems(none, NULL);
    assert_problems(tiny, "above the limit of 1 bytes", NULL);
}

/* The largest virtual size a header can state is compared without
 * overflow. */
static void
test_image_check_size_limit_huge(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = G_MAXUINT64 });
    g_autoptr(AavmImageVerdict) below = check_ok(
        image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = G_MAXUINT64 - 1));
    g_autoptr(AavmImageVerdict) at = check_ok(
        image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = G_MAXUINT64));

    (void)state;
    assert_problems(below, "18446744073709551615 bytes is above", NULL);
    assert_problems(at, NULL);
}

static void
test_image_check_invalid_header(void **state)
{
    static const guint8 zeros[IMAGE_LEN] = { 0 };
    g_autoptr(AavmImageVerdict) v = check_ok(zeros, sizeof(zeros), OPTIONS(AAVM_IMAGE_QCOW2));

    (void)state;
    assert_problems(v, "The qcow2 header is not valid: the image does not start with the qcow2 signature.",
                    NULL);
    assert_null(v->info);
    assert_null(v->detected_format);
}

static void
test_image_check_truncated_qcow2(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20 });
    g_autoptr(AavmImageVerdict) v = check_ok(image, 50, OPTIONS(AAVM_IMAGE_QCOW2));
    g_autoptr(AavmImageVerdict) empty = check_ok(image, 0, OPTIONS(AAVM_IMAGE_QCOW2));

    (void)state;
    assert_problems(v, "The image ends before its qcow2 header", NULL);
    assert_null(v->info);
    assert_int_equal(v->file_size, 50);
    /* The signature is qcow2's own: nothing other is detected. */
    assert_null(v->detected_format);
    assert_problems(empty, "ends before", NULL);
}

/* A header that breaks its format's rules is a problem too, e.g. a qcow2
 * version 3 whose header length is not a multiple of 8. */
static void
test_image_check_broken_qcow2(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20 });
    g_autoptr(AavmImageVerdict) v = NULL;

    (void)state;
    put_be32(image + 100, 105);
    v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = 1));
    /* Without a valid header, no other rule can run. */
    assert_problems(v, "The qcow2 header is not valid: the header length 105", NULL);
    assert_null(v->info);
}

static void
test_image_check_declared_format_mismatch(void **state)
{
    g_autofree guint8 *qed = make_qed(1 << 20, NULL, FALSE);
    g_autofree guint8 *qcow2 = make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20 });
    g_autoptr(AavmImageVerdict) as_qcow2 = check_ok(qed, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));
    g_autoptr(AavmImageVerdict) as_vmdk = check_ok(qcow2, IMAGE_LEN, OPTIONS(AAVM_IMAGE_VMDK));
    g_autoptr(AavmImageVerdict) as_luks = check_ok(qcow2, IMAGE_LEN, OPTIONS(AAVM_IMAGE_LUKS));
    g_autoptr(AavmImageVerdict) as_qed = check_ok(qcow2, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QED));

    (void)state;
    assert_problems(as_qcow2, "The qcow2 header is not valid", NULL);
    assert_string_equal(as_qcow2->detected_format, "qed");
    assert_problems(as_vmdk, "The vmdk header is not valid", NULL);
    assert_string_equal(as_vmdk->detected_format, "qcow2");
    assert_problems(as_luks, "The luks header is not valid", NULL);
    assert_string_equal(as_luks->detected_format, "qcow2");
    assert_problems(as_qed, "The qed header is not valid", NULL);
    assert_string_equal(as_qed->detected_format, "qcow2");
}

/* ---- raw ---- */

static void
test_image_check_raw_clean(void **state)
{
    g_autofree guint8 *image = g_malloc0(IMAGE_LEN);
    g_autoptr(AavmImageVerdict) v = NULL;
    g_autoptr(AavmImageVerdict) empty = NULL;

    (void)state;
    memcpy(image, "an ordinary disk, no signature", 30);
    v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW));
    assert_problems(v, NULL);
    assert_int_equal(v->info->virtual_size, IMAGE_LEN);
    assert_null(v->detected_format);
    empty = check_ok(image, 0, OPTIONS(AAVM_IMAGE_RAW));
    assert_problems(empty, NULL);
    assert_int_equal(empty->info->virtual_size, 0);
}

/* The attack: a "raw" upload whose first bytes are a qcow2 header naming
 * /etc/shadow as its backing file. */
static void
test_image_check_raw_with_qcow2_header(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20,
                                                        .backing = "/etc/shadow" });
    g_autoptr(AavmImageVerdict) v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW));
    g_autoptr(AavmImageVerdict) allowed = check_ok(
        image, IMAGE_LEN,
        OPTIONS(AAVM_IMAGE_RAW, .allow_backing = TRUE, .allow_data_file = TRUE));

    (void)state;
    assert_problems(v, "carries a qcow2 header", NULL);
    assert_string_equal(g_ptr_array_index(v->problems, 0),
                        "The image is declared raw but carries a qcow2 header; a program that guesses the format would read it as qcow2 and follow that header.");
    assert_string_equal(v->detected_format, "qcow2");
    /* Raw as declared: the size is the file's, no backing file is read. */
    assert_int_equal(v->info->virtual_size, IMAGE_LEN);
    assert_null(v->info->backing);
    /* No option allows a disguised header. */
    assert_problems(allowed, "carries a qcow2 header", NULL);
    /* Even the first four bytes are enough. */
    {
        g_autoptr(AavmImageVerdict) four = check_ok(image, 4, OPTIONS(AAVM_IMAGE_RAW));

        assert_problems(four, "carries a qcow2 header", NULL);
    }
}

static void
test_image_check_raw_with_other_headers(void **state)
{
    static const struct {
        const char *magic;
        gsize len;
        gsize offset;
        const char *name;
    } cases[] = {
        { "QED\0", 4, 0, "qed" },
        { "KDMV", 4, 0, "vmdk" },
        { "# Disk DescriptorFile", 21, 0, "vmdk" },
        { "LUKS\xba\xbe", 6, 0, "luks" },
        { "conectix", 8, 0, "vpc" },
        { "vhdxfile", 8, 0, "vhdx" },
        { "QFI\xfb\0\0\0\x01", 8, 0, "qcow" },
        { "\x7f\x10\xda\xbe", 4, 64, "vdi" },
    };

    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree guint8 *image = g_malloc0(IMAGE_LEN);
        g_autoptr(AavmImageVerdict) v = NULL;
        g_autofree char *expected = g_strdup_printf("carries a %s header", cases[i].name);

        memcpy(image + cases[i].offset, cases[i].magic, cases[i].len);
        v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW));
        assert_problems(v, expected, NULL);
        assert_string_equal(v->detected_format, cases[i].name);
    }
}

static void
test_image_check_raw_size_limit(void **state)
{
    g_autofree guint8 *image = g_malloc0(IMAGE_LEN);
    g_autoptr(AavmImageVerdict) below =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW, .max_virtual_size = IMAGE_LEN - 1));
    g_autoptr(AavmImageVerdict) at =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW, .max_virtual_size = IMAGE_LEN));

    (void)state;
    assert_problems(below, "The virtual size of 4096 bytes is above the limit of 4095 bytes.", NULL);
    assert_problems(at, NULL);
}

/* ---- qed, vmdk, luks ---- */

static void
test_image_check_qed(void **state)
{
    g_autofree guint8 *plain = make_qed(1 << 20, NULL, FALSE);
    g_autofree guint8 *backed = make_qed(1 << 20, "base.raw", TRUE);
    g_autoptr(AavmImageVerdict) ok = check_ok(plain, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QED));
    g_autoptr(AavmImageVerdict) refused = check_ok(backed, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QED));
    g_autoptr(AavmImageVerdict) allowed =
        check_ok(backed, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QED, .allow_backing = TRUE));

    (void)state;
    assert_problems(ok, NULL);
    assert_int_equal(ok->info->virtual_size, 1 << 20);
    assert_problems(refused, "names the backing file 'base.raw'", NULL);
    assert_string_equal(refused->info->backing_format, "raw");
    assert_problems(allowed, NULL);
}

static void
test_image_check_vmdk_sparse(void **state)
{
    g_autofree guint8 *image = make_vmdk_sparse(2048, NULL);
    g_autoptr(AavmImageVerdict) v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_VMDK));

    (void)state;
    assert_problems(v, NULL);
    assert_int_equal(v->info->virtual_size, 2048 * 512);
    assert_int_equal(v->info->extents->len, 0);
}

static void
test_image_check_vmdk_parent(void **state)
{
    g_autofree guint8 *image = make_vmdk_sparse(
        2048, "# Disk DescriptorFile\nparentFileNameHint=\"/var/lib/other.vmdk\"\n");
    g_autoptr(AavmImageVerdict) refused = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_VMDK));
    g_autoptr(AavmImageVerdict) allowed =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_VMDK, .allow_backing = TRUE));

    (void)state;
    assert_problems(refused, "names the backing file '/var/lib/other.vmdk'", NULL);
    assert_problems(allowed, NULL);
}

static void
test_image_check_vmdk_extents(void **state)
{
    const guint8 *desc = (const guint8 *)vmdk_flat_descriptor;
    gsize len = strlen(vmdk_flat_descriptor);
    g_autoptr(AavmImageVerdict) refused = check_ok(desc, len, OPTIONS(AAVM_IMAGE_VMDK));
    g_autoptr(AavmImageVerdict) allowed =
        check_ok(desc, len, OPTIONS(AAVM_IMAGE_VMDK, .allow_data_file = TRUE));
    g_autoptr(AavmImageVerdict) other =
        check_ok(desc, len, OPTIONS(AAVM_IMAGE_VMDK, .allow_backing = TRUE));

    (void)state;
    assert_problems(refused, "other files", NULL);
    assert_string_equal(g_ptr_array_index(refused->problems, 0),
                        "The image keeps its data in other files ('disk-f001.vmdk', 'disk-f002.vmdk'); an extent file can point the VM at any host file.");
    assert_int_equal(refused->info->virtual_size, 3072 * 512);
    assert_problems(allowed, NULL);
    assert_problems(other, "other files", NULL);
    /* Declared raw, the descriptor is a disguised vmdk. */
    {
        g_autoptr(AavmImageVerdict) raw = check_ok(desc, len, OPTIONS(AAVM_IMAGE_RAW));

        assert_problems(raw, "carries a vmdk header", NULL);
    }
}

static void
test_image_check_luks(void **state)
{
    g_autofree guint8 *image = make_luks1(4);
    g_autoptr(AavmImageVerdict) v = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_LUKS));
    g_autoptr(AavmImageVerdict) small =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_LUKS, .max_virtual_size = 2047));

    (void)state;
    assert_problems(v, NULL);
    assert_int_equal(v->info->version, 1);
    assert_int_equal(v->info->virtual_size, IMAGE_LEN - 4 * 512);
    assert_true(v->info->encrypted);
    assert_problems(small, "The virtual size of 2048 bytes is above the limit of 2047 bytes.",
                    NULL);
}

/* ---- several problems ---- */

static void
test_image_check_all_problems(void **state)
{
    const Qcow2Spec spec = { .version = 3, .size = 1 << 30, .backing = "/etc/shadow",
                             .backing_format = "qcow2", .data_file = "/dev/sda",
                             .data_file_bit = TRUE };
    g_autofree guint8 *image = make_qcow2(&spec);
    g_autoptr(AavmImageVerdict) all =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = 1 << 20));
    g_autoptr(AavmImageVerdict) two = check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2));
    g_autoptr(AavmImageVerdict) none = check_ok(
        image, IMAGE_LEN,
        OPTIONS(AAVM_IMAGE_QCOW2, .allow_backing = TRUE, .allow_data_file = TRUE));

    (void)state;
    assert_problems(all, "above the limit", "backing file '/etc/shadow'",
                    "external data file '/dev/sda'", NULL);
    assert_problems(two, "backing file", "data file", NULL);
    assert_problems(none, NULL);
}

static void
test_image_check_raw_several_problems(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 2, .size = 1 << 20 });
    g_autoptr(AavmImageVerdict) v =
        check_ok(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW, .max_virtual_size = 1024));

    (void)state;
    assert_problems(v, "carries a qcow2 header", "above the limit of 1024 bytes", NULL);
}

/* ---- I/O errors ---- */

static gboolean
failing_read(const AavmImageReader *reader, guint64 offset, void *buf, gsize len,
             GError **error)
{
    (void)reader, (void)offset, (void)buf, (void)len;
    return aavm_fail(error, AAVM_ERROR_IO, "Cannot read the image: Input/output error.");
}

static void
test_image_check_read_error(void **state)
{
    const AavmImageReader reader = { .size = IMAGE_LEN, .read = failing_read };

    (void)state;
    for (AavmImageFormat f = AAVM_IMAGE_RAW; f <= AAVM_IMAGE_LUKS; f++) {
        g_autoptr(GError) error = NULL;

        assert_null(aavm_image_check(&reader, OPTIONS(f), &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
        assert_string_equal(error->message, "Cannot read the image: Input/output error.");
    }
}

/* ---- text ---- */

static char *
text_of(const guint8 *data, gsize len, const AavmImageCheckOptions *options, const char *file)
{
    g_autoptr(AavmImageVerdict) v = check_ok(data, len, options);

    return aavm_image_verdict_to_text(v, file);
}

static char *
first_line(const char *text)
{
    const char *nl = strchr(text, '\n');

    assert_non_null(nl);
    return g_strndup(text, (gsize)(nl - text));
}

static void
test_image_check_text_accepted(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = 10737418240 });
    g_autofree char *text = text_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2), "disk.qcow2");

    (void)state;
    assert_string_equal(text,
                        "disk.qcow2: accepted (qcow2, virtual size 10737418240 bytes)\n"
                        "  format: qcow2, version 3\n"
                        "  virtual size: 10737418240 bytes (10.0 GiB)\n"
                        "  file size: 4096 bytes (4.0 KiB)\n"
                        "  backing file: none\n"
                        "  data file: none\n"
                        "  encrypted: no\n");
}

static void
test_image_check_text_refused(void **state)
{
    const Qcow2Spec spec = { .version = 3, .size = 1 << 30, .backing = "base.qcow2",
                             .backing_format = "qcow2", .data_file = "data.raw",
                             .data_file_bit = TRUE };
    g_autofree guint8 *image = make_qcow2(&spec);
    g_autofree char *text =
        text_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .max_virtual_size = 1 << 20), "up.img");

    (void)state;
    assert_string_equal(text,
                        "up.img: refused: The virtual size of 1073741824 bytes is above the limit of 1048576 bytes.\n"
                        "  format: qcow2, version 3\n"
                        "  virtual size: 1073741824 bytes (1.0 GiB)\n"
                        "  file size: 4096 bytes (4.0 KiB)\n"
                        "  backing file: 'base.qcow2', format qcow2\n"
                        "  data file: 'data.raw'\n"
                        "  encrypted: no\n"
                        "  problem: The virtual size of 1073741824 bytes is above the limit of 1048576 bytes.\n"
                        "  problem: The image names the backing file 'base.qcow2'; a backing file can point the VM at any host file.\n"
                        "  problem: The image keeps its data in the external data file 'data.raw'; a data file can point the VM at any host file.\n");
}

static void
test_image_check_text_first_lines(void **state)
{
    g_autofree guint8 *qcow2 = make_qcow2(&(Qcow2Spec){ .version = 2, .size = 512 });
    g_autofree char *raw_text = text_of(qcow2, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW), "x.raw");
    g_autofree char *raw_line = first_line(raw_text);
    g_autofree char *ok_text = text_of(qcow2, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2), "x.qcow2");
    g_autofree char *ok_line = first_line(ok_text);
    g_autofree char *bad_text = text_of(qcow2, 50, OPTIONS(AAVM_IMAGE_QCOW2), "cut.qcow2");
    g_autofree char *bad_line = first_line(bad_text);
    g_autofree char *vmdk_text = text_of((const guint8 *)vmdk_flat_descriptor,
                                         strlen(vmdk_flat_descriptor), OPTIONS(AAVM_IMAGE_VMDK),
                                         "d.vmdk");

    (void)state;
    assert_string_equal(raw_line,
                        "x.raw: refused: The image is declared raw but carries a qcow2 header; a program that guesses the format would read it as qcow2 and follow that header.");
    assert_non_null(strstr(raw_text, "\n  header found: qcow2\n"));
    assert_non_null(strstr(raw_text, "\n  format: raw\n"));
    assert_string_equal(ok_line, "x.qcow2: accepted (qcow2, virtual size 512 bytes)");
    assert_non_null(strstr(ok_text, "\n  virtual size: 512 bytes\n"));
    assert_string_equal(bad_line,
                        "cut.qcow2: refused: The image ends before its qcow2 header (72 bytes at offset 0; the image has 50 bytes).");
    /* No header, no header details. */
    assert_string_equal(bad_text + strlen(bad_line) + 1,
                        "  format: qcow2\n"
                        "  file size: 50 bytes\n"
                        "  problem: The image ends before its qcow2 header (72 bytes at offset 0; the image has 50 bytes).\n");
    assert_non_null(strstr(vmdk_text, "\n  extent file: 'disk-f001.vmdk'\n  extent file: 'disk-f002.vmdk'\n"));
}

/* Sizes for people: a tenth of the largest binary unit, rounded. */
static void
test_image_check_text_human_sizes(void **state)
{
    static const struct {
        guint64 size;
        const char *line;
    } cases[] = {
        { 0, "  virtual size: 0 bytes\n" },
        { 1023, "  virtual size: 1023 bytes\n" },
        { 1024, "  virtual size: 1024 bytes (1.0 KiB)\n" },
        { 1536, "  virtual size: 1536 bytes (1.5 KiB)\n" },
        { 1996, "  virtual size: 1996 bytes (1.9 KiB)\n" },
        { 1997, "  virtual size: 1997 bytes (2.0 KiB)\n" },
        { 1048575, "  virtual size: 1048575 bytes (1.0 MiB)\n" },
        { 1048576, "  virtual size: 1048576 bytes (1.0 MiB)\n" },
        { G_GUINT64_CONSTANT(10737418240), "  virtual size: 10737418240 bytes (10.0 GiB)\n" },
        { G_GUINT64_CONSTANT(3) << 40, "  virtual size: 3298534883328 bytes (3.0 TiB)\n" },
        { G_GUINT64_CONSTANT(1) << 50, "  virtual size: 1125899906842624 bytes (1.0 PiB)\n" },
        { G_MAXUINT64, "  virtual size: 18446744073709551615 bytes (16.0 EiB)\n" },
    };
    static const guint8 zeros[128] = { 0 };

    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        /* A raw image of any size: only its first bytes are ever read. */
        AavmImageReader reader = aavm_image_reader_memory(zeros, sizeof(zeros));
        g_autoptr(AavmImageVerdict) v = NULL;
        g_autofree char *text = NULL;

        reader.size = cases[i].size;
        v = aavm_image_check(&reader, OPTIONS(AAVM_IMAGE_RAW), NULL);
        assert_non_null(v);
        text = aavm_image_verdict_to_text(v, "f");
        if (!strstr(text, cases[i].line))
            fail_msg("size %" G_GUINT64_FORMAT ": no line '%s' in:\n%s", cases[i].size,
                     cases[i].line, text);
    }
}

/* Names shown to people: valid UTF-8, no raw control characters. */
static void
test_image_check_text_escapes(void **state)
{
    g_autofree guint8 *image =
        make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20, .backing = "b\xff\xc2\x9b" "c" });
    g_autofree char *text = text_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2), "a\n\x1b[31m\xfe");
    g_autofree char *line = first_line(text);

    (void)state;
    assert_true(g_utf8_validate(text, -1, NULL));
    assert_null(strchr(text, '\x1b'));
    assert_string_equal(line,
                        "a\\x0a\\x1b[31m\xef\xbf\xbd: refused: The image names the backing file 'b\xef\xbf\xbd\\u009bc'; a backing file can point the VM at any host file.");
    assert_non_null(strstr(text, "\n  backing file: 'b\xef\xbf\xbd\\u009bc', format not recorded\n"));
}

/* ---- JSON ---- */

static char *
json_of(const guint8 *data, gsize len, const AavmImageCheckOptions *options, const char *file)
{
    g_autoptr(AavmImageVerdict) v = check_ok(data, len, options);
    char *json = aavm_image_verdict_to_json(v, file);

    assert_true(g_utf8_validate(json, -1, NULL));
    assert_null(strchr(json, '\n'));
    return json;
}

static void
test_image_check_json_accepted(void **state)
{
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){ .version = 3, .size = 10737418240 });
    g_autofree char *json = json_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2), "disk.qcow2");

    (void)state;
    assert_string_equal(json,
                        "{\"version\":1,\"file\":\"disk.qcow2\",\"format\":\"qcow2\",\"accepted\":true,"
                        "\"problems\":[],\"virtual_size\":10737418240,\"file_size\":4096,"
                        "\"format_version\":3,\"backing\":null,\"backing_format\":null,"
                        "\"data_file\":null,\"data_file_needed\":false,\"extents\":[],"
                        "\"encrypted\":false,\"detected_format\":null}");
}

static void
test_image_check_json_refused(void **state)
{
    const Qcow2Spec spec = { .version = 3, .size = 1 << 20, .backing = "/etc/shadow",
                             .backing_format = "raw", .data_file_bit = TRUE };
    g_autofree guint8 *image = make_qcow2(&spec);
    g_autofree char *json = json_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2), "up.qcow2");
    g_autofree char *vmdk = json_of((const guint8 *)vmdk_flat_descriptor,
                                    strlen(vmdk_flat_descriptor),
                                    OPTIONS(AAVM_IMAGE_VMDK, .allow_data_file = TRUE), "d.vmdk");

    (void)state;
    assert_string_equal(json,
                        "{\"version\":1,\"file\":\"up.qcow2\",\"format\":\"qcow2\",\"accepted\":false,"
                        "\"problems\":[\"The image names the backing file '/etc/shadow'; a backing file can point the VM at any host file.\","
                        "\"The image keeps its data in an external data file it does not name; a data file can point the VM at any host file.\"],"
                        "\"virtual_size\":1048576,\"file_size\":4096,\"format_version\":3,"
                        "\"backing\":\"/etc/shadow\",\"backing_format\":\"raw\","
                        "\"data_file\":null,\"data_file_needed\":true,\"extents\":[],"
                        "\"encrypted\":false,\"detected_format\":null}");
    assert_string_equal(vmdk,
                        "{\"version\":1,\"file\":\"d.vmdk\",\"format\":\"vmdk\",\"accepted\":true,"
                        "\"problems\":[],\"virtual_size\":1572864,\"file_size\":182,"
                        "\"format_version\":1,\"backing\":null,\"backing_format\":null,"
                        "\"data_file\":null,\"data_file_needed\":false,"
                        "\"extents\":[\"disk-f001.vmdk\",\"disk-f002.vmdk\"],"
                        "\"encrypted\":false,\"detected_format\":null}");
}

/* An invalid header: everything the header would say is null. */
static void
test_image_check_json_nulls(void **state)
{
    g_autofree guint8 *image = make_qed(1 << 20, NULL, FALSE);
    g_autofree char *json = json_of(image, 50, OPTIONS(AAVM_IMAGE_QCOW2), "x");
    g_autofree char *raw = json_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_RAW), "r");

    (void)state;
    assert_string_equal(json,
                        "{\"version\":1,\"file\":\"x\",\"format\":\"qcow2\",\"accepted\":false,"
                        "\"problems\":[\"The image ends before its qcow2 header (72 bytes at offset 0; the image has 50 bytes).\"],"
                        "\"virtual_size\":null,\"file_size\":50,\"format_version\":null,"
                        "\"backing\":null,\"backing_format\":null,\"data_file\":null,"
                        "\"data_file_needed\":null,\"extents\":[],\"encrypted\":null,"
                        "\"detected_format\":\"qed\"}");
    /* Raw has no version: null, not 0. */
    assert_non_null(strstr(raw, "\"virtual_size\":4096,\"file_size\":4096,\"format_version\":null,"));
    assert_non_null(strstr(raw, "\"detected_format\":\"qed\"}"));
}

static void
test_image_check_json_escaping(void **state)
{
    /* A backing name with a quote, a backslash and invalid UTF-8; the
     * file name with a newline, a tab, other control characters and
     * invalid UTF-8. */
    g_autofree guint8 *image = make_qcow2(&(Qcow2Spec){
        .version = 3, .size = 1 << 20, .backing = "a\"b\\c\xff\xe2\x82\xac" });
    g_autofree char *json =
        json_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2, .allow_backing = TRUE),
                "up\"\\\n\t\r\b\f\x01\x1f\x7f\xc3\x28\xc3\xa9.img");

    (void)state;
    assert_string_equal(json,
                        "{\"version\":1,\"file\":\"up\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\xef\xbf\xbd(\xc3\xa9.img\","
                        "\"format\":\"qcow2\",\"accepted\":true,\"problems\":[],"
                        "\"virtual_size\":1048576,\"file_size\":4096,\"format_version\":3,"
                        "\"backing\":\"a\\\"b\\\\c\xef\xbf\xbd\xe2\x82\xac\","
                        "\"backing_format\":null,\"data_file\":null,"
                        "\"data_file_needed\":false,\"extents\":[],\"encrypted\":false,"
                        "\"detected_format\":null}");
}

static void
test_image_check_json_problem_escaping(void **state)
{
    g_autofree guint8 *image =
        make_qcow2(&(Qcow2Spec){ .version = 3, .size = 1 << 20, .backing = "q\"\\\xff" });
    g_autofree char *json = json_of(image, IMAGE_LEN, OPTIONS(AAVM_IMAGE_QCOW2), "f");

    (void)state;
    assert_non_null(strstr(json, "\"problems\":[\"The image names the backing file 'q\\\"\\\\\xef\xbf\xbd'; "));
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_check_parse_size_good),
        cmocka_unit_test(test_image_check_parse_size_bad),
        cmocka_unit_test(test_image_check_parse_size_messages),
        cmocka_unit_test(test_image_check_format_names),
        cmocka_unit_test(test_image_check_unsupported_format),
        cmocka_unit_test(test_image_check_qcow2_v2_accepted),
        cmocka_unit_test(test_image_check_qcow2_v3_accepted),
        cmocka_unit_test(test_image_check_qcow2_backing),
        cmocka_unit_test(test_image_check_qcow2_v2_backing),
        cmocka_unit_test(test_image_check_qcow2_data_file),
        cmocka_unit_test(test_image_check_qcow2_data_file_unnamed),
        cmocka_unit_test(test_image_check_qcow2_data_file_name_without_bit),
        cmocka_unit_test(test_image_check_qcow2_encrypted),
        cmocka_unit_test(test_image_check_size_limit),
        cmocka_unit_test(test_image_check_size_limit_huge),
        cmocka_unit_test(test_image_check_invalid_header),
        cmocka_unit_test(test_image_check_truncated_qcow2),
        cmocka_unit_test(test_image_check_broken_qcow2),
        cmocka_unit_test(test_image_check_declared_format_mismatch),
        cmocka_unit_test(test_image_check_raw_clean),
        cmocka_unit_test(test_image_check_raw_with_qcow2_header),
        cmocka_unit_test(test_image_check_raw_with_other_headers),
        cmocka_unit_test(test_image_check_raw_size_limit),
        cmocka_unit_test(test_image_check_qed),
        cmocka_unit_test(test_image_check_vmdk_sparse),
        cmocka_unit_test(test_image_check_vmdk_parent),
        cmocka_unit_test(test_image_check_vmdk_extents),
        cmocka_unit_test(test_image_check_luks),
        cmocka_unit_test(test_image_check_all_problems),
        cmocka_unit_test(test_image_check_raw_several_problems),
        cmocka_unit_test(test_image_check_read_error),
        cmocka_unit_test(test_image_check_text_accepted),
        cmocka_unit_test(test_image_check_text_refused),
        cmocka_unit_test(test_image_check_text_first_lines),
        cmocka_unit_test(test_image_check_text_human_sizes),
        cmocka_unit_test(test_image_check_text_escapes),
        cmocka_unit_test(test_image_check_json_accepted),
        cmocka_unit_test(test_image_check_json_refused),
        cmocka_unit_test(test_image_check_json_nulls),
        cmocka_unit_test(test_image_check_json_escaping),
        cmocka_unit_test(test_image_check_json_problem_escaping),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
