/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config-file.h"

#include <errno.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "store.h"
#include "template.h"

#define GROUP "aavm"

static const char *const known_keys[] = {
    "passthrough-paths", "max-backing-depth", "libvirt-config-dir", "profile-abi", NULL,
};

static gboolean
check_keys(GKeyFile *file, const char *origin, GError **error)
{
    gsize n_groups = 0;
    g_auto(GStrv) groups = g_key_file_get_groups(file, &n_groups);

    for (gsize i = 0; i < n_groups; i++) {
        if (g_strcmp0(groups[i], GROUP) != 0)
            return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                             _("%s: Unknown group '[%s]'; the only group is '[%s]'."), origin,
                             groups[i], GROUP);
    }
    if (!g_key_file_has_group(file, GROUP))
        return TRUE;
    g_auto(GStrv) keys = g_key_file_get_keys(file, GROUP, NULL, NULL);
    for (guint i = 0; keys && keys[i]; i++) {
        if (!g_strv_contains(known_keys, keys[i]))
            return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                             _("%s: Unknown setting '%s'."), origin, keys[i]);
    }
    return TRUE;
}

static gboolean
bad_value(const char *origin, const char *key, GError *cause, GError **error)
{
    aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT, _("%s: The value of '%s' is invalid: %s"),
              origin, key, cause->message);
    g_error_free(cause);
    return FALSE;
}

gboolean
aavm_config_file_load_data(AavmConfig *config, const char *data, gsize len, const char *origin,
                           GError **error)
{
    g_autoptr(GKeyFile) file = g_key_file_new();
    g_autoptr(GError) local = NULL;
    g_autofree char *value = NULL;

    if (!g_key_file_load_from_data(file, data, len, G_KEY_FILE_NONE, &local))
        return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT, _("%s: %s"), origin,
                         local->message);
    if (!check_keys(file, origin, error))
        return FALSE;

    if (g_key_file_has_key(file, GROUP, "passthrough-paths", NULL)) {
        gboolean grant = g_key_file_get_boolean(file, GROUP, "passthrough-paths", &local);
        if (local)
            return bad_value(origin, "passthrough-paths", g_steal_pointer(&local), error);
        config->grant_passthrough = grant;
    }
    if ((value = g_key_file_get_string(file, GROUP, "max-backing-depth", NULL))) {
        g_strstrip(value);
        if (!aavm_config_set_max_backing_depth(config, value, &local))
            return bad_value(origin, "max-backing-depth", g_steal_pointer(&local), error);
        g_clear_pointer(&value, g_free);
    }
    if ((value = g_key_file_get_string(file, GROUP, "libvirt-config-dir", NULL))) {
        g_strstrip(value);
        if (!aavm_config_set(&config->libvirt_config_dir, value, _("libvirt configuration directory"),
                             &local))
            return bad_value(origin, "libvirt-config-dir", g_steal_pointer(&local), error);
        g_clear_pointer(&value, g_free);
    }
    if ((value = g_key_file_get_string(file, GROUP, "profile-abi", NULL))) {
        g_strstrip(value);
        if (!aavm_template_abi_valid(value)) {
            aavm_fail(&local, AAVM_ERROR_INVALID_ARGUMENT,
                      _("'%s' is not an AppArmor abi version such as '4.0'."), value);
            return bad_value(origin, "profile-abi", g_steal_pointer(&local), error);
        }
        g_free(config->profile_abi);
        config->profile_abi = g_steal_pointer(&value);
    }
    return TRUE;
}

gboolean
aavm_config_file_load(AavmConfig *config, const char *path, gboolean must_exist, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    if (!must_exist && aavm_store_size(path) < 0 && errno == ENOENT)
        return TRUE;
    if (!aavm_store_read(path, AAVM_CONFIG_FILE_MAX, &data, &len, error))
        return FALSE;
    return aavm_config_file_load_data(config, data, len, path, error);
}

gboolean
aavm_config_file_apply(AavmConfig *config, const char *option_path, GError **error)
{
    return aavm_config_file_load(config, option_path ? option_path : AAVM_CONFIG_FILE,
                                 option_path != NULL, error);
}
