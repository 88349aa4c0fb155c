/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-generate.c: the whole pipeline in memory (helper/pipeline/generate.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "domain-parse.h"
#include "generate.h"
#include "render.h"
#include "template.h"
#include "testutil.h"

#define UUID "0f6a4d2c-3b1e-4c5d-9e8f-123456789abc"
#define NAME "libvirt-" UUID

#define QEMU_XML \
    "<domain type='kvm' id='3'>\n" \
    "  <name>vm1</name>\n" \
    "  <uuid>0F6A4D2C-3B1E-4C5D-9E8F-123456789ABC</uuid>\n" \
    "  <os><type arch='x86_64'>hvm</type>\n" \
    "    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>\n" \
    "    <nvram>/var/lib/libvirt/qemu/nvram/test_VARS.fd</nvram>\n" \
    "  </os>\n" \
    "  <devices>\n" \
    "    <disk type='file' device='disk'>\n" \
    "      <source file='/var/lib/libvirt/images/disk.qcow2'/><target dev='vda'/>\n" \
    "    </disk>\n" \
    "    <disk type='file' device='cdrom'>\n" \
    "      <source file='/srv/iso/my {odd}, image*.iso'/><target dev='hdc'/><readonly/>\n" \
    "    </disk>\n" \
    "    <serial type='pipe'><source path='/tmp/vm1-pipe'/></serial>\n" \
    "  </devices>\n" \
    "</domain>\n"

#define LXC_XML \
    "<domain type='lxc'>\n" \
    "  <name>ct1</name>\n" \
    "  <uuid>" UUID "</uuid>\n" \
    "  <os><type>exe</type><init>/sbin/init</init></os>\n" \
    "  <devices>\n" \
    "    <disk type='file'><source file='/var/lib/libvirt/images/disk.qcow2'/>\n" \
    "      <target dev='vda'/></disk>\n" \
    "    <console type='pty'/>\n" \
    "  </devices>\n" \
    "</domain>\n"

/* Exactly what the rules of QEMU_XML render to, sorted. */
#define QEMU_BODY \
    "  # tunnelled migration\n  \"/run/libvirt/**/*.tunnelmigrate.dest.vm1\" rw,\n" \
    "  # pid file\n  \"/run/libvirt/**/vm1.pid\" rwk,\n" \
    "  # disk hdc\n  \"/srv/iso/my \\{odd\\}\\, image\\*.iso\" rk,\n" \
    "  # serial0 (pipe .in)\n  \"/tmp/vm1-pipe.in\" rw,\n" \
    "  # serial0 (pipe .out)\n  \"/tmp/vm1-pipe.out\" rw,\n" \
    "  # loader\n  \"/usr/share/OVMF/OVMF_CODE.fd\" rk,\n" \
    "  # disk vda\n  \"/var/lib/libvirt/images/disk.qcow2\" rwk,\n" \
    "  # per-domain state directory\n  \"/var/lib/libvirt/qemu/domain-3-vm1/*\" rw,\n" \
    "  # monitor socket\n  \"/var/lib/libvirt/qemu/domain-vm1/monitor.sock\" rw,\n" \
    "  # nvram\n  \"/var/lib/libvirt/qemu/nvram/test_VARS.fd\" rwk,\n" \
    "  # log file\n  \"/var/log/libvirt/**/vm1.log\" w,\n"

typedef struct {
    AavmHost *host;
    AavmConfig *config;
    char *template_dir;
    char *tmpdir;
} Fixture;

static int
setup(void **state)
{
    g_autofree char *root = aavm_test_fakeroot();
    Fixture *fx = g_new0(Fixture, 1);

    fx->host = aavm_host_new(root, NULL);
    if (!fx->host) {
        g_free(fx);
        return -1;
    }
    fx->config = aavm_test_config();
    fx->template_dir = aavm_test_srcdir_path("../templates");
    fx->tmpdir = aavm_test_make_tmpdir();
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;

    aavm_test_rm_rf(fx->tmpdir);
    g_free(fx->tmpdir);
    g_free(fx->template_dir);
    aavm_host_free(fx->host);
    aavm_config_free(fx->config);
    g_free(fx);
    return 0;
}

static char *
template_with_name(const Fixture *fx, const char *driver)
{
    g_autofree char *base = g_strconcat("TEMPLATE.", driver, NULL);
    g_autofree char *path = g_build_filename(fx->template_dir, base, NULL);
    g_autofree char *text = aavm_test_read_file(path);

    assert_non_null(text);
    g_auto(GStrv) parts = g_strsplit(text, AAVM_TEMPLATE_PLACEHOLDER, -1);
    assert_int_equal(g_strv_length(parts), 2);
    return g_strjoinv(NAME, parts);
}

static gboolean
compile_text(const Fixture *fx, const char *text)
{
    g_autofree char *path = g_build_filename(fx->tmpdir, NAME, NULL);
    g_autofree char *output = NULL;

    assert_true(g_file_set_contents(path, text, -1, NULL));
    if (!aavm_test_compile_profile(path, &output)) {
        print_error("apparmor_parser said:\n%s\nprofile:\n%s\n", output ? output : "", text);
        return FALSE;
    }
    return TRUE;
}

static void
test_generate_files_text(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *files = aavm_generate_files(fx->config, fx->host, QEMU_XML,
                                                 strlen(QEMU_XML), NULL, &error);

    assert_null(error);
    assert_non_null(files);
    assert_true(g_str_has_prefix(files, AAVM_FILES_HEADER));
    assert_string_equal(files, AAVM_FILES_HEADER AAVM_FILES_VM_PREFIX "vm1\n" QEMU_BODY);
}

static void
test_generate_files_refuses_bad_input(void **state)
{
    Fixture *fx = *state;
    const char *evil = "<domain type='kvm'><name>vm1</name><uuid>" UUID "</uuid>"
                       "<os><type>hvm</type></os><devices>"
                       "<disk type='file'><source file='/var/lib/libvirt/images/evil.img'/>"
                       "<target dev='vda'/></disk></devices></domain>";
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) xml_error = NULL;
    g_autofree char *files = aavm_generate_files(fx->config, fx->host, evil, strlen(evil), NULL,
                                                 &error);
    g_autofree char *broken = aavm_generate_files(fx->config, fx->host, "<domain", 7, NULL,
                                                  &xml_error);

    assert_null(files);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_null(broken);
    assert_true(g_error_matches(xml_error, AAVM_ERROR, AAVM_ERROR_INVALID_XML));
}

