/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-aare.c: escaping literal text for AppArmor rules, and refusing text
 * that no escaping can make safe. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "aare.h"
#include "aavm-error.h"

/* The characters the header promises to escape, spelled out here so a
 * change of AAVM_AARE_SPECIAL does not silently weaken the tests. */
static const char special_chars[] = { '*', '?', '[', ']', '{', '}', '^', '\\', ',', '@' };

static gboolean
is_special(char c)
{
    return c != '\0' && memchr(special_chars, c, sizeof special_chars) != NULL;
}

/* Undo the escaping; NULL when @escaped is not well-formed escaped text:
 * a backslash not followed by a special character, or a special character
 * without a backslash in front. */
static char *
unescape(const char *escaped)
{
    GString *out = g_string_new("");

    for (const char *c = escaped; *c; c++) {
        if (*c == '\\') {
            if (!is_special(c[1])) {
                g_string_free(out, TRUE);
                return NULL;
            }
            c++;
        } else if (is_special(*c)) {
            g_string_free(out, TRUE);
            return NULL;
        }
        g_string_append_c(out, *c);
    }
    return g_string_free(out, FALSE);
}

/* Whether position @i of @s is preceded by an odd number of backslashes. */
static gboolean
is_escaped_at(const char *s, gsize i)
{
    gsize n = 0;

    while (i > n && s[i - n - 1] == '\\')
        n++;
    return n % 2 == 1;
}

/* Whether "@{" appears in @s with the '@' not escaped. */
static gboolean
has_live_variable(const char *s)
{
    for (const char *p = strstr(s, "@{"); p; p = strstr(p + 1, "@{"))
        if (!is_escaped_at(s, (gsize)(p - s)))
            return TRUE;
    return FALSE;
}

static void
check_escape_properties(const char *text)
{
    g_autofree char *escaped = aavm_aare_escape(text);
    g_autofree char *back = NULL;

    assert_non_null(escaped);
    back = unescape(escaped);
    if (!back)
        fail_msg("escape('%s') = '%s' is not well-formed", text, escaped);
    assert_string_equal(back, text);
    if (has_live_variable(escaped))
        fail_msg("escape('%s') = '%s' starts a variable", text, escaped);
    if (strstr(escaped, "@{"))
        fail_msg("escape('%s') = '%s' contains \"@{\"", text, escaped);
}

static void
test_aare_special_constant(void **state)
{
    (void)state;
    assert_int_equal(strlen(AAVM_AARE_SPECIAL), sizeof special_chars);
    for (guint i = 0; i < sizeof special_chars; i++)
        assert_non_null(strchr(AAVM_AARE_SPECIAL, special_chars[i]));
}

static void
test_aare_escape_each_special(void **state)
{
    (void)state;
    for (guint i = 0; i < sizeof special_chars; i++) {
        char in[2] = { special_chars[i], '\0' };
        char expected[3] = { '\\', special_chars[i], '\0' };
        g_autofree char *out = aavm_aare_escape(in);

        assert_string_equal(out, expected);
    }
}

static void
test_aare_escape_each_special_in_context(void **state)
{
    (void)state;
    for (guint i = 0; i < sizeof special_chars; i++) {
        g_autofree char *in = g_strdup_printf("/a%cb/%c", special_chars[i], special_chars[i]);
        g_autofree char *expected = g_strdup_printf("/a\\%cb/\\%c", special_chars[i],
                                                    special_chars[i]);
        g_autofree char *out = aavm_aare_escape(in);

        assert_string_equal(out, expected);
    }
}

static void
test_aare_escape_examples(void **state)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "", "" },
        { "/var/lib/libvirt/images/disk.qcow2", "/var/lib/libvirt/images/disk.qcow2" },
        { "/a b/c d", "/a b/c d" },
        { "/x/*", "/x/\\*" },
        { "/x/**", "/x/\\*\\*" },
        { "/x/file?.img", "/x/file\\?.img" },
        { "/x/[abc]", "/x/\\[abc\\]" },
        { "/x/{a,b}", "/x/\\{a\\,b\\}" },
        { "/x/^y", "/x/\\^y" },
        { "/x/a\\b", "/x/a\\\\b" },
        { "/x/@{HOME}/y", "/x/\\@\\{HOME\\}/y" },
        { "@{", "\\@\\{" },
        { "\\@{", "\\\\\\@\\{" },
        { "/éàü/日本/disk", "/éàü/日本/disk" },
        { "/x/'$:;!#%&()+=~`|<>", "/x/'$:;!#%&()+=~`|<>" },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *out = aavm_aare_escape(cases[i].in);

        assert_string_equal(out, cases[i].out);
    }
}

