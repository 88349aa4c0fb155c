/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-vm-profile.c: the per-VM profile operations (helper/pipeline/vm-profile.h),
 * with a stub apparmor_parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "aavm-error.h"
#include "render.h"
#include "template.h"
#include "testutil.h"
#include "vm-profile.h"

#define UUID "0f6a4d2c-3b1e-4c5d-9e8f-123456789abc"
#define NAME "libvirt-" UUID
#define OTHER_NAME "libvirt-11111111-2222-3333-4444-555555555555"

#define DISK_RULE "  # disk vda\n  \"/var/lib/libvirt/images/disk.qcow2\" rwk,\n"
#define ISO_RULE "  # disk hdc\n  \"/var/lib/libvirt/images/readonly.iso\" rk,\n"

/* The domain up to and with its disk vda, and the end: QEMU_XML is the
 * two; the others put more devices between. */
#define QEMU_XML_HEAD \
    "<domain type='kvm'>\n" \
    "  <name>vm1</name>\n" \
    "  <uuid>" UUID "</uuid>\n" \
    "  <os><type>hvm</type></os>\n" \
    "  <devices>\n" \
    "    <disk type='file' device='disk'>\n" \
    "      <source file='/var/lib/libvirt/images/disk.qcow2'/><target dev='vda'/>\n" \
    "    </disk>\n"
#define QEMU_XML_CDROM \
    "    <disk type='file' device='cdrom'>\n" \
    "      <source file='/var/lib/libvirt/images/readonly.iso'/><target dev='hdc'/>\n" \
    "      <readonly/>\n" \
    "    </disk>\n"
#define QEMU_XML_TAIL \
    "  </devices>\n" \
    "</domain>\n"
#define QEMU_XML QEMU_XML_HEAD QEMU_XML_TAIL

/* QEMU_XML plus a cdrom. */
#define QEMU_XML_2 QEMU_XML_HEAD QEMU_XML_CDROM QEMU_XML_TAIL

#define LXC_XML \
    "<domain type='lxc'>\n" \
    "  <name>ct1</name>\n" \
    "  <uuid>" UUID "</uuid>\n" \
    "  <os><type>exe</type><init>/sbin/init</init></os>\n" \
    "  <devices>\n" \
    "    <disk type='file'><source file='/var/lib/libvirt/images/disk.qcow2'/>\n" \
    "      <target dev='vda'/></disk>\n" \
    "  </devices>\n" \
    "</domain>\n"

typedef struct {
    char *dir;          /* the temporary directory */
    char *profile_dir;  /* <dir>/libvirt: templates, profiles, .files */
    char *parser;       /* <dir>/parser-stub */
    char *parser_log;   /* <dir>/parser.log: one line of arguments per run */
    char *status_file;  /* <dir>/parser.status: the stub's exit status */
    char *profile_path; /* <profile_dir>/NAME */
    char *files_path;   /* <profile_dir>/NAME.files */
    AavmConfig *config;
    AavmHost *host;
    AavmOutcome outcome;
} Fixture;

static void
set_parser_status(const Fixture *fx, int status)
{
    g_autofree char *text = g_strdup_printf("%d\n", status);

    assert_true(g_file_set_contents(fx->status_file, text, -1, NULL));
}

static void
copy_template(const Fixture *fx, const char *driver)
{
    g_autofree char *base = g_strconcat("TEMPLATE.", driver, NULL);
    g_autofree char *rel = g_strconcat("../templates/", base, NULL);
    g_autofree char *src = aavm_test_srcdir_path(rel);
    g_autofree char *dst = g_build_filename(fx->profile_dir, base, NULL);
    g_autofree char *text = aavm_test_read_file(src);

    assert_non_null(text);
    assert_true(g_file_set_contents(dst, text, -1, NULL));
}

static int
setup(void **state)
{
    g_autofree char *root = aavm_test_fakeroot();
    Fixture *fx = g_new0(Fixture, 1);

    fx->dir = aavm_test_make_tmpdir();
    fx->profile_dir = g_build_filename(fx->dir, "libvirt", NULL);
    fx->parser = g_build_filename(fx->dir, "parser-stub", NULL);
    fx->parser_log = g_build_filename(fx->dir, "parser.log", NULL);
    fx->status_file = g_build_filename(fx->dir, "parser.status", NULL);
    fx->profile_path = g_build_filename(fx->profile_dir, NAME, NULL);
    fx->files_path = g_build_filename(fx->profile_dir, NAME ".files", NULL);
    if (g_mkdir(fx->profile_dir, 0755) < 0)
        return -1;

    g_autofree char *script = g_strdup_printf("#!/bin/sh\n"
                                              "printf '%%s\\n' \"$*\" >> '%s'\n"
                                              "echo 'stub parser: status file says so' >&2\n"
                                              "exit \"$(cat '%s')\"\n",
                                              fx->parser_log, fx->status_file);
    if (!g_file_set_contents(fx->parser, script, -1, NULL) || chmod(fx->parser, 0755) < 0)
        return -1;
    set_parser_status(fx, 0);
    copy_template(fx, "qemu");
    copy_template(fx, "lxc");

    fx->config = aavm_test_config();
    g_free(fx->config->profile_dir);
    fx->config->profile_dir = g_strdup(fx->profile_dir);
    g_free(fx->config->parser);
    fx->config->parser = g_strdup(fx->parser);
    g_free(fx->config->lock_dir);
    fx->config->lock_dir = g_build_filename(fx->dir, "lock", NULL);
    /* No compile cache unless a test asks for one (the default is a
     * system directory). */
    g_clear_pointer(&fx->config->cache_dir, g_free);
    fx->host = aavm_host_new(root, NULL);
    if (!fx->host)
        return -1;
    aavm_outcome_init(&fx->outcome);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;

    aavm_outcome_clear(&fx->outcome);
    aavm_host_free(fx->host);
    aavm_config_free(fx->config);
    aavm_test_rm_rf(fx->dir);
    g_free(fx->dir);
    g_free(fx->profile_dir);
    g_free(fx->parser);
    g_free(fx->parser_log);
    g_free(fx->status_file);
    g_free(fx->profile_path);
    g_free(fx->files_path);
    g_free(fx);
    return 0;
}

static AavmRequest
request(AavmMode mode, const char *profile_name, const char *xml)
{
    AavmRequest req = {
        .mode = mode,
        .profile_name = profile_name,
        .xml = xml,
        .xml_len = xml ? strlen(xml) : 0,
    };

    return req;
}

/* Run @req on a fresh outcome; returns the result, @error as given. */
static gboolean
run(Fixture *fx, const AavmRequest *req, GError **error)
{
    aavm_outcome_clear(&fx->outcome);
    aavm_outcome_init(&fx->outcome);
    return aavm_vm_profile_run(fx->config, fx->host, req, &fx->outcome, error);
}

