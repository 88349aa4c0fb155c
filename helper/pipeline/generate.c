/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "generate.h"

#include "pipeline.h"
#include "render.h"
#include "store-dir.h"
#include "template.h"

/* The pipeline, its warnings appended to @warnings (unless NULL). */
static gboolean
run(const AavmConfig *config, const AavmHost *host, const char *xml, gsize len,
    GPtrArray *warnings, AavmPipeline *out, GError **error)
{
    if (!aavm_pipeline_run(config, host, xml, len, NULL, out, error))
        return FALSE;
    for (guint i = 0; warnings && i < out->warnings->len; i++)
        g_ptr_array_add(warnings, g_strdup(g_ptr_array_index(out->warnings, i)));
    return TRUE;
}

char *
aavm_generate_files(const AavmConfig *config, const AavmHost *host, const char *xml, gsize len,
                    GPtrArray *warnings, GError **error)
{
    g_auto(AavmPipeline) p = { 0 };

    return run(config, host, xml, len, warnings, &p, error) ? aavm_render_files(p.list, p.domain->name) : NULL;
}

char *
aavm_generate_profile(const AavmConfig *config, const AavmHost *host, const char *xml,
                      gsize len, const char *template_dir, GPtrArray *warnings,
                      GError **error)
{
    g_auto(AavmPipeline) p = { 0 };
    g_autoptr(AavmStoreDir) dir = NULL;
    g_autofree char *profile_name = NULL;
    g_autofree char *insert = NULL;

    if (!run(config, host, xml, len, warnings, &p, error) ||
        !(dir = aavm_store_dir_open(template_dir, 0, error)))
        return NULL;
    profile_name = g_strconcat("libvirt-", p.domain->uuid, NULL);
    if (aavm_domain_uses_files(p.domain)) {
        g_autofree char *body = aavm_render_body(p.list);
        insert = g_strdup_printf("  # The rules of %s.files:\n%s", profile_name, body);
    }
    return aavm_template_make(dir, aavm_domain_driver(p.domain), profile_name, insert,
                              config->profile_abi, error);
}
