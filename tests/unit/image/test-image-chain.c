/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-image-chain.c: backing chains followed through real image headers.
 *
 * Images are made at test time with qemu-img inside a private host root;
 * backing names are written with -u (qemu-img does not open them), so
 * absolute names are host-absolute inside that root.  Without qemu-img the
 * tests are skipped, unless AAVM_REQUIRE_QEMU_IMG=1 makes that a failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "aavm-error.h"
#include "generate.h"
#include "image-chain.h"
#include "rules.h"
#include "testutil.h"

#define IMAGES "/var/lib/libvirt/images"

typedef struct {
    char *root; /* the host root */
    AavmTestFixture fx;
} Fixture;

static gboolean
have_qemu_img(void)
{
    g_autofree char *path = g_find_program_in_path("qemu-img");

    if (path)
        return TRUE;
    if (g_strcmp0(g_getenv("AAVM_REQUIRE_QEMU_IMG"), "1") == 0)
        fail_msg("qemu-img is required (AAVM_REQUIRE_QEMU_IMG=1) but not installed");
    return FALSE;
}

static int
setup(void **state)
{
    Fixture *fx = g_new0(Fixture, 1);
    g_autofree char *images = NULL;

    fx->root = aavm_test_make_tmpdir();
    images = g_build_filename(fx->root, IMAGES, NULL);
    g_mkdir_with_parents(images, 0755);
    fx->fx.host = aavm_host_new(fx->root, NULL);
    fx->fx.config = aavm_test_config();
    *state = fx;
    return fx->fx.host ? 0 : -1;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;

    aavm_test_rm_rf(fx->root);
    g_free(fx->root);
    aavm_host_free(fx->fx.host);
    aavm_config_free(fx->fx.config);
    g_free(fx);
    return 0;
}

/* Run "qemu-img create -q <args>" in the images directory (where relative
 * data file names are created); @args is split at spaces, and a word
 * starting with '@' is a host path inside the root. */
static void
qemu_img(const Fixture *fx, const char *args_format, ...) G_GNUC_PRINTF(2, 3);

static void
qemu_img(const Fixture *fx, const char *args_format, ...)
{
    va_list ap;
    g_autofree char *args = NULL;
    g_auto(GStrv) words = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *err = NULL;
    g_autofree char *cwd = g_strconcat(fx->root, IMAGES, NULL);
    int status = 0;

    va_start(ap, args_format);
    args = g_strdup_vprintf(args_format, ap);
    va_end(ap);
    words = g_strsplit(args, " ", -1);
    g_ptr_array_add(argv, g_strdup("qemu-img"));
    g_ptr_array_add(argv, g_strdup("create"));
    g_ptr_array_add(argv, g_strdup("-q"));
    for (char **w = words; *w; w++)
        g_ptr_array_add(argv, (*w)[0] == '@' ? g_strconcat(fx->root, *w + 1, NULL) : g_strdup(*w));
    g_ptr_array_add(argv, NULL);
    assert_true(g_spawn_sync(cwd, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                             NULL, &err, &status, NULL));
    if (!g_spawn_check_exit_status(status, NULL))
        fail_msg("qemu-img create %s failed: %s", args, err);
}

/* A file at the host path @path inside the root holding @len bytes of @data. */
static void
write_file(const Fixture *fx, const char *path, const void *data, gsize len)
{
    g_autofree char *full = g_strconcat(fx->root, path, NULL);

    assert_true(g_file_set_contents(full, data, (gssize)len, NULL));
}

/* Replace the first @from in the host file @path by @to of the same length. */
static void
patch_file(const Fixture *fx, const char *path, const char *from, const char *to)
{
    g_autofree char *full = g_strconcat(fx->root, path, NULL);
    g_autofree char *data = NULL;
    gsize len = 0;
    char *at;

    assert_int_equal(strlen(from), strlen(to));
    assert_true(g_file_get_contents(full, &data, &len, NULL));
    at = memmem(data, len, from, strlen(from));
    assert_non_null(at);
    memcpy(at, to, strlen(to));
    assert_true(g_file_set_contents(full, data, (gssize)len, NULL));
}