static void
run_ok(Fixture *fx, const AavmRequest *req)
{
    g_autoptr(GError) error = NULL;
    gboolean ok = run(fx, req, &error);

    if (!ok)
        print_error("unexpected error: %s\n", error ? error->message : "(none)");
    assert_true(ok);
    assert_null(error);
}

static void
run_fails(Fixture *fx, const AavmRequest *req, AavmError code)
{
    g_autoptr(GError) error = NULL;
    gboolean ok = run(fx, req, &error);

    assert_false(ok);
    if (!g_error_matches(error, AAVM_ERROR, code))
        print_error("expected %s, got: %s\n", aavm_error_code_to_string(code),
                    error ? error->message : "(no error)");
    assert_true(g_error_matches(error, AAVM_ERROR, code));
}

/* The parser log, "" when the parser never ran. */
static char *
parser_log(const Fixture *fx)
{
    char *text = aavm_test_read_file(fx->parser_log);

    return text ? text : g_strdup("");
}

static void
assert_parser_log(const Fixture *fx, const char *expected)
{
    g_autofree char *log = parser_log(fx);

    assert_string_equal(log, expected);
}

static void
assert_file(const char *path, const char *expected)
{
    g_autofree char *text = aavm_test_read_file(path);

    if (!text)
        print_error("%s does not exist\n", path);
    assert_non_null(text);
    assert_string_equal(text, expected);
}

static void
assert_missing(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_EXISTS))
        print_error("%s exists\n", path);
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

/* The names in the profile directory, sorted, joined by ",". */
static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static char *
list_profile_dir(const Fixture *fx)
{
    g_autoptr(GDir) d = g_dir_open(fx->profile_dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    assert_non_null(d);
    while ((name = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(",", (char **)names->pdata);
}

static void
assert_profile_dir(const Fixture *fx, const char *expected)
{
    g_autofree char *names = list_profile_dir(fx);

    assert_string_equal(names, expected);
}

/* The profile create makes from TEMPLATE.qemu. */
static char *
expected_qemu_profile(const Fixture *fx)
{
    g_autofree char *src = aavm_test_srcdir_path("../templates/TEMPLATE.qemu");
    g_autofree char *text = aavm_test_read_file(src);
    g_autofree char *include = aavm_template_include_line(fx->files_path);

    assert_non_null(text);
    return aavm_template_fill(text, NAME, include, NULL, NULL);
}

static guint
count_lines(const char *text, const char *line)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint n = 0;

    for (guint i = 0; lines[i]; i++)
        if (strcmp(lines[i], line) == 0)
            n++;
    return n;
}

static void
create_qemu(Fixture *fx)
{
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, QEMU_XML);

    run_ok(fx, &req);
}

/* create */

static void
test_vm_profile_create(void **state)
{
    Fixture *fx = *state;
    g_autofree char *files = NULL;
    g_autofree char *profile = NULL;
    g_autofree char *expected_profile = expected_qemu_profile(fx);
    g_autofree char *include = aavm_template_include_line(fx->files_path);
    g_autofree char *tail = g_strconcat(include, "}\n", NULL);
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);
    struct stat st;

    create_qemu(fx);

    files = aavm_test_read_file(fx->files_path);
    assert_non_null(files);
    assert_true(g_str_has_prefix(files, AAVM_FILES_HEADER));
    assert_int_equal(
        count_lines(files, "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,"), 1);
    assert_int_equal(count_lines(files, "  \"/var/log/libvirt/**/vm1.log\" w,"), 1);

    profile = aavm_test_read_file(fx->profile_path);
    assert_non_null(profile);
    assert_string_equal(profile, expected_profile);
    assert_true(g_str_has_suffix(profile, tail));
    assert_non_null(strstr(profile, "profile " NAME " flags=(attach_disconnected) {\n"));
    assert_null(strstr(profile, AAVM_TEMPLATE_PLACEHOLDER));

    assert_int_equal(stat(fx->profile_path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    assert_int_equal(stat(fx->files_path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);

    assert_parser_log(fx, log);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu," NAME "," NAME ".files");
    assert_int_equal(fx->outcome.dryrun_blocks->len, 0);
}

static void
test_vm_profile_create_exists(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, QEMU_XML);
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);

    create_qemu(fx);
    assert_true(g_file_set_contents(fx->profile_path, "# the admin's profile\n", -1, NULL));

    run_fails(fx, &req, AAVM_ERROR_PROFILE_EXISTS);
    assert_file(fx->profile_path, "# the admin's profile\n");
    assert_parser_log(fx, log);
}

static void
test_vm_profile_create_parser_failure_cleans_up(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, QEMU_XML);
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);
    g_autoptr(GError) error = NULL;

    set_parser_status(fx, 1);
    assert_false(run(fx, &req, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_non_null(strstr(error->message, "stub parser: status file says so"));
    assert_missing(fx->files_path);
    assert_missing(fx->profile_path);
    assert_parser_log(fx, log);
    /* Nothing left in the profile directory (the lock lives elsewhere). */
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu");
}

static void
test_vm_profile_create_missing_template(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, QEMU_XML);
    g_autofree char *template_path = g_build_filename(fx->profile_dir, "TEMPLATE.qemu", NULL);

    assert_int_equal(g_unlink(template_path), 0);
    run_fails(fx, &req, AAVM_ERROR_TEMPLATE);
    assert_missing(fx->files_path);
    assert_missing(fx->profile_path);
    assert_parser_log(fx, "");
    assert_profile_dir(fx, "TEMPLATE.lxc");
}

static void
test_vm_profile_create_malformed_template(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, QEMU_XML);
    g_autofree char *template_path = g_build_filename(fx->profile_dir, "TEMPLATE.qemu", NULL);

    assert_true(g_file_set_contents(template_path, "profile LIBVIRT_TEMPLATE {\n", -1, NULL));
    run_fails(fx, &req, AAVM_ERROR_TEMPLATE);
    assert_missing(fx->files_path);
    assert_missing(fx->profile_path);
    assert_parser_log(fx, "");
}

static void
test_vm_profile_create_refused_path_writes_nothing(void **state)
{
    Fixture *fx = *state;
    const char *xml = "<domain type='kvm'><name>vm1</name><uuid>" UUID "</uuid>"
                      "<os><type>hvm</type></os><devices>"
                      "<disk type='file'><source file='/var/lib/libvirt/images/evil.img'/>"
                      "<target dev='vda'/></disk></devices></domain>";
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, xml);

    run_fails(fx, &req, AAVM_ERROR_UNSAFE_PATH);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu");
    assert_parser_log(fx, "");
}

