/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rules-disk.c: <disk>: each layer of the chain (the disk's own source,
 * then its backing layers top to base: the XML's <backingStore> chain, or
 * else the one its image headers name), the further files of each image
 * (qcow2 data file, vmdk extents), and the local companions of network and
 * NVMe sources. */
#include "rules-private.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "host-block.h"
#include "host-sysfs.h"
#include "image-chain.h"

/* An image or device path QEMU opens.  For a block device on the real host
 * the kernel's node name is granted too when it differs from the canonical
 * path: libvirt's per-VM mount namespace recreates devices in a private
 * /dev under that name. */
static gboolean
add_image(const AavmRulesCtx *ctx, const char *path, AavmPerm perms, const char *reason,
          GError **error)
{
    g_autofree char *node = NULL;
    g_autofree char *canonical = NULL;

    if (!aavm_rules_path(ctx, path, AAVM_MATCH_EXACT, perms, reason, error))
        return FALSE;
    node = aavm_host_block_node(ctx->host, path);
    if (!node || !aavm_host_canonicalize(ctx->host, path, &canonical, NULL, NULL) ||
        strcmp(node, canonical) == 0)
        return TRUE;
    return aavm_rules_path(ctx, node, AAVM_MATCH_EXACT, perms, reason, error);
}

/* Every image path of a list with @perms. */
static gboolean
add_images(const AavmRulesCtx *ctx, const GPtrArray *paths, AavmPerm perms, const char *reason,
           GError **error)
{
    for (guint i = 0; i < paths->len; i++)
        if (!add_image(ctx, g_ptr_array_index(paths, i), perms, reason, error))
            return FALSE;
    return TRUE;
}

/* Every path of a list with @perms. */
static gboolean
add_each(const AavmRulesCtx *ctx, const GPtrArray *paths, AavmPerm perms, const char *reason,
         GError **error)
{
    for (guint i = 0; i < paths->len; i++)
        if (!aavm_rules_path(ctx, g_ptr_array_index(paths, i), AAVM_MATCH_EXACT, perms, reason,
                             error))
            return FALSE;
    return TRUE;
}

/* An NVMe disk: its VFIO group and the VFIO container. */
static gboolean
add_nvme(const AavmRulesCtx *ctx, const AavmDiskSource *layer, const char *reason,
         GError **error)
{
    const AavmPciAddress *a = &layer->nvme;
    g_autofree char *group = NULL;

    if (!a->set)
        return TRUE; /* warned about when parsed */
    group = aavm_host_pci_vfio_group(ctx->host, a);
    if (!group) {
        g_autofree char *address = aavm_pci_address_format(a);
        aavm_rules_warn(ctx,
                        _("%s (nvme %s): its VFIO group was not found on the host; nothing is "
                          "granted for it."),
                        reason, address);
        return TRUE;
    }
    return aavm_rules_path(ctx, group, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error) &&
           aavm_rules_path(ctx, "/dev/vfio/vfio", AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error);
}

/* The local path of a layer: @perms (a directory: itself r, its tree @perms). */
static gboolean
add_layer_path(const AavmRulesCtx *ctx, const AavmDiskSource *layer, AavmPerm perms,
               const char *reason, GError **error)
{
    switch (layer->type) {
    case AAVM_DISK_DIR:
        return aavm_rules_tree(ctx, layer->path, AAVM_PERM_READ, perms, reason, error);
    case AAVM_DISK_VHOSTVDPA:
        return aavm_rules_path(ctx, layer->path, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error);
    default:
        return add_image(ctx, layer->path, perms, reason, error);
    }
}

/* One layer: its path and data file @perms, the sockets it connects to rw,
 * the files it reads (ceph config, ssh identity and known hosts) r.  A
 * network layer has no path: QEMU talks to the network. */
static gboolean
add_layer(const AavmRulesCtx *ctx, const AavmDiskSource *layer, AavmPerm perms,
          const char *reason, GError **error)
{
    if (layer->path && !add_layer_path(ctx, layer, perms, reason, error))
        return FALSE;
    if (layer->data_store && !add_image(ctx, layer->data_store, perms, reason, error))
        return FALSE;
    if (!add_images(ctx, layer->image_files, perms, reason, error))
        return FALSE;
    if (layer->socket &&
        !aavm_rules_path(ctx, layer->socket, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error))
        return FALSE;
    if (layer->config_file &&
        !aavm_rules_path(ctx, layer->config_file, AAVM_MATCH_EXACT, AAVM_PERM_READ, reason, error))
        return FALSE;
    if (layer->type == AAVM_DISK_NVME && !add_nvme(ctx, layer, reason, error))
        return FALSE;
    return add_each(ctx, layer->rw_companions, AAVM_PERM_RW, reason, error) &&
           add_each(ctx, layer->companions, AAVM_PERM_READ, reason, error);
}

static char *
layer_reason(const char *target, guint number, const AavmDiskSource *layer)
{
    if (layer->named_by)
        /* Reasons are rule comments: the same text whatever the locale. */
        return g_strdup_printf("disk %s backing layer %u (named in %s)", target, number,
                               layer->named_by);
    return g_strdup_printf("disk %s backing layer %u", target, number);
}

static gboolean
add_disk(const AavmRulesCtx *ctx, const AavmDisk *disk, GError **error)
{
    const char *target = disk->target ? disk->target : "(no target)";
    g_autofree char *reason = g_strdup_printf("disk %s", target);
    AavmPerm top_perms = disk->readonly ? AAVM_PERM_RK : AAVM_PERM_RWK;
    guint max_depth = ctx->config->max_backing_depth;
    g_autoptr(AavmImageChain) chain = NULL;
    const GPtrArray *backing = disk->backing;

    /* The top is read-write unless <readonly/>; backing layers are read
     * (and locked) only, with no deny-write rule: block-commit later has
     * a layer granted write (aavm-helper -F), which a deny would override. */
    if (disk->top && !add_layer(ctx, disk->top, top_perms, reason, error))
        return FALSE;
    if (disk->top && !disk->backing_given) {
        /* No <backingStore>: the chain its image headers name. */
        chain = aavm_image_chain_discover(ctx->host, disk->top, max_depth, reason,
                                          ctx->list->warnings, error);
        if (!chain || !add_images(ctx, chain->top_files, top_perms, reason, error))
            return FALSE;
        backing = chain->layers;
    } else if (backing->len > max_depth) {
        return aavm_fail(error, AAVM_ERROR_BACKING_CHAIN,
                         _("Refusing disk %s: its backing chain has more layers than the limit of %u."),
                         target, max_depth);
    }
    for (guint i = 0; i < backing->len; i++) {
        const AavmDiskSource *layer = g_ptr_array_index(backing, i);
        g_autofree char *why = layer_reason(target, i + 1, layer);

        if (!add_layer(ctx, layer, AAVM_PERM_RK, why, error))
            return FALSE;
    }
    return TRUE;
}

gboolean
aavm_rules_add_disks(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->disks->len; i++)
        if (!add_disk(ctx, g_ptr_array_index(ctx->domain->disks, i), error))
            return FALSE;
    return TRUE;
}
