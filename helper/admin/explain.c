/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "explain.h"

#include "aavm-i18n.h"
#include "aavm-text.h"
#include "findings.h"

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

static void
member(GString *out, gboolean first, const char *key, const char *value)
{
    g_string_append_printf(out, "%s\"%s\":", first ? "" : ",", key);
    aavm_json_append_string(out, value);
}

char *
aavm_explain_to_json(const AavmDomain *domain, const AavmAccessList *list,
                     const GPtrArray *findings, const GPtrArray *warnings)
{
    GString *out = g_string_new(NULL);

    g_string_append_printf(out, "{\"version\":%d,\"domain\":{", AAVM_JSON_VERSION);

    member(out, TRUE, "name", domain->name);
    member(out, FALSE, "uuid", domain->uuid);
    g_string_append(out, "},\"rules\":[");
    for (guint i = 0; i < aavm_access_list_length(list); i++) {
        const AavmAccess *access = aavm_access_list_get(list, i);

        g_string_append(out, i ? ",{" : "{");
        member(out, TRUE, "path", access->path);
        member(out, FALSE, "match", aavm_match_to_string(access->match));
        member(out, FALSE, "perms", aavm_perm_to_string(access->perms));
        g_string_append(out, ",\"origins\":[");
        for (guint b = 0, n = 0; b < G_N_ELEMENTS(origin_bits); b++) {
            if (!(access->origins & origin_bits[b]))
                continue;
            g_string_append(out, n++ ? "," : "");
            aavm_json_append_string(out, aavm_origin_to_string(origin_bits[b]));
        }
        g_string_append_c(out, ']');
        member(out, FALSE, "reason", access->reason);
        g_string_append_c(out, '}');
    }
    g_string_append(out, "],\"findings\":[");
    for (guint i = 0; findings && i < findings->len; i++) {
        const AavmFinding *f = g_ptr_array_index(findings, i);

        g_string_append(out, i ? ",{" : "{");
        member(out, TRUE, "severity", aavm_severity_to_string(f->severity));
        member(out, FALSE, "kind", aavm_finding_kind_to_string(f->kind));
        member(out, FALSE, "subject", f->subject);
        member(out, FALSE, "message", f->message);
        member(out, FALSE, "advice", f->advice);
        g_string_append(out, ",\"other_vms\":[");
        for (guint j = 0; j < f->other_vms->len; j++) {
            g_string_append(out, j ? "," : "");
            aavm_site_grant_append_json(out, g_ptr_array_index(f->other_vms, j));
        }
        g_string_append(out, "]}");
    }
    g_string_append(out, "],\"warnings\":[");
    for (guint i = 0; warnings && i < warnings->len; i++) {
        g_string_append(out, i ? "," : "");
        aavm_json_append_string(out, g_ptr_array_index(warnings, i));
    }
    g_string_append(out, "]}");
    return g_string_free(out, FALSE);
}
