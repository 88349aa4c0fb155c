/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "explain.h"

#include "aavm-i18n.h"
#include "aavm-text.h"
#include "findings.h"
#include "json-writer.h"

static const AavmOrigin origin_bits[] = {
    AAVM_ORIGIN_DEVICE, AAVM_ORIGIN_BASE, AAVM_ORIGIN_EXTRA, AAVM_ORIGIN_PASSTHROUGH,
};

char *
aavm_explain_path(const AavmAccess *access)
{
    if (access->match == AAVM_MATCH_PATTERN)
        return g_strdup(access->path);
    return g_strconcat(access->path, aavm_match_suffix(access->match, access->path), NULL);
}

char *
aavm_explain_origins(AavmOrigin origins)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < G_N_ELEMENTS(origin_bits); i++)
        if (origins & origin_bits[i])
            g_string_append_printf(out, "%s%s", out->len ? "," : "",
                                   aavm_origin_to_string(origin_bits[i]));
    if (!out->len)
        g_string_append(out, "-");
    return g_string_free(out, FALSE);
}

/* ---- text ---- */

#define N_COLUMNS 4

static void
append_table(GString *out, const AavmAccessList *list)
{
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(cells, g_strdup(C_("explain column", "PERMS")));
    g_ptr_array_add(cells, g_strdup(C_("explain column", "PATH")));
    g_ptr_array_add(cells, g_strdup(C_("explain column", "FROM")));
    g_ptr_array_add(cells, g_strdup(C_("explain column", "REASON")));
    for (guint i = 0; i < aavm_access_list_length(list); i++) {
        const AavmAccess *access = aavm_access_list_get(list, i);
        g_autofree char *path = aavm_explain_path(access);

        g_ptr_array_add(cells, g_strdup(aavm_perm_to_string(access->perms)));
        g_ptr_array_add(cells, aavm_text_printable(path));
        g_ptr_array_add(cells, aavm_explain_origins(access->origins));
        g_ptr_array_add(cells, aavm_text_printable(access->reason ? access->reason : ""));
    }
    aavm_text_append_table(out, cells, N_COLUMNS);
}

static void
append_findings(GString *out, const GPtrArray *findings)
{
    if (!findings || findings->len == 0) {
        g_string_append_printf(out, "%s\n", _("Findings: none."));
        return;
    }
    g_string_append_printf(out, "%s\n", _("Findings:"));
    for (guint i = 0; i < findings->len; i++) {
        const AavmFinding *f = g_ptr_array_index(findings, i);
        g_autofree char *subject = aavm_text_printable(f->subject ? f->subject : "");
        g_autofree char *message = aavm_text_printable(f->message ? f->message : "");
        g_autofree char *advice = aavm_text_printable(f->advice ? f->advice : "");

        /* TRANSLATORS: severity, kind, subject: "warning: no-format: disk vda" */
        g_string_append_printf(out, _("%s: %s: %s\n"),
                               f->severity == AAVM_SEVERITY_WARNING ? _("warning") : _("note"),
                               aavm_finding_kind_to_string(f->kind), subject);
        g_string_append_printf(out, "    %s\n", message);
        g_string_append_printf(out, _("    What to do: %s\n"), advice);
    }
}

char *
aavm_explain_to_text(const AavmDomain *domain, const AavmAccessList *list,
                     const GPtrArray *findings, const GPtrArray *warnings)
{
    GString *out = g_string_new(NULL);
    g_autofree char *name = aavm_text_printable(domain->name ? domain->name : "");
    g_autofree char *uuid = aavm_text_printable(domain->uuid ? domain->uuid : "");

    g_string_append_printf(out, _("Domain '%s' (profile libvirt-%s):\n"), name, uuid);
    if (aavm_access_list_length(list) == 0)
        g_string_append_printf(out, "%s\n",
                               _("No rules: this driver's profile includes no generated rules."));
    else
        append_table(out, list);
    if (warnings && warnings->len) {
        g_string_append_printf(out, "\n%s\n", _("Warnings:"));
        for (guint i = 0; i < warnings->len; i++) {
            g_autofree char *warning = aavm_text_printable(g_ptr_array_index(warnings, i));
            g_string_append_printf(out, "  %s\n", warning);
        }
    }
    g_string_append_c(out, '\n');
    append_findings(out, findings);
    return g_string_free(out, FALSE);
}

/* ---- JSON ---- */

char *
aavm_explain_to_json(const AavmDomain *domain, const AavmAccessList *list,
                     const GPtrArray *findings, const GPtrArray *warnings)
{
    g_autoptr(AavmJson) json = aavm_json_new();

    aavm_json_object_begin(json, NULL);
    aavm_json_uint(json, "version", AAVM_JSON_VERSION);
    aavm_json_object_begin(json, "domain");
    aavm_json_string(json, "name", domain->name);
    aavm_json_string(json, "uuid", domain->uuid);
    aavm_json_object_end(json);
    aavm_json_array_begin(json, "rules");
    for (guint i = 0; i < aavm_access_list_length(list); i++) {
        const AavmAccess *access = aavm_access_list_get(list, i);

        aavm_json_object_begin(json, NULL);
        aavm_json_string(json, "path", access->path);
        aavm_json_string(json, "match", aavm_match_to_string(access->match));
        aavm_json_string(json, "perms", aavm_perm_to_string(access->perms));
        aavm_json_array_begin(json, "origins");
        for (guint b = 0; b < G_N_ELEMENTS(origin_bits); b++)
            if (access->origins & origin_bits[b])
                aavm_json_string(json, NULL, aavm_origin_to_string(origin_bits[b]));
        aavm_json_array_end(json);
        aavm_json_string(json, "reason", access->reason);
        aavm_json_object_end(json);
    }
    aavm_json_array_end(json);
    aavm_json_array_begin(json, "findings");
    for (guint i = 0; findings && i < findings->len; i++) {
        const AavmFinding *f = g_ptr_array_index(findings, i);

        aavm_json_object_begin(json, NULL);
        aavm_json_string(json, "severity", aavm_severity_to_string(f->severity));
        aavm_json_string(json, "kind", aavm_finding_kind_to_string(f->kind));
        aavm_json_string(json, "subject", f->subject);
        aavm_json_string(json, "message", f->message);
        aavm_json_string(json, "advice", f->advice);
        aavm_site_grants_to_json(json, "other_vms", f->other_vms);
        aavm_json_object_end(json);
    }
    aavm_json_array_end(json);
    aavm_json_strings(json, "warnings", warnings);
    aavm_json_object_end(json);
    return aavm_json_to_string(json);
}
