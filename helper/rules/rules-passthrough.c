/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Passthrough: the host paths found in <qemu:commandline> and <qemu:env>
 * (domain-parse-qemu.c, qemu-args.c), granted through the same path policy
 * as any device and recorded with the origin AAVM_ORIGIN_PASSTHROUGH.
 * Reasons read "passthrough -drive file= (qemu:arg 3)".  Network endpoints
 * and arguments aavm cannot read are warnings with their note; with
 * passthrough-paths=false in aavm.conf no path is granted and one warning
 * says how many were not. */
#include "rules-private.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "host-sysfs.h"
#include "qemu-args.h"

/* "-drive file= (qemu:arg 3)", "-kernel (qemu:arg 1)", "env XAUTHORITY (qemu:env 0)". */
static char *
item_label(const AavmPassthrough *item)
{
    const char *option = item->option ? item->option : "?";

    if (item->from_env)
        return g_strdup_printf("env %s (qemu:env %u)", option, item->index);
    if (strcmp(option, "qemu:override") == 0)
        return g_strdup_printf("qemu:override property %s (%u)", item->key ? item->key : "?",
                               item->index);
    if (item->key)
        return g_strdup_printf("%s %s= (qemu:arg %u)", option, item->key, item->index);
    return g_strdup_printf("%s (qemu:arg %u)", option, item->index);
}

/* The rule's reason: "passthrough " and the label. */
static char *
item_reason(const AavmPassthrough *item)
{
    g_autofree char *label = item_label(item);

    return g_strconcat("passthrough ", label, NULL);
}

/* -device vfio-*,host=ADDRESS or sysfsdev=/sys/.../ADDRESS|UUID: granted
 * exactly as the <hostdev type='pci'|'mdev'> it stands for, named
 * "passthrough -device host= (qemu:arg 3, pci 0000:00:1f.0)". */
static gboolean
grant_vfio(const AavmRulesCtx *ctx, const AavmPassthrough *item, GError **error)
{
    g_autofree char *base = g_path_get_basename(item->value);
    g_autofree char *uuid = NULL;
    g_autofree char *device = NULL;
    g_autofree char *label = NULL;
    AavmHostdev h = { .mode = (char *)"subsystem" };

    if (aavm_qemu_pci_address_parse(strcmp(item->key, "host") == 0 ? item->value : base,
                                    &h.pci)) {
        g_autofree char *address = aavm_pci_address_format(&h.pci);
        h.type = (char *)"pci";
        device = g_strconcat("pci ", address, NULL);
    } else if (aavm_uuid_normalize(base, &uuid, NULL)) {
        h.type = (char *)"mdev";
        h.mdev_uuid = uuid;
        device = g_strconcat("mdev ", uuid, NULL);
    } else {
        g_autofree char *reason = item_reason(item);
        aavm_rules_warn(ctx, _("The sysfs device '%s' of %s is neither a PCI device nor a mediated device: nothing is granted for it; describe it as a <hostdev> in the domain XML."),
                        item->value, reason);
        return TRUE;
    }
    label = g_strdup_printf("passthrough %s %s= (qemu:arg %u, %s)", item->option, item->key,
                            item->index, device);
    h.label = label;
    return aavm_rules_add_hostdev(ctx, &h, error);
}

static gboolean
grant_path(const AavmRulesCtx *ctx, const AavmPassthrough *item, GError **error)
{
    g_autofree char *reason = item_reason(item);

    if (aavm_qemu_item_is_vfio(item))
        return grant_vfio(ctx, item, error);
    if (item->tree)
        return aavm_rules_tree(ctx, item->value, AAVM_PERM_READ, item->perms, reason, error);
    if (aavm_qemu_item_may_be_dir(item) &&
        aavm_host_query(ctx->host, item->value, TRUE) == AAVM_HOST_DIR)
        /* QEMU makes (and unlinks) its memory file in the directory. */
        return aavm_rules_tree(ctx, item->value, item->perms, item->perms, reason, error);
    return aavm_rules_path(ctx, item->value, AAVM_MATCH_EXACT, item->perms, reason, error);
}

static void
warn_item(const AavmRulesCtx *ctx, const AavmPassthrough *item)
{
    g_autofree char *label = item_label(item);

    if (item->kind == AAVM_PASSTHROUGH_NETWORK)
        aavm_rules_warn(ctx, _("The passthrough argument %s names the network endpoint '%s': %s"),
                        label, item->value, item->note ? item->note : "");
    else
        aavm_rules_warn(ctx, _("The passthrough argument %s '%s' is not granted: %s"), label,
                        item->value, item->note ? item->note : "");
}

gboolean
aavm_rules_add_passthrough(const AavmRulesCtx *ctx, GError **error)
{
    const GPtrArray *items = ctx->domain->passthrough;
    AavmRulesCtx passthrough = *ctx; /* its rules come from AAVM_ORIGIN_PASSTHROUGH */
    guint not_granted = 0;
    gboolean ok = TRUE;

    passthrough.origin = AAVM_ORIGIN_PASSTHROUGH;
    for (guint i = 0; ok && i < items->len; i++) {
        const AavmPassthrough *item = g_ptr_array_index(items, i);
        if (item->kind != AAVM_PASSTHROUGH_PATH)
            warn_item(ctx, item);
        else if (!ctx->config->grant_passthrough)
            not_granted++;
        else
            ok = grant_path(&passthrough, item, error);
    }
    if (ok && not_granted > 0)
        aavm_rules_warn(ctx,
                        NG_("passthrough-paths is false in aavm.conf: %u host path named in <qemu:commandline> or <qemu:env> is not granted.",
                            "passthrough-paths is false in aavm.conf: %u host paths named in <qemu:commandline> or <qemu:env> are not granted.",
                            not_granted),
                        not_granted);
    return ok;
}
