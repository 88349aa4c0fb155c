/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rules-misc.c: input event devices, vhost-user interface sockets,
 * /dev/vhost-net, rng devices, smartcard NSS databases and /dev/sev.
 * (The chardev sources of rng egd and smartcard passthrough are in
 * rules-chardev.c.) */
#include "rules-private.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

#define VHOST_NET "/dev/vhost-net"
#define SEV_DEVICE "/dev/sev"
#define NSS_DEFAULT_DB "/etc/pki/nssdb"

/* The virtio models of libvirt's model enum (free-form strings such as
 * "virtio-net-pci" are not among them). */
static const char *const virtio_models[] = {
    "virtio", "virtio-transitional", "virtio-non-transitional", NULL,
};
/* Interface types that never use the in-kernel vhost-net backend. */
static const char *const no_vhost_net_types[] = { "vhostuser", "hostdev", "vdpa", NULL };
/* <launchSecurity> types whose firmware QEMU talks to through /dev/sev. */
static const char *const sev_types[] = { "sev", "sev-snp", NULL };

static gboolean
add_exact(const AavmRulesCtx *ctx, const char *path, AavmPerm perms, const char *reason,
          GError **error)
{
    return aavm_rules_path(ctx, path, AAVM_MATCH_EXACT, perms, reason, error);
}

static gboolean
add_inputs(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->inputs->len; i++) {
        const AavmInput *input = g_ptr_array_index(ctx->domain->inputs, i);
        g_autofree char *name = g_strdup_printf("input%u (%s)", input->index,
                                                input->type ? input->type : "?");

        if (input->evdev) {
            if (!add_exact(ctx, input->evdev, AAVM_PERM_RW, name, error))
                return FALSE;
        } else if (g_strcmp0(input->type, "passthrough") == 0 ||
                   g_strcmp0(input->type, "evdev") == 0) {
            aavm_rules_warn(ctx, _("%s names no host event device: nothing is granted for it."),
                            name);
        }
    }
    return TRUE;
}

/* libvirt's rule: a kvm domain with an interface whose model is unset or a
 * virtio one and whose driver is not 'qemu' may use vhost-net. */
static gboolean
interface_may_use_vhost_net(const AavmDomain *domain, const AavmInterface *iface)
{
    if (g_strcmp0(domain->virt_type, "kvm") != 0 ||
        aavm_in_list(iface->type, no_vhost_net_types))
        return FALSE;
    if (!iface->model)
        return TRUE;
    return aavm_in_list(iface->model, virtio_models) && g_strcmp0(iface->driver_name, "qemu") != 0;
}

static gboolean
add_interfaces(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->interfaces->len; i++) {
        const AavmInterface *iface = g_ptr_array_index(ctx->domain->interfaces, i);
        g_autofree char *name = g_strdup_printf("interface%u (%s)", iface->index,
                                                iface->type ? iface->type : "?");

        if (iface->socket) {
            g_autofree char *reason = g_strdup_printf("%s socket", name);
            if (!add_exact(ctx, iface->socket, AAVM_PERM_RW, reason, error))
                return FALSE;
        }
        if (interface_may_use_vhost_net(ctx->domain, iface) &&
            !add_exact(ctx, VHOST_NET, AAVM_PERM_RW, name, error))
            return FALSE;
    }
    return TRUE;
}

/* rng-random opens its device read-only. */
static gboolean
add_rngs(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->rngs->len; i++) {
        const AavmRng *rng = g_ptr_array_index(ctx->domain->rngs, i);
        g_autofree char *name = g_strdup_printf("rng%u (random)", rng->index);

        if (rng->device && !add_exact(ctx, rng->device, AAVM_PERM_READ, name, error))
            return FALSE;
    }
    return TRUE;
}

/* The NSS database of host smartcards: the directory and its files, read
 * and locked (NSS locks its sqlite files), never written. */
static gboolean
add_smartcards(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->smartcards->len; i++) {
        const AavmSmartcard *card = g_ptr_array_index(ctx->domain->smartcards, i);
        g_autofree char *name = g_strdup_printf("smartcard%u (%s) NSS database", card->index,
                                                card->mode ? card->mode : "?");
        const char *db = card->database ? card->database : NSS_DEFAULT_DB;

        if (g_strcmp0(card->mode, "host") != 0 && g_strcmp0(card->mode, "host-certificates") != 0)
            continue;
        if (!aavm_rules_tree(ctx, db, AAVM_PERM_RK, AAVM_PERM_RK, name, error))
            return FALSE;
    }
    return TRUE;
}

static gboolean
add_launch_security(const AavmRulesCtx *ctx, GError **error)
{
    g_autofree char *name = NULL;

    if (!aavm_in_list(ctx->domain->launch_security, sev_types))
        return TRUE;
    name = g_strdup_printf("launchSecurity (%s)", ctx->domain->launch_security);
    return add_exact(ctx, SEV_DEVICE, AAVM_PERM_RW, name, error);
}

gboolean
aavm_rules_add_misc(const AavmRulesCtx *ctx, GError **error)
{
    return add_inputs(ctx, error) && add_interfaces(ctx, error) && add_rngs(ctx, error) &&
           add_smartcards(ctx, error) && add_launch_security(ctx, error);
}
