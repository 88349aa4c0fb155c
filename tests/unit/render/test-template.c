/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-template.c: TEMPLATE.<driver> -> per-VM profile (helper/render/template.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "render.h"
#include "template.h"
#include "testutil.h"

#define NAME "libvirt-0f6a4d2c-3b1e-4c5d-9e8f-123456789abc"
#define INSERT "  \"/srv/inserted.img\" rwk,  # disk vda\n"

static guint
count_char(const char *text, char c)
{
    guint n = 0;

    for (; *text; text++)
        if (*text == c)
            n++;
    return n;
}

/* Fill @template expecting success. */
static char *
fill_ok(const char *template_text, const char *insert)
{
    g_autoptr(GError) error = NULL;
    char *out = aavm_template_fill(template_text, NAME, insert, NULL, &error);

    if (error)
        print_error("unexpected error: %s\n", error->message);
    assert_null(error);
    assert_non_null(out);
    return out;
}

/* Fill @template expecting AAVM_ERROR_TEMPLATE. */
static void
fill_fails(const char *template_text)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *out = aavm_template_fill(template_text, NAME, INSERT, NULL, &error);

    assert_null(out);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TEMPLATE));
}

static void
test_template_name_replaced(void **state)
{
    (void)state;
    g_autofree char *out = fill_ok("# A LIBVIRT_TEMPLATE mention in a comment stays.\n"
                                   "profile LIBVIRT_TEMPLATE flags=(attach_disconnected) {\n"
                                   "  /usr/bin/qemu-system-* rmix,\n"
                                   "}\n",
                                   NULL);

    assert_string_equal(out,
                        "# A LIBVIRT_TEMPLATE mention in a comment stays.\n"
                        "profile " NAME " flags=(attach_disconnected) {\n"
                        "  /usr/bin/qemu-system-* rmix,\n"
                        "}\n");
}

static void
test_template_name_replaced_with_brace_on_same_line(void **state)
{
    (void)state;
    g_autofree char *out = fill_ok("\tprofile\tLIBVIRT_TEMPLATE{\n  /a r,\n}\n", INSERT);

    assert_string_equal(out, "\tprofile\t" NAME "{\n  /a r,\n" INSERT "}\n");
}

static void
test_template_insert_before_closing_brace(void **state)
{
    (void)state;
    g_autofree char *out = fill_ok("abi <abi/3.0>,\n"
                                   "profile other {\n"
                                   "  /other r,\n"
                                   "}\n"
                                   "profile LIBVIRT_TEMPLATE {\n"
                                   "  include <abstractions/libvirt-qemu>\n"
                                   "}\n"
                                   "profile after {\n"
                                   "  /after r,\n"
                                   "}\n",
                                   INSERT);

    assert_string_equal(out,
                        "abi <abi/3.0>,\n"
                        "profile other {\n"
                        "  /other r,\n"
                        "}\n"
                        "profile " NAME " {\n"
                        "  include <abstractions/libvirt-qemu>\n"
                        INSERT
                        "}\n"
                        "profile after {\n"
                        "  /after r,\n"
                        "}\n");
}

static void
test_template_child_profile(void **state)
{
    (void)state;
    const char *template_text = "profile LIBVIRT_TEMPLATE {\n"
                                "  /a r,\n"
                                "  profile child {\n"
                                "    /c r,\n"
                                "  }\n"
                                "  /b r,\n"
                                "}\n"
                                "profile second {\n"
                                "  /s r,\n"
                                "}\n";
    g_autofree char *out = fill_ok(template_text, INSERT);

    assert_string_equal(out,
                        "profile " NAME " {\n"
                        "  /a r,\n"
                        "  profile child {\n"
                        "    /c r,\n"
                        "  }\n"
                        "  /b r,\n"
                        INSERT
                        "}\n"
                        "profile second {\n"
                        "  /s r,\n"
                        "}\n");
    assert_int_equal(count_char(out, '{'), 3);
    assert_int_equal(count_char(out, '}'), 3);
}

static void
test_template_child_profile_last_in_body(void **state)
{
    (void)state;
    /* The child's brace is the last one before the template's own. */
    g_autofree char *out = fill_ok("profile LIBVIRT_TEMPLATE {\n"
                                   "  profile child {\n"
                                   "  }\n"
                                   "}\n"
                                   "}\n",
                                   INSERT);

    assert_string_equal(out,
                        "profile " NAME " {\n"
                        "  profile child {\n"
                        "  }\n"
                        INSERT
                        "}\n"
                        "}\n");
}