static void
test_generate_qemu_profile(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *profile = aavm_generate_profile(fx->config, fx->host, QEMU_XML,
                                                     strlen(QEMU_XML), fx->template_dir, NULL,
                                                     &error);
    g_autofree char *named = template_with_name(fx, "qemu");

    assert_null(error);
    assert_non_null(profile);
    assert_null(strstr(profile, AAVM_TEMPLATE_PLACEHOLDER));
    assert_non_null(strstr(profile, "profile " NAME " flags=(attach_disconnected) {\n"));
    /* The rules sit just before the profile's closing brace, and nothing
     * includes the .files. */
    assert_true(g_str_has_suffix(profile, "  # The rules of " NAME ".files:\n" QEMU_BODY "}\n"));
    assert_null(strstr(profile, "include if exists"));
    assert_null(strstr(profile, "DO NOT EDIT"));

    /* Removing the inserted block gives back the named template. */
    g_autofree char *without = g_strdup(profile);
    char *block = strstr(without, "  # The rules of ");
    assert_non_null(block);
    memmove(block, block + strlen("  # The rules of " NAME ".files:\n" QEMU_BODY),
            strlen(block + strlen("  # The rules of " NAME ".files:\n" QEMU_BODY)) + 1);
    assert_string_equal(without, named);
}

static void
test_generate_lxc_profile_has_no_rules(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *profile = aavm_generate_profile(fx->config, fx->host, LXC_XML,
                                                     strlen(LXC_XML), fx->template_dir, NULL,
                                                     &error);
    g_autofree char *named = template_with_name(fx, "lxc");

    assert_null(error);
    assert_non_null(profile);
    assert_string_equal(profile, named);
    assert_null(strstr(profile, "disk.qcow2"));
    assert_null(strstr(profile, "The rules of"));
}

static void
test_generate_missing_template(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) lxc_error = NULL;
    g_autoptr(GError) xen_error = NULL;
    const char *xen = "<domain type='xen'><name>x</name><uuid>" UUID "</uuid>"
                      "<os><type>hvm</type></os></domain>";
    /* An empty directory: no template at all. */
    g_autofree char *profile = aavm_generate_profile(fx->config, fx->host, QEMU_XML,
                                                     strlen(QEMU_XML), fx->tmpdir, NULL, &error);
    g_autofree char *lxc = aavm_generate_profile(fx->config, fx->host, LXC_XML,
                                                 strlen(LXC_XML), fx->tmpdir, NULL, &lxc_error);
    /* The shipped directory has no TEMPLATE.xen. */
    g_autofree char *xen_profile = aavm_generate_profile(fx->config, fx->host, xen,
                                                         strlen(xen), fx->template_dir, NULL,
                                                         &xen_error);

    assert_null(profile);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TEMPLATE));
    assert_non_null(strstr(error->message, "TEMPLATE.qemu"));
    assert_null(lxc);
    assert_true(g_error_matches(lxc_error, AAVM_ERROR, AAVM_ERROR_TEMPLATE));
    assert_null(xen_profile);
    assert_true(g_error_matches(xen_error, AAVM_ERROR, AAVM_ERROR_TEMPLATE));
    assert_non_null(strstr(xen_error->message, "TEMPLATE.xen"));
}

static void
test_generate_malformed_template(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_build_filename(fx->tmpdir, "TEMPLATE.qemu", NULL);

    assert_true(g_file_set_contents(path, "profile other {\n}\n", -1, NULL));
    g_autofree char *profile = aavm_generate_profile(fx->config, fx->host, QEMU_XML,
                                                     strlen(QEMU_XML), fx->tmpdir, NULL, &error);

    assert_null(profile);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TEMPLATE));
    assert_non_null(strstr(error->message, path));
}

static void
test_generate_qemu_profile_compiles(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *profile = aavm_generate_profile(fx->config, fx->host, QEMU_XML,
                                                     strlen(QEMU_XML), fx->template_dir, NULL,
                                                     &error);

    assert_null(error);
    assert_non_null(profile);
    assert_true(compile_text(fx, profile));
}

static void
test_generate_lxc_profile_compiles(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *profile = aavm_generate_profile(fx->config, fx->host, LXC_XML,
                                                     strlen(LXC_XML), fx->template_dir, NULL,
                                                     &error);

    assert_null(error);
    assert_non_null(profile);
    assert_true(compile_text(fx, profile));
}

int
main(void)
{
    aavm_test_init();

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_generate_files_text),
        T(test_generate_files_refuses_bad_input),
        T(test_generate_qemu_profile),
        T(test_generate_lxc_profile_has_no_rules),
        T(test_generate_missing_template),
        T(test_generate_malformed_template),
        T(test_generate_qemu_profile_compiles),
        T(test_generate_lxc_profile_compiles),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
