/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-kernel-state.c: the kernel's profile list and the reasons AppArmor
 * is not enabled (helper/load/kernel-state.h), on a fake securityfs directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "kernel-state.h"
#include "testutil.h"

static GHashTable *
parse(const char *text, guint *out_malformed)
{
    return aavm_kernel_state_parse_profiles(text, strlen(text), out_malformed);
}

static void
test_kernel_state_parse_plain(void **state)
{
    guint malformed = 99;
    g_autoptr(GHashTable) modes = parse(
        "libvirt-00000000-0000-4000-8000-000000000001 (enforce)\n"
        "libvirt-00000000-0000-4000-8000-000000000002 (complain)\n"
        "/usr/sbin/libvirtd (enforce)\n"
        "unconfined-thing (unconfined)\n"
        "k (kill)\n", &malformed);

    assert_int_equal(g_hash_table_size(modes), 5);
    assert_int_equal(malformed, 0);
    assert_string_equal(g_hash_table_lookup(modes, "libvirt-00000000-0000-4000-8000-000000000001"),
                        "enforce");
    assert_string_equal(g_hash_table_lookup(modes, "libvirt-00000000-0000-4000-8000-000000000002"),
                        "complain");
    assert_string_equal(g_hash_table_lookup(modes, "/usr/sbin/libvirtd"), "enforce");
    assert_string_equal(g_hash_table_lookup(modes, "unconfined-thing"), "unconfined");
    assert_string_equal(g_hash_table_lookup(modes, "k"), "kill");
}

/* Names with spaces and parentheses: the mode is the last parenthesised word. */
static void
test_kernel_state_parse_spaces_parentheses(void **state)
{
    guint malformed = 99;
    g_autoptr(GHashTable) modes = parse(
        "/opt/My App (beta)/bin/x (complain)\n"
        "name with  two  spaces (enforce)\n"
        "a (b) (c) (prompt)\n"
        "odd)name( (enforce)\n"
        "trailing blanks (complain)  \r\n", &malformed);

    assert_int_equal(malformed, 0);
    assert_int_equal(g_hash_table_size(modes), 5);
    assert_string_equal(g_hash_table_lookup(modes, "/opt/My App (beta)/bin/x"), "complain");
    assert_string_equal(g_hash_table_lookup(modes, "name with  two  spaces"), "enforce");
    assert_string_equal(g_hash_table_lookup(modes, "a (b) (c)"), "prompt");
    assert_string_equal(g_hash_table_lookup(modes, "odd)name("), "enforce");
    assert_string_equal(g_hash_table_lookup(modes, "trailing blanks"), "complain");
}

/* Unknown modes are kept as the kernel wrote them; malformed lines skipped. */
static void
test_kernel_state_parse_unknown_and_malformed(void **state)
{
    guint malformed = 0;
    g_autoptr(GHashTable) modes = parse(
        "future (mixed)\n"
        "no mode at all\n"
        "empty mode ()\n"
        "two words (en force)\n"
        " (enforce)\n"
        "(enforce)\n"
        "nospace(enforce)\n"
        "\n"
        "dup (enforce)\n"
        "dup (complain)\n", &malformed);

    assert_int_equal(g_hash_table_size(modes), 2);
    assert_string_equal(g_hash_table_lookup(modes, "future"), "mixed");
    assert_string_equal(g_hash_table_lookup(modes, "dup"), "enforce"); /* the first wins */
    assert_int_equal(malformed, 6);
}

/* A list cut short: the whole lines count, a cut last line does not. */
static void
test_kernel_state_parse_truncated(void **state)
{
    const char *text = "one (enforce)\ntwo (complain)\nthree (enf";
    guint malformed = 0;
    g_autoptr(GHashTable) modes = aavm_kernel_state_parse_profiles(text, strlen(text), &malformed);
    g_autoptr(GHashTable) no_newline = parse("last (complain)", NULL);
    /* A length that cuts inside the text: nothing after it is read. */
    g_autoptr(GHashTable) cut = aavm_kernel_state_parse_profiles("aa (enforce)\nbb (enforce)\n",
                                                                 13, NULL);

    assert_int_equal(g_hash_table_size(modes), 2);
    assert_int_equal(malformed, 1);
    assert_null(g_hash_table_lookup(modes, "three"));
    assert_string_equal(g_hash_table_lookup(no_newline, "last"), "complain");
    assert_int_equal(g_hash_table_size(cut), 1);
    assert_non_null(g_hash_table_lookup(cut, "aa"));
}

static void
test_kernel_state_read_fake(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "profiles", NULL);
    g_autoptr(GError) error = NULL;

    assert_true(g_file_set_contents(path, "vm one (complain)\nvm-two (enforce)\nbad\n", -1, NULL));
    g_autoptr(AavmKernelState) ks = aavm_kernel_state_read(dir, 0, &error);
    assert_non_null(ks);
    assert_true(ks->enabled);
    assert_true(ks->list_known);
    assert_null(ks->reason);
    assert_string_equal(ks->apparmor_dir, dir);
    assert_int_equal(ks->n_malformed, 1);
    assert_string_equal(aavm_kernel_state_mode(ks, "vm one"), "complain");
    assert_string_equal(aavm_kernel_state_mode(ks, "vm-two"), "enforce");
    assert_null(aavm_kernel_state_mode(ks, "vm three"));
}