static void
test_aare_escape_other_chars_unchanged(void **state)
{
    (void)state;
    /* Every printable ASCII character that is not special passes as is. */
    for (int c = 0x20; c < 0x7f; c++) {
        char in[2] = { (char)c, '\0' };
        g_autofree char *out = aavm_aare_escape(in);

        if (is_special((char)c))
            assert_int_equal(strlen(out), 2);
        else
            assert_string_equal(out, in);
    }
}

static void
test_aare_escape_round_trip_all_pairs(void **state)
{
    /* Every string of up to three characters over an alphabet that holds all
     * special characters and some ordinary ones: unescapes to itself and
     * never contains "@{". */
    static const char alphabet[] = "*?[]{}^\\,@a/ ";
    const gsize n = strlen(alphabet);

    (void)state;
    for (gsize a = 0; a < n; a++) {
        for (gsize b = 0; b < n; b++) {
            for (gsize c = 0; c <= n; c++) {
                char in[4] = { alphabet[a], alphabet[b], c < n ? alphabet[c] : '\0', '\0' };
                check_escape_properties(in);
            }
        }
    }
}

static void
test_aare_escape_variable_cannot_survive(void **state)
{
    static const char *const inputs[] = {
        "@{HOME}",
        "/home/@{USER}/disk.img",
        "@@{x}",
        "\\@{x}",
        "\\\\@{x}",
        "@\\{x}",
        "{@{}}",
        "@{@{@{",
        "/a@/{b}",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(inputs); i++)
        check_escape_properties(inputs[i]);
}

static void
test_aare_append_escaped(void **state)
{
    g_autoptr(GString) out = g_string_new("prefix \"");

    (void)state;
    aavm_aare_append_escaped(out, "/a*b");
    aavm_aare_append_escaped(out, "");
    aavm_aare_append_escaped(out, "@{x}");
    g_string_append_c(out, '"');
    /* What was in the string before is left as it was (not escaped). */
    assert_string_equal(out->str, "prefix \"/a\\*b\\@\\{x\\}\"");
}

static void
test_aare_append_matches_escape(void **state)
{
    static const char *const inputs[] = { "", "plain", "/x/{a,b}/[c]*?^\\@" };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(inputs); i++) {
        g_autoptr(GString) out = g_string_new("");
        g_autofree char *escaped = aavm_aare_escape(inputs[i]);

        aavm_aare_append_escaped(out, inputs[i]);
        assert_string_equal(out->str, escaped);
    }
}

static void
assert_literal_refused(const char *text)
{
    g_autoptr(GError) error = NULL;
    gboolean ret = aavm_aare_check_literal(text, "test thing", &error);

    assert_false(ret);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    /* The message names what was checked. */
    assert_non_null(strstr(error->message, "test thing"));
}

static void
test_aare_check_literal_refuses_double_quote(void **state)
{
    (void)state;
    assert_literal_refused("\"");
    assert_literal_refused("/x/a\"b");
    assert_literal_refused("/x/\" rw, /** rwk, \"");
    assert_literal_refused("/x/\"");
}

