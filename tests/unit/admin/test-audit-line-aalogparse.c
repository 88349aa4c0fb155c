/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-audit-line-aalogparse.c: aavm's audit line reader against
 * libapparmor's own log parser (aalogparse), over the denial fuzz corpus
 * (tests/fuzz/seeds/denial), the sample logs (tests/data/denial) and
 * docs/examples/denials.log; a journal JSON entry is given to both as its
 * MESSAGE, as aavm denial does.
 *
 * Why aavm keeps a reader of its own (HACKING.md, "Reading JSON and
 * logs"): kernels whose AppArmor audit records carry class="file" (and
 * "cap", "net", ...: audit_pre() writes it after operation=) are refused
 * whole by the aalogparse of AppArmor 3.0, a field it does not know, so it
 * reads none of their records.  This test holds the decision to facts:
 * with class= taken out, every VM record aalogparse reads aavm reads with
 * the same kind, profile, operation, masks and name; the lines aavm reads
 * and aalogparse does not are exactly the ones listed in ours_only[], each
 * with its reason; the counts are printed so the comparison can be
 * repeated with a newer libapparmor. */
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
#include "journal-json.h"
#include "testutil.h"


/* The lines aavm reads as a VM record and aalogparse (class= taken out)
 * does not, and why aavm is right to. */
static const char *const ours_only[] = {
    /* A record without the audit header (no "type=" or "audit(...):"
     * before apparmor=): not a form the kernel writes, so aalogparse
     * refuses the line; aavm reads the fields, which are the kernel's
     * (the seed feeds the value decoder an escape sequence).  With a
     * header both read it the same (test_hex_name). */
    "fuzz/seeds/denial/hostile:1",
    "data/denial/hostile.log:1",
};

typedef struct {
    guint lines, ours, theirs, compared, other_profiles;
    GPtrArray *ours_only; /* "<source>:<line>" */
} Counts;

static gboolean
is_record(const aa_log_record *a)
{
    return a && (a->event == AA_RECORD_DENIED || a->event == AA_RECORD_ALLOWED) && a->profile;
}

static gboolean
is_vm_record(const aa_log_record *a)
{
    return is_record(a) && g_str_has_prefix(a->profile, "libvirt-");
}

/* One line, compared field by field where aalogparse reads it. */
static void
compare_line(const char *where, const char *line, Counts *counts)
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
            fail_msg("aalogparse reads a VM record aavm does not: %s", where);
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
    } else if (is_record(theirs)) {
        /* A record of another profile: aavm says so. */
        if (kind != AAVM_AUDIT_LINE_OTHER_PROFILE)
            fail_msg("aalogparse reads a record of '%s' that aavm calls %s: %s", theirs->profile,
                     aavm_audit_line_kind_to_string(kind), where);
        counts->other_profiles++;
    } else if (ours) {
        g_ptr_array_add(counts->ours_only, g_strdup(where));
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

/* Every line of @rel (below tests/), as it is and without class=. */
static void
compare_file(const char *rel, Counts *as_is, Counts *no_class)
{
    g_autofree char *path = aavm_test_srcdir_path(rel);
    g_autofree char *text = aavm_test_read_file(path);
    g_auto(GStrv) lines = NULL;

    assert_non_null(text);
    lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        g_autofree char *where = g_strdup_printf("%s:%u", rel, i + 1);
        g_autofree char *message = NULL;
        const char *line = lines[i];
        gsize len;

        if (!*line)
            continue;
        if (aavm_journal_json_is_entry(line, strlen(line))) {
            if (!aavm_journal_json_message(line, strlen(line), &message, &len))
                continue;
            line = message;
        }
        g_autofree char *stripped = without_class(line);
        compare_line(where, line, as_is);
        compare_line(where, stripped, no_class);
    }
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
compare_dir(const char *rel, const char *suffix, Counts *as_is, Counts *no_class)
{
    g_autofree char *dir = aavm_test_srcdir_path(rel);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    assert_non_null(d);
    while ((name = g_dir_read_name(d)))
        if (g_str_has_suffix(name, suffix))
            g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *file = g_build_filename(rel, g_ptr_array_index(names, i), NULL);
        compare_file(file, as_is, no_class);
    }
}

static void
test_same_records(void **state)
{
    (void)state;
    Counts as_is = { .ours_only = g_ptr_array_new_with_free_func(g_free) };
    Counts no_class = { .ours_only = g_ptr_array_new_with_free_func(g_free) };

    compare_dir("fuzz/seeds/denial", "", &as_is, &no_class);
    compare_dir("data/denial", ".log", &as_is, &no_class);
    compare_file("../docs/examples/denials.log", &as_is, &no_class);
    printf("lines: %u; VM records read by aavm: %u; by aalogparse: %u as the kernel "
           "writes them; with class= taken out %u, all the same in aavm, %u records of other "
           "profiles both see as such, %u read by aavm only\n",
           as_is.lines, as_is.ours, as_is.theirs, no_class.theirs, no_class.other_profiles,
           no_class.ours_only->len);
    /* The agreement set: aavm reads what aalogparse reads, and more only
     * where listed. */
    assert_int_equal(no_class.ours_only->len, G_N_ELEMENTS(ours_only));
    for (guint i = 0; i < G_N_ELEMENTS(ours_only); i++)
        if (!g_ptr_array_find_with_equal_func(no_class.ours_only, ours_only[i], g_str_equal, NULL))
            fail_msg("aalogparse now reads %s: take it off ours_only[]", ours_only[i]);
    assert_int_equal(no_class.ours, no_class.compared + no_class.ours_only->len);
    /* Not vacuous: the corpus holds records both read, of VMs and not. */
    assert_true(no_class.compared >= 40);
    assert_true(no_class.other_profiles >= 2);
    assert_int_equal(as_is.ours, no_class.ours);
    g_ptr_array_unref(as_is.ours_only);
    g_ptr_array_unref(no_class.ours_only);
}

/* The hostile seed's hex-encoded name, with the header the kernel writes:
 * both read it, the same. */
static void
test_hex_name(void **state)
{
    (void)state;
    Counts counts = { .ours_only = g_ptr_array_new_with_free_func(g_free) };

    compare_line("hex", "type=AVC msg=audit(1700000300.000:1): apparmor=\"DENIED\" operation=\"open\" "
                 "profile=\"libvirt-5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d\" "
                 "name=2F7372762F1B5B324A0A6576696C denied_mask=\"r\"", &counts);
    assert_int_equal(counts.compared, 1);
    assert_int_equal(counts.ours_only->len, 0);
    g_ptr_array_unref(counts.ours_only);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_records),
        cmocka_unit_test(test_hex_name),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
