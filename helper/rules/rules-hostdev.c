/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Host devices: the nodes and sysfs files QEMU opens for each, found on the
 * host through host-sysfs (never pasted from the XML).  What the host does
 * not have is warned about and not granted. */
#include "rules-private.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "host-sysfs.h"

#define VFIO_CONTAINER "/dev/vfio/vfio"
#define IOMMUFD_NODE "/dev/iommu"
#define VHOST_SCSI_NODE "/dev/vhost-scsi"

typedef gboolean (*HostdevRules)(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error);

/* A node of @h, found on the host: "<label> <what>" is the reason. */
static gboolean
add_node(const AavmRulesCtx *ctx, const AavmHostdev *h, const char *path, AavmPerm perms,
         const char *what, GError **error)
{
    g_autofree char *reason = g_strdup_printf("%s %s", h->label, what);

    return aavm_rules_path(ctx, path, AAVM_MATCH_EXACT, perms, reason, error);
}

static gboolean
add_usb(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error)
{
    guint matches = 0;
    g_autofree char *node = aavm_host_usb_node(ctx->host, h->usb_vendor, h->usb_product,
                                               h->usb_bus, h->usb_device, &matches);

    if (node)
        return add_node(ctx, h, node, AAVM_PERM_RW, "USB device node", error);
    if (matches > 1)
        aavm_rules_warn(ctx, _("%s matches %u USB devices on this host; an <address bus device> must choose one: no USB device node is granted for it."),
                        h->label, matches);
    else
        aavm_rules_warn(ctx, _("%s is not on this host: no USB device node is granted for it."),
                        h->label);
    return TRUE;
}

/* The sysfs files of a PCI function; FALSE in @out_present when the host
 * does not have it.  A function outside /sys/devices/pci* (the only sysfs
 * the path policy opens) is warned about and its files skipped. */
static gboolean
add_pci_sysfs(const AavmRulesCtx *ctx, const AavmHostdev *h, gboolean *out_present,
              GError **error)
{
    g_autoptr(GPtrArray) files = aavm_host_pci_sysfs_files(ctx->host, &h->pci);

    *out_present = files != NULL;
    for (guint i = 0; files && i < files->len; i++) {
        g_autoptr(GError) refused = NULL;
        if (add_node(ctx, h, g_ptr_array_index(files, i), AAVM_PERM_RW, "sysfs file", &refused))
            continue;
        if (!g_error_matches(refused, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH)) {
            g_propagate_error(error, g_steal_pointer(&refused));
            return FALSE;
        }
        g_autofree char *dir = g_path_get_dirname(g_ptr_array_index(files, i));
        aavm_rules_warn(ctx, _("%s has its sysfs files in '%s', which is not under /sys/devices/pci*: they are not granted."),
                        h->label, dir);
        return TRUE;
    }
    return TRUE;
}

/* How QEMU reaches a VFIO device: its group (with the container) or, with
 * iommufd, its own device node (with /dev/iommu). */
typedef struct {
    char *(*lookup)(const AavmHost *host, const AavmPciAddress *addr);
    const char *shared;   /* node every such device needs */
    const char *shared_reason;
    AavmPerm perms;
    const char *what;     /* the device's own node */
} VfioAccess;

static const VfioAccess vfio_group = {
    aavm_host_pci_vfio_group, VFIO_CONTAINER, "VFIO container", AAVM_PERM_RW, "VFIO group",
};
static const VfioAccess vfio_iommufd = {
    aavm_host_pci_vfio_cdev, IOMMUFD_NODE, "iommufd", AAVM_PERM_RW | AAVM_PERM_MMAP,
    "VFIO device node",
};