static void
test_aare_check_literal_refuses_each_control_char(void **state)
{
    (void)state;
    for (int c = 0x01; c < 0x20; c++) {
        char text[8];
        g_autoptr(GError) error = NULL;

        g_snprintf(text, sizeof text, "/a%cb", c);
        assert_false(aavm_aare_check_literal(text, "path", &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
        /* The message shows the character escaped, never raw. */
        assert_null(strchr(error->message, c));
    }
}

static void
test_aare_check_literal_refuses_named_controls(void **state)
{
    (void)state;
    assert_literal_refused("\n");
    assert_literal_refused("/x/disk.img\n/** rwk,");
    assert_literal_refused("/x/a\tb");
    assert_literal_refused("/x/a\rb");
    assert_literal_refused("/x/a\x1b[0mb");
    assert_literal_refused("\x7f");
    assert_literal_refused("/x/a\x7f" "b");
    assert_literal_refused("/x/a\x01");
}

static void
test_aare_check_literal_refuses_invalid_utf8(void **state)
{
    static const char *const invalid[] = {
        "\xff",
        "/x/\xfe",
        "/x/\xc3",          /* truncated two-byte sequence */
        "/x/\xc3(",         /* bad continuation */
        "/x/\xc0\xaf",      /* overlong '/' */
        "/x/\xe0\x80\xaf",  /* overlong '/' */
        "/x/\xed\xa0\x80",  /* UTF-16 surrogate */
        "/x/\xf4\x90\x80\x80", /* above U+10FFFF */
        "/x/\x80",          /* lone continuation byte */
        "/x/\xe6\x97",      /* truncated three-byte sequence */
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(invalid); i++)
        assert_literal_refused(invalid[i]);
}

static void
test_aare_check_literal_accepts(void **state)
{
    static const char *const valid[] = {
        "/var/lib/libvirt/images/disk.qcow2",
        "/a b/c  d/ e ",
        " ",
        "/x/éàü",
        "/x/日本語/ディスク.img",
        "/x/\xf0\x9f\x98\x80.img", /* U+1F600, four bytes */
        "/x/'single' $dollar: colon; @at #hash",
        /* Special characters are escaped later, not refused here. */
        "/x/*?[]{}^\\,@{HOME}",
        "My VM (test) 1",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(valid); i++) {
        g_autoptr(GError) error = NULL;

        if (!aavm_aare_check_literal(valid[i], "path", &error))
            fail_msg("'%s' refused: %s", valid[i], error ? error->message : "(no error)");
        assert_null(error);
    }
}

static void
test_aare_check_literal_null_error(void **state)
{
    (void)state;
    /* No GError wanted: still refused, no crash. */
    assert_false(aavm_aare_check_literal("/a\nb", "path", NULL));
    assert_false(aavm_aare_check_literal("/a\"b", "path", NULL));
    assert_false(aavm_aare_check_literal("/a\xff", "path", NULL));
    assert_true(aavm_aare_check_literal("/a b", "path", NULL));
}

#define M AAVM_AARE_MATCH
#define N AAVM_AARE_NO_MATCH
#define Q AAVM_AARE_MAYBE

/* The forms aavm writes: a path escaped, a directory, a tree, and the base
 * rules' patterns. */
static void
test_aare_match_forms(void **state)
{
    static const struct {
        const char *aare, *path;
        gboolean below;
        AavmAareMatch want;
    } cases[] = {
        { "/var/lib/libvirt/images/vm2.qcow2", "/var/lib/libvirt/images/vm2.qcow2", FALSE, M },
        { "/var/lib/libvirt/images/vm2.qcow2", "/var/lib/libvirt/images/vm2.qcow", FALSE, N },
        { "/var/lib/libvirt/images/vm2.qcow2", "/var/lib/libvirt/images/vm2.qcow2x", FALSE, N },
        /* Escaped: only itself. */
        { "/srv/a\\*b\\[1\\]\\{x\\,y\\}\\?\\^\\\\\\@\\{HOME\\}.img", "/srv/a*b[1]{x,y}?^\\@{HOME}.img", FALSE, M },
        { "/srv/a\\*b.img", "/srv/axb.img", FALSE, N },
        { "/srv/a\\*b.img", "/srv/a*b.img", FALSE, M },
        { "/srv/vm\\?.img", "/srv/vm1.img", FALSE, N },
        /* A directory itself. */
        { "/srv/share/", "/srv/share/", FALSE, M },
        { "/srv/share/", "/srv/share/x", FALSE, N },
        /* A tree: everything below, not the directory itself. */
        { "/srv/share/**", "/srv/share/vm2.img", FALSE, M },
        { "/srv/share/**", "/srv/share/a/b/c.img", FALSE, M },
        { "/srv/share/**", "/srv/share/", FALSE, N },
        { "/srv/share/**", "/srv/sharex/a", FALSE, N },
        { "/srv/share/{,**}", "/srv/share/", FALSE, M },
        { "/srv/share/{,**}", "/srv/share/a/b", FALSE, M },
        { "/srv/share/{,**}", "/srv/shared", FALSE, N },
        /* The base rules. */
        { "/run/libvirt/**/vm2.pid", "/run/libvirt/qemu/vm2.pid", FALSE, M },
        { "/run/libvirt/**/vm2.pid", "/run/libvirt/qemu/vm1.pid", FALSE, N },
        { "/run/libvirt/**/*.tunnelmigrate.dest.vm2", "/run/libvirt/qemu/x.tunnelmigrate.dest.vm2", FALSE, M },
        { "/var/lib/libvirt/qemu/domain--1-vm2/*", "/var/lib/libvirt/qemu/domain--1-vm2/monitor.sock", FALSE, M },
        { "/var/lib/libvirt/qemu/domain--1-vm2/*", "/var/lib/libvirt/qemu/domain--1-vm2/", FALSE, N },
        { "/var/lib/libvirt/qemu/domain--1-vm2/*", "/var/lib/libvirt/qemu/domain--1-vm2/a/b", FALSE, N },
        { "/srv/vm?.img", "/srv/vm1.img", FALSE, M },
        { "/srv/vm?.img", "/srv/vm/.img", FALSE, N },
        { "/usr/lib{,32,64}/dri/*.so*", "/usr/lib64/dri/i965_dri.so", FALSE, M },
        { "/usr/lib{,32,64}/dri/*.so*", "/usr/lib16/dri/i965_dri.so", FALSE, N },
        /* The parser folds "//". */
        { "/srv//x.img", "/srv/x.img", FALSE, M },
        /* Below: the path or anything under it. */
        { "/srv/share/vm2.img", "/srv/share/", TRUE, M },
        { "/srv/*/x.img", "/srv/share/", TRUE, M },
        { "/srv/**", "/srv/share/", TRUE, M },
        { "/srv/other/**", "/srv/share/", TRUE, N },
        { "/srv/share2/x", "/srv/share/", TRUE, N },
    };

    (void)state;
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        AavmAareMatch got = aavm_aare_match(cases[i].aare, cases[i].path, cases[i].below);
        if (got != cases[i].want)
            fail_msg("'%s' against '%s'%s: %d, not %d", cases[i].aare, cases[i].path,
                     cases[i].below ? " (below)" : "", got, cases[i].want);
    }
}

/* What it does not read is MAYBE when the path starts like it, never a
 * MATCH or NO_MATCH it cannot stand by. */
static void
test_aare_match_unsure(void **state)
{
    (void)state;
    assert_int_equal(aavm_aare_match("/usr/lib/@{multiarch}/dri/*.so", "/usr/lib/x86_64-linux-gnu/dri/a.so", FALSE), Q);
    assert_int_equal(aavm_aare_match("/usr/lib/@{multiarch}/dri/*.so", "/srv/a.so", FALSE), N);
    /* A variable is any text, the empty one too; what follows it still counts. */
    assert_int_equal(aavm_aare_match("/srv/@{X}/d.img", "/srv/d.img", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/@{X}/d.img", "/srv/a/b/d.img", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/@{X}/d.img", "/srv/vm2x/disk.img", FALSE), N);
    assert_int_equal(aavm_aare_match("/srv/[^a]x.img", "/srv/bx.img", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/[]]x.img", "/srv/]x.img", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/[ab].img", "/srv/a.iso", FALSE), N);
    assert_int_equal(aavm_aare_match("/srv/[ab.img", "/srv/a.img", FALSE), Q);
    /* A raw control byte in a rule is not taken for the marker of "any text". */
    assert_int_equal(aavm_aare_match("/srv/\x01.img", "/srv/q", FALSE), N);
    assert_int_equal(aavm_aare_match("/srv/\x01.img", "/srv/\x01.img", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/[ab].img", "/srv/a.img", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/[ab].img", "/var/a.img", FALSE), N);
    assert_int_equal(aavm_aare_match("/srv/[ab]/", "/srv/", TRUE), Q);
    assert_int_equal(aavm_aare_match("/srv/\\x41.img", "/srv/A.img", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/a\\", "/srv/a", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/{a,b", "/srv/a", FALSE), Q);
    /* 2^7 alternatives: more than it expands. */
    assert_int_equal(aavm_aare_match("/srv/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", "/srv/aaaaaaa", FALSE), Q);
    assert_int_equal(aavm_aare_match("/srv/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}", "/var/x", FALSE), N);
    /* Backtracking has a limit: the answer comes, and is not a wrong NO. */
    g_autofree char *path = g_strnfill(4000, 'a');
    g_autofree char *full = g_strconcat("/", path, NULL);
    AavmAareMatch r = aavm_aare_match("/**a**a**a**a**a**a**a**a**a**a**b", full, FALSE);
    assert_true(r == Q || r == N);
    assert_int_equal(aavm_aare_match("/**a**a**a**a**a**a**a**a**a**a**b", "/aab", FALSE), N);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aare_special_constant),
        cmocka_unit_test(test_aare_escape_each_special),
        cmocka_unit_test(test_aare_escape_each_special_in_context),
        cmocka_unit_test(test_aare_escape_examples),
        cmocka_unit_test(test_aare_escape_other_chars_unchanged),
        cmocka_unit_test(test_aare_escape_round_trip_all_pairs),
        cmocka_unit_test(test_aare_escape_variable_cannot_survive),
        cmocka_unit_test(test_aare_append_escaped),
        cmocka_unit_test(test_aare_append_matches_escape),
        cmocka_unit_test(test_aare_check_literal_refuses_double_quote),
        cmocka_unit_test(test_aare_check_literal_refuses_each_control_char),
        cmocka_unit_test(test_aare_check_literal_refuses_named_controls),
        cmocka_unit_test(test_aare_check_literal_refuses_invalid_utf8),
        cmocka_unit_test(test_aare_check_literal_accepts),
        cmocka_unit_test(test_aare_check_literal_null_error),
        cmocka_unit_test(test_aare_match_forms),
        cmocka_unit_test(test_aare_match_unsure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
