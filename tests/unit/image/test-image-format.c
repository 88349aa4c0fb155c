/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-image-format.c: the image header readers on hand-made headers:
 * what valid headers say, and every malformed field refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "aavm-error.h"
#include "image-format.h"
#include "testutil.h"

/* ---- building headers ---------------------------------------------------- */

static GByteArray *
bytes_new(gsize size)
{
    GByteArray *b = g_byte_array_sized_new((guint)size);

    g_byte_array_set_size(b, (guint)size);
    if (size > 0)
        memset(b->data, 0, size);
    return b;
}

/* Grow (zero-filled) or shrink @b to @size bytes. */
static void
resize(GByteArray *b, gsize size)
{
    gsize old = b->len;

    g_byte_array_set_size(b, (guint)size);
    if (size > old)
        memset(b->data + old, 0, size - old);
}

static void
put(GByteArray *b, gsize offset, const void *data, gsize len)
{
    assert_true(offset + len <= b->len);
    if (len > 0)
        memcpy(b->data + offset, data, len);
}

static void
put_be32(GByteArray *b, gsize offset, guint32 v)
{
    guint8 x[4] = { v >> 24, v >> 16, v >> 8, v };
    put(b, offset, x, 4);
}

static void
put_be64(GByteArray *b, gsize offset, guint64 v)
{
    put_be32(b, offset, (guint32)(v >> 32));
    put_be32(b, offset + 4, (guint32)v);
}

static void
put_le32(GByteArray *b, gsize offset, guint32 v)
{
    guint8 x[4] = { v, v >> 8, v >> 16, v >> 24 };
    put(b, offset, x, 4);
}

static void
put_le64(GByteArray *b, gsize offset, guint64 v)
{
    put_le32(b, offset, (guint32)v);
    put_le32(b, offset + 4, (guint32)(v >> 32));
}

static void
put_str(GByteArray *b, gsize offset, const char *s)
{
    put(b, offset, s, strlen(s));
}

static AavmImageInfo *
read_ok(GByteArray *b, AavmImageFormat format)
{
    AavmImageReader r = aavm_image_reader_memory(b->data, b->len);
    g_autoptr(GError) error = NULL;
    AavmImageInfo *info = aavm_image_read_header(&r, format, &error);

    if (!info)
        fail_msg("unexpected error: %s", error->message);
    return info;
}

/* Reading must fail with AAVM_ERROR_INVALID_IMAGE and a message holding @part. */
static void
read_refused(GByteArray *b, AavmImageFormat format, const char *part)
{
    AavmImageReader r = aavm_image_reader_memory(b->data, b->len);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmImageInfo) info = aavm_image_read_header(&r, format, &error);

    if (info)
        fail_msg("accepted, expected a refusal containing '%s'", part);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_IMAGE));
    if (!strstr(error->message, part))
        fail_msg("message '%s' lacks '%s'", error->message, part);
}

/* ---- qcow2 --------------------------------------------------------------- */

#define QCOW2_SIZE 4096

/* A qcow2 header of @version with 64 KiB clusters and 1 GiB virtual size;
 * v3 with header_length 104 and nothing after it. */
static GByteArray *
qcow2_new(guint32 version)
{
    GByteArray *b = bytes_new(QCOW2_SIZE);

    put_be32(b, 0, 0x514649fb);
    put_be32(b, 4, version);
    put_be32(b, 20, 16);
    put_be64(b, 24, G_GUINT64_CONSTANT(1) << 30);
    if (version == 3) {
        put_be32(b, 96, 4);   /* refcount order */
        put_be32(b, 100, 104); /* header length */
    }
    return b;
}

/* Header extension at @offset; returns the offset after it (padded). */
static gsize
qcow2_ext(GByteArray *b, gsize offset, guint32 type, const char *data, gsize len)
{
    put_be32(b, offset, type);
    put_be32(b, offset + 4, (guint32)len);
    put(b, offset + 8, data, len);
    return offset + 8 + ((len + 7) & ~(gsize)7);
}

static void
qcow2_backing(GByteArray *b, guint64 offset, const char *name, gsize len)
{
    put_be64(b, 8, offset);
    put_be32(b, 16, (guint32)len);
    if (offset < b->len && len <= b->len - offset)
        put(b, offset, name, len);
}

