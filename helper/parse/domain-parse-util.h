/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse-util.h: small readers shared by the domain-parse-* modules,
 * and the parsers of each device family (one file a family). */
#pragma once

#include <glib.h>

#include "aavm-xml.h"
#include "domain.h"

/* An attribute (no namespace) as a new string, NULL when absent or @node is NULL. */
char *aavm_xml_prop(xmlNode *node, const char *name);
/* An attribute naming a path: NULL when absent or empty (libvirt reads an
 * empty path as "none"). */
char *aavm_xml_path_prop(xmlNode *node, const char *name);
/* The text content of @node, stripped; NULL when empty or only white space. */
char *aavm_xml_text(xmlNode *node);
/* Whether @node is the element @name in no namespace. */
gboolean aavm_xml_is(xmlNode *node, const char *name);
/* The first child element called @name (no namespace), or NULL. */
xmlNode *aavm_xml_child(xmlNode *parent, const char *name);
/* Iterate over the child elements called @name: for (c = aavm_xml_child(p, n); c; c = aavm_xml_next(c, n)). */
xmlNode *aavm_xml_next(xmlNode *node, const char *name);
/* A numeric attribute @attr of @node as written (libvirt's number forms:
 * hex, octal or decimal), at most @max, into @out (and @out_value unless
 * NULL).  Absent: @out NULL and TRUE, or an error when @required.  @what
 * names the device in the error. */
gboolean aavm_xml_number_prop(xmlNode *node, const char *attr, guint64 max, gboolean required,
                              const char *what, char **out, guint64 *out_value, GError **error);
/* A PCI <address domain= bus= slot= function=> (missing attributes are 0,
 * each bounded), or an error naming @what. */
gboolean aavm_parse_pci_address(xmlNode *address, const char *what, AavmPciAddress *out,
                                GError **error);

/* Device families.  @node is the element itself; each returns FALSE with
 * @error only for XML that cannot describe a domain, and records a warning
 * (aavm_domain_warn) for a known configuration it cannot grant. */
/* domain-parse-disk.c */
gboolean aavm_parse_disk(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-fs.c */
gboolean aavm_parse_filesystem(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-chardev.c: serial, parallel, console, channel, redirdev, and
 * the chardev sources of smartcard passthrough and rng egd. */
gboolean aavm_parse_chardev(AavmDomain *domain, xmlNode *node, AavmChardevKind kind,
                            guint index, GError **error);
/* domain-parse-boot.c: <os> (kernel, initrd, dtb, shim, loader, nvram,
 * varstore, acpi tables), <sysinfo type='fwcfg'>, <pstore>. */
gboolean aavm_parse_os(AavmDomain *domain, xmlNode *os, GError **error);
gboolean aavm_parse_sysinfo(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_pstore(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-memory.c: <memoryBacking>, <memory> devices, <shmem>. */
gboolean aavm_parse_memory_backing(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_memory_device(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_shmem(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-tpm.c */
gboolean aavm_parse_tpm(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-hostdev.c */
gboolean aavm_parse_hostdev(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_interface_hostdev(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-graphics.c: <graphics>, <video> 3D acceleration. */
gboolean aavm_parse_graphics(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_video(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-misc.c: <input>, <interface>, <rng>, <smartcard>, <launchSecurity>. */
gboolean aavm_parse_input(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_interface(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_rng(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_smartcard(AavmDomain *domain, xmlNode *node, GError **error);
gboolean aavm_parse_launch_security(AavmDomain *domain, xmlNode *node, GError **error);
/* domain-parse-qemu.c: <qemu:commandline> (<qemu:arg>, <qemu:env>) and
 * <qemu:override> under the root @root, into domain->passthrough. */
gboolean aavm_parse_qemu_commandline(AavmDomain *domain, xmlNode *root, GError **error);