/* The read is bounded: a list over the limit is an error, not a huge read. */
static void
test_kernel_state_read_huge(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "profiles", NULL);
    GString *big = g_string_new(NULL);
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 20000; i++)
        g_string_append_printf(big, "profile-%05u (enforce)\n", i);
    assert_true(g_file_set_contents(path, big->str, (gssize)big->len, NULL));
    assert_null(aavm_kernel_state_read(dir, big->len - 1, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
    g_clear_error(&error);
    g_autoptr(AavmKernelState) ks = aavm_kernel_state_read(dir, big->len, &error);
    assert_non_null(ks);
    assert_int_equal(g_hash_table_size(ks->modes), 20000);
    g_string_free(big, TRUE);
}

static void
test_kernel_state_read_missing(void **state)
{
    const char *dir = *state;
    g_autoptr(GError) error = NULL;

    assert_null(aavm_kernel_state_read(dir, 0, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));

    /* read_any: a state, enabled, the list unknown, with the errno. */
    g_autoptr(AavmKernelState) ks = aavm_kernel_state_read_any(dir, 0);
    assert_true(ks->enabled);
    assert_false(ks->list_known);
    assert_int_equal(ks->errnum, ENOENT);
    assert_non_null(strstr(ks->reason, "Cannot open the kernel's profile list"));
}

/* A list over the limit is a state with EIO; one that is read has no errno. */
static void
test_kernel_state_read_any_limit(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "profiles", NULL);

    assert_true(g_file_set_contents(path, "libvirt-a (enforce)\n", -1, NULL));
    g_autoptr(AavmKernelState) small = aavm_kernel_state_read_any(dir, 4);
    assert_false(small->list_known);
    assert_int_equal(small->errnum, EIO);
    g_autoptr(AavmKernelState) ks = aavm_kernel_state_read_any(dir, 0);
    assert_true(ks->list_known);
    assert_int_equal(ks->errnum, 0);
    assert_string_equal(aavm_kernel_state_mode(ks, "libvirt-a"), "enforce");
}

static void
test_kernel_state_reasons(void **state)
{
    static const struct {
        int errnum;
        const char *part;
    } cases[] = {
        { ENOSYS, "no AppArmor support" },
        { ECANCELED, "disabled at boot" },
        { ENOENT, "securityfs is not mounted" },
        { EPERM, "Not permitted" },
        { EACCES, "Not permitted" },
        { EBUSY, "private interfaces" },
        { ENOMEM, "cannot be used" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *reason = aavm_kernel_state_reason(cases[i].errnum);
        if (!strstr(reason, cases[i].part))
            fail_msg("errno %d: '%s' lacks '%s'", cases[i].errnum, reason, cases[i].part);
        assert_true(g_str_has_suffix(reason, "."));
    }
}

static void
test_kernel_state_disabled(void **state)
{
    g_autoptr(AavmKernelState) ks = aavm_kernel_state_new_disabled("No AppArmor here.");

    assert_false(ks->enabled);
    assert_false(ks->list_known);
    assert_string_equal(ks->reason, "No AppArmor here.");
    assert_null(aavm_kernel_state_mode(ks, "anything"));

    g_autoptr(AavmKernelState) unreadable = aavm_kernel_state_new_unreadable("Cannot read.");
    assert_true(unreadable->enabled);
    assert_false(unreadable->list_known);
    assert_string_equal(unreadable->reason, "Cannot read.");
    assert_null(aavm_kernel_state_mode(unreadable, "anything"));
}

/* The real kernel: whatever it says, the state is consistent. */
static void
test_kernel_state_read_real(void **state)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmKernelState) ks = aavm_kernel_state_read(NULL, 0, &error);

    if (!ks) {
        /* Enabled, but the list is not readable (not root). */
        assert_non_null(error);
        return;
    }
    assert_int_equal(ks->list_known, ks->enabled);
    if (ks->enabled)
        assert_null(ks->reason);
    else
        assert_true(ks->reason && *ks->reason);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_state_parse_plain),
        cmocka_unit_test(test_kernel_state_parse_spaces_parentheses),
        cmocka_unit_test(test_kernel_state_parse_unknown_and_malformed),
        cmocka_unit_test(test_kernel_state_parse_truncated),
        AAVM_TEST_TMPDIR_CASE(test_kernel_state_read_fake),
        AAVM_TEST_TMPDIR_CASE(test_kernel_state_read_huge),
        AAVM_TEST_TMPDIR_CASE(test_kernel_state_read_missing),
        AAVM_TEST_TMPDIR_CASE(test_kernel_state_read_any_limit),
        cmocka_unit_test(test_kernel_state_reasons),
        cmocka_unit_test(test_kernel_state_disabled),
        cmocka_unit_test(test_kernel_state_read_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
