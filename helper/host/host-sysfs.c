/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "host-sysfs.h"

#include <string.h>

/* Longest sysfs attribute read (ids, numbers). */
#define ATTR_MAX 32
/* USB bus and device numbers name /dev/bus/usb/BBB/DDD: three digits. */
#define USB_NUMBER_MAX 999
/* IOMMU groups and VFIO device numbers: at most this many digits. */
#define INDEX_DIGITS_MAX 10

#define IOMMU_GROUPS_DIR "/sys/kernel/iommu_groups/"

/* Whether @text is @prefix followed by 1 to INDEX_DIGITS_MAX decimal digits. */
static gboolean
is_indexed_name(const char *text, const char *prefix)
{
    gsize plen = strlen(prefix);
    gsize len = strlen(text);

    if (strncmp(text, prefix, plen) != 0 || len == plen || len - plen > INDEX_DIGITS_MAX)
        return FALSE;
    for (const char *c = text + plen; *c; c++)
        if (!g_ascii_isdigit(*c))
            return FALSE;
    return TRUE;
}

/* The canonical form of @path when it exists on the host as a directory. */
static char *
existing_dir(const AavmHost *host, const char *path)
{
    g_autofree char *canonical = NULL;
    gboolean exists = FALSE;

    if (!aavm_host_canonicalize(host, path, &canonical, &exists, NULL) || !exists ||
        aavm_host_query(host, canonical, TRUE) != AAVM_HOST_DIR)
        return NULL;
    return g_steal_pointer(&canonical);
}

/* The first entry of the directory @dir named <prefix><digits>, or NULL. */
static char *
first_indexed_entry(const AavmHost *host, const char *dir, const char *prefix)
{
    g_auto(GStrv) names = aavm_host_list_dir(host, dir);

    for (guint i = 0; names[i]; i++)
        if (is_indexed_name(names[i], prefix))
            return g_strdup(names[i]);
    return NULL;
}

/* "/dev/vfio/<N>" from the iommu_group link of the device directory @dir. */
static char *
iommu_group_node(const AavmHost *host, const char *dir)
{
    g_autofree char *link = g_strconcat(dir, "/iommu_group", NULL);
    g_autofree char *group = existing_dir(host, link);

    if (!group || !g_str_has_prefix(group, IOMMU_GROUPS_DIR) ||
        !is_indexed_name(group + strlen(IOMMU_GROUPS_DIR), ""))
        return NULL;
    return g_strconcat("/dev/vfio/", group + strlen(IOMMU_GROUPS_DIR), NULL);
}

static gboolean
pci_address_valid(const AavmPciAddress *addr)
{
    return addr && addr->set && addr->domain <= 0xffff && addr->bus <= 0xff &&
           addr->slot <= 0x1f && addr->function <= 7;
}

char *
aavm_host_pci_sysfs_dir(const AavmHost *host, const AavmPciAddress *addr)
{
    if (!pci_address_valid(addr))
        return NULL;
    g_autofree char *name = aavm_pci_address_format(addr);
    g_autofree char *link = g_strconcat("/sys/bus/pci/devices/", name, NULL);
    return existing_dir(host, link);
}

/* What device assignment opens in a function's directory (libvirt's list). */
static gboolean
is_assignment_file(const char *name)
{
    static const char *const exact[] = { "config", "rom", "reset", "vendor", "device", NULL };

    return g_strv_contains(exact, name) || g_str_has_prefix(name, "resource");
}

GPtrArray *
aavm_host_pci_sysfs_files(const AavmHost *host, const AavmPciAddress *addr)
{
    g_autofree char *dir = aavm_host_pci_sysfs_dir(host, addr);
    if (!dir)
        return NULL;

    g_auto(GStrv) names = aavm_host_list_dir(host, dir);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; names[i]; i++) {
        if (!is_assignment_file(names[i]))
            continue;
        g_autofree char *path = g_strconcat(dir, "/", names[i], NULL);
        if (aavm_host_query(host, path, FALSE) == AAVM_HOST_FILE)
            g_ptr_array_add(files, g_steal_pointer(&path));
    }
    return files;
}

char *
aavm_host_pci_vfio_group(const AavmHost *host, const AavmPciAddress *addr)
{
    g_autofree char *dir = aavm_host_pci_sysfs_dir(host, addr);

    return dir ? iommu_group_node(host, dir) : NULL;
}

char *
aavm_host_pci_vfio_cdev(const AavmHost *host, const AavmPciAddress *addr)
{
    g_autofree char *dir = aavm_host_pci_sysfs_dir(host, addr);
    if (!dir)
        return NULL;

    g_autofree char *vfio_dev = g_strconcat(dir, "/vfio-dev", NULL);
    g_autofree char *name = first_indexed_entry(host, vfio_dev, "vfio");
    return name ? g_strconcat("/dev/vfio/devices/", name, NULL) : NULL;
}

