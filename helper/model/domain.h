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

/* A PCI address from <address domain= bus= slot= function=>. */
typedef struct {
    gboolean set;
    guint domain;
    guint bus;
    guint slot;
    guint function;
} AavmPciAddress;

/* One layer of a disk's chain: the disk's own source or a backing store. */
typedef struct {
    AavmDiskType type; /* a volume whose XML carries its local path: that path's type */
    char *type_name;  /* the type attribute as written */
    char *path;       /* local path for file/block/dir (vhostvdpa: its device), else NULL */
    char *format;     /* driver or backing format type, e.g. "qcow2" */
    char *data_store; /* qcow2 external data file (<dataStore>), local path */
    char *protocol;   /* network: rbd, nbd, ... */
    char *socket;     /* vhostuser socket, or network host transport='unix' socket */
    char *config_file;     /* network: ceph <config file=> */
    char *source_name;     /* network: <source name=> (rbd pool/image, iscsi target/lun,
                            * gluster volume/path, nfs export path) */
    GPtrArray *hosts;      /* char*: network <host>s: "name", "name:port" ("[v6]:port"),
                            * or "unix:/path" for transport='unix' */
    char *auth_username;   /* network: <auth username=> */
    GPtrArray *companions; /* char*: other local files the XML names (ssh identity, known hosts) */
    GPtrArray *rw_companions; /* char*: other local sockets QEMU connects to (further unix
                               * hosts, ssh agent socket, <reservations> pr-helper socket) */
    AavmPciAddress nvme;   /* type='nvme' source address */
    GPtrArray *image_files; /* char*: further files of this image named by its header
                             * (vmdk extents, a qcow2 data file): the layer's permissions */
    char *named_by;         /* a layer found in an image header: that image's path;
                             * NULL for the XML's own layers */
} AavmDiskSource;

typedef struct {
    char *device;    /* disk, cdrom, floppy, lun */
    char *target;    /* target dev, e.g. "vda" */
    gboolean readonly;
    gboolean shareable;
    AavmDiskSource *top;     /* the disk's own source: type, path (NULL for no medium),
                              * format (the driver type) */
    GPtrArray *backing;      /* AavmDiskSource*: backing chain from the XML, top to base */
    gboolean backing_given;  /* the XML had <backingStore> (an empty one means "none"):
                              * no probing of image headers for this disk */
} AavmDisk;

typedef enum {
    AAVM_CHARDEV_SERIAL,
    AAVM_CHARDEV_PARALLEL,
    AAVM_CHARDEV_CONSOLE,
    AAVM_CHARDEV_CHANNEL,
    AAVM_CHARDEV_REDIRDEV,  /* <redirdev> */
    AAVM_CHARDEV_SMARTCARD, /* <smartcard mode='passthrough'> */
    AAVM_CHARDEV_RNG,       /* <rng><backend model='egd'> */
    AAVM_CHARDEV_KIND_LAST
} AavmChardevKind;

typedef struct {
    AavmChardevKind kind;
    guint index;       /* position among the devices of its kind */
    char *type;        /* file, pty, dev, unix, pipe, tcp, ... */
    char *path;        /* source path, if any */
    char *target_name; /* channel target name, if any */
    char *log_file;    /* <log file=>, if any */
} AavmChardev;

/* <graphics> (and a <video> with a 3D render node). */
typedef struct {
    guint index;
    char *type;            /* vnc, spice, sdl, egl-headless, dbus, rdp, ...; "video" for a <video> */
    GPtrArray *sockets;    /* char*: unix socket paths (socket=, <listen socket=>) */
    char *xauth;           /* sdl */
    gboolean gl;           /* <gl enable='yes'> or egl-headless */
    char *rendernode;      /* <gl rendernode=> */
} AavmGraphics;

/* <hostdev>. */
typedef struct {
    guint index;
    char *mode;     /* subsystem, capabilities */
    char *type;     /* usb, pci, scsi, scsi_host, mdev; storage, misc, net */
    char *model;    /* mdev: vfio-pci, vfio-ap, vfio-ccw */
    char *driver;   /* pci: <driver name=> */
    gboolean iommufd;
    char *usb_vendor;   /* usb: ids as written, e.g. "0x1234" */
    char *usb_product;
    char *usb_bus;      /* usb: <address bus= device=> */
    char *usb_device;
    AavmPciAddress pci;
    char *mdev_uuid;
    char *scsi_adapter; /* scsi: adapter name, e.g. scsi_host0 */
    char *scsi_protocol; /* scsi: iscsi; scsi_host: vhost */
    char *scsi_bus;
    char *scsi_target;
    char *scsi_unit;
    char *wwpn;          /* scsi_host vhost */
    char *caps_path;     /* capabilities: block/char device or net interface */
    char *label;         /* how messages name it: "hostdev 2 (usb 0x1234:0xbeef)" */
    gboolean from_interface; /* an <interface type='hostdev'> */
} AavmHostdev;

