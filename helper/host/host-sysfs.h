/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host-sysfs.h: questions about host devices answered from sysfs and /dev
 * through the host seam (USB bus/device nodes, PCI functions, IOMMU
 * groups, mdevs, SCSI generic nodes).  Every answer is a host-absolute
 * path, or NULL when the host does not have the device.  Paths are only
 * ever made from numbers (validated) and from names sysfs gives; nothing
 * from the XML is pasted into a path as text. */
#pragma once

#include <glib.h>

#include "domain.h"
#include "host.h"

/* The canonical sysfs directory of a PCI function
 * ("/sys/devices/pci0000:00/0000:00:1f.0"). */
char *aavm_host_pci_sysfs_dir(const AavmHost *host, const AavmPciAddress *addr);
/* The files of a PCI function that device assignment opens (config,
 * resource*, rom, reset, vendor, device: those present, regular files),
 * as paths under its canonical sysfs directory, sorted; NULL when the
 * function is not on the host. */
GPtrArray *aavm_host_pci_sysfs_files(const AavmHost *host, const AavmPciAddress *addr);
/* The VFIO group node of a PCI function ("/dev/vfio/<group>"). */
char *aavm_host_pci_vfio_group(const AavmHost *host, const AavmPciAddress *addr);
/* The VFIO device node of a PCI function for iommufd ("/dev/vfio/devices/vfio<N>"). */
char *aavm_host_pci_vfio_cdev(const AavmHost *host, const AavmPciAddress *addr);
/* The VFIO group node of a mediated device. */
char *aavm_host_mdev_vfio_group(const AavmHost *host, const char *uuid);
/* The node of a USB device ("/dev/bus/usb/BBB/DDD") by vendor/product ids
 * or by bus/device numbers, or by all four (either pair may be NULL; the
 * numbers as libvirt reads them, aavm_parse_number()).  The node is
 * returned only when exactly one device matches; @out_matches (may be
 * NULL) gets how many did, so a caller can tell "absent" from "ambiguous". */
char *aavm_host_usb_node(const AavmHost *host, const char *vendor, const char *product,
                         const char *bus, const char *device, guint *out_matches);
/* The SCSI generic node ("/dev/sg<N>") of adapter scsi_host<H>, bus, target, unit. */
char *aavm_host_scsi_generic_node(const AavmHost *host, const char *adapter, const char *bus,
                                  const char *target, const char *unit);