char *
aavm_host_mdev_vfio_group(const AavmHost *host, const char *uuid)
{
    g_autofree char *canonical_uuid = NULL;

    if (!aavm_uuid_normalize(uuid, &canonical_uuid, NULL))
        return NULL;
    g_autofree char *link = g_strconcat("/sys/bus/mdev/devices/", canonical_uuid, NULL);
    g_autofree char *dir = existing_dir(host, link);
    return dir ? iommu_group_node(host, dir) : NULL;
}

/* The sysfs attribute @dir/@name as a number in @base, at most @max. */
static gboolean
read_attr_number(const AavmHost *host, const char *dir, const char *name, guint base,
                 guint64 max, guint64 *out)
{
    g_autofree char *path = g_strconcat(dir, "/", name, NULL);
    g_autofree char *text = aavm_host_read_text(host, path, ATTR_MAX);

    return text && *text && g_ascii_isxdigit(*text) &&
           g_ascii_string_to_unsigned(text, base, 0, max, out, NULL);
}

/* What identifies a USB device: the XML's texts and the sysfs attributes. */
enum { USB_VENDOR, USB_PRODUCT, USB_BUS, USB_DEVICE, USB_KEYS };

static const struct {
    const char *attr;
    guint base;
    guint64 sysfs_max;
} usb_keys[USB_KEYS] = {
    [USB_VENDOR] = { "idVendor", 16, 0xffff },
    [USB_PRODUCT] = { "idProduct", 16, 0xffff },
    [USB_BUS] = { "busnum", 10, USB_NUMBER_MAX },
    [USB_DEVICE] = { "devnum", 10, USB_NUMBER_MAX },
};

/* Whether the sysfs device @dir has all four keys and the given ones match. */
static gboolean
usb_device_matches(const AavmHost *host, const char *dir, const gboolean *given,
                   const guint64 *want, guint64 *have)
{
    for (guint k = 0; k < USB_KEYS; k++) {
        if (!read_attr_number(host, dir, usb_keys[k].attr, usb_keys[k].base,
                              usb_keys[k].sysfs_max, &have[k]))
            return FALSE;
        if (given[k] && have[k] != want[k])
            return FALSE;
    }
    return TRUE;
}

char *
aavm_host_usb_node(const AavmHost *host, const char *vendor, const char *product,
                   const char *bus, const char *device, guint *out_matches)
{
    const char *texts[USB_KEYS] = { vendor, product, bus, device };
    gboolean given[USB_KEYS];
    guint64 want[USB_KEYS] = { 0 };
    guint matches = 0;
    g_autofree char *node = NULL;

    if (out_matches)
        *out_matches = 0;
    for (guint k = 0; k < USB_KEYS; k++) {
        given[k] = texts[k] != NULL;
        if (given[k] && !aavm_parse_number(texts[k], G_MAXUINT, &want[k]))
            return NULL;
    }
    if (!(given[USB_VENDOR] && given[USB_PRODUCT]) && !(given[USB_BUS] && given[USB_DEVICE]))
        return NULL;

    g_auto(GStrv) names = aavm_host_list_dir(host, "/sys/bus/usb/devices");
    for (guint i = 0; names[i]; i++) {
        g_autofree char *dir = g_strconcat("/sys/bus/usb/devices/", names[i], NULL);
        guint64 have[USB_KEYS];
        if (names[i][0] == '.' || !usb_device_matches(host, dir, given, want, have))
            continue;
        if (++matches == 1)
            node = g_strdup_printf("/dev/bus/usb/%03u/%03u", (guint)have[USB_BUS],
                                   (guint)have[USB_DEVICE]);
    }
    if (out_matches)
        *out_matches = matches;
    return matches == 1 ? g_steal_pointer(&node) : NULL;
}

char *
aavm_host_scsi_generic_node(const AavmHost *host, const char *adapter, const char *bus,
                            const char *target, const char *unit)
{
    static const char prefix[] = "scsi_host";
    guint64 host_no, bus_no, target_no, unit_no;

    if (!adapter || !is_indexed_name(adapter, prefix) ||
        !g_ascii_string_to_unsigned(adapter + strlen(prefix), 10, 0, G_MAXINT, &host_no, NULL) ||
        !aavm_parse_number(bus, G_MAXUINT, &bus_no) ||
        !aavm_parse_number(target, G_MAXUINT, &target_no) ||
        !aavm_parse_number(unit, G_MAXUINT64, &unit_no))
        return NULL;

    g_autofree char *dir = g_strdup_printf("/sys/bus/scsi/devices/%u:%u:%u:%" G_GUINT64_FORMAT
                                           "/scsi_generic", (guint)host_no, (guint)bus_no,
                                           (guint)target_no, unit_no);
    g_autofree char *name = first_indexed_entry(host, dir, "sg");
    return name ? g_strconcat("/dev/", name, NULL) : NULL;
}
