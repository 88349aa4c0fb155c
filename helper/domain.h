/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain.h: the in-memory model of what a domain references on the host.
 *
 * Only what confinement needs; filled by domain-parse, read by rules.
 * Strings are NULL when the XML does not give them. */
#pragma once

#include <glib.h>

typedef enum {
    AAVM_DISK_FILE,
    AAVM_DISK_BLOCK,
    AAVM_DISK_DIR,
    AAVM_DISK_NETWORK,
    AAVM_DISK_VOLUME,
    AAVM_DISK_NVME,
    AAVM_DISK_VHOSTUSER,
    AAVM_DISK_VHOSTVDPA,
    AAVM_DISK_OTHER,
    AAVM_DISK_TYPE_LAST
} AavmDiskType;

typedef struct {
    AavmDiskType type;
    char *type_name; /* the type attribute as written */
    char *device;    /* disk, cdrom, floppy, lun */
    char *target;    /* target dev, e.g. "vda" */
    char *source;    /* local path for file/block/dir, else NULL */
    char *format;    /* driver type, e.g. "qcow2" */
    gboolean readonly;
    gboolean shareable;
} AavmDisk;

typedef enum {
    AAVM_CHARDEV_SERIAL,
    AAVM_CHARDEV_PARALLEL,
    AAVM_CHARDEV_CONSOLE,
    AAVM_CHARDEV_CHANNEL,
    AAVM_CHARDEV_KIND_LAST
} AavmChardevKind;

typedef struct {
    AavmChardevKind kind;
    guint index;       /* position among the devices of its kind */
    char *type;        /* file, pty, dev, unix, pipe, tcp, ... */
    char *path;        /* source path, if any */
    char *target_name; /* channel target name, if any */
} AavmChardev;

/* Tri-state for attributes that may be absent. */
typedef enum {
    AAVM_TRISTATE_ABSENT,
    AAVM_TRISTATE_NO,
    AAVM_TRISTATE_YES,
} AavmTristate;

typedef struct {
    char *name;
    char *uuid;      /* canonical lower-case 8-4-4-4-12 */
    char *virt_type; /* the domain type attribute: kvm, qemu, lxc, ... */
    char *os_type;   /* hvm, linux, exe, ... */
    char *arch;
    int id;          /* -1 when the XML has none (inactive definition) */

    char *kernel;
    char *initrd;
    char *dtb;
    char *loader;
    char *loader_type;         /* rom, pflash */
    AavmTristate loader_readonly;
    char *nvram;

    GPtrArray *disks;    /* AavmDisk* */
    GPtrArray *chardevs; /* AavmChardev* */
} AavmDomain;

/* The driver whose template and base rules apply: "qemu" for qemu, kqemu
 * and kvm, else the domain type itself. */
const char *aavm_domain_driver(const AavmDomain *domain);
gboolean aavm_domain_is_qemu(const AavmDomain *domain);
/* Whether the profile includes a generated .files (every driver but lxc). */
gboolean aavm_domain_uses_files(const AavmDomain *domain);

const char *aavm_disk_type_to_string(AavmDiskType type);
AavmDiskType aavm_disk_type_from_string(const char *str);
const char *aavm_chardev_kind_to_string(AavmChardevKind kind);

AavmDomain *aavm_domain_new(void);
void aavm_domain_free(AavmDomain *domain);
AavmDisk *aavm_disk_new(void);
void aavm_disk_free(AavmDisk *disk);
AavmChardev *aavm_chardev_new(AavmChardevKind kind, guint index);
void aavm_chardev_free(AavmChardev *chardev);

/* Parse "8-4-4-4-12" hex (any case; libvirt also accepts the 32 digits with
 * dashes elsewhere or none) into the canonical lower-case form. */
gboolean aavm_uuid_normalize(const char *text, char **out_uuid, GError **error);

/* Check a profile name "libvirt-<uuid>" (44 characters, canonical layout). */
gboolean aavm_profile_name_check(const char *profile_name, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmDomain, aavm_domain_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmDisk, aavm_disk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmChardev, aavm_chardev_free)
