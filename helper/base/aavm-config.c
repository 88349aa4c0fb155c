/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "aavm-config.h"

#include "aare.h"
#include "aavm-error.h"
#include "aavm-i18n.h"

#include <string.h>

AavmConfig *
aavm_config_new_default(void)
{
    AavmConfig *config = g_new0(AavmConfig, 1);

    config->profile_dir = g_strdup(AAVM_PROFILE_DIR);
    config->parser = g_strdup(AAVM_APPARMOR_PARSER);
    config->cache_dir = g_strdup(AAVM_CACHE_DIR);
    config->lock_dir = g_strdup(AAVM_LOCK_DIR);
    config->libvirt_log_dir = g_strdup(AAVM_LIBVIRT_LOG_DIR);
    config->libvirt_lib_dir = g_strdup(AAVM_LIBVIRT_LIB_DIR);
    config->libvirt_run_dir = g_strdup(AAVM_LIBVIRT_RUN_DIR);
    config->swtpm_log_dir = g_strdup(AAVM_SWTPM_LOG_DIR);
    config->libvirt_config_dir = g_strdup(AAVM_LIBVIRT_CONFIG_DIR);
    config->max_backing_depth = AAVM_DEFAULT_MAX_BACKING_DEPTH;
    config->grant_passthrough = TRUE;
    return config;
}

void
aavm_config_free(AavmConfig *config)
{
    if (!config)
        return;
    g_free(config->profile_dir);
    g_free(config->parser);
    g_free(config->cache_dir);
    g_free(config->lock_dir);
    g_free(config->libvirt_log_dir);
    g_free(config->libvirt_lib_dir);
    g_free(config->libvirt_run_dir);
    g_free(config->swtpm_log_dir);
    g_free(config->libvirt_config_dir);
    g_free(config->profile_abi);
    g_free(config);
}

gboolean
aavm_config_set(char **field, const char *value, const char *what, GError **error)
{
    if (!value || !g_path_is_absolute(value))
        return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                         _("The %s '%s' is not an absolute path."), what, value ? value : "");
    if (!aavm_aare_check_literal(value, what, error))
        return FALSE;
    g_free(*field);
    *field = g_strdup(value);
    /* No trailing slashes, so joined paths stay canonical. */
    for (gsize n = strlen(*field); n > 1 && (*field)[n - 1] == '/'; n--)
        (*field)[n - 1] = '\0';
    return TRUE;
}

gboolean
aavm_config_set_dirs(AavmConfig *config, const char *profile_dir, const char *parser,
                     const char *cache_dir, GError **error)
{
    return (!profile_dir ||
            aavm_config_set(&config->profile_dir, profile_dir, _("profile directory"), error)) &&
           (!parser || aavm_config_set(&config->parser, parser, _("parser"), error)) &&
           (!cache_dir ||
            aavm_config_set(&config->cache_dir, cache_dir, _("cache directory"), error));
}

gboolean
aavm_config_set_max_backing_depth(AavmConfig *config, const char *value, GError **error)
{
    guint64 depth = 0;

    if (!value || !g_ascii_string_to_unsigned(value, 10, 1, AAVM_MAX_BACKING_DEPTH_LIMIT, &depth,
                                              NULL))
        return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                         _("The backing chain depth '%s' is not a number from 1 to %d."),
                         value ? value : "", AAVM_MAX_BACKING_DEPTH_LIMIT);
    config->max_backing_depth = (guint)depth;
    return TRUE;
}

char *
aavm_config_profile_path(const AavmConfig *config, const char *profile_name)
{
    return g_build_filename(config->profile_dir, profile_name, NULL);
}

char *
aavm_config_files_path(const AavmConfig *config, const char *profile_name)
{
    g_autofree char *base = g_strconcat(profile_name, ".files", NULL);

    return g_build_filename(config->profile_dir, base, NULL);
}

char *
aavm_config_template_path(const AavmConfig *config, const char *driver)
{
    g_autofree char *base = g_strconcat("TEMPLATE.", driver, NULL);

    return g_build_filename(config->profile_dir, base, NULL);
}

GStrv
aavm_config_domain_xml_dirs(const AavmConfig *config)
{
    const char *const bases[] = { config->libvirt_run_dir, config->libvirt_config_dir };
    GPtrArray *dirs = g_ptr_array_new();

    for (guint i = 0; i < G_N_ELEMENTS(bases); i++) {
        g_ptr_array_add(dirs, g_build_filename(bases[i], "qemu", NULL));
        g_ptr_array_add(dirs, g_build_filename(bases[i], "lxc", NULL));
    }
    g_ptr_array_add(dirs, NULL);
    return (GStrv)g_ptr_array_free(dirs, FALSE);
}