static void
test_vm_profile_create_lxc(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, LXC_XML);
    g_autofree char *src = aavm_test_srcdir_path("../templates/TEMPLATE.lxc");
    g_autofree char *template_text = aavm_test_read_file(src);
    g_autofree char *expected = aavm_template_fill(template_text, NAME, NULL, NULL, NULL);
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);
    g_autofree char *profile = NULL;

    run_ok(fx, &req);
    assert_missing(fx->files_path);
    profile = aavm_test_read_file(fx->profile_path);
    assert_non_null(profile);
    assert_string_equal(profile, expected);
    assert_null(strstr(profile, ".files"));
    assert_null(strstr(profile, "disk.qcow2"));
    assert_parser_log(fx, log);
}

static void
test_vm_profile_create_compiles(void **state)
{
    Fixture *fx = *state;
    g_autofree char *output = NULL;

    create_qemu(fx);
    gboolean compiled = aavm_test_compile_profile(fx->profile_path, &output);
    if (!compiled)
        print_error("apparmor_parser said:\n%s\n", output ? output : "");
    assert_true(compiled);
}

/* profile-abi: a profile made from the template pins the abi of the
 * setting; one made before keeps its own abi rule on -r.  (This machine's
 * parser knows abi 3.0 only: the parser matrix compiles pinned profiles
 * with the 4.1 and 5.0 parsers.) */
static void
test_vm_profile_create_pins_abi(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_2);
    g_autofree char *expected = expected_qemu_profile(fx);

    fx->config->profile_abi = g_strdup("4.0");
    create_qemu(fx);
    g_autofree char *profile = aavm_test_read_file(fx->profile_path);
    assert_non_null(profile);
    assert_int_equal(count_lines(profile, "abi <abi/4.0>,"), 1);
    assert_int_equal(count_lines(profile, "abi <abi/3.0>,"), 0);
    assert_int_equal(count_lines(expected, "abi <abi/3.0>,"), 1);

    g_free(fx->config->profile_abi);
    fx->config->profile_abi = g_strdup("5.0");
    run_ok(fx, &req);
    assert_file(fx->profile_path, profile);
}

/* replace */

static void
test_vm_profile_replace(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_2);
    g_autofree char *profile_before = NULL;
    g_autofree char *files = NULL;
    g_autofree char *log = g_strdup_printf("-a %s\n-r %s\n", fx->profile_path,
                                           fx->profile_path);

    create_qemu(fx);
    profile_before = aavm_test_read_file(fx->profile_path);
    files = aavm_test_read_file(fx->files_path);
    assert_int_equal(
        count_lines(files, "  \"/var/lib/libvirt/images/readonly.iso\" rk,"), 0);
    g_clear_pointer(&files, g_free);

    run_ok(fx, &req);
    files = aavm_test_read_file(fx->files_path);
    assert_true(g_str_has_prefix(files, AAVM_FILES_HEADER));
    assert_int_equal(
        count_lines(files, "  \"/var/lib/libvirt/images/readonly.iso\" rk,"), 1);
    assert_int_equal(
        count_lines(files, "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,"), 1);
    /* The profile is the admin's: untouched. */
    assert_file(fx->profile_path, profile_before);
    assert_parser_log(fx, log);
    assert_int_equal(fx->outcome.notes->len, 0);

    /* Back to the first XML: the cdrom rule goes away again. */
    AavmRequest back = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    run_ok(fx, &back);
    g_clear_pointer(&files, g_free);
    files = aavm_test_read_file(fx->files_path);
    assert_null(strstr(files, "readonly.iso"));
}

static void
test_vm_profile_replace_append(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *again = NULL;
    g_autofree char *log = g_strdup_printf("-a %s\n-r %s\n-r %s\n", fx->profile_path,
                                           fx->profile_path, fx->profile_path);
    const char *rule = "  # -F append-file\n  \"/srv/share/sub/file.txt\" rwk,\n";

    create_qemu(fx);
    before = aavm_test_read_file(fx->files_path);

    req.extra_file = "/srv/share/sub/file.txt";
    req.append = TRUE;
    run_ok(fx, &req);
    after = aavm_test_read_file(fx->files_path);
    /* Appended to the .files on disk, as the reference does. */
    g_autofree char *expected = g_strconcat(before, rule, NULL);
    assert_string_equal(after, expected);

    /* The same append again: no second copy. */
    run_ok(fx, &req);
    again = aavm_test_read_file(fx->files_path);
    assert_string_equal(again, expected);
    assert_int_equal(count_lines(again, "  \"/srv/share/sub/file.txt\" rwk,"), 1);
    assert_parser_log(fx, log);
}

static void
test_vm_profile_replace_append_tree(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    create_qemu(fx);
    before = aavm_test_read_file(fx->files_path);
    req.extra_file = "/srv/share/{,**}";
    req.append = TRUE;
    run_ok(fx, &req);
    after = aavm_test_read_file(fx->files_path);
    g_autofree char *expected = g_strconcat(before,
                                            "  # -F append-file\n  \"/srv/share/\" rwk,\n"
                                            "  # -F append-file\n  \"/srv/share/**\" rwk,\n",
                                            NULL);
    assert_string_equal(after, expected);

    /* The same append again adds neither line a second time. */
    run_ok(fx, &req);
    g_autofree char *again = aavm_test_read_file(fx->files_path);
    assert_string_equal(again, expected);
}

static void
test_vm_profile_replace_append_refused(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *before = NULL;
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);

    create_qemu(fx);
    before = aavm_test_read_file(fx->files_path);
    req.extra_file = "/etc/shadow";
    req.append = TRUE;
    run_fails(fx, &req, AAVM_ERROR_UNSAFE_PATH);
    assert_file(fx->files_path, before);
    assert_parser_log(fx, log);
}

static void
test_vm_profile_replace_extra_file(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_2);
    g_autofree char *files = NULL;

    create_qemu(fx);
    req.extra_file = "/srv/extra disk.img";
    run_ok(fx, &req);
    files = aavm_test_read_file(fx->files_path);
    assert_true(g_str_has_prefix(files, AAVM_FILES_HEADER));
    assert_int_equal(count_lines(files, "  \"/srv/extra disk.img\" rwk,"), 1);
    /* Regenerated from the XML as well. */
    assert_int_equal(
        count_lines(files, "  \"/var/lib/libvirt/images/readonly.iso\" rk,"), 1);
    assert_int_equal(
        count_lines(files, "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,"), 1);
}

static void
test_vm_profile_replace_missing_profile(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);

    run_fails(fx, &req, AAVM_ERROR_NO_PROFILE);
    assert_missing(fx->files_path);
    assert_missing(fx->profile_path);
    assert_parser_log(fx, "");
}

static void
test_vm_profile_replace_empty_profile(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *expected_profile = expected_qemu_profile(fx);
    g_autofree char *files = NULL;
    g_autofree char *log = g_strdup_printf("-r %s\n", fx->profile_path);

    assert_true(g_file_set_contents(fx->profile_path, "", 0, NULL));
    run_ok(fx, &req);
    assert_file(fx->profile_path, expected_profile);
    files = aavm_test_read_file(fx->files_path);
    assert_non_null(files);
    assert_int_equal(
        count_lines(files, "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,"), 1);
    assert_int_equal(fx->outcome.notes->len, 1);
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), fx->profile_path));
    assert_parser_log(fx, log);
}

