/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-render.c: access list -> rule text (helper/render/render.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "access.h"
#include "render.h"
#include "template.h"
#include "testutil.h"

static char *
render_one(const char *path, AavmMatch match, AavmPerm perms, const char *reason)
{
    g_autoptr(AavmAccess) access = aavm_access_new(path, match, perms, reason);

    return aavm_render_rule(access);
}

static guint
count_char(const char *text, char c)
{
    guint n = 0;

    for (; *text; text++)
        if (*text == c)
            n++;
    return n;
}

static void
test_render_rule_format(void **state)
{
    (void)state;
    g_autofree char *rwk = render_one("/var/lib/libvirt/images/disk.qcow2", AAVM_MATCH_EXACT,
                                      AAVM_PERM_RWK, "disk vda");
    g_autofree char *r = render_one("/boot/vmlinuz", AAVM_MATCH_EXACT, AAVM_PERM_READ,
                                    "kernel");
    g_autofree char *all = render_one("/srv/x", AAVM_MATCH_EXACT, AAVM_PERM_ALL, "all");

    /* The reason on its own comment line above the rule: the rule line
     * ends in its comma, as the reference's (libvirt's test matches ",$"). */
    assert_string_equal(rwk, "  # disk vda\n  \"/var/lib/libvirt/images/disk.qcow2\" rwk,\n");
    assert_string_equal(r, "  # kernel\n  \"/boot/vmlinuz\" r,\n");
    assert_string_equal(all, "  # all\n  \"/srv/x\" rwlkm,\n");
}

static void
test_render_rule_escapes_special_characters(void **state)
{
    (void)state;
    /* Each of * ? [ ] { } ^ \ , @ gets one backslash; the rest is kept. */
    g_autofree char *line = render_one("/srv/a*b?c[d]e{f}g^h\\i,j@k l", AAVM_MATCH_EXACT,
                                       AAVM_PERM_READ, "x");
    g_autofree char *var = render_one("/srv/@{HOME}/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "x");
    g_autofree char *utf8 = render_one("/srv/\xc3\xa4\xe2\x82\xac.img", AAVM_MATCH_EXACT,
                                       AAVM_PERM_READ, "x");

    assert_string_equal(line,
                        "  # x\n  \"/srv/a\\*b\\?c\\[d\\]e\\{f\\}g\\^h\\\\i\\,j\\@k l\" r,\n");
    assert_string_equal(var, "  # x\n  \"/srv/\\@\\{HOME\\}/x\" r,\n");
    assert_string_equal(utf8, "  # x\n  \"/srv/\xc3\xa4\xe2\x82\xac.img\" r,\n");
}

static void
test_render_rule_match_kinds(void **state)
{
    (void)state;
    g_autofree char *dir = render_one("/srv/share", AAVM_MATCH_DIR, AAVM_PERM_READ, "d");
    g_autofree char *tree = render_one("/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RWK, "t");
    g_autofree char *pattern = render_one("/var/log/libvirt/**/vm\\@x.log", AAVM_MATCH_PATTERN,
                                          AAVM_PERM_WRITE, "log file");
    g_autofree char *dir_esc = render_one("/srv/a*b", AAVM_MATCH_DIR, AAVM_PERM_READ, "d");
    g_autofree char *tree_esc = render_one("/srv/{x}", AAVM_MATCH_TREE, AAVM_PERM_READ, "t");

    assert_string_equal(dir, "  # d\n  \"/srv/share/\" r,\n");
    assert_string_equal(tree, "  # t\n  \"/srv/share/**\" rwk,\n");
    /* A pattern is written verbatim: no escaping of its stars or backslash. */
    assert_string_equal(pattern, "  # log file\n  \"/var/log/libvirt/**/vm\\@x.log\" w,\n");
    assert_string_equal(dir_esc, "  # d\n  \"/srv/a\\*b/\" r,\n");
    assert_string_equal(tree_esc, "  # t\n  \"/srv/\\{x\\}/**\" r,\n");
}

static void
test_render_rule_reason_cannot_add_a_rule(void **state)
{
    (void)state;
    g_autofree char *line = render_one("/srv/disk.img", AAVM_MATCH_EXACT, AAVM_PERM_READ,
                                       "disk vda\n  \"/etc/shadow\" rw,");
    g_autofree char *cr = render_one("/srv/disk.img", AAVM_MATCH_EXACT, AAVM_PERM_READ,
                                     "a\rb\tc\x7f" "d\x01");

    /* One comment line and the rule line, ending in the newlines the
     * renderer adds. */
    assert_int_equal(count_char(line, '\n'), 2);
    assert_true(g_str_has_suffix(line, "\n"));
    assert_string_equal(line,
                        "  # disk vda?  \"/etc/shadow\" rw,\n  \"/srv/disk.img\" r,\n");
    assert_string_equal(cr, "  # a?b?c?d?\n  \"/srv/disk.img\" r,\n");
}

static void
test_render_rule_empty_reason_has_no_comment(void **state)
{
    (void)state;
    g_autofree char *empty = render_one("/srv/x", AAVM_MATCH_EXACT, AAVM_PERM_RW, "");
    g_autofree char *none = render_one("/srv/y", AAVM_MATCH_EXACT, AAVM_PERM_RW, NULL);

    assert_string_equal(empty, "  \"/srv/x\" rw,\n");
    assert_string_equal(none, "  \"/srv/y\" rw,\n");
}

static void
test_render_rule_inline(void **state)
{
    (void)state;
    g_autoptr(AavmAccess) access = aavm_access_new("/srv/iso/a b.iso", AAVM_MATCH_EXACT,
                                                   AAVM_PERM_READ, "added\nfor a denial");
    g_autoptr(AavmAccess) bare = aavm_access_new("/srv/x", AAVM_MATCH_TREE, AAVM_PERM_RW, NULL);
    g_autofree char *line = aavm_render_rule_inline(access);
    g_autofree char *bare_line = aavm_render_rule_inline(bare);

    assert_string_equal(line, "\"/srv/iso/a b.iso\" r,  # added?for a denial");
    assert_string_equal(bare_line, "\"/srv/x/**\" rw,");
}

static AavmAccessList *
small_list(void)
{
    AavmAccessList *list = aavm_access_list_new();

    aavm_access_list_add(list, "/srv/b.img", AAVM_MATCH_EXACT, AAVM_PERM_RWK, "disk vdb");
    aavm_access_list_add(list, "/srv/a.img", AAVM_MATCH_EXACT, AAVM_PERM_RK, "disk vda");
    aavm_access_list_sort(list);
    return list;
}

static void
test_render_body_has_no_header(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = small_list();
    g_autoptr(AavmAccessList) empty = aavm_access_list_new();
    g_autofree char *body = aavm_render_body(list);
    g_autofree char *empty_body = aavm_render_body(empty);

    assert_string_equal(body,
                        "  # disk vda\n"
                        "  \"/srv/a.img\" rk,\n"
                        "  # disk vdb\n"
                        "  \"/srv/b.img\" rwk,\n");
    assert_null(strstr(body, "DO NOT EDIT"));
    assert_string_equal(empty_body, "");
}

static void
test_render_files_has_header_first(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = small_list();
    g_autoptr(AavmAccessList) empty = aavm_access_list_new();
    g_autofree char *files = aavm_render_files(list, "vm1");
    g_autofree char *empty_files = aavm_render_files(empty, NULL);

    assert_string_equal(files,
                        AAVM_FILES_HEADER
                        "# vm: vm1\n"
                        "  # disk vda\n"
                        "  \"/srv/a.img\" rk,\n"
                        "  # disk vdb\n"
                        "  \"/srv/b.img\" rwk,\n");
    assert_true(g_str_has_prefix(files, "# DO NOT EDIT THIS FILE DIRECTLY."));
    assert_string_equal(empty_files, AAVM_FILES_HEADER);
}

/* The VM's name on a header line of its own, read back as it was; a name
 * that could end that comment line gets no line at all (the pipeline
 * refuses such a name before it gets here). */
static void
test_render_files_vm_name(void **state)
{
    (void)state;
    static const char *const names[] = { "vm1", "web [prod]*", "a\"b\\c #d", "\xc3\xa4-\xe2\x82\xac" };
    static const char *const hostile[] = { "a\nprofile x {", "a\rb", "tab\there", "del\x7f", "" };
    g_autoptr(AavmAccessList) list = small_list();

    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *files = aavm_render_files(list, names[i]);
        g_autofree char *name = aavm_render_files_vm_name(files);
        assert_string_equal(name, names[i]);
        g_autoptr(GPtrArray) rules = aavm_render_read_rules(files);
        assert_int_equal(rules->len, 2);
    }
    for (guint i = 0; i < G_N_ELEMENTS(hostile); i++) {
        g_autofree char *files = aavm_render_files(list, hostile[i]);
        g_autofree char *header = aavm_render_files_header(hostile[i]);
        assert_true(g_str_has_prefix(files, AAVM_FILES_HEADER "  # disk vda\n"));
        assert_string_equal(header, AAVM_FILES_HEADER);
        assert_null(aavm_render_files_vm_name(files));
    }
    /* Only the header counts, and a line with a control character is no name. */
    assert_null(aavm_render_files_vm_name(AAVM_FILES_HEADER "  \"/x\" r,\n# vm: late\n"));
    assert_null(aavm_render_files_vm_name("# vm: a\rb\n"));
    assert_null(aavm_render_files_vm_name("# vm: \n"));
    assert_null(aavm_render_files_vm_name(NULL));
}

static void
test_render_tricky_paths_compile(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/srv/vm images/my disk.img",
        "/srv/a*b.img",
        "/srv/[x].img",
        "/srv/{a,b}.img",
        "/srv/@{HOME}/disk.img",
        "/srv/back\\slash.img",
        "/srv/com,ma.img",
        "/srv/q?^.img",
        "/srv/\xc3\xa4\xc3\xb6\xc3\xbc-\xe2\x82\xac-\xe6\x97\xa5\xe6\x9c\xac.img",
        "/srv/hash#not-a-comment.img",
    };
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    g_autofree char *template_path = aavm_test_srcdir_path("../templates/TEMPLATE.qemu");
    g_autofree char *template_text = aavm_test_read_file(template_path);
    g_autoptr(GError) error = NULL;
    g_autofree char *dir = aavm_test_make_tmpdir();
    g_autofree char *profile_path = g_build_filename(dir, "libvirt-tricky", NULL);
    g_autofree char *output = NULL;

    for (guint i = 0; i < G_N_ELEMENTS(paths); i++)
        aavm_access_list_add(list, paths[i], AAVM_MATCH_EXACT, AAVM_PERM_RWK, "tricky");
    aavm_access_list_add(list, "/srv/dir {a,b}", AAVM_MATCH_DIR, AAVM_PERM_READ, "dir");
    aavm_access_list_add(list, "/srv/dir {a,b}", AAVM_MATCH_TREE, AAVM_PERM_RWK, "dir");
    aavm_access_list_add(list, "/var/log/libvirt/**/a b\\@x.log", AAVM_MATCH_PATTERN,
                         AAVM_PERM_WRITE, "log file");
    aavm_access_list_add(list, "/srv/reason.img", AAVM_MATCH_EXACT, AAVM_PERM_READ,
                         "x\n  \"/etc/shadow\" rw,\n}\nprofile evil {");
    aavm_access_list_sort(list);

    g_autofree char *body = aavm_render_body(list);
    assert_int_equal(count_char(body, '\n'), 2 * (G_N_ELEMENTS(paths) + 4));
    assert_null(strstr(body, "\n  \"/etc/shadow\""));
    /* Every line is a comment or a rule ending in its comma. */
    g_auto(GStrv) lines = g_strsplit(body, "\n", -1);
    for (guint i = 0; lines[i] && *lines[i]; i++)
        assert_true(g_str_has_prefix(lines[i], "  # ") || g_str_has_suffix(lines[i], ","));

    assert_non_null(template_text);
    g_autofree char *profile = aavm_template_fill(template_text, "libvirt-tricky", body, NULL, &error);
    assert_null(error);
    assert_non_null(profile);
    assert_non_null(strstr(profile, body));
    assert_true(g_file_set_contents(profile_path, profile, -1, NULL));

    gboolean compiled = aavm_test_compile_profile(profile_path, &output);
    if (!compiled)
        print_error("apparmor_parser said:\n%s\nprofile:\n%s\n", output ? output : "", profile);
    aavm_test_rm_rf(dir);
    assert_true(compiled);
}

/* aavm_render_split_rule() reads back what aavm_render_rule() wrote. */
static void
test_render_split_rule_round_trip(void **state)
{
    (void)state;
    /* (No '"': the path policy refuses it before anything is rendered.) */
    const char *const paths[] = { "/srv/vm/a*b [1] {x}.img", "/srv/c,o#mma r,", "/srv/back\\slash",
                                  "/srv/@{HOME}/d\xc3\xa4" };

    for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
        g_autoptr(AavmAccess) access = aavm_access_new(paths[i], AAVM_MATCH_EXACT, AAVM_PERM_RWK,
                                                       "disk vda, \"quoted\" reason");
        g_autofree char *text = aavm_render_rule(access);
        g_autofree char *inline_text = aavm_render_rule_inline(access);
        g_autofree char *quoted = aavm_render_path(access);
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
        const char *line = lines[1];
        g_autofree char *path = NULL;
        g_autofree char *perms = NULL;
        g_autofree char *path2 = NULL;
        g_autofree char *perms2 = NULL;

        assert_int_equal(g_strv_length(lines), 3);
        assert_false(aavm_render_split_rule(lines[0], &path, &perms));
        assert_true(aavm_render_split_rule(line, &path, &perms));
        assert_string_equal(path, quoted);
        assert_true(g_str_has_prefix(line, "  ") && strstr(line, quoted) == line + 2);
        assert_string_equal(perms, "rwk");
        /* The one-line form for people reads back the same. */
        assert_true(aavm_render_split_rule(inline_text, &path2, &perms2));
        assert_string_equal(path2, quoted);
        assert_string_equal(perms2, "rwk");
    }
}