static char *
disk_xml(const char *format, const char *file, const char *extra)
{
    g_autofree char *driver = format ? g_strdup_printf("<driver name='qemu' type='%s'/>", format)
                                     : g_strdup("<driver name='qemu'/>");
    g_autofree char *devices =
        g_strdup_printf("<disk type='file' device='disk'>%s<source file='%s'/>"
                        "<target dev='vda' bus='virtio'/>%s</disk>",
                        driver, file, extra ? extra : "");

    return aavm_test_domain_xml("kvm", NULL, NULL, devices);
}

static AavmAccessList *
build_ok(const Fixture *fx, const char *format, const char *file)
{
    g_autofree char *xml = disk_xml(format, file, NULL);

    return aavm_test_build_xml_ok(&fx->fx, xml);
}

static void
refused(const Fixture *fx, const char *format, const char *file, AavmError code,
        const char *part)
{
    g_autofree char *xml = disk_xml(format, file, NULL);

    aavm_test_assert_refused_xml(&fx->fx, xml, code, part);
}

/* The whole profile of @xml compiles with the real parser. */
static void
assert_profile_compiles(const Fixture *fx, const char *xml)
{
    g_autofree char *templates = aavm_test_srcdir_path("../templates");
    g_autoptr(GError) error = NULL;
    g_autofree char *profile = aavm_generate_profile(fx->fx.config, fx->fx.host, xml, strlen(xml),
                                                     templates, NULL, &error);
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autofree char *output = NULL;
    gboolean ok;

    if (!profile)
        fail_msg("generate failed: %s", error->message);
    if (!aavm_test_parser())
        return;
    dir = aavm_test_make_tmpdir();
    path = g_build_filename(dir, "libvirt-" AAVM_TEST_UUID, NULL);
    assert_true(g_file_set_contents(path, profile, -1, NULL));
    ok = aavm_test_compile_profile(path, &output);
    aavm_test_rm_rf(dir);
    if (!ok)
        fail_msg("apparmor_parser said:\n%s", output ? output : "");
}

#define NEED_QEMU_IMG()      \
    do {                     \
        if (!have_qemu_img()) \
            skip();          \
    } while (0)

static void
test_image_chain_depth_one(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    qemu_img(fx, "-f raw @" IMAGES "/base.raw 1M");
    qemu_img(fx, "-f qcow2 -u -F raw -b " IMAGES "/base.raw @" IMAGES "/top.qcow2 1M");
    g_autoptr(AavmAccessList) list = build_ok(fx, "qcow2", IMAGES "/top.qcow2");

    assert_int_equal(aavm_test_count_paths(list), 2);
    aavm_test_assert_entry(list, IMAGES "/top.qcow2", AAVM_MATCH_EXACT, "rwk", "disk vda");
    aavm_test_assert_entry(list, IMAGES "/base.raw", AAVM_MATCH_EXACT, "rk",
                           "disk vda backing layer 1 (named in " IMAGES "/top.qcow2)");
    assert_int_equal(list->warnings->len, 0);

    g_autofree char *xml = disk_xml("qcow2", IMAGES "/top.qcow2", NULL);
    assert_profile_compiles(fx, xml);
}

