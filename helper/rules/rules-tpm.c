/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rules-private.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* TPM versions and the state directory swtpm keeps for each. */
static const struct {
    const char *version;
    const char *state_dir;
} tpm_versions[] = {
    { "1.2", "tpm1.2" },
    { "2.0", "tpm2" },
};

/* Models (and architectures) that only exist as TPM 2.0. */
static const char *const tpm2_models[] = { "tpm-crb", "tpm-spapr", "spapr-tpm-proxy", NULL };
static const char *const tpm2_arches[] = { "aarch64", "armv7l", NULL };

/* The passthrough device when the XML names none (the VM manager's default). */
#define TPM_DEFAULT_DEVICE "/dev/tpm0"

/* Which of tpm_versions[] the emulator may use: the given version; without
 * one the VM manager picks 2.0 for models and machines that only have 2.0,
 * and for the others 1.2 (older releases) or 2.0 (current ones): both. */
static gboolean
version_wanted(const AavmDomain *domain, const AavmTpm *tpm, guint i)
{
    if (tpm->version)
        return g_str_equal(tpm->version, tpm_versions[i].version);
    if (aavm_in_list(tpm->model, tpm2_models) || aavm_in_list(domain->arch, tpm2_arches))
        return g_str_equal(tpm_versions[i].version, "2.0");
    return TRUE;
}

/* swtpm's state: the XML's own location, or "<lib>/swtpm/<uuid>/<tpmX>". */
static gboolean
add_emulator_state(const AavmRulesCtx *ctx, const AavmTpm *tpm, const char *reason,
                   GError **error)
{
    gboolean any = FALSE;

    if (tpm->source_path && g_strcmp0(tpm->source_type, "dir") == 0)
        return aavm_rules_tree(ctx, tpm->source_path, AAVM_PERM_READ, AAVM_PERM_RWK, reason, error);
    if (tpm->source_path && g_strcmp0(tpm->source_type, "file") == 0)
        return aavm_rules_path(ctx, tpm->source_path, AAVM_MATCH_EXACT, AAVM_PERM_RWK, reason,
                               error);
    if (tpm->source_type)
        aavm_rules_warn(ctx, _("The state source of type '%s' of %s is not supported; the default state directory is granted."),
                        tpm->source_type, reason);
    for (guint i = 0; i < G_N_ELEMENTS(tpm_versions); i++) {
        g_autofree char *dir = NULL;

        if (!version_wanted(ctx->domain, tpm, i))
            continue;
        any = TRUE;
        dir = g_strdup_printf("%s/swtpm/%s/%s", ctx->config->libvirt_lib_dir, ctx->domain->uuid,
                              tpm_versions[i].state_dir);
        if (!aavm_rules_tree(ctx, dir, AAVM_PERM_READ, AAVM_PERM_RWK, reason, error))
            return FALSE;
    }
    if (!any)
        aavm_rules_warn(ctx, _("The TPM version '%s' of %s is unknown; no state directory is granted."),
                        tpm->version, reason);
    return TRUE;
}

/* The emulator swtpm runs confined by the domain's profile: its control
 * socket, pid file, log and state. */
static gboolean
add_emulator(const AavmRulesCtx *ctx, const AavmTpm *tpm, const char *reason, GError **error)
{
    const AavmConfig *config = ctx->config;
    g_autofree char *short_name = NULL;

    short_name = aavm_rules_short_name(ctx->domain);
    const struct {
        char *path;
        AavmPerm perms;
    } files[] = {
        { g_strdup_printf("%s/qemu/swtpm/%s-swtpm.sock", config->libvirt_run_dir, short_name),
          AAVM_PERM_RW },
        { g_strdup_printf("%s/qemu/swtpm/%s-swtpm.pid", config->libvirt_run_dir, short_name),
          AAVM_PERM_RW },
        { g_strdup_printf("%s/%s-swtpm.log", config->swtpm_log_dir, ctx->domain->name),
          AAVM_PERM_WRITE },
    };
    gboolean ok = TRUE;

    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        ok = ok && aavm_rules_path(ctx, files[i].path, AAVM_MATCH_EXACT, files[i].perms, reason,
                                   error);
        g_free(files[i].path);
    }
    return ok && add_emulator_state(ctx, tpm, reason, error);
}

static gboolean
add_tpm(const AavmRulesCtx *ctx, const AavmTpm *tpm, GError **error)
{
    g_autofree char *reason = g_strdup_printf("tpm%u (%s)", tpm->index,
                                              tpm->backend ? tpm->backend : "?");

    if (g_strcmp0(tpm->backend, "emulator") == 0)
        return add_emulator(ctx, tpm, reason, error);
    if (g_strcmp0(tpm->backend, "passthrough") == 0)
        return aavm_rules_path(ctx, tpm->device_path ? tpm->device_path : TPM_DEFAULT_DEVICE,
                               AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error);
    if (g_strcmp0(tpm->backend, "external") == 0) {
        if (tpm->source_path && g_strcmp0(tpm->source_type, "unix") == 0)
            return aavm_rules_path(ctx, tpm->source_path, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason,
                                   error);
        aavm_rules_warn(ctx, _("The external TPM %s has no unix socket path; nothing is granted for it."),
                        reason);
        return TRUE;
    }
    aavm_rules_warn(ctx, _("The TPM %s is not supported; nothing is granted for it."), reason);
    return TRUE;
}

gboolean
aavm_rules_add_tpms(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->tpms->len; i++)
        if (!add_tpm(ctx, g_ptr_array_index(ctx->domain->tpms, i), error))
            return FALSE;
    return TRUE;
}