static void
test_image_qcow2_v2_plain(void **state)
{
    (void)state;
    g_autoptr(GByteArray) b = qcow2_new(2);
    g_autoptr(AavmImageInfo) info = read_ok(b, AAVM_IMAGE_QCOW2);

    assert_int_equal(info->version, 2);
    assert_true(info->virtual_size == G_GUINT64_CONSTANT(1) << 30);
    assert_null(info->backing);
    assert_null(info->backing_format);
    assert_null(info->data_file);
    assert_false(info->data_file_needed);
    assert_false(info->encrypted);
}

static void
test_image_qcow2_v3_backing_and_data_file(void **state)
{
    (void)state;
    g_autoptr(GByteArray) b = qcow2_new(3);
    gsize pos = 104;

    put_be64(b, 72, 1 << 2); /* external data file */
    pos = qcow2_ext(b, pos, 0xe2792aca, "qcow2", 5);
    pos = qcow2_ext(b, pos, 0x44415441, "data.raw", 8);
    pos = qcow2_ext(b, pos, 0, "", 0);
    qcow2_backing(b, pos, "../base/base.qcow2", 18);
    g_autoptr(AavmImageInfo) info = read_ok(b, AAVM_IMAGE_QCOW2);

    assert_int_equal(info->version, 3);
    assert_string_equal(info->backing, "../base/base.qcow2");
    assert_string_equal(info->backing_format, "qcow2");
    assert_string_equal(info->data_file, "data.raw");
    assert_true(info->data_file_needed);
}

static void
test_image_qcow2_data_file_rules(void **state)
{
    (void)state;
    g_autoptr(GByteArray) named = qcow2_new(3);
    g_autoptr(GByteArray) unnamed = qcow2_new(3);

    /* A name without the feature bit is ignored, as QEMU does. */
    qcow2_ext(named, 104, 0x44415441, "data.raw", 8);
    g_autoptr(AavmImageInfo) info = read_ok(named, AAVM_IMAGE_QCOW2);
    assert_null(info->data_file);
    assert_false(info->data_file_needed);

    /* The bit without a name: the data is outside, the name comes from the XML. */
    put_be64(unnamed, 72, 1 << 2);
    g_autoptr(AavmImageInfo) info2 = read_ok(unnamed, AAVM_IMAGE_QCOW2);
    assert_null(info2->data_file);
    assert_true(info2->data_file_needed);
}

static void
test_image_qcow2_small_details(void **state)
{
    (void)state;
    g_autoptr(GByteArray) empty_name = qcow2_new(2);
    g_autoptr(GByteArray) crypt = qcow2_new(2);
    g_autoptr(GByteArray) no_end = qcow2_new(3);

    /* An empty backing name means no backing file. */
    qcow2_backing(empty_name, 200, "", 0);
    g_autoptr(AavmImageInfo) a = read_ok(empty_name, AAVM_IMAGE_QCOW2);
    assert_null(a->backing);

    put_be32(crypt, 32, 2);
    g_autoptr(AavmImageInfo) c = read_ok(crypt, AAVM_IMAGE_QCOW2);
    assert_true(c->encrypted);

    /* Extensions that run to the end of the file without an end marker:
     * QEMU reads zeros past the end, which end the list. */
    resize(no_end, 104 + 8 + 8);
    qcow2_ext(no_end, 104, 0xe2792aca, "raw", 3);
    g_autoptr(AavmImageInfo) d = read_ok(no_end, AAVM_IMAGE_QCOW2);
    assert_null(d->backing_format); /* no backing file: its format means nothing */
}

static void
test_image_qcow2_malformed_fixed_header(void **state)
{
    (void)state;
    g_autoptr(GByteArray) magic = qcow2_new(3);
    g_autoptr(GByteArray) v1 = qcow2_new(2);
    g_autoptr(GByteArray) v4 = qcow2_new(2);
    g_autoptr(GByteArray) truncated = qcow2_new(2);
    g_autoptr(GByteArray) truncated_v3 = qcow2_new(3);
    g_autoptr(GByteArray) small_cluster = qcow2_new(2);
    g_autoptr(GByteArray) huge_cluster = qcow2_new(2);
    g_autoptr(GByteArray) crypt = qcow2_new(2);
    g_autoptr(GByteArray) short_len = qcow2_new(3);
    g_autoptr(GByteArray) odd_len = qcow2_new(3);
    g_autoptr(GByteArray) features = qcow2_new(3);

    put_str(magic, 0, "QFI\xfa");
    read_refused(magic, AAVM_IMAGE_QCOW2, "signature");
    put_be32(v1, 4, 1);
    read_refused(v1, AAVM_IMAGE_QCOW2, "version 1");
    put_be32(v4, 4, 4);
    read_refused(v4, AAVM_IMAGE_QCOW2, "version 4");
    resize(truncated, 50);
    read_refused(truncated, AAVM_IMAGE_QCOW2, "ends before its qcow2 header");
    resize(truncated_v3, 90);
    read_refused(truncated_v3, AAVM_IMAGE_QCOW2, "version 3 header");
    put_be32(small_cluster, 20, 8);
    read_refused(small_cluster, AAVM_IMAGE_QCOW2, "cluster size");
    put_be32(huge_cluster, 20, 22);
    read_refused(huge_cluster, AAVM_IMAGE_QCOW2, "cluster size");
    put_be32(crypt, 32, 3);
    read_refused(crypt, AAVM_IMAGE_QCOW2, "encryption method 3");
    put_be32(short_len, 100, 96);
    read_refused(short_len, AAVM_IMAGE_QCOW2, "header length 96");
    put_be32(odd_len, 100, 108);
    read_refused(odd_len, AAVM_IMAGE_QCOW2, "header length 108");
    put_be64(features, 72, 1 << 9);
    read_refused(features, AAVM_IMAGE_QCOW2, "unknown incompatible features (0x200)");
}