/* dry runs */

static void
test_vm_profile_dryrun_create(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, QEMU_XML);
    g_autofree char *include = aavm_template_include_line(fx->files_path);
    GPtrArray *blocks;

    req.dryrun = TRUE;
    run_ok(fx, &req);
    blocks = fx->outcome.dryrun_blocks;
    assert_int_equal(blocks->len, 5);
    assert_string_equal(g_ptr_array_index(blocks, 0), fx->files_path);
    /* The body: rules without the header. */
    assert_false(g_str_has_prefix(g_ptr_array_index(blocks, 1), AAVM_FILES_HEADER));
    assert_int_equal(count_lines(g_ptr_array_index(blocks, 1),
                                 "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,"),
                     1);
    assert_true(g_str_has_prefix(g_ptr_array_index(blocks, 1), "  # "));
    assert_string_equal(g_ptr_array_index(blocks, 2), fx->profile_path);
    assert_string_equal(g_ptr_array_index(blocks, 3), NAME);
    /* The include line, without the template's indent or newline. */
    assert_string_equal(g_ptr_array_index(blocks, 4), g_strstrip(include));

    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu");
    assert_parser_log(fx, "");
}

static void
test_vm_profile_dryrun_replace_without_profile(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_2);
    GPtrArray *blocks;

    req.dryrun = TRUE;
    run_ok(fx, &req);
    blocks = fx->outcome.dryrun_blocks;
    assert_int_equal(blocks->len, 2);
    assert_string_equal(g_ptr_array_index(blocks, 0), fx->files_path);
    assert_int_equal(count_lines(g_ptr_array_index(blocks, 1),
                                 "  \"/var/lib/libvirt/images/readonly.iso\" rk,"),
                     1);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu");
    assert_parser_log(fx, "");
}

static void
test_vm_profile_dryrun_replace_writes_nothing(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_2);
    g_autofree char *files_before = NULL;
    g_autofree char *profile_before = NULL;
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);

    create_qemu(fx);
    files_before = aavm_test_read_file(fx->files_path);
    profile_before = aavm_test_read_file(fx->profile_path);

    req.dryrun = TRUE;
    run_ok(fx, &req);
    assert_int_equal(fx->outcome.dryrun_blocks->len, 2);
    assert_int_equal(count_lines(g_ptr_array_index(fx->outcome.dryrun_blocks, 1),
                                 "  \"/var/lib/libvirt/images/readonly.iso\" rk,"),
                     1);
    assert_file(fx->files_path, files_before);
    assert_file(fx->profile_path, profile_before);
    assert_parser_log(fx, log);

    /* Appending in a dry run shows the one rule and writes nothing either. */
    req.extra_file = "/srv/share/sub/file.txt";
    req.append = TRUE;
    run_ok(fx, &req);
    assert_int_equal(fx->outcome.dryrun_blocks->len, 2);
    assert_string_equal(g_ptr_array_index(fx->outcome.dryrun_blocks, 1),
                        "  # -F append-file\n  \"/srv/share/sub/file.txt\" rwk,\n");
    assert_file(fx->files_path, files_before);
    assert_parser_log(fx, log);
}

/* remove, delete, add */

static void
test_vm_profile_remove(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REMOVE, NAME, NULL);
    g_autofree char *log = g_strdup_printf("-R %s\n", fx->profile_path);
    g_autofree char *log2 = g_strdup_printf("-R %s\n-R %s\n", fx->profile_path,
                                            fx->profile_path);

    assert_true(g_file_set_contents(fx->profile_path, "# profile\n", -1, NULL));
    assert_true(g_file_set_contents(fx->files_path, AAVM_FILES_HEADER, -1, NULL));

    run_ok(fx, &req);
    assert_int_equal(fx->outcome.notes->len, 0);
    assert_parser_log(fx, log);

    /* Not loaded: still a success, with a note. */
    set_parser_status(fx, 234);
    run_ok(fx, &req);
    assert_int_equal(fx->outcome.notes->len, 1);
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), NAME));
    assert_parser_log(fx, log2);

    /* Remove keeps both files. */
    assert_file(fx->profile_path, "# profile\n");
    assert_file(fx->files_path, AAVM_FILES_HEADER);
}

static void
test_vm_profile_remove_parser_failure(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REMOVE, NAME, NULL);

    assert_true(g_file_set_contents(fx->profile_path, "# profile\n", -1, NULL));
    set_parser_status(fx, 1);
    run_fails(fx, &req, AAVM_ERROR_PARSER_FAILED);
}

static void
test_vm_profile_delete(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_DELETE, NAME, NULL);
    g_autofree char *log = g_strdup_printf("-a %s\n-R %s\n", fx->profile_path,
                                           fx->profile_path);
    g_autofree char *profile_before = NULL;

    create_qemu(fx);
    profile_before = aavm_test_read_file(fx->profile_path);
    run_ok(fx, &req);
    assert_missing(fx->files_path);
    assert_file(fx->profile_path, profile_before);
    assert_parser_log(fx, log);
}

static void
test_vm_profile_delete_not_loaded(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_DELETE, NAME, NULL);

    assert_true(g_file_set_contents(fx->profile_path, "# profile\n", -1, NULL));
    assert_true(g_file_set_contents(fx->files_path, AAVM_FILES_HEADER, -1, NULL));
    set_parser_status(fx, 234);
    run_ok(fx, &req);
    assert_int_equal(fx->outcome.notes->len, 1);
    assert_missing(fx->files_path);
    assert_file(fx->profile_path, "# profile\n");
}

static void
test_vm_profile_add(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_ADD, NAME, NULL);
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);

    run_fails(fx, &req, AAVM_ERROR_NO_PROFILE);
    assert_parser_log(fx, "");

    assert_true(g_file_set_contents(fx->profile_path, "# profile\n", -1, NULL));
    run_ok(fx, &req);
    assert_parser_log(fx, log);
    assert_file(fx->profile_path, "# profile\n");
    assert_missing(fx->files_path);
}

/* names and UUIDs */

static void
test_vm_profile_uuid_mismatch(void **state)
{
    Fixture *fx = *state;
    AavmRequest create = request(AAVM_MODE_CREATE, OTHER_NAME, QEMU_XML);
    AavmRequest replace = request(AAVM_MODE_REPLACE, OTHER_NAME, QEMU_XML);
    g_autofree char *other_profile = g_build_filename(fx->profile_dir, OTHER_NAME, NULL);

    run_fails(fx, &create, AAVM_ERROR_UUID_MISMATCH);
    assert_true(g_file_set_contents(other_profile, "# profile\n", -1, NULL));
    run_fails(fx, &replace, AAVM_ERROR_UUID_MISMATCH);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu," OTHER_NAME);
    assert_parser_log(fx, "");
}

