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
entry_to_json(AavmJson *json, const AavmDenialEntry *e)
{
    aavm_json_object_begin(json, NULL);
    aavm_json_uint(json, "count", e->count);
    aavm_json_string(json, "operation", e->operation);
    aavm_json_string(json, "class", e->klass);
    aavm_json_string(json, "object", e->object);
    aavm_json_string(json, "denied_mask", e->denied_mask);
    aavm_json_string(json, "child", e->child);
    aavm_json_bool(json, "allowed", e->allowed);
    aavm_json_string(json, "comm", e->comm);
    aavm_json_string(json, "first", e->first);
    aavm_json_string(json, "last", e->last);
    aavm_json_string(json, "kind", aavm_denial_fix_kind_to_string(e->kind));
    aavm_json_string(json, "device", e->device);
    aavm_json_strings(json, "fixes", e->fixes);
    aavm_json_strings(json, "warnings", e->warnings);
    aavm_json_string(json, "rule", e->rule);
    aavm_json_strings(json, "rule_in", e->rule_in);
    aavm_json_string(json, "xml", e->xml);
    aavm_json_string(json, "xml_action", e->xml_action);
    aavm_site_grants_to_json(json, "other_vms", e->other_vms);
    aavm_json_object_end(json);
}

char *
aavm_denial_report_to_json(const AavmDenialReport *report)
{
    g_autoptr(AavmJson) json = aavm_json_new();

    aavm_json_object_begin(json, NULL);
    aavm_json_uint(json, "version", AAVM_JSON_VERSION);
    aavm_json_uint(json, "lines", report->lines);
    aavm_json_uint(json, "denials", report->denials);
    aavm_json_uint(json, "allowed", report->allowed);
    aavm_json_uint(json, "not_denied", report->not_denied);
    aavm_json_uint(json, "other_profiles", report->other_profiles);
    aavm_json_uint(json, "malformed", report->malformed);
    aavm_json_uint(json, "too_long", report->too_long);
    aavm_json_uint(json, "dropped", report->dropped);
    aavm_json_array_begin(json, "vms");
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmDenialVm *vm = g_ptr_array_index(report->vms, i);

        aavm_json_object_begin(json, NULL);
        aavm_json_string(json, "uuid", vm->uuid);
        aavm_json_string(json, "profile", vm->profile_name);
        aavm_json_string(json, "name", vm->vm_name);
        aavm_json_string(json, "domain_xml", vm->xml_path);
        aavm_json_string(json, "problem", vm->problem);
        aavm_json_uint(json, "denials", vm->denials);
        aavm_json_uint(json, "distinct", vm->entries->len);
        aavm_json_array_begin(json, "entries");
        for (guint j = 0; j < vm->entries->len; j++)
            entry_to_json(json, g_ptr_array_index(vm->entries, j));
        aavm_json_array_end(json);
        aavm_json_object_end(json);
    }
    aavm_json_array_end(json);
    aavm_json_object_end(json);
    return aavm_json_to_string(json);
}