/* <filesystem>. */
typedef struct {
    guint index;
    char *type;      /* mount, file, block, ram, bind, template, volume */
    char *driver;    /* path, handle, virtiofs, loop, nbd, ploop; NULL = default */
    char *source;    /* dir, file or dev */
    char *socket;    /* virtiofs <source socket=> */
    char *target;
    gboolean readonly;
} AavmFilesystem;

/* <memory> devices. */
typedef struct {
    guint index;
    char *model;  /* dimm, nvdimm, virtio-pmem, virtio-mem, sgx-epc */
    char *path;   /* <source><path> */
    gboolean readonly; /* <target><readonly/> */
} AavmMemoryDevice;

/* <shmem>. */
typedef struct {
    guint index;
    char *name;
    char *model;       /* ivshmem-plain, ivshmem-doorbell, ivshmem */
    gboolean server;   /* <server> present */
    char *server_path;
} AavmShmem;

/* <tpm>. */
typedef struct {
    guint index;
    char *model;
    char *backend;      /* passthrough, emulator, external */
    char *version;      /* 1.2, 2.0; NULL when absent */
    char *device_path;  /* passthrough <device path=> */
    char *source_type;  /* emulator <source type=dir|file>, external <source type=unix> */
    char *source_path;
    char *log_file;     /* emulator <logging file=> if given */
} AavmTpm;

/* <input type='evdev'|'passthrough'>. */
typedef struct {
    guint index;
    char *type;
    char *evdev;
} AavmInput;

/* <interface>. */
typedef struct {
    guint index;
    char *type;        /* network, bridge, vhostuser, ... */
    char *model;
    char *driver_name; /* <driver name=>: qemu, vhost */
    char *socket;      /* vhostuser <source path=> */
} AavmInterface;

/* <rng> with a host device backend. */
typedef struct {
    guint index;
    char *backend_model; /* random, egd, builtin */
    char *device;        /* random: the device path (default /dev/random) */
} AavmRng;

/* <smartcard mode='host'|'host-certificates'>. */
typedef struct {
    guint index;
    char *mode;
    char *database; /* host-certificates <database>, NULL for the default */
} AavmSmartcard;

/* <sysinfo type='fwcfg'><entry name= file=>. */
typedef struct {
    char *name;
    char *file;
} AavmFwcfgEntry;

/* <acpi><table type=>path</table>. */
typedef struct {
    char *type;
    char *path;
} AavmAcpiTable;

/* What aavm made of one host reference in <qemu:commandline> or <qemu:env>
 * (the "passthrough" QEMU options libvirt hands over unchecked). */
typedef enum {
    AAVM_PASSTHROUGH_PATH,     /* a host path QEMU opens: granted (unless disabled) */
    AAVM_PASSTHROUGH_NETWORK,  /* a network endpoint (rbd:, nbd://, iscsi://, ...): no rule */
    AAVM_PASSTHROUGH_UNPARSED, /* an argument aavm cannot read: nothing granted */
    AAVM_PASSTHROUGH_KIND_LAST
} AavmPassthroughKind;

typedef struct {
    AavmPassthroughKind kind;
    gboolean from_env;  /* <qemu:env> rather than <qemu:arg> */
    guint index;        /* position among the <qemu:arg> (or <qemu:env>) elements, from 0 */
    char *option;       /* "-drive", "-chardev", or the environment variable's name */
    char *key;          /* "file", "path", "mem-path"; NULL for an option's bare value */
    char *value;        /* PATH: the path as written; NETWORK: the endpoint;
                         * UNPARSED: the argument text */
    guint perms;        /* PATH: the AavmPerm QEMU needs */
    gboolean tree;      /* PATH: a directory and everything below it (-virtfs path=) */
    char *note;         /* NETWORK, UNPARSED: what it is and what the admin can do */
} AavmPassthrough;

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
    char *nvram_template;  /* <nvram template=> */
    gboolean nvram_given;  /* <nvram> present, with or without a path */
    gboolean nvram_network; /* <nvram type='network'> */
    char *shim;
    char *varstore;        /* <varstore path=> */
    char *pstore;          /* <pstore><path> */
    GPtrArray *acpi_tables; /* AavmAcpiTable* */
    GPtrArray *fwcfg;       /* AavmFwcfgEntry* */

    gboolean hugepages;       /* <memoryBacking><hugepages> */
    char *memory_source_type; /* <memoryBacking><source type=>: file, anonymous, memfd */
    char *launch_security;    /* <launchSecurity type=> */

    GPtrArray *disks;       /* AavmDisk* */
    GPtrArray *chardevs;    /* AavmChardev* */
    GPtrArray *graphics;    /* AavmGraphics* */
    GPtrArray *hostdevs;    /* AavmHostdev* */
    GPtrArray *filesystems; /* AavmFilesystem* */
    GPtrArray *memory;      /* AavmMemoryDevice* */
    GPtrArray *shmems;      /* AavmShmem* */
    GPtrArray *tpms;        /* AavmTpm* */
    GPtrArray *inputs;      /* AavmInput* */
    GPtrArray *interfaces;  /* AavmInterface* */
    GPtrArray *rngs;        /* AavmRng* */
    GPtrArray *smartcards;  /* AavmSmartcard* */
    GPtrArray *passthrough; /* AavmPassthrough*: <qemu:commandline>, <qemu:env>, in order */

    GPtrArray *warnings;    /* char*: known but unsupported configurations, named */
} AavmDomain;

