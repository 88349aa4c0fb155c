/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-audit-line-aalogparse.c: aavm's audit line reader against
 * libapparmor's own log parser (aalogparse), over the sample kernel logs.
 *
 * Why aavm keeps a reader of its own: the kernels we support write
 * class="file" (and class="cap", "net", ...) in every AppArmor record, and
 * the aalogparse of AppArmor 3.0 refuses any record with a field it does
 * not know, so it reads none of them.  This test holds the decision to
 * facts: every record aalogparse does read (the samples, as they are and
 * with class= taken out) aavm reads the same way, and the counts are
 * printed so the comparison can be repeated with a newer libapparmor. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <aalogparse/aalogparse.h>
#include <glib.h>

#include "audit-line.h"
#include "testutil.h"

typedef struct {
    guint lines, ours, theirs, compared;
} Counts;

static gboolean
is_vm_record(const aa_log_record *a)
{
    return a && (a->event == AA_RECORD_DENIED || a->event == AA_RECORD_ALLOWED) &&
           a->profile && g_str_has_prefix(a->profile, "libvirt-");
}

/* One line, compared field by field where aalogparse reads it. */
static void
compare_line(const char *line, Counts *counts)
{
    g_autoptr(AavmAuditRecord) ours = NULL;
    AavmAuditLineKind kind = aavm_audit_line_parse(line, strlen(line), &ours);
    /* aalogparse's lexer wants the line's newline. */
    g_autofree char *copy = g_strconcat(line, "\n", NULL);
    aa_log_record *theirs = parse_record(copy);

    counts->lines++;
    if (ours)
        counts->ours++;
    if (is_vm_record(theirs)) {
        counts->theirs++;
        if (!ours)
            fail_msg("aalogparse reads a VM record aavm does not: %s", line);
        assert_int_equal(kind, theirs->event == AA_RECORD_DENIED ? AAVM_AUDIT_LINE_DENIED
                                                                   : AAVM_AUDIT_LINE_ALLOWED);
        assert_string_equal(ours->profile, theirs->profile);
        assert_string_equal(ours->operation, theirs->operation);
        assert_true(g_strcmp0(ours->denied_mask, theirs->denied_mask) == 0);
        assert_true(g_strcmp0(ours->requested_mask, theirs->requested_mask) == 0);
        /* aalogparse keeps a capability's name in name. */
        assert_true(g_strcmp0(g_strcmp0(ours->operation, "capable") == 0 ? ours->capname
                                                                           : ours->name,
                              theirs->name) == 0);
        counts->compared++;
    }
    if (theirs)
        free_record(theirs);
}

static char *
without_class(const char *line)
{
    g_autoptr(GRegex) re = g_regex_new(" class=\"[a-z_]*\"", G_REGEX_RAW, 0, NULL);

    return g_regex_replace_literal(re, line, -1, 0, "", 0, NULL);
}

static void
test_same_records(void **state)
{
    (void)state;
    g_autofree char *dir = aavm_test_srcdir_path("data/denial");
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    Counts as_is = { 0 }, no_class = { 0 };
    const char *name;

    assert_non_null(d);
    while ((name = g_dir_read_name(d))) {
        if (!g_str_has_suffix(name, ".log"))
            continue;
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *text = aavm_test_read_file(path);
        g_auto(GStrv) lines = NULL;

        assert_non_null(text);
        lines = g_strsplit(text, "\n", -1);
        for (guint i = 0; lines[i]; i++) {
            if (!*lines[i])
                continue;
            g_autofree char *stripped = without_class(lines[i]);
            compare_line(lines[i], &as_is);
            compare_line(stripped, &no_class);
        }
    }
    printf("sample lines: %u; VM records read by aavm: %u; by aalogparse: %u as the kernel "
           "writes them, %u of %u with class= taken out (all %u the same in aavm)\n",
           as_is.lines, as_is.ours, as_is.theirs, no_class.theirs, no_class.ours,
           as_is.compared + no_class.compared);
    /* Not vacuous: the samples hold records both read. */
    assert_true(no_class.compared >= 10);
    assert_true(as_is.ours >= no_class.compared);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_records),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