static void
test_template_braces_in_comments_and_strings_ignored(void **state)
{
    (void)state;
    g_autofree char *out = fill_ok("profile LIBVIRT_TEMPLATE { # a } in a comment {\n"
                                   "  # }\n"
                                   "  \"/srv/with}brace\" r,\n"
                                   "  \"/srv/quote\\\"}\" r,\n"
                                   "  \"/srv/{open\" r,\n"
                                   "}\n"
                                   "# trailing }\n",
                                   INSERT);

    assert_string_equal(out,
                        "profile " NAME " { # a } in a comment {\n"
                        "  # }\n"
                        "  \"/srv/with}brace\" r,\n"
                        "  \"/srv/quote\\\"}\" r,\n"
                        "  \"/srv/{open\" r,\n"
                        INSERT
                        "}\n"
                        "# trailing }\n");
}

static void
test_template_closing_brace_on_rule_line(void **state)
{
    (void)state;
    g_autofree char *one_line = fill_ok("profile LIBVIRT_TEMPLATE { /a r, }\n", INSERT);
    g_autofree char *last_rule = fill_ok("profile LIBVIRT_TEMPLATE {\n  /a r,\n  /b r, }\n",
                                         INSERT);
    g_autofree char *indented = fill_ok("profile LIBVIRT_TEMPLATE {\n  /a r,\n  }\n", INSERT);

    assert_string_equal(one_line, "profile " NAME " { /a r, \n" INSERT "}\n");
    assert_string_equal(last_rule, "profile " NAME " {\n  /a r,\n  /b r, \n" INSERT "}\n");
    /* Blanks before a brace on its own line stay with the brace. */
    assert_string_equal(indented, "profile " NAME " {\n  /a r,\n" INSERT "  }\n");
}

/* An attachment glob's braces are not the body's: the insert must land in
 * the body, before its closing brace. */
static void
test_template_attachment_glob(void **state)
{
    (void)state;
    const char *tmpl =
        "profile LIBVIRT_TEMPLATE /usr/bin/qemu-{system-x86_64,kvm} flags=(attach_disconnected) {\n"
        "  include <abstractions/base>\n"
        "}\n";
    g_autofree char *out = fill_ok(tmpl, INSERT);

    assert_string_equal(out,
        "profile " NAME " /usr/bin/qemu-{system-x86_64,kvm} flags=(attach_disconnected) {\n"
        "  include <abstractions/base>\n"
        INSERT
        "}\n");
}

static void
test_template_no_placeholder(void **state)
{
    (void)state;
    fill_fails("profile other {\n  /a r,\n}\n");
    fill_fails("");
    /* The name alone, or as part of a longer name, is no profile line. */
    fill_fails("LIBVIRT_TEMPLATE {\n}\n");
    fill_fails("profile LIBVIRT_TEMPLATE_X {\n}\n");
    fill_fails("profileLIBVIRT_TEMPLATE {\n}\n");
}

static void
test_template_two_placeholders(void **state)
{
    (void)state;
    fill_fails("profile LIBVIRT_TEMPLATE {\n  /a r,\n}\n"
               "profile LIBVIRT_TEMPLATE {\n  /b r,\n}\n");
    fill_fails("profile LIBVIRT_TEMPLATE {\n  profile LIBVIRT_TEMPLATE {\n  }\n}\n");
}

static void
test_template_unbalanced(void **state)
{
    (void)state;
    fill_fails("profile LIBVIRT_TEMPLATE {\n  /a r,\n");
    fill_fails("profile LIBVIRT_TEMPLATE {\n  profile child {\n  /a r,\n}\n");
    fill_fails("profile LIBVIRT_TEMPLATE {\n  \"/unterminated r,\n}\n");
    fill_fails("profile LIBVIRT_TEMPLATE {\n  /a r,\n# }");
    fill_fails("profile LIBVIRT_TEMPLATE\n");
}