static void
test_image_chain_readonly_top(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    qemu_img(fx, "-f qcow2 @" IMAGES "/base.qcow2 1M");
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b base.qcow2 @" IMAGES "/top.qcow2 1M");
    g_autofree char *xml = disk_xml("qcow2", IMAGES "/top.qcow2", "<readonly/>");
    g_autoptr(AavmAccessList) list = aavm_test_build_xml_ok(&fx->fx, xml);

    assert_true(aavm_test_has_rule(list, IMAGES "/top.qcow2", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_rule(list, IMAGES "/base.qcow2", AAVM_MATCH_EXACT, "rk"));
}

/* img0.raw <- img1.qcow2 <- ... <- img201.qcow2, relative names. */
static void
make_long_chain(const Fixture *fx, guint n)
{
    qemu_img(fx, "-f raw @" IMAGES "/img0.raw 1M");
    qemu_img(fx, "-f qcow2 -u -F raw -b img0.raw @" IMAGES "/img1.qcow2 1M");
    for (guint i = 2; i <= n; i++)
        qemu_img(fx, "-f qcow2 -u -F qcow2 -b img%u.qcow2 @" IMAGES "/img%u.qcow2 1M", i - 1, i);
}

static void
test_image_chain_depth_limit(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    make_long_chain(fx, 201);

    /* 200 layers below the top: accepted, every layer read-only. */
    g_autoptr(AavmAccessList) list = build_ok(fx, "qcow2", IMAGES "/img200.qcow2");
    assert_int_equal(aavm_test_count_paths(list), 201);
    assert_true(aavm_test_has_rule(list, IMAGES "/img200.qcow2", AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(list, IMAGES "/img199.qcow2", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_rule(list, IMAGES "/img0.raw", AAVM_MATCH_EXACT, "rk"));
    aavm_test_assert_entry(list, IMAGES "/img0.raw", AAVM_MATCH_EXACT, "rk",
                           "disk vda backing layer 200 (named in " IMAGES "/img1.qcow2)");

    g_autoptr(AavmAccessList) ten = build_ok(fx, "qcow2", IMAGES "/img10.qcow2");
    assert_int_equal(aavm_test_count_paths(ten), 11);

    /* 201: over libvirt's limit. */
    refused(fx, "qcow2", IMAGES "/img201.qcow2", AAVM_ERROR_BACKING_CHAIN,
            "Refusing disk vda: its backing chain has more layers than the limit of 200.");

    /* The limit is a setting. */
    fx->fx.config->max_backing_depth = 9;
    refused(fx, "qcow2", IMAGES "/img10.qcow2", AAVM_ERROR_BACKING_CHAIN, "limit of 9");
    g_autoptr(AavmAccessList) nine = build_ok(fx, "qcow2", IMAGES "/img9.qcow2");
    assert_int_equal(aavm_test_count_paths(nine), 10);

    /* And it holds for chains the XML gives too. */
    fx->fx.config->max_backing_depth = 1;
    g_autofree char *xml = disk_xml(
        "qcow2", IMAGES "/img3.qcow2",
        "<backingStore type='file'><format type='qcow2'/><source file='" IMAGES "/img2.qcow2'/>"
        "<backingStore type='file'><format type='qcow2'/><source file='" IMAGES "/img1.qcow2'/>"
        "<backingStore/></backingStore></backingStore>");
    aavm_test_assert_refused_xml(&fx->fx, xml, AAVM_ERROR_BACKING_CHAIN, "limit of 1");
}

static void
test_image_chain_loops(void **state)
{
    Fixture *fx = *state;
    g_autofree char *link = g_strconcat(fx->root, IMAGES "/link.qcow2", NULL);

    NEED_QEMU_IMG();
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b self.qcow2 @" IMAGES "/self.qcow2 1M");
    refused(fx, "qcow2", IMAGES "/self.qcow2", AAVM_ERROR_BACKING_CHAIN,
            "Refusing disk vda backing layer 1 (" IMAGES "/self.qcow2): it is the disk's own "
            "image again, so the backing chain loops.");

    qemu_img(fx, "-f qcow2 -u -F qcow2 -b " IMAGES "/b.qcow2 @" IMAGES "/a.qcow2 1M");
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b c.qcow2 @" IMAGES "/b.qcow2 1M");
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b b.qcow2 @" IMAGES "/c.qcow2 1M");
    refused(fx, "qcow2", IMAGES "/a.qcow2", AAVM_ERROR_BACKING_CHAIN,
            "backing layer 3 (" IMAGES "/b.qcow2): it is backing layer 1 again");

    /* The same image under another name, and as raw (never opened). */
    qemu_img(fx, "-f qcow2 -u -F raw -b link.qcow2 @" IMAGES "/viaraw.qcow2 1M");
    assert_int_equal(symlink("viaraw.qcow2", link), 0);
    refused(fx, "qcow2", IMAGES "/viaraw.qcow2", AAVM_ERROR_BACKING_CHAIN,
            "it is the disk's own image again");
}

static void
test_image_chain_mixed_formats(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    qemu_img(fx, "-f vmdk -o subformat=twoGbMaxExtentFlat @" IMAGES "/base.vmdk 1M");
    qemu_img(fx, "-f vmdk -u -F vmdk -b base.vmdk @" IMAGES "/mid.vmdk 1M");
    qemu_img(fx, "-f qcow2 -u -F vmdk -b mid.vmdk @" IMAGES "/top.qcow2 1M");
    g_autoptr(AavmAccessList) list = build_ok(fx, "qcow2", IMAGES "/top.qcow2");

    assert_int_equal(aavm_test_count_paths(list), 4);
    assert_true(aavm_test_has_rule(list, IMAGES "/top.qcow2", AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(list, IMAGES "/mid.vmdk", AAVM_MATCH_EXACT, "rk"));
    aavm_test_assert_entry(list, IMAGES "/base.vmdk", AAVM_MATCH_EXACT, "rk",
                           "disk vda backing layer 2 (named in " IMAGES "/mid.vmdk)");
    aavm_test_assert_entry(list, IMAGES "/base-f001.vmdk", AAVM_MATCH_EXACT, "rk",
                           "disk vda backing layer 2 (named in " IMAGES "/mid.vmdk)");

    /* QED records no format for its backing file: granted as raw, not read. */
    qemu_img(fx, "-f qed -u -F qcow2 -b top.qcow2 @" IMAGES "/over.qed 1M");
    g_autoptr(AavmAccessList) qed = build_ok(fx, "qed", IMAGES "/over.qed");
    assert_int_equal(aavm_test_count_paths(qed), 2);
    assert_true(aavm_test_has_rule(qed, IMAGES "/top.qcow2", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_warning_all(qed->warnings, "backing layer 1",
                                          "does not record its format", NULL));

    g_autofree char *xml = disk_xml("qcow2", IMAGES "/top.qcow2", NULL);
    assert_profile_compiles(fx, xml);
}

static void
test_image_chain_data_files_and_extents(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    qemu_img(fx, "-f qcow2 -o data_file=base.data @" IMAGES "/base.qcow2 1M");
    qemu_img(fx, "-f qcow2 -o data_file=top.data -u -F qcow2 -b base.qcow2 @" IMAGES
                 "/top.qcow2 1M");
    g_autoptr(AavmAccessList) list = build_ok(fx, "qcow2", IMAGES "/top.qcow2");

    assert_int_equal(aavm_test_count_paths(list), 4);
    aavm_test_assert_entry(list, IMAGES "/top.data", AAVM_MATCH_EXACT, "rwk", "disk vda");
    aavm_test_assert_entry(list, IMAGES "/base.data", AAVM_MATCH_EXACT, "rk",
                           "disk vda backing layer 1 (named in " IMAGES "/top.qcow2)");

    /* A flat vmdk as the disk itself: its extent is written too. */
    qemu_img(fx, "-f vmdk -o subformat=twoGbMaxExtentFlat @" IMAGES "/flat.vmdk 1M");
    g_autoptr(AavmAccessList) flat = build_ok(fx, "vmdk", IMAGES "/flat.vmdk");
    assert_true(aavm_test_has_rule(flat, IMAGES "/flat-f001.vmdk", AAVM_MATCH_EXACT, "rwk"));

    /* An absolute data file name. */
    qemu_img(fx, "-f qcow2 -o data_file=abs.data @" IMAGES "/abs.qcow2 1M");
    patch_file(fx, IMAGES "/abs.qcow2", "abs.data", "/srv/x.d");
    g_autoptr(AavmAccessList) abs = build_ok(fx, "qcow2", IMAGES "/abs.qcow2");
    assert_true(aavm_test_has_rule(abs, "/srv/x.d", AAVM_MATCH_EXACT, "rwk"));
}

static void
test_image_chain_relative_names(void **state)
{
    Fixture *fx = *state;
    g_autofree char *other = g_strconcat(fx->root, "/srv/other", NULL);
    g_autofree char *sub = g_strconcat(fx->root, IMAGES "/sub", NULL);
    g_autofree char *link = g_strconcat(fx->root, IMAGES "/top-link.qcow2", NULL);

    NEED_QEMU_IMG();
    g_mkdir_with_parents(other, 0755);
    g_mkdir_with_parents(sub, 0755);
    qemu_img(fx, "-f qcow2 @" IMAGES "/sub/base.qcow2 1M");
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b sub/base.qcow2 @" IMAGES "/top.qcow2 1M");
    g_autoptr(AavmAccessList) list = build_ok(fx, "qcow2", IMAGES "/top.qcow2");
    assert_true(aavm_test_has_rule(list, IMAGES "/sub/base.qcow2", AAVM_MATCH_EXACT, "rk"));

    /* Relative to the directory of the name QEMU is given (a symbolic link
     * here), as QEMU and libvirt resolve it; the rule names the target. */
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b base.qcow2 @/srv/other/top.qcow2 1M");
    assert_int_equal(symlink("../../../../srv/other/top.qcow2", link), 0);
    g_autoptr(AavmAccessList) linked = build_ok(fx, "qcow2", IMAGES "/top-link.qcow2");
    assert_true(aavm_test_has_rule(linked, "/srv/other/top.qcow2", AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(linked, IMAGES "/base.qcow2", AAVM_MATCH_EXACT, "rk"));
    assert_false(aavm_test_has_path_part(linked, "/srv/other/base.qcow2"));

    /* ".." in a name that does not exist cannot be resolved safely. */
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b nowhere/../../../etc/shadow @" IMAGES "/dots.qcow2 1M");
    refused(fx, "qcow2", IMAGES "/dots.qcow2", AAVM_ERROR_UNSAFE_PATH, "..");
}

static void
test_image_chain_hostile_backing(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    qemu_img(fx, "-f qcow2 -u -F raw -b /etc/shadow @" IMAGES "/evil.img 1M");

    /* Declared raw (or with no format): never opened, so nothing of the
     * header reaches the rules. */
    g_autoptr(AavmAccessList) raw = build_ok(fx, "raw", IMAGES "/evil.img");
    assert_int_equal(aavm_test_count_paths(raw), 1);
    assert_false(aavm_test_has_path_part(raw, "shadow"));
    assert_int_equal(raw->warnings->len, 0);
    g_autoptr(AavmAccessList) none = build_ok(fx, NULL, IMAGES "/evil.img");
    assert_int_equal(aavm_test_count_paths(none), 1);

    /* Declared qcow2: the layer hits the path policy and fails the domain,
     * naming the disk and the layer. */
    refused(fx, "qcow2", IMAGES "/evil.img", AAVM_ERROR_UNSAFE_PATH,
            "Refusing disk vda backing layer 1 (named in " IMAGES "/evil.img): The path "
            "'/etc/shadow' is under the restricted directory '/etc'");

    /* The XML's own chain wins: an empty <backingStore/> means none. */
    g_autofree char *xml = disk_xml("qcow2", IMAGES "/evil.img", "<backingStore/>");
    g_autoptr(AavmAccessList) given = aavm_test_build_xml_ok(&fx->fx, xml);
    assert_int_equal(aavm_test_count_paths(given), 1);

    /* A data file pointing at the host is refused the same way.  (Never let
     * qemu-img create a data file outside the test root: the name is
     * patched into the header afterwards.) */
    qemu_img(fx, "-f qcow2 -o data_file=AAAAAAAAAAA @" IMAGES "/evil-data.qcow2 1M");
    patch_file(fx, IMAGES "/evil-data.qcow2", "AAAAAAAAAAA", "/etc/passwd");
    refused(fx, "qcow2", IMAGES "/evil-data.qcow2", AAVM_ERROR_UNSAFE_PATH, "/etc/passwd");
}

static void
test_image_chain_network_and_missing(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    qemu_img(fx, "-f qcow2 -u -F raw -b nbd://192.0.2.1:10809/export @" IMAGES "/nbd.qcow2 1M");
    g_autoptr(AavmAccessList) nbd = build_ok(fx, "qcow2", IMAGES "/nbd.qcow2");
    assert_int_equal(aavm_test_count_paths(nbd), 1);
    assert_int_equal(nbd->warnings->len, 0);

    qemu_img(fx, "-f qcow2 -u -F raw -b json:{\"driver\":\"file\",\"filename\":\"/etc/shadow\"} @"
                 IMAGES "/json.qcow2 1M");
    g_autoptr(AavmAccessList) json = build_ok(fx, "qcow2", IMAGES "/json.qcow2");
    assert_int_equal(aavm_test_count_paths(json), 1);
    assert_false(aavm_test_has_path_part(json, "shadow"));
    assert_true(aavm_test_has_warning(json->warnings, "'json:' description"));

    qemu_img(fx, "-f qcow2 -u -F qcow2 -b missing.qcow2 @" IMAGES "/orphan.qcow2 1M");
    g_autoptr(AavmAccessList) orphan = build_ok(fx, "qcow2", IMAGES "/orphan.qcow2");
    assert_true(aavm_test_has_rule(orphan, IMAGES "/missing.qcow2", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_warning_all(orphan->warnings, "backing layer 1",
                                          "missing.qcow2", "does not exist", NULL));

    /* A missing disk image is not read and not warned about here. */
    g_autoptr(AavmAccessList) absent = build_ok(fx, "qcow2", IMAGES "/absent.qcow2");
    assert_int_equal(absent->warnings->len, 0);
}

static void
test_image_chain_formats_not_read(void **state)
{
    Fixture *fx = *state;

    NEED_QEMU_IMG();
    /* A format without backing files ends the chain quietly. */
    qemu_img(fx, "-f vpc @" IMAGES "/base.vhd 1M");
    qemu_img(fx, "-f qcow2 -u -F vpc -b base.vhd @" IMAGES "/top.qcow2 1M");
    g_autoptr(AavmAccessList) vpc = build_ok(fx, "qcow2", IMAGES "/top.qcow2");
    assert_true(aavm_test_has_rule(vpc, IMAGES "/base.vhd", AAVM_MATCH_EXACT, "rk"));
    assert_int_equal(vpc->warnings->len, 0);

    /* A format aavm cannot read is said so, and nothing is guessed. */
    qemu_img(fx, "-f qcow @" IMAGES "/old.qcow 1M");
    qemu_img(fx, "-f qcow2 -u -F qcow -b old.qcow @" IMAGES "/over-old.qcow2 1M");
    g_autoptr(AavmAccessList) old = build_ok(fx, "qcow2", IMAGES "/over-old.qcow2");
    assert_true(aavm_test_has_rule(old, IMAGES "/old.qcow", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_warning_all(old->warnings, "backing layer 1",
                                          "does not read images of format 'qcow'", NULL));
    g_autoptr(AavmAccessList) top_old = build_ok(fx, "qcow", IMAGES "/old.qcow");
    assert_true(aavm_test_has_warning(top_old->warnings, "format 'qcow'"));
}

static void
test_image_chain_bad_headers(void **state)
{
    Fixture *fx = *state;
    g_autofree char *fifo = g_strconcat(fx->root, IMAGES "/fifo.qcow2", NULL);
    g_autofree char *header = NULL;
    gsize len = 0;
    g_autofree char *top_full = g_strconcat(fx->root, IMAGES "/top.qcow2", NULL);

    NEED_QEMU_IMG();
    /* The recorded backing format does not match the backing file. */
    qemu_img(fx, "-f raw @" IMAGES "/plain.raw 1M");
    qemu_img(fx, "-f qcow2 -u -F qcow2 -b plain.raw @" IMAGES "/top.qcow2 1M");
    refused(fx, "qcow2", IMAGES "/top.qcow2", AAVM_ERROR_INVALID_IMAGE,
            "Refusing disk vda backing layer 1 (" IMAGES "/plain.raw): The qcow2 header is not "
            "valid: the image does not start with the qcow2 signature.");

    /* A truncated header on disk. */
    assert_true(g_file_get_contents(top_full, &header, &len, NULL));
    write_file(fx, IMAGES "/cut.qcow2", header, 50);
    refused(fx, "qcow2", IMAGES "/cut.qcow2", AAVM_ERROR_INVALID_IMAGE, "ends before");

    /* Not a regular file: refused, and the FIFO does not hang the reader.
     * Declared raw, the same FIFO is not opened at all. */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    refused(fx, "qcow2", IMAGES "/fifo.qcow2", AAVM_ERROR_INVALID_IMAGE,
            "neither a regular file nor a block device");
    g_autoptr(AavmAccessList) raw = build_ok(fx, "raw", IMAGES "/fifo.qcow2");
    assert_true(aavm_test_has_rule(raw, IMAGES "/fifo.qcow2", AAVM_MATCH_EXACT, "rwk"));
}

static void
test_image_chain_resolve_name(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const char *path;
        const char *protocol;
    } cases[] = {
        { "base.qcow2", "/images/dir/base.qcow2", NULL },
        { "../b/base.qcow2", "/images/dir/../b/base.qcow2", NULL },
        { "/abs/base.qcow2", "/abs/base.qcow2", NULL },
        { "/abs/with:colon", "/abs/with:colon", NULL },
        { "file:/etc/shadow", "/etc/shadow", NULL },
        { "file:rel:name", "/images/dir/rel:name", NULL },
        { "host_device:/dev/sda", "/dev/sda", NULL },
        { "nbd://host/export", NULL, "nbd" },
        { "nbd:unix:/tmp/sock", NULL, "nbd" },
        { "rbd:pool/image", NULL, "rbd" },
        { "json:{\"file\":{\"filename\":\"/x\"}}", NULL, "json" },
        { "weird:name", NULL, "weird" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *protocol = NULL;
        g_autofree char *path =
            aavm_image_resolve_name(cases[i].name, "/images/dir/top.qcow2", &protocol);

        assert_string_equal(path ? path : "(null)", cases[i].path ? cases[i].path : "(null)");
        assert_string_equal(protocol ? protocol : "(null)",
                            cases[i].protocol ? cases[i].protocol : "(null)");
    }
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        T(test_image_chain_depth_one),
        T(test_image_chain_readonly_top),
        T(test_image_chain_depth_limit),
        T(test_image_chain_loops),
        T(test_image_chain_mixed_formats),
        T(test_image_chain_data_files_and_extents),
        T(test_image_chain_relative_names),
        T(test_image_chain_hostile_backing),
        T(test_image_chain_network_and_missing),
        T(test_image_chain_formats_not_read),
        T(test_image_chain_bad_headers),
        cmocka_unit_test(test_image_chain_resolve_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