static void
test_image_qcow2_malformed_backing_name(void **state)
{
    (void)state;
    g_autoptr(GByteArray) past_eof = qcow2_new(2);
    g_autoptr(GByteArray) too_long = qcow2_new(2);
    g_autoptr(GByteArray) past_cluster = qcow2_new(2);
    g_autoptr(GByteArray) in_header = qcow2_new(3);
    g_autoptr(GByteArray) nul = qcow2_new(2);
    g_autoptr(GByteArray) newline = qcow2_new(2);
    g_autoptr(GByteArray) huge = qcow2_new(2);
    g_autofree char *long_name = g_strnfill(1024, 'x');

    qcow2_backing(past_eof, QCOW2_SIZE - 4, "base.qcow2", 10);
    read_refused(past_eof, AAVM_IMAGE_QCOW2, "ends before its backing file name");
    qcow2_backing(too_long, 512, long_name, 1024);
    read_refused(too_long, AAVM_IMAGE_QCOW2, "1024 bytes long");
    qcow2_backing(past_cluster, (1 << 16) + 8, "x", 1);
    read_refused(past_cluster, AAVM_IMAGE_QCOW2, "first cluster");
    qcow2_backing(in_header, 80, "x", 1);
    read_refused(in_header, AAVM_IMAGE_QCOW2, "first cluster after the header");
    qcow2_backing(nul, 512, "/etc\0/shadow", 12);
    read_refused(nul, AAVM_IMAGE_QCOW2, "NUL byte");
    qcow2_backing(newline, 512, "a\n/etc/shadow", 13);
    read_refused(newline, AAVM_IMAGE_QCOW2, "control character");
    qcow2_backing(huge, G_MAXUINT64 - 2, "x", 16);
    read_refused(huge, AAVM_IMAGE_QCOW2, "first cluster");
}

static void
test_image_qcow2_malformed_extensions(void **state)
{
    (void)state;
    g_autoptr(GByteArray) huge_ext = qcow2_new(3);
    g_autoptr(GByteArray) long_format = qcow2_new(3);
    g_autoptr(GByteArray) format_nul = qcow2_new(3);
    g_autoptr(GByteArray) empty_data_file = qcow2_new(3);
    g_autoptr(GByteArray) endless = qcow2_new(3);
    g_autoptr(GByteArray) ext_past_backing = qcow2_new(3);

    put_be32(huge_ext, 104, 0x12345678);
    put_be32(huge_ext, 108, 0xffffffff);
    read_refused(huge_ext, AAVM_IMAGE_QCOW2, "runs past the header area");

    qcow2_ext(long_format, 104, 0xe2792aca, "qcow2qcow2qcow2q", 16);
    qcow2_backing(long_format, 512, "b", 1);
    read_refused(long_format, AAVM_IMAGE_QCOW2, "backing format name is 16 bytes");

    qcow2_ext(format_nul, 104, 0xe2792aca, "raw\0", 4);
    qcow2_backing(format_nul, 512, "b", 1);
    read_refused(format_nul, AAVM_IMAGE_QCOW2, "NUL byte");

    put_be64(empty_data_file, 72, 1 << 2);
    qcow2_ext(empty_data_file, 104, 0x44415441, "", 0);
    read_refused(empty_data_file, AAVM_IMAGE_QCOW2, "external data file name is empty");

    /* 2 MiB clusters and 128 KiB of empty unknown extensions: more than
     * the 64 KiB aavm reads. */
    put_be32(endless, 20, 21);
    resize(endless, 128 * 1024);
    for (gsize pos = 104; pos + 8 <= endless->len; pos += 8)
        put_be32(endless, pos, 0x12345678);
    read_refused(endless, AAVM_IMAGE_QCOW2, "run past the 65536 bytes");

    /* An extension may not reach into the backing file name. */
    qcow2_backing(ext_past_backing, 120, "base", 4);
    put_be32(ext_past_backing, 104, 0xe2792aca);
    put_be32(ext_past_backing, 108, 64);
    read_refused(ext_past_backing, AAVM_IMAGE_QCOW2, "runs past the header area");
}