static void
test_template_commented_placeholder_is_no_match(void **state)
{
    (void)state;
    g_autofree char *out = fill_ok("# profile LIBVIRT_TEMPLATE {\n"
                                   "#profile LIBVIRT_TEMPLATE {\n"
                                   "  # profile LIBVIRT_TEMPLATE {\n"
                                   "profile LIBVIRT_TEMPLATE {\n"
                                   "}\n",
                                   INSERT);

    assert_string_equal(out,
                        "# profile LIBVIRT_TEMPLATE {\n"
                        "#profile LIBVIRT_TEMPLATE {\n"
                        "  # profile LIBVIRT_TEMPLATE {\n"
                        "profile " NAME " {\n"
                        INSERT
                        "}\n");
    fill_fails("# profile LIBVIRT_TEMPLATE {\n}\n");
}

static void
test_template_insert_null_keeps_body(void **state)
{
    (void)state;
    const char *body = " {\n"
                       "  include <abstractions/libvirt-lxc>\n"
                       "  profile child {\n"
                       "  }\n"
                       "}\n";
    g_autofree char *template_text = g_strconcat("profile LIBVIRT_TEMPLATE", body, NULL);
    g_autofree char *expected = g_strconcat("profile " NAME, body, NULL);
    g_autofree char *out = fill_ok(template_text, NULL);
    g_autofree char *same_line = fill_ok("profile LIBVIRT_TEMPLATE { /a r, }", NULL);

    assert_string_equal(out, expected);
    assert_string_equal(same_line, "profile " NAME " { /a r, }");
}

static void
test_template_include_line_format(void **state)
{
    (void)state;
    g_autofree char *line = aavm_template_include_line("/etc/apparmor.d/libvirt/" NAME ".files");

    assert_string_equal(line, "  include if exists \"/etc/apparmor.d/libvirt/" NAME ".files\"\n");
}

static gboolean
write_and_compile(const char *path, const char *text)
{
    g_autofree char *output = NULL;

    assert_true(g_file_set_contents(path, text, -1, NULL));
    if (!aavm_test_compile_profile(path, &output)) {
        print_error("apparmor_parser said:\n%s\nprofile:\n%s\n", output ? output : "", text);
        return FALSE;
    }
    return TRUE;
}

/* Write @text alone into a scratch directory and compile it. */
static gboolean
compile_alone(const char *text)
{
    g_autofree char *dir = aavm_test_make_tmpdir();
    g_autofree char *profile_path = g_build_filename(dir, NAME, NULL);
    gboolean compiled = write_and_compile(profile_path, text);

    aavm_test_rm_rf(dir);
    return compiled;
}

static void
test_template_shipped_qemu_fills_and_compiles(void **state)
{
    (void)state;
    g_autofree char *template_path = aavm_test_srcdir_path("../templates/TEMPLATE.qemu");
    g_autofree char *template_text = aavm_test_read_file(template_path);
    g_autofree char *dir = aavm_test_make_tmpdir();
    g_autofree char *files_path = g_build_filename(dir, NAME ".files", NULL);
    g_autofree char *profile_path = g_build_filename(dir, NAME, NULL);
    g_autofree char *include = aavm_template_include_line(files_path);

    assert_non_null(template_text);
    assert_true(g_file_set_contents(files_path,
                                    AAVM_FILES_HEADER
                                    "  \"/var/lib/libvirt/images/disk.qcow2\" rwk,  # disk vda\n",
                                    -1, NULL));
    g_autofree char *profile = fill_ok(template_text, include);
    g_autofree char *tail = g_strconcat(include, "}\n", NULL);

    assert_non_null(strstr(profile, "profile " NAME " flags=(attach_disconnected) {\n"));
    assert_null(strstr(profile, AAVM_TEMPLATE_PLACEHOLDER));
    assert_true(g_str_has_suffix(profile, tail));

    gboolean compiled = write_and_compile(profile_path, profile);
    aavm_test_rm_rf(dir);
    assert_true(compiled);
}

static void
test_template_shipped_lxc_fills_and_compiles(void **state)
{
    (void)state;
    g_autofree char *template_path = aavm_test_srcdir_path("../templates/TEMPLATE.lxc");
    g_autofree char *template_text = aavm_test_read_file(template_path);

    assert_non_null(template_text);
    g_autofree char *profile = fill_ok(template_text, NULL);

    assert_non_null(strstr(profile, "profile " NAME " flags=("));
    assert_null(strstr(profile, AAVM_TEMPLATE_PLACEHOLDER));
    assert_null(strstr(profile, "include if exists"));
    /* Only the name changed. */
    assert_int_equal(strlen(profile),
                     strlen(template_text) - strlen(AAVM_TEMPLATE_PLACEHOLDER) + strlen(NAME));
    assert_true(compile_alone(profile));
}