static void
test_render_split_rule_other_lines(void **state)
{
    (void)state;
    const char *const lines[] = {
        "", "# DO NOT EDIT", "  # \"/x\" r,", "  include <abstractions/base>",
        "  \"/unterminated r,", "  \"/x\" r", "  \"/x\"r,", "  \"/x\" ,", "  /x r,",
    };

    for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
        char *path = NULL;
        char *perms = NULL;
        if (aavm_render_split_rule(lines[i], &path, &perms))
            print_error("'%s' read as a rule\n", lines[i]);
        assert_false(aavm_render_split_rule(lines[i], &path, &perms));
        assert_null(path);
    }
    g_autoptr(AavmAccess) tree = aavm_access_new("/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RW, NULL);
    g_autofree char *quoted = aavm_render_path(tree);
    assert_string_equal(quoted, "\"/srv/share/**\"");
}

/* Paths and reasons that need escaping, a pattern, a rule without reason. */
static AavmAccessList *
tricky_list(void)
{
    AavmAccessList *list = aavm_access_list_new();

    aavm_access_list_add(list, "/srv/vm/a*b [1] {x}.img", AAVM_MATCH_EXACT, AAVM_PERM_RWK, "disk vda");
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_DIR, AAVM_PERM_READ, "filesystem share, \"q\"");
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RW, "filesystem share");
    aavm_access_list_add(list, "/run/libvirt/**/vm1.pid", AAVM_MATCH_PATTERN, AAVM_PERM_RWK, "pid file");
    aavm_access_list_add(list, "/srv/no-reason", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_sort(list);
    return list;
}