/* ---- qed ----------------------------------------------------------------- */

static GByteArray *
qed_new(guint64 features, const char *backing)
{
    GByteArray *b = bytes_new(4096);

    put_str(b, 0, "QED");
    put_le32(b, 4, 65536);
    put_le32(b, 8, 4);
    put_le32(b, 12, 1);
    put_le64(b, 16, features);
    put_le64(b, 48, 10 * 1024 * 1024);
    if (backing) {
        put_le32(b, 56, 64);
        put_le32(b, 60, (guint32)strlen(backing));
        put_str(b, 64, backing);
    }
    return b;
}

static void
test_image_qed_valid(void **state)
{
    (void)state;
    g_autoptr(GByteArray) plain = qed_new(0, NULL);
    g_autoptr(GByteArray) backing = qed_new(1, "base.qcow2");
    g_autoptr(GByteArray) raw = qed_new(1 | 4, "base.raw");
    g_autoptr(GByteArray) flag_off = qed_new(0, "ignored.raw");

    g_autoptr(AavmImageInfo) a = read_ok(plain, AAVM_IMAGE_QED);
    assert_true(a->virtual_size == 10 * 1024 * 1024);
    assert_null(a->backing);
    g_autoptr(AavmImageInfo) b = read_ok(backing, AAVM_IMAGE_QED);
    assert_string_equal(b->backing, "base.qcow2");
    assert_null(b->backing_format); /* QED does not record it */
    g_autoptr(AavmImageInfo) c = read_ok(raw, AAVM_IMAGE_QED);
    assert_string_equal(c->backing_format, "raw");
    g_autoptr(AavmImageInfo) d = read_ok(flag_off, AAVM_IMAGE_QED);
    assert_null(d->backing);
}

static void
test_image_qed_malformed(void **state)
{
    (void)state;
    g_autoptr(GByteArray) magic = qed_new(0, NULL);
    g_autoptr(GByteArray) cluster = qed_new(0, NULL);
    g_autoptr(GByteArray) table = qed_new(0, NULL);
    g_autoptr(GByteArray) header = qed_new(0, NULL);
    g_autoptr(GByteArray) header_huge = qed_new(0, NULL);
    g_autoptr(GByteArray) features = qed_new(8, NULL);
    g_autoptr(GByteArray) outside = qed_new(1, "base");
    g_autoptr(GByteArray) in_header = qed_new(1, "base");
    g_autoptr(GByteArray) too_long = qed_new(1, "base");
    g_autoptr(GByteArray) past_eof = qed_new(1, "base");
    g_autoptr(GByteArray) nul = qed_new(1, "ba\1se");
    g_autoptr(GByteArray) truncated = qed_new(0, NULL);

    put_str(magic, 0, "QEF");
    read_refused(magic, AAVM_IMAGE_QED, "signature");
    put_le32(cluster, 4, 3000);
    read_refused(cluster, AAVM_IMAGE_QED, "cluster size 3000");
    put_le32(table, 8, 3);
    read_refused(table, AAVM_IMAGE_QED, "table size 3");
    put_le32(header, 12, 0);
    read_refused(header, AAVM_IMAGE_QED, "header size");
    put_le32(header_huge, 12, 0x10000);
    read_refused(header_huge, AAVM_IMAGE_QED, "header size");
    read_refused(features, AAVM_IMAGE_QED, "unknown features (0x8)");
    put_le32(outside, 56, 65534);
    read_refused(outside, AAVM_IMAGE_QED, "not inside the header clusters");
    put_le32(in_header, 56, 16);
    read_refused(in_header, AAVM_IMAGE_QED, "not inside the header clusters");
    put_le32(too_long, 60, 1024);
    read_refused(too_long, AAVM_IMAGE_QED, "1024 bytes long");
    put_le32(past_eof, 56, 4094);
    read_refused(past_eof, AAVM_IMAGE_QED, "ends before its backing file name");
    read_refused(nul, AAVM_IMAGE_QED, "control character");
    resize(truncated, 40);
    read_refused(truncated, AAVM_IMAGE_QED, "ends before its QED header");
}

