/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pipeline.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain-parse.h"
#include "path-policy.h"
#include "rules.h"

static gboolean
check_profile_name(const AavmDomain *domain, const char *profile_name, GError **error)
{
    g_autofree char *expected = g_strconcat("libvirt-", domain->uuid, NULL);

    if (strcmp(expected, profile_name) != 0)
        return aavm_fail(error, AAVM_ERROR_UUID_MISMATCH,
                         _("The profile name '%s' does not match the domain's UUID '%s'."),
                         profile_name, domain->uuid);
    return TRUE;
}

gboolean
aavm_pipeline_run(const AavmConfig *config, const AavmHost *host, const char *xml, gsize len,
                  const AavmPipelineOptions *options, AavmPipeline *out, GError **error)
{
    AavmDomain *domain = aavm_domain_parse_string(xml ? xml : "", len, error);

    if (!domain)
        return FALSE;
    return aavm_pipeline_run_domain(config, host, domain, options, out, error);
}

gboolean
aavm_pipeline_run_domain(const AavmConfig *config, const AavmHost *host, AavmDomain *domain,
                         const AavmPipelineOptions *options, AavmPipeline *out, GError **error)
{
    static const AavmPipelineOptions none = { 0 };
    const AavmPipelineOptions *opts = options ? options : &none;
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    out->domain = domain;
    if (opts->profile_name && !check_profile_name(out->domain, opts->profile_name, error))
        return FALSE;
    if (opts->domain_only)
        return aavm_domain_name_check(out->domain->name, error);
    if (!aavm_rules_build(out->domain, host, config, list, error))
        return FALSE;
    out->warnings = g_ptr_array_ref(list->warnings);
    for (guint i = 0; opts->add_files && opts->add_files[i]; i++)
        if (!aavm_rules_add_extra_file(list, host, opts->add_files[i], "-f add-file", error))
            return FALSE;
    aavm_access_list_sort(list);
    out->list = g_steal_pointer(&list);
    return TRUE;
}

void
aavm_pipeline_clear(AavmPipeline *pipeline)
{
    g_clear_pointer(&pipeline->domain, aavm_domain_free);
    g_clear_pointer(&pipeline->list, aavm_access_list_free);
    g_clear_pointer(&pipeline->warnings, g_ptr_array_unref);
}