static gboolean
add_pci(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error)
{
    gboolean present = FALSE;
    const VfioAccess *vfio = NULL;

    if (!h->driver || strcmp(h->driver, "vfio") == 0)
        vfio = h->iommufd ? &vfio_iommufd : &vfio_group;
    else if (strcmp(h->driver, "kvm") != 0 && strcmp(h->driver, "xen") != 0)
        aavm_rules_warn(ctx, _("%s uses the unknown driver '%s': only its sysfs files are granted."),
                        h->label, h->driver);

    if (!add_pci_sysfs(ctx, h, &present, error))
        return FALSE;
    if (!vfio) {
        if (!present)
            aavm_rules_warn(ctx, _("%s is not on this host: its sysfs files are not granted."),
                            h->label);
        return TRUE;
    }
    if (!aavm_rules_path(ctx, vfio->shared, AAVM_MATCH_EXACT, vfio->perms, vfio->shared_reason,
                         error))
        return FALSE;
    if (!present) {
        aavm_rules_warn(ctx, _("%s is not on this host: neither its sysfs files nor its %s are granted."),
                        h->label, vfio->what);
        return TRUE;
    }
    g_autofree char *node = vfio->lookup(ctx->host, &h->pci);
    if (node)
        return add_node(ctx, h, node, vfio->perms, vfio->what, error);
    aavm_rules_warn(ctx, _("%s has no %s on this host: it is not granted."), h->label, vfio->what);
    return TRUE;
}

static gboolean
add_mdev(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error)
{
    g_autofree char *group = aavm_host_mdev_vfio_group(ctx->host, h->mdev_uuid);

    if (!aavm_rules_path(ctx, VFIO_CONTAINER, AAVM_MATCH_EXACT, AAVM_PERM_RW, "VFIO container",
                         error))
        return FALSE;
    if (group)
        return add_node(ctx, h, group, AAVM_PERM_RW, "VFIO group", error);
    aavm_rules_warn(ctx, _("%s is not on this host: its VFIO group is not granted."), h->label);
    return TRUE;
}

static gboolean
add_scsi(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error)
{
    if (g_strcmp0(h->scsi_protocol, "iscsi") == 0)
        return TRUE; /* network */
    g_autofree char *node = aavm_host_scsi_generic_node(ctx->host, h->scsi_adapter, h->scsi_bus,
                                                        h->scsi_target, h->scsi_unit);
    if (node)
        return add_node(ctx, h, node, AAVM_PERM_RW, "SCSI generic node", error);
    aavm_rules_warn(ctx, _("%s has no SCSI generic node on this host: nothing is granted for it."),
                    h->label);
    return TRUE;
}

static gboolean
add_scsi_host(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error)
{
    if (g_strcmp0(h->scsi_protocol, "vhost") == 0)
        return add_node(ctx, h, VHOST_SCSI_NODE, AAVM_PERM_RW, "vhost-scsi node", error);
    aavm_rules_warn(ctx, _("%s uses the protocol '%s', which is not supported: nothing is granted for it."),
                    h->label, h->scsi_protocol ? h->scsi_protocol : "");
    return TRUE;
}

/* mode='capabilities' storage and misc: the node named in the XML, through the path policy. */
static gboolean
add_caps_node(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error)
{
    return add_node(ctx, h, h->caps_path, AAVM_PERM_RW, "device node", error);
}

static const struct {
    const char *type;
    HostdevRules add; /* NULL: nothing on the host to grant */
} hostdev_rules[] = {
    { "usb", add_usb },
    { "pci", add_pci },
    { "mdev", add_mdev },
    { "scsi", add_scsi },
    { "scsi_host", add_scsi_host },
    { "storage", add_caps_node },
    { "misc", add_caps_node },
    { "net", NULL }, /* a network interface moved into the container */
};

gboolean
aavm_rules_add_hostdev(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error)
{
    for (guint k = 0; k < G_N_ELEMENTS(hostdev_rules); k++)
        if (strcmp(h->type, hostdev_rules[k].type) == 0 && hostdev_rules[k].add)
            return hostdev_rules[k].add(ctx, h, error);
    return TRUE;
}

gboolean
aavm_rules_add_hostdevs(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->hostdevs->len; i++)
        if (!aavm_rules_add_hostdev(ctx, g_ptr_array_index(ctx->domain->hostdevs, i), error))
            return FALSE;
    return TRUE;
}