/* ---- vmdk ---------------------------------------------------------------- */

/* A KDMV sparse image of 2048 sectors with @desc at byte 512. */
static GByteArray *
vmdk_sparse_new(const char *desc)
{
    GByteArray *b = bytes_new(4096);

    put_str(b, 0, "KDMV");
    put_le32(b, 4, 1);
    put_le64(b, 12, 2048);
    put_le64(b, 28, 1);
    put_le64(b, 36, 20);
    if (desc)
        put_str(b, 512, desc);
    return b;
}

static GByteArray *
text_new(const char *text)
{
    GByteArray *b = g_byte_array_new();

    g_byte_array_append(b, (const guint8 *)text, (guint)strlen(text));
    return b;
}

#define DESC_HEAD "# Disk DescriptorFile\nversion=1\nCID=fffffffe\ncreateType=\"twoGbMaxExtentFlat\"\n"

static void
test_image_vmdk_sparse(void **state)
{
    (void)state;
    g_autoptr(GByteArray) parent = vmdk_sparse_new(
        "# Disk DescriptorFile\nparentCID=12345678\nparentFileNameHint=\"base.vmdk\"\n");
    g_autoptr(GByteArray) alone = vmdk_sparse_new("# Disk DescriptorFile\nparentCID=ffffffff\n");

    g_autoptr(AavmImageInfo) a = read_ok(parent, AAVM_IMAGE_VMDK);
    assert_string_equal(a->backing, "base.vmdk");
    assert_string_equal(a->backing_format, "vmdk");
    assert_true(a->virtual_size == 2048 * 512);
    assert_int_equal(a->extents->len, 0);
    g_autoptr(AavmImageInfo) b = read_ok(alone, AAVM_IMAGE_VMDK);
    assert_null(b->backing);
}

static void
test_image_vmdk_descriptor(void **state)
{
    (void)state;
    g_autoptr(GByteArray) desc = text_new(
        DESC_HEAD
        "RW 2048 FLAT \"disk-f001.vmdk\" 0\n"
        "RW 1024 SPARSE \"/images/other s001.vmdk\"\n"
        "RW 512 ZERO\n"
        "RDONLY 4096 FLAT \"readonly.vmdk\" 0\n"
        "NOACCESS 4096 FLAT \"none.vmdk\" 0\n"
        "parentFileNameHint=\"parent.vmdk\"\n");
    g_autoptr(AavmImageInfo) info = read_ok(desc, AAVM_IMAGE_VMDK);

    assert_int_equal(info->extents->len, 2);
    assert_string_equal(g_ptr_array_index(info->extents, 0), "disk-f001.vmdk");
    assert_string_equal(g_ptr_array_index(info->extents, 1), "/images/other s001.vmdk");
    assert_true(info->virtual_size == (2048 + 1024) * 512);
    assert_string_equal(info->backing, "parent.vmdk");
}

static void
test_image_vmdk_embedded_descriptor(void **state)
{
    (void)state;
    g_autoptr(GByteArray) b = vmdk_sparse_new(NULL);

    put_le64(b, 12, 0);  /* no capacity: the descriptor at sector 2 lists the extents */
    put_le64(b, 28, 2);
    put_le64(b, 36, 2);
    put_str(b, 1024, DESC_HEAD "RW 100 FLAT \"data.raw\" 0\n");
    g_autoptr(AavmImageInfo) info = read_ok(b, AAVM_IMAGE_VMDK);
    assert_int_equal(info->extents->len, 1);
    assert_string_equal(g_ptr_array_index(info->extents, 0), "data.raw");
    assert_true(info->virtual_size == 100 * 512);
}