static void
test_template_includes_files(void **state)
{
    (void)state;
    const char *files = "/etc/apparmor.d/libvirt/libvirt-x.files";

    assert_true(aavm_template_includes_files(
        "profile p {\n  include if exists \"/etc/apparmor.d/libvirt/libvirt-x.files\"\n}\n", files));
    assert_true(aavm_template_includes_files("profile p {\n\t#include <" "/etc/apparmor.d/libvirt/libvirt-x.files>\n}\n", files));
    assert_true(aavm_template_includes_files("  include \"/etc/apparmor.d/libvirt/libvirt-x.files\"", files));
    /* A comment naming it, or another VM's .files, does not count. */
    assert_false(aavm_template_includes_files(
        "profile p {\n  # include if exists \"/etc/apparmor.d/libvirt/libvirt-x.files\"\n}\n", files));
    assert_false(aavm_template_includes_files(
        "  include if exists \"/etc/apparmor.d/libvirt/libvirt-y.files\"\n", files));
    assert_false(aavm_template_includes_files("", files));
    /* virt-aa-helper's spellings: relative to the AppArmor directory. */
    assert_true(aavm_template_includes_files("  #include <libvirt/libvirt-x.files>\n", files));
    assert_true(aavm_template_includes_files("  include <libvirt/libvirt-x.files>\n", files));
    assert_true(aavm_template_includes_files("  include if exists <libvirt/libvirt-x.files>\n", files));
    /* ... but only that file, in that directory, named exactly. */
    assert_false(aavm_template_includes_files("  #include <libvirt/libvirt-y.files>\n", files));
    assert_false(aavm_template_includes_files("  #include <other/libvirt-x.files>\n", files));
    assert_false(aavm_template_includes_files("  #include <libvirt-x.files>\n", files));
    assert_false(aavm_template_includes_files("  #include <../apparmor.d/libvirt/libvirt-x.files>\n", files));
    assert_false(aavm_template_includes_files("  #include \"libvirt/libvirt-x.files\"\n", files));
    assert_false(aavm_template_includes_files("  include if exists \"/etc/apparmor.d/libvirt/libvirt-x.files.old\"\n", files));
    assert_false(aavm_template_includes_files("  # include <libvirt/libvirt-x.files>\n", files));
    assert_false(aavm_template_includes_files("  #include <libvirt/libvirt-x.files> junk\n", files));
}

/* Fill @template_text with @abi pinned; no error expected. */
static char *
fill_abi(const char *template_text, const char *abi)
{
    g_autoptr(GError) error = NULL;
    char *out = aavm_template_fill(template_text, NAME, NULL, abi, &error);

    assert_null(error);
    assert_non_null(out);
    return out;
}

static void
test_template_pin_abi(void **state)
{
    (void)state;
    /* Each abi rule of the preamble (indented or not, <> or "") is pinned;
     * a line in the profile's body and a comment are not. */
    g_autofree char *a = fill_abi("# abi <abi/3.0>, in a comment\nabi <abi/3.0>,\n"
                                  "  abi \"abi/3.0\",\ninclude <x>\n"
                                  "profile " AAVM_TEMPLATE_PLACEHOLDER " {\n  abi <abi/3.0>,\n}\n",
                                  "5.0");
    assert_string_equal(a, "# abi <abi/3.0>, in a comment\nabi <abi/5.0>,\nabi <abi/5.0>,\n"
                           "include <x>\nprofile " NAME " {\n  abi <abi/3.0>,\n}\n");
    /* None in the preamble: the rule is put first. */
    g_autofree char *b = fill_abi("include <x>\nprofile " AAVM_TEMPLATE_PLACEHOLDER " {\n}\n", "4.0");
    assert_string_equal(b, "abi <abi/4.0>,\ninclude <x>\nprofile " NAME " {\n}\n");
    g_autofree char *c = fill_abi("profile " AAVM_TEMPLATE_PLACEHOLDER " {\n}\n", "4.0");
    assert_string_equal(c, "abi <abi/4.0>,\nprofile " NAME " {\n}\n");
    /* "abiX" is not an abi rule. */
    g_autofree char *d = fill_abi("abi_x = 1\nprofile " AAVM_TEMPLATE_PLACEHOLDER " {\n}\n", "4.0");
    assert_string_equal(d, "abi <abi/4.0>,\nabi_x = 1\nprofile " NAME " {\n}\n");
    /* Without @abi, the template's rule stays. */
    g_autofree char *e = fill_abi("abi <abi/3.0>,\nprofile " AAVM_TEMPLATE_PLACEHOLDER " {\n}\n", NULL);
    assert_string_equal(e, "abi <abi/3.0>,\nprofile " NAME " {\n}\n");
}