/* The driver whose template and base rules apply: "qemu" for qemu, kqemu
 * and kvm, else the domain type itself. */
const char *aavm_domain_driver(const AavmDomain *domain);
gboolean aavm_domain_is_qemu(const AavmDomain *domain);
/* Whether the profile includes a generated .files (every driver but lxc);
 * a driver without one gets no rules at all. */
gboolean aavm_domain_uses_files(const AavmDomain *domain);

/* Whether @value (may be NULL) is one of the NULL-terminated @list. */
gboolean aavm_in_list(const char *value, const char *const *list);

/* A number as libvirt reads the attributes of device addresses (strtoul
 * with base 0: "0x1f" hex, "017" octal, "31" decimal), at most @max;
 * FALSE for anything else (empty, sign, space, trailing text, overflow). */
gboolean aavm_parse_number(const char *text, guint64 max, guint64 *out);

/* "DDDD:BB:SS.F", the way sysfs names a PCI function. */
char *aavm_pci_address_format(const AavmPciAddress *addr);

const char *aavm_disk_type_to_string(AavmDiskType type);
AavmDiskType aavm_disk_type_from_string(const char *str);
const char *aavm_chardev_kind_to_string(AavmChardevKind kind);

AavmDomain *aavm_domain_new(void);
void aavm_domain_free(AavmDomain *domain);
AavmDisk *aavm_disk_new(void);
void aavm_disk_free(AavmDisk *disk);
AavmChardev *aavm_chardev_new(AavmChardevKind kind, guint index);
void aavm_chardev_free(AavmChardev *chardev);
AavmDiskSource *aavm_disk_source_new(void);
void aavm_disk_source_free(AavmDiskSource *source);

/* Free functions of the device records (g_new0 makes them). */
void aavm_graphics_free(AavmGraphics *graphics);
void aavm_hostdev_free(AavmHostdev *hostdev);
void aavm_filesystem_free(AavmFilesystem *fs);
void aavm_memory_device_free(AavmMemoryDevice *mem);
void aavm_shmem_free(AavmShmem *shmem);
void aavm_tpm_free(AavmTpm *tpm);
void aavm_input_free(AavmInput *input);
void aavm_interface_free(AavmInterface *iface);
void aavm_rng_free(AavmRng *rng);
void aavm_smartcard_free(AavmSmartcard *card);
void aavm_fwcfg_entry_free(AavmFwcfgEntry *entry);
void aavm_acpi_table_free(AavmAcpiTable *table);
void aavm_passthrough_free(AavmPassthrough *item);
const char *aavm_passthrough_kind_to_string(AavmPassthroughKind kind);

/* Record a warning about a known configuration aavm does not grant. */
void aavm_domain_warn(AavmDomain *domain, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* Parse "8-4-4-4-12" hex (any case; libvirt also accepts the 32 digits with
 * dashes elsewhere or none) into the canonical lower-case form. */
gboolean aavm_uuid_normalize(const char *text, char **out_uuid, GError **error);

/* Check a profile name "libvirt-<uuid>" (44 characters, canonical layout). */
gboolean aavm_profile_name_check(const char *profile_name, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmDomain, aavm_domain_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmDisk, aavm_disk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmChardev, aavm_chardev_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmDiskSource, aavm_disk_source_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmGraphics, aavm_graphics_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmHostdev, aavm_hostdev_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmFilesystem, aavm_filesystem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmMemoryDevice, aavm_memory_device_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmShmem, aavm_shmem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmTpm, aavm_tpm_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmInput, aavm_input_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmInterface, aavm_interface_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmRng, aavm_rng_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmSmartcard, aavm_smartcard_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmFwcfgEntry, aavm_fwcfg_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmAcpiTable, aavm_acpi_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmPassthrough, aavm_passthrough_free)