/* aavm_render_read_rules() reads back every rule of a rendered .files with
 * its reason, and nothing else. */
static void
test_render_read_rules_round_trip(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = tricky_list();
    g_autofree char *text = aavm_render_files(list, "vm1");
    g_autofree char *with_other = g_strconcat(text, "# a comment\n  include <x>\n\n", NULL);
    g_autoptr(GPtrArray) rules = aavm_render_read_rules(with_other);

    assert_int_equal(rules->len, aavm_access_list_length(list));
    for (guint i = 0; i < rules->len; i++) {
        const AavmRenderedRule *rule = g_ptr_array_index(rules, i);
        const AavmAccess *access = aavm_access_list_get(list, i);
        g_autofree char *quoted = aavm_render_path(access);
        g_autofree char *aare = g_strndup(quoted + 1, strlen(quoted) - 2);

        assert_string_equal(rule->aare, aare);
        assert_string_equal(rule->perms, aavm_perm_to_string(access->perms));
        if (*access->reason)
            assert_string_equal(rule->reason, access->reason);
        else
            assert_null(rule->reason);
    }
    g_autoptr(GPtrArray) none = aavm_render_read_rules(NULL);
    assert_int_equal(none->len, 0);
}

/* The reason after the rule (.files of earlier versions) is read too; a
 * header comment or a comment with a line between is no rule's reason. */