static void
test_vm_profile_uppercase_uuid(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, "libvirt-0F6A4D2C-3B1E-4C5D-9E8F-123456789ABC",
                              QEMU_XML);

    run_fails(fx, &req, AAVM_ERROR_UUID_MISMATCH);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu");
    assert_parser_log(fx, "");
}

static void
test_vm_profile_uppercase_uuid_in_xml(void **state)
{
    Fixture *fx = *state;
    const char *xml = "<domain type='kvm'><name>vm1</name>"
                      "<uuid>0F6A4D2C-3B1E-4C5D-9E8F-123456789ABC</uuid>"
                      "<os><type>hvm</type></os></domain>";
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, xml);
    g_autofree char *log = g_strdup_printf("-a %s\n", fx->profile_path);

    /* The XML's UUID is compared in its canonical lower-case form. */
    run_ok(fx, &req);
    assert_true(g_file_test(fx->profile_path, G_FILE_TEST_IS_REGULAR));
    assert_true(g_file_test(fx->files_path, G_FILE_TEST_IS_REGULAR));
    assert_parser_log(fx, log);
}

static void
test_vm_profile_append_needs_file(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);

    create_qemu(fx);
    req.append = TRUE;
    run_fails(fx, &req, AAVM_ERROR_INVALID_ARGUMENT);
}

static void
test_vm_profile_bad_uuid(void **state)
{
    Fixture *fx = *state;
    static const char *const names[] = {
        "libvirt-xyz",
        "libvirt-0f6a4d2c3b1e4c5d9e8f123456789abc",
        "libvirt-0f6a4d2c-3b1e-4c5d-9e8f-123456789abg",
        "0f6a4d2c-3b1e-4c5d-9e8f-123456789abc",
        "libvirt-../../../../etc/passwd-aaaaaaaaaaaaaaaaa",
        "",
    };

    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        AavmRequest req = request(AAVM_MODE_CREATE, names[i], QEMU_XML);
        run_fails(fx, &req, AAVM_ERROR_BAD_UUID);
    }
    AavmRequest remove = request(AAVM_MODE_REMOVE, "libvirt-xyz", NULL);
    run_fails(fx, &remove, AAVM_ERROR_BAD_UUID);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu");
    assert_parser_log(fx, "");
}

/* loading and state: -F appends and a full -r revokes, rollback, repair,
 * lock, cache */

#define HOT_RULE "  # -F append-file\n  \"/srv/share/sub/file.txt\" rwk,\n"

/* QEMU_XML_2 with the hot-plugged file as a disk, as libvirt's live XML
 * has it once the hot-plug is done. */
#define QEMU_XML_HOT \
    QEMU_XML_HEAD QEMU_XML_CDROM \
    "    <disk type='file' device='disk'>\n" \
    "      <source file='/srv/share/sub/file.txt'/><target dev='vdb'/>\n" \
    "    </disk>\n" \
    QEMU_XML_TAIL

static void
append_hot_file(Fixture *fx, const char *path)
{
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);

    req.extra_file = path;
    req.append = TRUE;
    run_ok(fx, &req);
}

/* What libvirt does around a hot-plug: -r -F for the new file (the XML does
 * not have the device yet), later full -r calls with the device in the
 * XML, and a full -r without it once it is unplugged, which revokes it. */
static void
test_vm_profile_append_revoked_by_replace(void **state)
{
    Fixture *fx = *state;
    AavmRequest full = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_2);
    AavmRequest with_hot = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_HOT);
    AavmRequest del = request(AAVM_MODE_DELETE, NAME, NULL);
    g_autofree char *created = NULL;
    g_autofree char *appended = NULL;
    g_autofree char *files = NULL;
    g_autofree char *plugged = NULL;
    g_autofree char *unplugged = NULL;

    create_qemu(fx);
    created = aavm_test_read_file(fx->files_path);
    append_hot_file(fx, "/srv/share/sub/file.txt");
    /* A path .files already grants is not appended again. */
    append_hot_file(fx, "/var/lib/libvirt/images/disk.qcow2");
    appended = aavm_test_read_file(fx->files_path);
    g_autofree char *expected = g_strconcat(created, HOT_RULE, NULL);
    assert_string_equal(appended, expected);
    /* An unrelated hot-plug appends to it: the first stays. */
    append_hot_file(fx, "/srv/other.img");
    g_autofree char *two = aavm_test_read_file(fx->files_path);
    assert_true(g_str_has_prefix(two, expected));
    assert_int_equal(count_lines(two, "  \"/srv/other.img\" rwk,"), 1);

    /* A full -r writes what the XML grants, and only that. */
    run_ok(fx, &full);
    files = aavm_test_read_file(fx->files_path);
    assert_non_null(strstr(files, ISO_RULE));
    assert_null(strstr(files, "/srv/share"));
    assert_null(strstr(files, "/srv/other.img"));
    run_ok(fx, &del);
    assert_missing(fx->files_path);
    run_ok(fx, &full);
    g_autofree char *fresh = aavm_test_read_file(fx->files_path);
    assert_string_equal(files, fresh);

    /* Plugged: from the XML it survives a full -r; unplugged: gone. */
    append_hot_file(fx, "/srv/share/sub/file.txt");
    run_ok(fx, &with_hot);
    plugged = aavm_test_read_file(fx->files_path);
    assert_int_equal(count_lines(plugged, "  \"/srv/share/sub/file.txt\" rwk,"), 1);
    assert_non_null(strstr(plugged, "  # disk vdb\n  \"/srv/share/sub/file.txt\" rwk,\n"));
    run_ok(fx, &full);
    unplugged = aavm_test_read_file(fx->files_path);
    assert_string_equal(unplugged, fresh);
}

/* Each kind of path libvirt 9.0 hands over with -F (security_apparmor.c and
 * the qemu driver) and the XML that holds the device once it is there:
 * after -r -F the path is granted, an unrelated hot-plug keeps it, a full
 * -r with the device grants it from the XML, a full -r without it (the
 * device removed) revokes it.  The rows without a device: the restore
 * file is needed only while the incoming migration runs, under a job that
 * keeps hot-plugs out, and a later full -r drops it, as the reference
 * does; what libvirt puts in the domain's directory stays granted by the
 * base rule for it (.files after the full -r is .files before the -F). */
typedef struct {
    const char *what;     /* libvirt's hook */
    const char *path;     /* what libvirt passes to -F */
    const char *element;  /* the device (or domain element) in the XML; NULL: none */
    gboolean in_devices;  /* @element goes in <devices> (else before <os>) */
    const char *xml_rule; /* a rule line the XML's rules hold for it */
    const char *needle;   /* no line of .files names it after the removal */
} HandOver;