static void
test_image_vmdk_malformed(void **state)
{
    (void)state;
    g_autoptr(GByteArray) version = vmdk_sparse_new(NULL);
    g_autoptr(GByteArray) truncated = vmdk_sparse_new(NULL);
    g_autoptr(GByteArray) unclosed = vmdk_sparse_new("parentFileNameHint=\"base.vmdk\n");
    g_autoptr(GByteArray) parent_ctl = vmdk_sparse_new("parentFileNameHint=\"a\tb\"\n");
    g_autoptr(GByteArray) capacity = vmdk_sparse_new(NULL);
    g_autoptr(GByteArray) no_desc = vmdk_sparse_new(NULL);
    g_autoptr(GByteArray) no_create = text_new("# Disk DescriptorFile\nRW 1 FLAT \"a\" 0\n");
    g_autoptr(GByteArray) no_extent = text_new(DESC_HEAD "RDONLY 1 FLAT \"a\" 0\n");
    g_autoptr(GByteArray) bad_sectors = text_new(DESC_HEAD "RW 99999999999999999999 FLAT \"a\" 0\n");
    g_autoptr(GByteArray) unquoted = text_new(DESC_HEAD "RW 1 FLAT \"a 0\n");
    g_autoptr(GByteArray) ext_ctl = text_new(DESC_HEAD "RW 1 FLAT \"a\x1b\" 0\n");
    g_autoptr(GByteArray) ext_empty = text_new(DESC_HEAD "RW 1 FLAT \"\" 0\n");
    g_autoptr(GByteArray) binary = text_new(DESC_HEAD "RW 1 FLAT \"a\" 0\n");
    g_autoptr(GByteArray) large = bytes_new(70000);
    g_autoptr(GByteArray) sum = text_new(DESC_HEAD "RW 36028797018963967 FLAT \"a\" 0\n"
                                                   "RW 36028797018963967 FLAT \"b\" 0\n");

    put_le32(version, 4, 4);
    read_refused(version, AAVM_IMAGE_VMDK, "version 4");
    resize(truncated, 300);
    read_refused(truncated, AAVM_IMAGE_VMDK, "cut short");
    read_refused(unclosed, AAVM_IMAGE_VMDK, "no closing quote");
    read_refused(parent_ctl, AAVM_IMAGE_VMDK, "control character");
    put_le64(capacity, 12, G_MAXUINT64);
    read_refused(capacity, AAVM_IMAGE_VMDK, "capacity");
    put_le64(no_desc, 12, 0);
    put_le64(no_desc, 28, 1000);
    read_refused(no_desc, AAVM_IMAGE_VMDK, "neither a capacity nor a descriptor");
    read_refused(no_create, AAVM_IMAGE_VMDK, "no createType");
    read_refused(no_extent, AAVM_IMAGE_VMDK, "no read-write extent");
    read_refused(bad_sectors, AAVM_IMAGE_VMDK, "positive number of sectors");
    read_refused(unquoted, AAVM_IMAGE_VMDK, "no closing quote");
    read_refused(ext_ctl, AAVM_IMAGE_VMDK, "control character");
    read_refused(ext_empty, AAVM_IMAGE_VMDK, "extent file name is empty");
    binary->data[5] = '\0';
    read_refused(binary, AAVM_IMAGE_VMDK, "NUL byte");
    memset(large->data, 'x', large->len);
    read_refused(large, AAVM_IMAGE_VMDK, "too large for a descriptor file");
    read_refused(sum, AAVM_IMAGE_VMDK, "more than 2^64 bytes");
}

/* ---- luks ---------------------------------------------------------------- */

static GByteArray *
luks_new(guint16 version, gsize size)
{
    GByteArray *b = bytes_new(size);

    put(b, 0, "LUKS\xba\xbe", 6);
    b->data[6] = version >> 8;
    b->data[7] = version & 0xff;
    return b;
}

static void
test_image_luks_valid(void **state)
{
    (void)state;
    g_autoptr(GByteArray) v1 = luks_new(1, 4096);
    g_autoptr(GByteArray) v2 = luks_new(2, 20000);

    put_be32(v1, 104, 2);
    g_autoptr(AavmImageInfo) a = read_ok(v1, AAVM_IMAGE_LUKS);
    assert_int_equal(a->version, 1);
    assert_true(a->virtual_size == 4096 - 1024);
    assert_true(a->encrypted);
    assert_null(a->backing);

    put_be64(v2, 8, 16384);
    put_str(v2, 4096, "{\"keyslots\":{},\"segments\":{\"0\":{\"type\":\"crypt\",\"offset\" : \"16384\","
                      "\"size\":\"dynamic\"}}}");
    g_autoptr(AavmImageInfo) b = read_ok(v2, AAVM_IMAGE_LUKS);
    assert_int_equal(b->version, 2);
    assert_true(b->virtual_size == 20000 - 16384);
}