static void
test_render_read_rules_other_forms(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) rules = aavm_render_read_rules(
        "# header\n  \"/a\" r,  # disk vda\n# not a reason\n  \"/b\" rw,\n"
        "  # gone\n\n  \"/c\" r,\n");

    assert_int_equal(rules->len, 3);
    assert_string_equal(((AavmRenderedRule *)g_ptr_array_index(rules, 0))->reason, "disk vda");
    assert_null(((AavmRenderedRule *)g_ptr_array_index(rules, 1))->reason);
    assert_null(((AavmRenderedRule *)g_ptr_array_index(rules, 2))->reason);
}

/* aavm_render_read_list(): the rules read back as entries render again
 * byte for byte; letters aavm does not write leave the rule out, named. */
static void
test_render_read_list_round_trip(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = tricky_list();
    aavm_access_list_add(list, "/srv/ctl", AAVM_MATCH_EXACT, AAVM_PERM_RW, "fs \x01 share");
    aavm_access_list_sort(list);
    g_autofree char *files = aavm_render_files(list, "vm1");
    g_autofree char *body = aavm_render_body(list);
    g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *foreign = g_strconcat(files, "  \"/usr/bin/x\" ix,\n", NULL);
    g_autoptr(AavmAccessList) back = aavm_render_read_list(foreign, dropped);
    g_autofree char *again = aavm_render_body(back);

    assert_string_equal(again, body);
    assert_int_equal(dropped->len, 1);
    assert_string_equal(g_ptr_array_index(dropped, 0), "\"/usr/bin/x\" ix");
    const AavmAccess *tree = aavm_access_list_lookup(list, "/srv/share", AAVM_MATCH_TREE);
    g_autofree char *aare = aavm_render_aare(tree);
    assert_string_equal(aare, "/srv/share/**");
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_split_rule_round_trip),
        cmocka_unit_test(test_render_split_rule_other_lines),
        cmocka_unit_test(test_render_read_rules_round_trip),
        cmocka_unit_test(test_render_read_rules_other_forms),
        cmocka_unit_test(test_render_rule_format),
        cmocka_unit_test(test_render_rule_escapes_special_characters),
        cmocka_unit_test(test_render_rule_match_kinds),
        cmocka_unit_test(test_render_rule_reason_cannot_add_a_rule),
        cmocka_unit_test(test_render_rule_empty_reason_has_no_comment),
        cmocka_unit_test(test_render_rule_inline),
        cmocka_unit_test(test_render_body_has_no_header),
        cmocka_unit_test(test_render_files_has_header_first),
        cmocka_unit_test(test_render_files_vm_name),
        cmocka_unit_test(test_render_read_list_round_trip),
        cmocka_unit_test(test_render_tricky_paths_compile),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