static const HandOver hand_overs[] = {
    { "SetImageLabel (a disk layer)", "/srv/vm/hot.img",
      "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
      "<source file='/srv/vm/hot.img'/><target dev='vdb'/></disk>", TRUE,
      "  \"/srv/vm/hot.img\" rwk,", "hot.img" },
    { "SetPathLabel (hugepages)", "/dev/hugepages/libvirt/qemu/3-vm1/{,**}",
      "<memoryBacking><hugepages/></memoryBacking>", FALSE,
      "  \"/dev/hugepages/libvirt/qemu/3-vm1/**\" rwk,", "hugepages" },
    { "SetPathLabel (file memory backing)", "/var/lib/libvirt/qemu/ram/3-vm1/{,**}",
      "<memoryBacking><source type='file'/></memoryBacking>", FALSE,
      "  \"/var/lib/libvirt/qemu/ram/3-vm1/**\" rwk,", "/ram/" },
    { "SetChardevLabel (a serial file)", "/srv/vm/serial.log",
      "<serial type='file'><source path='/srv/vm/serial.log'/><target port='0'/></serial>", TRUE,
      "  \"/srv/vm/serial.log\" rw,", "serial.log" },
    { "SetMemoryLabel (nvdimm)", "/srv/vm/nvdimm.img",
      "<memory model='nvdimm'><source><path>/srv/vm/nvdimm.img</path></source>"
      "<target><size unit='KiB'>524288</size><node>0</node></target></memory>", TRUE,
      "  \"/srv/vm/nvdimm.img\" rw,", "nvdimm.img" },
    { "SetInputLabel (evdev)", "/dev/input/event1234",
      "<input type='passthrough' bus='virtio'><source evdev='/dev/input/event1234'/></input>",
      TRUE, "  \"/dev/input/event1234\" rw,", "event1234" },
    { "SetNetdevLabel (vhost-user)", "/srv/vm/vhost0.sock",
      "<interface type='vhostuser'><source type='unix' path='/srv/vm/vhost0.sock' mode='client'/>"
      "<model type='virtio'/></interface>", TRUE,
      "  \"/srv/vm/vhost0.sock\" rw,", "vhost0.sock" },
    { "SetHostdevLabel (USB)", "/dev/bus/usb/001/003",
      "<hostdev mode='subsystem' type='usb' managed='no'><source>"
      "<address bus='1' device='3'/></source></hostdev>", TRUE,
      "  \"/dev/bus/usb/001/003\" rw,", "/dev/bus/usb/001/003" },
    { "SetAllLabel (the file a restore reads)", "/srv/vm/saved.img", NULL, FALSE, NULL,
      "saved.img" },
    { "SetPathLabel (the domain directory)", "/var/lib/libvirt/qemu/domain-3-vm1/{,**}", NULL,
      FALSE, NULL, "domain-3-vm1/**" },
    { "SetPathLabel (the master key)", "/var/lib/libvirt/qemu/domain-3-vm1/master-key.aes",
      NULL, FALSE, NULL, "master-key.aes" },
};

static char *
hand_over_xml(const HandOver *h, gboolean with_device)
{
    const char *element = with_device && h->element ? h->element : "";

    return g_strdup_printf("<domain type='kvm' id='3'><name>vm1</name><uuid>" UUID "</uuid>"
                           "<memory unit='KiB'>1048576</memory>%s<os><type>hvm</type></os>"
                           "<devices><disk type='file' device='disk'>"
                           "<source file='/var/lib/libvirt/images/disk.qcow2'/><target dev='vda'/>"
                           "</disk>%s</devices></domain>",
                           h->in_devices ? "" : element, h->in_devices ? element : "");
}

static void
run_xml(Fixture *fx, AavmMode mode, const char *xml, const char *append)
{
    AavmRequest req = request(mode, NAME, xml);

    req.extra_file = append;
    req.append = append != NULL;
    run_ok(fx, &req);
}

static void
test_vm_profile_hand_overs(void **state)
{
    Fixture *fx = *state;

    for (guint i = 0; i < G_N_ELEMENTS(hand_overs); i++) {
        const HandOver *h = &hand_overs[i];
        g_autofree char *without = hand_over_xml(h, FALSE);
        g_autofree char *with = hand_over_xml(h, TRUE);
        AavmRequest del = request(AAVM_MODE_DELETE, NAME, NULL);

        print_message("%s: -F %s\n", h->what, h->path);
        g_remove(fx->profile_path);
        g_remove(fx->files_path);
        run_xml(fx, AAVM_MODE_CREATE, without, NULL);
        g_autofree char *before = aavm_test_read_file(fx->files_path);
        assert_null(strstr(before, h->needle));
        /* The base rule that keeps the domain directory's files granted. */
        assert_non_null(strstr(before, "  \"/var/lib/libvirt/qemu/domain-3-vm1/*\" rw,\n"));

        /* libvirt's -r -F, the device not yet in the XML. */
        run_xml(fx, AAVM_MODE_REPLACE, without, h->path);
        g_autofree char *granted = aavm_test_read_file(fx->files_path);
        assert_true(g_str_has_prefix(granted, before));
        assert_non_null(strstr(granted + strlen(before), h->needle));
        /* An unrelated hot-plug keeps it. */
        run_xml(fx, AAVM_MODE_REPLACE, without, "/srv/vm/unrelated.img");
        g_autofree char *kept = aavm_test_read_file(fx->files_path);
        assert_true(g_str_has_prefix(kept, granted));
        if (h->element) {
            /* Once the XML has the device, a full -r grants it itself. */
            run_xml(fx, AAVM_MODE_REPLACE, with, NULL);
            g_autofree char *from_xml = aavm_test_read_file(fx->files_path);
            assert_int_equal(count_lines(from_xml, h->xml_rule), 1);
            assert_null(strstr(from_xml, "unrelated.img"));
        }
        /* Removed (or, for the restore file, any later full -r): gone. */
        run_xml(fx, AAVM_MODE_REPLACE, without, NULL);
        g_autofree char *revoked = aavm_test_read_file(fx->files_path);
        assert_null(strstr(revoked, h->needle));
        assert_string_equal(revoked, before);
        run_ok(fx, &del);
    }
}

/* -r -F on a .files of an older aavm: its rules are kept as entries (the
 * reason after the rule, as before 0.1.0, moves above it), the header
 * gains the VM's name line, the -F rule follows; a rule with letters aavm
 * does not write is not kept, with a note; a path held with fewer
 * permissions gets them in its own rule. */
