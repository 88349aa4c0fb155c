/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "host-sysfs.h"

char *
aavm_host_pci_sysfs_dir(const AavmHost *host, const AavmPciAddress *addr)
{
    return NULL;
}

char *
aavm_host_pci_vfio_group(const AavmHost *host, const AavmPciAddress *addr)
{
    return NULL;
}

char *
aavm_host_pci_vfio_cdev(const AavmHost *host, const AavmPciAddress *addr)
{
    return NULL;
}

char *
aavm_host_mdev_vfio_group(const AavmHost *host, const char *uuid)
{
    return NULL;
}

char *
aavm_host_usb_node(const AavmHost *host, const char *vendor, const char *product,
                   const char *bus, const char *device)
{
    return NULL;
}

char *
aavm_host_scsi_generic_node(const AavmHost *host, const char *adapter, const char *bus,
                            const char *target, const char *unit)
{
    return NULL;
}