static void
test_template_abi_valid(void **state)
{
    (void)state;
    assert_true(aavm_template_abi_valid("3.0"));
    assert_true(aavm_template_abi_valid("4.0"));
    assert_true(aavm_template_abi_valid("10.12"));
    assert_false(aavm_template_abi_valid("4"));
    assert_false(aavm_template_abi_valid("4."));
    assert_false(aavm_template_abi_valid(".0"));
    assert_false(aavm_template_abi_valid("4.0.1"));
    assert_false(aavm_template_abi_valid("4.0>,"));
    assert_false(aavm_template_abi_valid("4.0\n"));
    assert_false(aavm_template_abi_valid(" 4.0"));
    assert_false(aavm_template_abi_valid("../4.0"));
    assert_false(aavm_template_abi_valid("abi/4.0"));
    assert_false(aavm_template_abi_valid("123.0"));
    assert_false(aavm_template_abi_valid("4.0-ip"));
    assert_false(aavm_template_abi_valid(""));
    assert_false(aavm_template_abi_valid(NULL));
}

/* The shipped template, its abi rule changed to another abi file of this
 * machine's parser, pinned to 3.0 (the only version that parser knows):
 * the rule is replaced and the profile compiles.  The newer abis are
 * compiled by the parser matrix (tests/profiles/test-parser-matrix.sh). */
static void
test_template_shipped_pinned_compiles(void **state)
{
    (void)state;
    g_autofree char *template_path = aavm_test_srcdir_path("../templates/TEMPLATE.qemu");
    g_autofree char *template_text = aavm_test_read_file(template_path);

    assert_non_null(template_text);
    assert_non_null(strstr(template_text, "\nabi <abi/3.0>,\n"));
    g_auto(GStrv) parts = g_strsplit(template_text, "\nabi <abi/3.0>,\n", -1);
    g_autofree char *other = g_strjoinv("\nabi <abi/kernel-5.4-vanilla>,\n", parts);
    g_autofree char *profile = fill_abi(other, "3.0");
    assert_non_null(strstr(profile, "\nabi <abi/3.0>,\n"));
    assert_null(strstr(profile, "kernel-5.4"));
    assert_true(compile_alone(profile));
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_includes_files),
        cmocka_unit_test(test_template_name_replaced),
        cmocka_unit_test(test_template_name_replaced_with_brace_on_same_line),
        cmocka_unit_test(test_template_insert_before_closing_brace),
        cmocka_unit_test(test_template_child_profile),
        cmocka_unit_test(test_template_child_profile_last_in_body),
        cmocka_unit_test(test_template_braces_in_comments_and_strings_ignored),
        cmocka_unit_test(test_template_closing_brace_on_rule_line),
        cmocka_unit_test(test_template_attachment_glob),
        cmocka_unit_test(test_template_no_placeholder),
        cmocka_unit_test(test_template_two_placeholders),
        cmocka_unit_test(test_template_unbalanced),
        cmocka_unit_test(test_template_commented_placeholder_is_no_match),
        cmocka_unit_test(test_template_insert_null_keeps_body),
        cmocka_unit_test(test_template_include_line_format),
        cmocka_unit_test(test_template_shipped_qemu_fills_and_compiles),
        cmocka_unit_test(test_template_shipped_lxc_fills_and_compiles),
        cmocka_unit_test(test_template_pin_abi),
        cmocka_unit_test(test_template_abi_valid),
        cmocka_unit_test(test_template_shipped_pinned_compiles),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