static void
test_vm_profile_append_to_old_files(void **state)
{
    Fixture *fx = *state;

    create_qemu(fx);
    assert_true(g_file_set_contents(fx->files_path,
        "# DO NOT EDIT THIS FILE DIRECTLY. IT IS GENERATED BY AAVM FROM THE DOMAIN XML.\n"
        "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,  # disk vda\n"
        "  # loader\n"
        "  \"/srv/share/sub/file.txt\" r,\n"
        "  \"/usr/bin/x\" ix,\n", -1, NULL));
    append_hot_file(fx, "/srv/share/sub/file.txt");
    g_autofree char *files = aavm_test_read_file(fx->files_path);
    assert_string_equal(files,
        AAVM_FILES_HEADER
        "# vm: vm1\n"
        "  # disk vda\n"
        "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,\n"
        "  # loader; -F append-file\n"
        "  \"/srv/share/sub/file.txt\" rwk,\n");
    assert_int_equal(fx->outcome.notes->len, 1);
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), "\"/usr/bin/x\" ix"));

    /* Written by this aavm: the same -F again changes not a byte. */
    append_hot_file(fx, "/srv/share/sub/file.txt");
    assert_file(fx->files_path, files);
}

static void
test_vm_profile_create_append(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_CREATE, NAME, QEMU_XML);
    AavmRequest full = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *files = NULL;
    g_autofree char *created = NULL;

    req.extra_file = "/srv/share/sub/file.txt";
    req.append = TRUE;
    run_ok(fx, &req);
    created = aavm_test_read_file(fx->files_path);
    assert_non_null(strstr(created, DISK_RULE));
    /* The XML's rules as a full -r writes them, then the -F rule, which
     * that -r drops. */
    run_ok(fx, &full);
    files = aavm_test_read_file(fx->files_path);
    assert_null(strstr(files, "/srv/share"));
    g_autofree char *expected = g_strconcat(files, HOT_RULE, NULL);
    assert_string_equal(created, expected);
}

static void
test_vm_profile_replace_rollback(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML_2);
    g_autoptr(GError) error = NULL;
    g_autofree char *old_profile = NULL;
    g_autofree char *old_files = NULL;

    create_qemu(fx);
    append_hot_file(fx, "/srv/share/sub/file.txt");
    old_profile = aavm_test_read_file(fx->profile_path);
    old_files = aavm_test_read_file(fx->files_path);

    set_parser_status(fx, 1);
    assert_false(run(fx, &req, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED));
    assert_non_null(strstr(error->message, "stub parser: status file says so"));
    assert_non_null(strstr(error->message, "previous files were put back"));
    assert_file(fx->profile_path, old_profile);
    assert_file(fx->files_path, old_files);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu," NAME "," NAME ".files");

    /* A repaired profile that fails to load: the damaged bytes come back too. */
    g_clear_error(&error);
    assert_true(g_file_set_contents(fx->profile_path, "profile " NAME " {\n  /x r,\n", -1, NULL));
    assert_false(run(fx, &req, &error));
    assert_file(fx->profile_path, "profile " NAME " {\n  /x r,\n");
    assert_file(fx->files_path, old_files);
}

static void
test_vm_profile_replace_rollback_without_files(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    AavmRequest del = request(AAVM_MODE_DELETE, NAME, NULL);
    g_autoptr(GError) error = NULL;

    create_qemu(fx);
    run_ok(fx, &del);
    set_parser_status(fx, 1);
    assert_false(run(fx, &req, &error));
    /* There was no .files before: there is none after. */
    assert_missing(fx->files_path);
}

static void
check_repair(Fixture *fx, const char *damaged, const char *says)
{
    AavmRequest dry = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *expected_profile = expected_qemu_profile(fx);
    g_autofree char *log = g_strdup_printf("-a %s\n-r %s\n", fx->profile_path, fx->profile_path);

    g_autofree char *backup = g_strconcat(fx->profile_path, ".aavm-old", NULL);
    struct stat st;

    create_qemu(fx);
    assert_true(g_file_set_contents(fx->profile_path, damaged, -1, NULL));
    assert_int_equal(chmod(fx->profile_path, 0640), 0);

    dry.dryrun = TRUE;
    run_ok(fx, &dry);
    assert_file(fx->profile_path, damaged);
    assert_missing(backup);
    assert_int_equal(fx->outcome.notes->len, 1);
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), says));
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), "without -d"));

    run_ok(fx, &req);
    assert_file(fx->profile_path, expected_profile);
    assert_int_equal(fx->outcome.notes->len, 1);
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), says));
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), "made again"));
    assert_parser_log(fx, log);
    /* The old profile, the admin's work, is kept next to it and the note
     * names the copy: a regular file with the old bytes and mode. */
    assert_non_null(strstr(g_ptr_array_index(fx->outcome.notes, 0), backup));
    assert_file(backup, damaged);
    assert_int_equal(lstat(backup, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0640);
}

static void
test_vm_profile_repair_truncated(void **state)
{
    Fixture *fx = *state;
    g_autofree char *whole = expected_qemu_profile(fx);
    /* Cut just before the last closing brace. */
    g_autofree char *cut = g_strndup(whole, strrchr(whole, '}') - whole);

    check_repair(fx, cut, "cut short");
}

static void
test_vm_profile_repair_missing_include(void **state)
{
    Fixture *fx = *state;

    check_repair(fx, "profile " NAME " {\n  /x r,\n}\n", "does not include its .files");
}

/* The copy cannot be written (a directory stands there): nothing is
 * remade, nothing changes. */
static void
test_vm_profile_repair_without_backup_fails(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *backup = g_strconcat(fx->profile_path, ".aavm-old", NULL);
    const char *damaged = "profile " NAME " {\n";
    g_autofree char *files_before = NULL;

    create_qemu(fx);
    files_before = aavm_test_read_file(fx->files_path);
    assert_true(g_file_set_contents(fx->profile_path, damaged, -1, NULL));
    assert_int_equal(g_mkdir(backup, 0755), 0);
    run_fails(fx, &req, AAVM_ERROR_UNSAFE_FILE);
    assert_file(fx->profile_path, damaged);
    assert_file(fx->files_path, files_before);
    assert_int_equal(g_rmdir(backup), 0);
}

/* A profile exactly as virt-aa-helper 9.0 writes it from Debian's
 * TEMPLATE.qemu (the include in its "#include <libvirt/...>" form), tuned
 * by the admin (complain flag, an extra rule): adopted, used byte for
 * byte; -r writes only .files.  Also the "include <libvirt/...>" form. */
#define VAH_PROFILE(include_kw)                                                          \
    "#\n"                                                                                 \
    "# This profile is for the domain whose UUID matches this file.\n"                    \
    "#\n"                                                                                 \
    "\n"                                                                                  \
    "#include <tunables/global>\n"                                                        \
    "\n"                                                                                  \
    "profile " NAME " flags=(attach_disconnected,complain) {\n"                           \
    "  #include <abstractions/libvirt-qemu>\n"                                            \
    "  /srv/shared/** r,\n"                                                               \
    "  " include_kw " <libvirt/" NAME ".files>\n"                                         \
    "\n"                                                                                  \
    "}\n"