static void
test_image_luks_malformed(void **state)
{
    (void)state;
    g_autoptr(GByteArray) magic = luks_new(1, 4096);
    g_autoptr(GByteArray) version = luks_new(3, 4096);
    g_autoptr(GByteArray) payload = luks_new(1, 4096);
    g_autoptr(GByteArray) payload_small = luks_new(1, 4096);
    g_autoptr(GByteArray) truncated = luks_new(1, 300);
    g_autoptr(GByteArray) hdr_size = luks_new(2, 20000);
    g_autoptr(GByteArray) no_segment = luks_new(2, 20000);
    g_autoptr(GByteArray) offset_past = luks_new(2, 20000);

    magic->data[4] = 0;
    read_refused(magic, AAVM_IMAGE_LUKS, "signature");
    read_refused(version, AAVM_IMAGE_LUKS, "version 3");
    put_be32(payload, 104, 9);
    read_refused(payload, AAVM_IMAGE_LUKS, "payload offset 4608");
    put_be32(payload_small, 104, 1);
    read_refused(payload_small, AAVM_IMAGE_LUKS, "payload offset 512");
    read_refused(truncated, AAVM_IMAGE_LUKS, "ends before its LUKS1 header");
    put_be64(hdr_size, 8, 20000);
    read_refused(hdr_size, AAVM_IMAGE_LUKS, "header size 20000");
    put_be64(no_segment, 8, 16384);
    put_str(no_segment, 4096, "{\"keyslots\":{\"offset\":\"1\"}}");
    read_refused(no_segment, AAVM_IMAGE_LUKS, "no data segment offset");
    put_be64(offset_past, 8, 16384);
    put_str(offset_past, 4096, "{\"segments\":{\"0\":{\"offset\":\"30000\"}}}");
    read_refused(offset_past, AAVM_IMAGE_LUKS, "offset 30000");
}

/* ---- the rest ------------------------------------------------------------ */

static void
test_image_raw_and_unreadable_formats(void **state)
{
    (void)state;
    g_autoptr(GByteArray) b = qcow2_new(3);
    AavmImageReader r = aavm_image_reader_memory(b->data, b->len);
    g_autoptr(GError) error = NULL;

    /* Declared raw: a qcow2 header inside means nothing. */
    g_autoptr(AavmImageInfo) info = read_ok(b, AAVM_IMAGE_RAW);
    assert_true(info->virtual_size == QCOW2_SIZE);
    assert_null(info->backing);

    assert_null(aavm_image_read_header(&r, AAVM_IMAGE_NO_BACKING, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSUPPORTED));
    g_clear_error(&error);
    assert_null(aavm_image_read_header(&r, AAVM_IMAGE_UNKNOWN, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSUPPORTED));
}

static void
test_image_format_names(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        AavmImageFormat format;
    } cases[] = {
        { "raw", AAVM_IMAGE_RAW },         { "file", AAVM_IMAGE_RAW },
        { "host_device", AAVM_IMAGE_RAW }, { "qcow2", AAVM_IMAGE_QCOW2 },
        { "qed", AAVM_IMAGE_QED },         { "vmdk", AAVM_IMAGE_VMDK },
        { "luks", AAVM_IMAGE_LUKS },       { "iso", AAVM_IMAGE_NO_BACKING },
        { "vpc", AAVM_IMAGE_NO_BACKING },  { "vhdx", AAVM_IMAGE_NO_BACKING },
        { "qcow", AAVM_IMAGE_UNKNOWN },    { "QCOW2", AAVM_IMAGE_UNKNOWN },
        { "", AAVM_IMAGE_UNKNOWN },        { NULL, AAVM_IMAGE_UNKNOWN },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
        assert_int_equal(aavm_image_format_from_string(cases[i].name), cases[i].format);
    assert_string_equal(aavm_image_format_to_string(AAVM_IMAGE_QCOW2), "qcow2");
    assert_string_equal(aavm_image_format_to_string(AAVM_IMAGE_RAW), "raw");
}

static void
test_image_read_bounds(void **state)
{
    (void)state;
    guint8 data[16] = { 0 };
    guint8 out[16];
    AavmImageReader r = aavm_image_reader_memory(data, sizeof(data));
    g_autoptr(GError) error = NULL;

    assert_true(aavm_image_read(&r, 0, out, 16, "all", NULL));
    assert_true(aavm_image_read(&r, 16, out, 0, "nothing at the end", NULL));
    assert_false(aavm_image_read(&r, 8, out, 9, "one too many", &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_IMAGE));
    g_clear_error(&error);
    assert_false(aavm_image_read(&r, G_MAXUINT64, out, 2, "wrapping", &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_IMAGE));
}

