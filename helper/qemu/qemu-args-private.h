/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-args-private.h: what the qemu-args modules share.
 *
 *   qemu-opts.c          QEMU's option syntax: key=value lists, JSON objects,
 *                        dotted keys of nested nodes
 *   qemu-items.c         items (paths, network endpoints, unparsed values)
 *   qemu-args.c          the option table, the scan of a command line
 *   qemu-args-block.c    block devices: -drive, -blockdev and their filenames
 *   qemu-args-devices.c  every other option that takes host paths
 *
 * The notes tell the administrator what an item is and what to do; they are
 * translated when an item is made. */
#pragma once

#include <glib.h>

#include "aavm-i18n.h"
#include "qemu-args.h"

/* ---- Notes: what an item is and what the administrator can do ---- */
#define NOTE_UNKNOWN_KEY \
    N_("aavm does not know what QEMU opens through this value; if the VM needs a host path here, grant it with aavm-helper -f, a rule in the profile's local/ override, or describe the device in the domain XML.")
#define NOTE_UNKNOWN_OPTION \
    N_("aavm does not know this QEMU option, so the host paths it names (if any) are not granted; grant them with aavm-helper -f, a rule in the profile's local/ override, or describe the device in the domain XML.")
#define NOTE_MISSING_VALUE \
    N_("the option is the last argument and has no value: QEMU will refuse to start.")
#define NOTE_RELATIVE \
    N_("a relative path is resolved against QEMU's working directory: write it as an absolute path.")
#define NOTE_SPLIT \
    N_("aavm cannot split this argument into keys and values (an empty key, or too many parts); nothing in it is granted.")
#define NOTE_JSON \
    N_("aavm reads only JSON objects of strings, numbers, booleans, nested objects and arrays; nothing in this argument is granted: write it in the key=value form or grant its paths with aavm-helper -f or a local/ rule.")
#define NOTE_PROTOCOL \
    N_("aavm does not know this block protocol; if it names a host file, grant it with aavm-helper -f or a local/ rule, or describe the disk in the domain XML.")
#define NOTE_EXEC \
    N_("QEMU runs this host program itself; aavm never grants running a program named in <qemu:commandline>: let libvirt set the device up (an <interface> in the domain XML), or allow the program in the profile's local/ override if you accept that risk.")
#define NOTE_TAP_DEFAULT_SCRIPT \
    N_("without script=no QEMU runs its default /etc/qemu-ifup (and /etc/qemu-ifdown); aavm does not grant running it: add script=no,downscript=no or use an <interface> in the domain XML.")
#define NOTE_BRIDGE_HELPER \
    N_("-netdev bridge runs qemu-bridge-helper, which aavm does not grant: use <interface type='bridge'> in the domain XML.")
#define NOTE_NETWORK \
    N_("a network endpoint, not a host file: no file rule is needed, and the profile's network rules decide whether QEMU may connect.")
#define NOTE_READCONFIG \
    N_("QEMU reads further options from this file, which aavm does not read: move them into <qemu:commandline> or the domain XML, or grant the file and the paths in it with aavm-helper -f or a local/ rule.")
#define NOTE_USB_HOST \
    N_("aavm finds a USB device's node only from the domain XML: describe it as <hostdev type='usb'>, or name the node with hostdevice=/dev/bus/usb/BBB/DDD.")
#define NOTE_VFIO_NAME \
    N_("aavm grants VFIO devices named by a PCI address (host=DDDD:BB:SS.F) or a sysfs directory (sysfsdev=) only: describe the device as a <hostdev> in the domain XML.")
#define NOTE_NVME \
    N_("a userspace NVMe driver takes the PCI device through VFIO: describe it as <disk type='nvme'> in the domain XML.")
#define NOTE_ENV \
    N_("an environment variable whose value names a host path; aavm grants the files of XAUTHORITY, SSLKEYLOGFILE and GNUTLS_SYSTEM_PRIORITY_FILE only: grant others with aavm-helper -f or a local/ rule.")
#define NOTE_OVERRIDE \
    N_("a device property libvirt sets unchecked; aavm does not grant paths in it: grant it with aavm-helper -f or a local/ rule, or describe the device in the domain XML.")
#define NOTE_CHROOT \
    N_("QEMU changes its root directory: every path the profile grants would then be seen below it; aavm does not support this, confine such a VM by hand.")

/* The option being scanned: where its items go and how they are named. */
typedef struct {
    GPtrArray *out;   /* AavmPassthrough* */
    const char *option; /* "-drive", normalised to one dash */
    guint index;      /* of the argument that holds the value */
    gboolean from_env;
} AavmQemuScan;

/* qemu-opts.c: the value of @key in @params, marked as understood. */
const char *aavm_qemu_take(GPtrArray *params, const char *key);
/* qemu-opts.c: the part of @key before its last component ("file." of
 * "file.filename"), and that last component; the value of @name below @node. */
char *aavm_qemu_key_node(const char *key, const char **out_last);
const char *aavm_qemu_node_get(const GPtrArray *params, const char *node, const char *name);

/* qemu-items.c: items. */
AavmPassthrough *aavm_qemu_item_add(const AavmQemuScan *s, AavmPassthroughKind kind,
                                    const char *key, const char *value, const char *note);
void aavm_qemu_unparsed(const AavmQemuScan *s, const char *key, const char *value,
                        const char *note);
void aavm_qemu_network(const AavmQemuScan *s, const char *key, const char *value);
void aavm_qemu_path_item(const AavmQemuScan *s, const char *key, const char *value, guint perms,
                         gboolean tree);
void aavm_qemu_pipe_items(const AavmQemuScan *s, const char *key, const char *path);
gboolean aavm_qemu_looks_like_path(const char *value);
void aavm_qemu_report_unknown_keys(const AavmQemuScan *s, const GPtrArray *params);

/* qemu-args-block.c */
void aavm_qemu_block_filename(const AavmQemuScan *s, const char *key, const char *value,
                              gboolean readonly);
void aavm_qemu_opt_drive(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_blockdev(const AavmQemuScan *s, GPtrArray *params);

/* qemu-args-devices.c */
void aavm_qemu_opt_chardev(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_chardev_spec(const AavmQemuScan *s, const char *value);
void aavm_qemu_incoming(const AavmQemuScan *s, const char *value);
void aavm_qemu_opt_netdev(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_device(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_object(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_fsdev(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_fw_cfg(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_tpmdev(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_acpitable(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_smbios(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_audiodev(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_spice(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_vnc(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_display(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_machine(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_trace(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_plugin(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_option_rom(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_run_with(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_add_fd(const AavmQemuScan *s, GPtrArray *params);
void aavm_qemu_opt_plain(const AavmQemuScan *s, GPtrArray *params);
