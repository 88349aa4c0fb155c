/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* denial-output.c: the report of denial.c as text for people and as JSON. */
#include "denial.h"

#include "aavm-i18n.h"
#include "aavm-text.h"
#include "site.h"

/* ---- output ---- */

static void
append_printable(GString *out, const char *text)
{
    g_autofree char *safe = aavm_text_printable(text ? text : "");

    g_string_append(out, safe);
}

static void
entry_to_text(GString *out, const AavmDenialEntry *e)
{
    g_string_append_printf(out, "  %" G_GUINT64_FORMAT "x ", e->count);
    append_printable(out, e->operation);
    g_string_append(out, " \"");
    append_printable(out, e->object ? e->object : "-");
    g_string_append(out, "\"");
    /* An ALLOWED record is marked even without a mask (a capability). */
    if (e->allowed)
        g_string_append_printf(out, " %s", _("allowed (complain mode)"));
    else if (e->denied_mask)
        g_string_append_printf(out, " %s", _("denied"));
    if (e->denied_mask) {
        g_string_append_c(out, ' ');
        append_printable(out, e->denied_mask);
    }
    if (e->child) {
        g_string_append_printf(out, " (%s ", _("child profile"));
        append_printable(out, e->child);
        g_string_append(out, ")");
    }
    g_string_append(out, "\n");
    if (e->comm) {
        g_string_append_printf(out, "      %s ", _("command:"));
        append_printable(out, e->comm);
        g_string_append(out, "\n");
    }
    if (e->first)
        g_string_append_printf(out, "      %s %s .. %s\n", _("seen:"), e->first, e->last);
    g_string_append_printf(out, "      %s %s\n", _("kind:"), aavm_denial_fix_kind_to_string(e->kind));
    if (e->device) {
        g_string_append_printf(out, "      %s ", _("likely:"));
        append_printable(out, e->device);
        g_string_append(out, "\n");
    }
    for (guint i = 0; i < e->fixes->len; i++) {
        g_string_append_printf(out, "      %s ", _("fix:"));
        append_printable(out, g_ptr_array_index(e->fixes, i));
        g_string_append(out, "\n");
    }
    for (guint i = 0; i < e->warnings->len; i++) {
        g_string_append_printf(out, "      %s ", _("WARNING:"));
        append_printable(out, g_ptr_array_index(e->warnings, i));
        g_string_append(out, "\n");
    }
}

char *
aavm_denial_report_to_text(const AavmDenialReport *report)
{
    GString *out = g_string_new(NULL);

    g_string_append_printf(out, _("Lines read: %llu; denials of VMs: %llu; allowed in complain mode: %llu; other AppArmor records: %llu; denials of other profiles: %llu; malformed: %llu; too long: %llu.\n"),
                           (unsigned long long)report->lines, (unsigned long long)report->denials,
                           (unsigned long long)report->allowed,
                           (unsigned long long)report->not_denied,
                           (unsigned long long)report->other_profiles,
                           (unsigned long long)report->malformed,
                           (unsigned long long)report->too_long);
    if (report->dropped)
        g_string_append_printf(out,
                               NG_("%llu denial was not kept: more than %d distinct ones.\n",
                                   "%llu denials were not kept: more than %d distinct ones.\n",
                                   report->dropped),
                               (unsigned long long)report->dropped, AAVM_DENIAL_DISTINCT_MAX);
    if (report->vms->len == 0)
        g_string_append_printf(out, "%s\n", _("No denials of VM profiles."));
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmDenialVm *vm = g_ptr_array_index(report->vms, i);
        g_autofree char *name = aavm_text_printable(vm->vm_name ? vm->vm_name : "?");

        g_string_append_c(out, '\n');
        g_string_append_printf(out, _("VM %s (%s): denials: %llu; distinct: %u\n"),
                               name, vm->profile_name, (unsigned long long)vm->denials,
                               vm->entries->len);
        if (vm->xml_path) {
            g_string_append_printf(out, "  %s ", _("domain XML:"));
            append_printable(out, vm->xml_path);
            g_string_append_c(out, '\n');
        }
        if (vm->problem) {
            g_string_append_printf(out, "  %s ", _("note:"));
            append_printable(out, vm->problem);
            g_string_append_c(out, '\n');
        }
        for (guint j = 0; j < vm->entries->len; j++)
            entry_to_text(out, g_ptr_array_index(vm->entries, j));
    }
    return g_string_free(out, FALSE);
}