static void
check_adopted(Fixture *fx, const char *profile)
{
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *backup = g_strconcat(fx->profile_path, ".aavm-old", NULL);
    g_autofree char *log = g_strdup_printf("-r %s\n", fx->profile_path);
    g_autofree char *files = NULL;

    assert_true(g_file_set_contents(fx->profile_path, profile, -1, NULL));
    run_ok(fx, &req);
    assert_file(fx->profile_path, profile);
    assert_missing(backup);
    assert_int_equal(fx->outcome.notes->len, 0);
    files = aavm_test_read_file(fx->files_path);
    assert_non_null(files);
    assert_int_equal(count_lines(files, "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,"), 1);
    assert_parser_log(fx, log);
}

static void
test_vm_profile_adopts_virt_aa_helper_profile(void **state)
{
    check_adopted(*state, VAH_PROFILE("#include"));
}

static void
test_vm_profile_adopts_include_spelling(void **state)
{
    check_adopted(*state, VAH_PROFILE("include"));
}

/* Another VM's .files, or a name outside the profile directory, is not
 * this profile's include: made again (and kept). */
static void
test_vm_profile_other_include_not_adopted(void **state)
{
    Fixture *fx = *state;

    check_repair(fx,
                 "profile " NAME " {\n  #include <libvirt/" OTHER_NAME ".files>\n}\n",
                 "does not include its .files");
}

static void
test_vm_profile_repair_keeps_whole_edits(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *include = aavm_template_include_line(fx->files_path);
    g_autofree char *edited =
        g_strdup_printf("# the admin's\nprofile %s flags=(complain) {\n  /x r,  # {\n%s}\n", NAME,
                        include);

    create_qemu(fx);
    assert_true(g_file_set_contents(fx->profile_path, edited, -1, NULL));
    run_ok(fx, &req);
    assert_file(fx->profile_path, edited);
    assert_int_equal(fx->outcome.notes->len, 0);
}

static void
test_vm_profile_lock_file(void **state)
{
    Fixture *fx = *state;
    AavmRequest dry = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    AavmRequest del = request(AAVM_MODE_DELETE, NAME, NULL);
    g_autofree char *lock_dir = g_build_filename(fx->dir, "lock", NULL);
    g_autofree char *lock = g_build_filename(lock_dir, NAME ".lock", NULL);
    struct stat st;

    dry.dryrun = TRUE;
    run_ok(fx, &dry);
    assert_missing(lock_dir);
    create_qemu(fx);
    /* In the lock directory (made 0700), not the profile directory. */
    assert_int_equal(lstat(lock_dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(lstat(lock, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 0);
    assert_profile_dir(fx, "TEMPLATE.lxc,TEMPLATE.qemu," NAME "," NAME ".files");
    /* -D leaves no lock behind. */
    run_ok(fx, &del);
    assert_missing(lock);
}

static void
test_vm_profile_cleans_temporaries(void **state)
{
    Fixture *fx = *state;
    AavmRequest req = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    AavmRequest dry = request(AAVM_MODE_REPLACE, NAME, QEMU_XML);
    g_autofree char *t1 = g_build_filename(fx->profile_dir, NAME ".aB3xYz", NULL);
    g_autofree char *t2 = g_build_filename(fx->profile_dir, NAME ".files.Q9w8E7", NULL);
    g_autofree char *keep = g_build_filename(fx->profile_dir, NAME ".files.backup1", NULL);

    create_qemu(fx);
    assert_true(g_file_set_contents(t1, "torn", -1, NULL));
    assert_true(g_file_set_contents(t2, "torn", -1, NULL));
    assert_true(g_file_set_contents(keep, "mine", -1, NULL));
    dry.dryrun = TRUE;
    run_ok(fx, &dry);
    assert_file(t1, "torn");
    run_ok(fx, &req);
    assert_missing(t1);
    assert_missing(t2);
    assert_file(keep, "mine");
}

static void
test_vm_profile_cache_dir(void **state)
{
    Fixture *fx = *state;
    AavmRequest rm = request(AAVM_MODE_REMOVE, NAME, NULL);
    g_autofree char *cache = g_build_filename(fx->dir, "cache", NULL);
    g_autofree char *log = NULL;

    fx->config->cache_dir = g_strdup(cache);
    create_qemu(fx);
    run_ok(fx, &rm);
    log = g_strdup_printf("-a -W -L %s %s\n-R %s\n", cache, fx->profile_path, fx->profile_path);
    assert_parser_log(fx, log);
    assert_true(g_file_test(cache, G_FILE_TEST_IS_DIR));
}

int
main(void)
{
    aavm_test_init();

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_vm_profile_create),
        T(test_vm_profile_create_exists),
        T(test_vm_profile_create_parser_failure_cleans_up),
        T(test_vm_profile_create_missing_template),
        T(test_vm_profile_create_malformed_template),
        T(test_vm_profile_create_refused_path_writes_nothing),
        T(test_vm_profile_create_lxc),
        T(test_vm_profile_create_compiles),
        T(test_vm_profile_create_pins_abi),
        T(test_vm_profile_replace),
        T(test_vm_profile_replace_append),
        T(test_vm_profile_replace_append_tree),
        T(test_vm_profile_replace_append_refused),
        T(test_vm_profile_replace_extra_file),
        T(test_vm_profile_replace_missing_profile),
        T(test_vm_profile_replace_empty_profile),
        T(test_vm_profile_dryrun_create),
        T(test_vm_profile_dryrun_replace_without_profile),
        T(test_vm_profile_dryrun_replace_writes_nothing),
        T(test_vm_profile_remove),
        T(test_vm_profile_remove_parser_failure),
        T(test_vm_profile_delete),
        T(test_vm_profile_delete_not_loaded),
        T(test_vm_profile_add),
        T(test_vm_profile_uuid_mismatch),
        T(test_vm_profile_uppercase_uuid),
        T(test_vm_profile_uppercase_uuid_in_xml),
        T(test_vm_profile_append_needs_file),
        T(test_vm_profile_bad_uuid),
        T(test_vm_profile_append_revoked_by_replace),
        T(test_vm_profile_append_to_old_files),
        T(test_vm_profile_create_append),
        T(test_vm_profile_hand_overs),
        T(test_vm_profile_replace_rollback),
        T(test_vm_profile_replace_rollback_without_files),
        T(test_vm_profile_repair_truncated),
        T(test_vm_profile_repair_missing_include),
        T(test_vm_profile_repair_keeps_whole_edits),
        T(test_vm_profile_repair_without_backup_fails),
        T(test_vm_profile_adopts_virt_aa_helper_profile),
        T(test_vm_profile_adopts_include_spelling),
        T(test_vm_profile_other_include_not_adopted),
        T(test_vm_profile_lock_file),
        T(test_vm_profile_cleans_temporaries),
        T(test_vm_profile_cache_dir),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