static void
test_image_detect_header(void **state)
{
    (void)state;
    static const struct {
        const char *head;
        gsize len;
        const char *name;
    } cases[] = {
        { "QFI\xfb\0\0\0\x03", 8, "qcow2" },
        { "QFI\xfb\0\0\0\x01", 8, "qcow" },
        { "QED\0", 4, "qed" },
        { "KDMV", 4, "vmdk" },
        { "COWD", 4, "vmdk" },
        { "# Disk DescriptorFile\n", 22, "vmdk" },
        { "LUKS\xba\xbe\0\x02", 8, "luks" },
        { "conectix", 8, "vpc" },
        { "vhdxfile", 8, "vhdx" },
        { "WithoutFreeSpace", 16, "parallels" },
        { "Bochs Virtual HD Image", 22, "bochs" },
        { "#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0", 45, "cloop" },
        { "QFI", 3, NULL },
        { "hello, world", 12, NULL },
        { "", 0, NULL },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GByteArray) b = bytes_new(cases[i].len);
        const char *name = "unset";

        put(b, 0, cases[i].head, cases[i].len);
        AavmImageReader r = aavm_image_reader_memory(b->data, b->len);
        assert_true(aavm_image_detect_header(&r, &name, NULL));
        assert_string_equal(name ? name : "(none)", cases[i].name ? cases[i].name : "(none)");
    }

    g_autoptr(GByteArray) vdi = bytes_new(512);
    const char *name = NULL;
    put_le32(vdi, 64, 0xbeda107f);
    AavmImageReader r = aavm_image_reader_memory(vdi->data, vdi->len);
    assert_true(aavm_image_detect_header(&r, &name, NULL));
    assert_string_equal(name, "vdi");
}

static void
test_image_name_limits(void **state)
{
    (void)state;
    g_autofree char *long_name = g_strnfill(AAVM_IMAGE_NAME_MAX + 1, 'a');
    g_autofree char *desc = g_strdup_printf(DESC_HEAD "RW 1 FLAT \"%s\" 0\n", long_name);
    g_autoptr(GByteArray) extent = text_new(desc);
    g_autoptr(GByteArray) data_file = qcow2_new(3);
    g_autoptr(GByteArray) data_file_max = qcow2_new(3);

    /* Extent names are limited to QEMU's 511 bytes. */
    read_refused(extent, AAVM_IMAGE_VMDK, "longer than 511 bytes");

    /* Data file names to AAVM_IMAGE_NAME_MAX. */
    resize(data_file, 8192);
    put_be64(data_file, 72, 1 << 2);
    qcow2_ext(data_file, 104, 0x44415441, long_name, AAVM_IMAGE_NAME_MAX + 1);
    read_refused(data_file, AAVM_IMAGE_QCOW2, "4096 bytes long (at most 4095");

    resize(data_file_max, 8192);
    put_be64(data_file_max, 72, 1 << 2);
    qcow2_ext(data_file_max, 104, 0x44415441, long_name, AAVM_IMAGE_NAME_MAX);
    g_autoptr(AavmImageInfo) info = read_ok(data_file_max, AAVM_IMAGE_QCOW2);
    assert_int_equal(strlen(info->data_file), AAVM_IMAGE_NAME_MAX);
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_qcow2_v2_plain),
        cmocka_unit_test(test_image_qcow2_v3_backing_and_data_file),
        cmocka_unit_test(test_image_qcow2_data_file_rules),
        cmocka_unit_test(test_image_qcow2_small_details),
        cmocka_unit_test(test_image_qcow2_malformed_fixed_header),
        cmocka_unit_test(test_image_qcow2_malformed_backing_name),
        cmocka_unit_test(test_image_qcow2_malformed_extensions),
        cmocka_unit_test(test_image_qed_valid),
        cmocka_unit_test(test_image_qed_malformed),
        cmocka_unit_test(test_image_vmdk_sparse),
        cmocka_unit_test(test_image_vmdk_descriptor),
        cmocka_unit_test(test_image_vmdk_embedded_descriptor),
        cmocka_unit_test(test_image_vmdk_malformed),
        cmocka_unit_test(test_image_luks_valid),
        cmocka_unit_test(test_image_luks_malformed),
        cmocka_unit_test(test_image_raw_and_unreadable_formats),
        cmocka_unit_test(test_image_format_names),
        cmocka_unit_test(test_image_read_bounds),
        cmocka_unit_test(test_image_detect_header),
        cmocka_unit_test(test_image_name_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