static void
json_key(GString *out, const char *key, gboolean comma)
{
    if (comma)
        g_string_append_c(out, ',');
    aavm_json_append_string(out, key);
    g_string_append_c(out, ':');
}

static void
json_string(GString *out, const char *key, const char *value)
{
    json_key(out, key, TRUE);
    aavm_json_append_string(out, value);
}

static void
json_number(GString *out, const char *key, guint64 value, gboolean comma)
{
    json_key(out, key, comma);
    g_string_append_printf(out, "%" G_GUINT64_FORMAT, value);
}

static void
json_bool(GString *out, const char *key, gboolean value)
{
    json_key(out, key, TRUE);
    g_string_append(out, value ? "true" : "false");
}

static void
json_strings(GString *out, const char *key, const GPtrArray *items)
{
    json_key(out, key, TRUE);
    g_string_append_c(out, '[');
    for (guint i = 0; i < items->len; i++) {
        if (i)
            g_string_append_c(out, ',');
        aavm_json_append_string(out, g_ptr_array_index(items, i));
    }
    g_string_append_c(out, ']');
}

static void
entry_to_json(GString *out, const AavmDenialEntry *e)
{
    g_string_append_c(out, '{');
    json_number(out, "count", e->count, FALSE);
    json_string(out, "operation", e->operation);
    json_string(out, "class", e->klass);
    json_string(out, "object", e->object);
    json_string(out, "denied_mask", e->denied_mask);
    json_string(out, "child", e->child);
    json_bool(out, "allowed", e->allowed);
    json_string(out, "comm", e->comm);
    json_string(out, "first", e->first);
    json_string(out, "last", e->last);
    json_string(out, "kind", aavm_denial_fix_kind_to_string(e->kind));
    json_string(out, "device", e->device);
    json_strings(out, "fixes", e->fixes);
    json_strings(out, "warnings", e->warnings);
    json_string(out, "rule", e->rule);
    json_strings(out, "rule_in", e->rule_in);
    json_string(out, "xml", e->xml);
    json_string(out, "xml_action", e->xml_action);
    json_key(out, "other_vms", TRUE);
    g_string_append_c(out, '[');
    for (guint i = 0; i < e->other_vms->len; i++) {
        if (i)
            g_string_append_c(out, ',');
        aavm_site_grant_append_json(out, g_ptr_array_index(e->other_vms, i));
    }
    g_string_append(out, "]}");
}

char *
aavm_denial_report_to_json(const AavmDenialReport *report)
{
    GString *out = g_string_new("{");

    json_number(out, "version", AAVM_JSON_VERSION, FALSE);
    json_number(out, "lines", report->lines, TRUE);
    json_number(out, "denials", report->denials, TRUE);
    json_number(out, "allowed", report->allowed, TRUE);
    json_number(out, "not_denied", report->not_denied, TRUE);
    json_number(out, "other_profiles", report->other_profiles, TRUE);
    json_number(out, "malformed", report->malformed, TRUE);
    json_number(out, "too_long", report->too_long, TRUE);
    json_number(out, "dropped", report->dropped, TRUE);
    json_key(out, "vms", TRUE);
    g_string_append_c(out, '[');
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmDenialVm *vm = g_ptr_array_index(report->vms, i);
        if (i)
            g_string_append_c(out, ',');
        g_string_append_c(out, '{');
        json_key(out, "uuid", FALSE);
        aavm_json_append_string(out, vm->uuid);
        json_string(out, "profile", vm->profile_name);
        json_string(out, "name", vm->vm_name);
        json_string(out, "domain_xml", vm->xml_path);
        json_string(out, "problem", vm->problem);
        json_number(out, "denials", vm->denials, TRUE);
        json_number(out, "distinct", vm->entries->len, TRUE);
        json_key(out, "entries", TRUE);
        g_string_append_c(out, '[');
        for (guint j = 0; j < vm->entries->len; j++) {
            if (j)
                g_string_append_c(out, ',');
            entry_to_json(out, g_ptr_array_index(vm->entries, j));
        }
        g_string_append(out, "]}");
    }
    g_string_append(out, "]}");
    return g_string_free(out, FALSE);
}
