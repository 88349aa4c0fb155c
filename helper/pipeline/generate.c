/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "generate.h"

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain-parse.h"
#include "render.h"
#include "rules.h"
#include "store.h"
#include "template.h"

AavmAccessList *
aavm_generate_rules(const AavmConfig *config, const AavmHost *host, const AavmDomain *domain,
                    GPtrArray *warnings, GError **error)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    if (!aavm_rules_build(domain, host, config, list, error))
        return NULL;
    aavm_access_list_sort(list);
    for (guint i = 0; warnings && i < list->warnings->len; i++)
        g_ptr_array_add(warnings, g_strdup(g_ptr_array_index(list->warnings, i)));
    return g_steal_pointer(&list);
}

AavmAccessList *
aavm_generate_build(const AavmConfig *config, const AavmHost *host, const char *xml, gsize len,
                    AavmDomain **out_domain, GPtrArray *warnings, GError **error)
{
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, len, error);
    AavmAccessList *list = domain ? aavm_generate_rules(config, host, domain, warnings, error)
                                  : NULL;

    if (list && out_domain)
        *out_domain = g_steal_pointer(&domain);
    return list;
}

char *
aavm_generate_files(const AavmConfig *config, const AavmHost *host, const char *xml, gsize len,
                    GPtrArray *warnings, GError **error)
{
    g_autoptr(AavmAccessList) list =
        aavm_generate_build(config, host, xml, len, NULL, warnings, error);

    return list ? aavm_render_files(list) : NULL;
}

char *
aavm_generate_profile(const AavmConfig *config, const AavmHost *host, const char *xml,
                      gsize len, const char *template_dir, GPtrArray *warnings,
                      GError **error)
{
    g_autoptr(AavmDomain) domain = NULL;
    g_autoptr(AavmAccessList) list =
        aavm_generate_build(config, host, xml, len, &domain, warnings, error);
    g_autofree char *base = NULL;
    g_autofree char *template_path = NULL;
    g_autofree char *template_text = NULL;
    g_autofree char *profile_name = NULL;
    g_autofree char *insert = NULL;
    gsize template_len = 0;
    g_autoptr(AavmStoreDir) dir = NULL;

    if (!list)
        return NULL;
    base = g_strconcat("TEMPLATE.", aavm_domain_driver(domain), NULL);
    template_path = g_build_filename(template_dir, base, NULL);
    if (!(dir = aavm_store_dir_open(template_dir, 0, error)) ||
        !aavm_template_read(dir, aavm_domain_driver(domain), &template_text, &template_len, error))
        return NULL;

    profile_name = g_strconcat("libvirt-", domain->uuid, NULL);
    if (aavm_domain_uses_files(domain)) {
        g_autofree char *body = aavm_render_body(list);
        insert = g_strdup_printf("  # The rules of %s.files:\n%s", profile_name, body);
    }
    char *text = aavm_template_fill(template_text, profile_name, insert, config->profile_abi,
                                    error);
    if (!text)
        g_prefix_error(error, "%s: ", template_path);
    return text;
}
