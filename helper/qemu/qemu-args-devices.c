/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-args-devices.c: the options that take host paths, but block devices
 * (see qemu-args-private.h). */
#include "qemu-args-private.h"

#include <string.h>

#include "access.h"
#include "aavm-error.h"

/* ---- Character devices ---- */

/* -chardev BACKEND,id=,path=... */
void
aavm_qemu_opt_chardev(const AavmQemuScan *s, GPtrArray *params)
{
    static const char *const rw_backends[] = {
        "socket", "serial", "tty", "parallel", "parport", NULL,
    };
    const char *backend = aavm_qemu_take(params, "backend");
    const char *path = aavm_qemu_take(params, "path");
    const char *logfile = aavm_qemu_take(params, "logfile");

    if (path && g_strcmp0(backend, "file") == 0)
        aavm_qemu_path_item(s, "path", path, AAVM_PERM_WRITE, FALSE);
    else if (path && g_strcmp0(backend, "pipe") == 0)
        aavm_qemu_pipe_items(s, "path", path);
    else if (path && backend && g_strv_contains(rw_backends, backend))
        aavm_qemu_path_item(s, "path", path, AAVM_PERM_RW, FALSE);
    else if (path)
        aavm_qemu_unparsed(s, "path", path, NOTE_UNKNOWN_KEY);
    if (g_strcmp0(backend, "file") == 0)
        aavm_qemu_path_item(s, "input-path", aavm_qemu_take(params, "input-path"), AAVM_PERM_READ, FALSE);
    aavm_qemu_path_item(s, "logfile", logfile, AAVM_PERM_WRITE, FALSE);
    aavm_qemu_report_unknown_keys(s, params);
}

/* The short chardev forms of -serial, -monitor, -qmp, ...: "unix:/p,server",
 * "file:/p", "pipe:/p", "/dev/ttyS0", "mon:..." around any of them. */
void
aavm_qemu_chardev_spec(const AavmQemuScan *s, const char *value)
{
    static const char *const no_path[] = {
        "none", "null", "vc", "pty", "stdio", "msmouse", "braille", "wctablet", "tcp",
        "telnet", "tn3270", "websocket", "udp", "chardev", "spicevmc", "spiceport",
        "qemu-vdagent", "dbus", "ringbuf", "memory", NULL,
    };

    while (g_str_has_prefix(value, "mon:"))
        value += strlen("mon:");
    if (g_str_has_prefix(value, "unix:")) {
        g_autoptr(GPtrArray) params = aavm_qemu_opts_split(value + strlen("unix:"), "path", NULL);
        if (params)
            aavm_qemu_path_item(s, "unix", aavm_qemu_take(params, "path"), AAVM_PERM_RW, FALSE);
        else
            aavm_qemu_unparsed(s, NULL, value, NOTE_SPLIT);
    } else if (g_str_has_prefix(value, "file:")) {
        aavm_qemu_path_item(s, "file", value + strlen("file:"), AAVM_PERM_WRITE, FALSE);
    } else if (g_str_has_prefix(value, "pipe:")) {
        aavm_qemu_pipe_items(s, "pipe", value + strlen("pipe:"));
    } else if (g_str_has_prefix(value, "/dev/")) {
        aavm_qemu_path_item(s, NULL, value, AAVM_PERM_RW, FALSE);
    } else {
        g_autofree char *kind = g_strndup(value, strcspn(value, ":,"));
        if (!g_strv_contains(no_path, kind) && !g_str_has_prefix(value, "COM") &&
            strchr(value, '/'))
            aavm_qemu_unparsed(s, NULL, value, NOTE_UNKNOWN_KEY);
    }
}

/* -incoming file:/p | unix:/p | exec:cmd | tcp:... | fd:N | defer */
void
aavm_qemu_incoming(const AavmQemuScan *s, const char *value)
{
    if (g_str_has_prefix(value, "file:")) {
        g_autofree char *path = g_strndup(value + strlen("file:"),
                                          strcspn(value + strlen("file:"), ","));
        aavm_qemu_path_item(s, "file", path, AAVM_PERM_READ, FALSE);
    } else if (g_str_has_prefix(value, "unix:")) {
        aavm_qemu_path_item(s, "unix", value + strlen("unix:"), AAVM_PERM_RW, FALSE);
    } else if (g_str_has_prefix(value, "exec:")) {
        aavm_qemu_unparsed(s, "exec", value, NOTE_EXEC);
    } else if (strchr(value, '/')) {
        aavm_qemu_unparsed(s, NULL, value, NOTE_UNKNOWN_KEY);
    }
}

/* ---- Network back ends ---- */

/* "X.type=unix" next to "X.path=": unix sockets of stream/dgram back ends. */
static void
unix_addresses(const AavmQemuScan *s, GPtrArray *params)
{
    for (guint i = 0; i < params->len; i++) {
        AavmQemuParam *param = g_ptr_array_index(params, i);
        const char *last;
        if (!param->key || param->used)
            continue;
        g_autofree char *node = aavm_qemu_key_node(param->key, &last);
        if (strcmp(last, "path") == 0 && *node &&
            g_strcmp0(aavm_qemu_node_get(params, node, "type"), "unix") == 0) {
            param->used = TRUE;
            aavm_qemu_path_item(s, param->key, param->value, AAVM_PERM_RW, FALSE);
        }
    }
}

/* -netdev TYPE,... (also -nic and -net). */
void
aavm_qemu_opt_netdev(const AavmQemuScan *s, GPtrArray *params)
{
    const char *type = aavm_qemu_take(params, "type");
    gboolean has_fd = aavm_qemu_take(params, "fd") || aavm_qemu_take(params, "fds");

    if (g_strcmp0(type, "tap") == 0) {
        const char *helper = aavm_qemu_take(params, "helper");
        const char *vhostdev = aavm_qemu_take(params, "vhostdevice");
        for (guint k = 0; k < 2; k++) {
            const char *key = k == 0 ? "script" : "downscript";
            const char *script = aavm_qemu_take(params, key);
            if (script && *script && strcmp(script, "no") != 0)
                aavm_qemu_unparsed(s, key, script, NOTE_EXEC);
            else if (!script && !has_fd && !helper && k == 0)
                aavm_qemu_unparsed(s, "script", "/etc/qemu-ifup", NOTE_TAP_DEFAULT_SCRIPT);
        }
        if (helper)
            aavm_qemu_unparsed(s, "helper", helper, NOTE_EXEC);
        if (vhostdev)
            aavm_qemu_path_item(s, "vhostdevice", vhostdev, AAVM_PERM_RW, FALSE);
        else if (aavm_qemu_is_true(aavm_qemu_take(params, "vhost")) && !aavm_qemu_take(params, "vhostfd") &&
                 !aavm_qemu_take(params, "vhostfds"))
            aavm_qemu_path_item(s, "vhost", "/dev/vhost-net", AAVM_PERM_RW, FALSE);
    } else if (g_strcmp0(type, "bridge") == 0) {
        const char *helper = aavm_qemu_take(params, "helper");
        aavm_qemu_unparsed(s, "helper", helper ? helper : "qemu-bridge-helper", NOTE_BRIDGE_HELPER);
    } else if (g_strcmp0(type, "vhost-vdpa") == 0) {
        aavm_qemu_path_item(s, "vhostdev", aavm_qemu_take(params, "vhostdev"), AAVM_PERM_RW, FALSE);
    } else if (g_strcmp0(type, "user") == 0) {
        const char *smb = aavm_qemu_take(params, "smb");
        const char *tftp = aavm_qemu_take(params, "tftp");
        const char *guestfwd = aavm_qemu_take(params, "guestfwd");
        if (smb)
            aavm_qemu_unparsed(s, "smb", smb, NOTE_EXEC);
        if (tftp)
            aavm_qemu_path_item(s, "tftp", tftp, AAVM_PERM_READ, TRUE);
        if (guestfwd && strstr(guestfwd, "-cmd:"))
            aavm_qemu_unparsed(s, "guestfwd", guestfwd, NOTE_EXEC);
    }
    /* vhost-user chardev=ID: the socket is granted through its -chardev
     * (or the XML device libvirt made it for). */
    unix_addresses(s, params);
    aavm_qemu_report_unknown_keys(s, params);
}

/* ---- Devices and objects ---- */

void
aavm_qemu_opt_device(const AavmQemuScan *s, GPtrArray *params)
{
    const char *driver = aavm_qemu_take(params, "driver");
    const char *romfile = aavm_qemu_take(params, "romfile");

    if (driver && g_str_has_prefix(driver, "vfio-")) {
        const char *host = aavm_qemu_take(params, "host");
        const char *sysfsdev = aavm_qemu_take(params, "sysfsdev");
        AavmPciAddress addr;
        if (sysfsdev && *sysfsdev == '/') {
            aavm_qemu_path_item(s, "sysfsdev", sysfsdev, AAVM_PERM_RW, FALSE);
        } else if (host && aavm_qemu_pci_address_parse(host, &addr)) {
            AavmPassthrough *item = aavm_qemu_item_add(s, AAVM_PASSTHROUGH_PATH, "host", host, NULL);
            item->perms = AAVM_PERM_RW;
        } else if (host || sysfsdev) {
            aavm_qemu_unparsed(s, host ? "host" : "sysfsdev", host ? host : sysfsdev, NOTE_VFIO_NAME);
        }
    } else if (g_strcmp0(driver, "usb-host") == 0) {
        const char *node = aavm_qemu_take(params, "hostdevice");
        if (node)
            aavm_qemu_path_item(s, "hostdevice", node, AAVM_PERM_RW, FALSE);
        else
            aavm_qemu_unparsed(s, "driver", driver, NOTE_USB_HOST);
    } else if (driver && g_str_has_prefix(driver, "vhost-scsi") && !aavm_qemu_take(params, "vhostfd")) {
        aavm_qemu_path_item(s, "driver", "/dev/vhost-scsi", AAVM_PERM_RW, FALSE);
    } else if (driver && g_str_has_prefix(driver, "vhost-vsock") && !aavm_qemu_take(params, "vhostfd")) {
        aavm_qemu_path_item(s, "driver", "/dev/vhost-vsock", AAVM_PERM_RW, FALSE);
    } else if (driver && g_str_has_prefix(driver, "vhost-vdpa-device")) {
        aavm_qemu_path_item(s, "vhostdev", aavm_qemu_take(params, "vhostdev"), AAVM_PERM_RW, FALSE);
    } else if (g_strcmp0(driver, "u2f-passthrough") == 0) {
        aavm_qemu_path_item(s, "hidraw", aavm_qemu_take(params, "hidraw"), AAVM_PERM_RW, FALSE);
    } else if (driver && g_str_has_prefix(driver, "virtio-input-host")) {
        aavm_qemu_path_item(s, "evdev", aavm_qemu_take(params, "evdev"), AAVM_PERM_RW, FALSE);
    } else if (g_strcmp0(driver, "loader") == 0) {
        aavm_qemu_path_item(s, "file", aavm_qemu_take(params, "file"), AAVM_PERM_READ, FALSE);
    }
    /* A relative romfile is looked up in QEMU's data directories. */
    if (romfile && *romfile == '/')
        aavm_qemu_path_item(s, "romfile", romfile, AAVM_PERM_READ, FALSE);
    aavm_qemu_report_unknown_keys(s, params);
}

void
aavm_qemu_opt_object(const AavmQemuScan *s, GPtrArray *params)
{
    static const struct {
        const char *type;
        const char *key;
        guint perms;
        gboolean tree;
    } keys[] = {
        { "rng-random", "filename", AAVM_PERM_READ, FALSE },
        { "tls-creds-x509", "dir", AAVM_PERM_READ, TRUE },
        { "tls-creds-psk", "dir", AAVM_PERM_READ, TRUE },
        { "tls-creds-anon", "dir", AAVM_PERM_READ, TRUE },
        { "secret", "file", AAVM_PERM_READ, FALSE },
        { "input-linux", "evdev", AAVM_PERM_RW, FALSE },
        { "filter-dump", "file", AAVM_PERM_WRITE, FALSE },
        { "authz-list-file", "filename", AAVM_PERM_READ, FALSE },
        { "pr-manager-helper", "path", AAVM_PERM_RW, FALSE },
        { "igvm-cfg", "file", AAVM_PERM_READ, FALSE },
    };
    const char *type = aavm_qemu_take(params, "qom-type");

    if (g_strcmp0(type, "memory-backend-file") == 0) {
        gboolean ro = aavm_qemu_is_true(aavm_qemu_take(params, "readonly")) ||
                      aavm_qemu_is_true(aavm_qemu_take(params, "rom"));
        aavm_qemu_path_item(s, "mem-path", aavm_qemu_take(params, "mem-path"),
                  ro ? AAVM_PERM_READ : AAVM_PERM_RW, FALSE);
    } else if (g_strcmp0(type, "memory-backend-epc") == 0) {
        aavm_qemu_path_item(s, "qom-type", "/dev/sgx_vepc", AAVM_PERM_RW, FALSE);
    } else if (g_strcmp0(type, "iommufd") == 0 && !aavm_qemu_take(params, "fd")) {
        aavm_qemu_path_item(s, "qom-type", "/dev/iommu", AAVM_PERM_RW, FALSE);
    }
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
        if (g_strcmp0(type, keys[i].type) == 0)
            aavm_qemu_path_item(s, keys[i].key, aavm_qemu_take(params, keys[i].key), keys[i].perms, keys[i].tree);
    aavm_qemu_report_unknown_keys(s, params);
}

/* -fsdev / -virtfs local,path=DIR[,readonly=on] */
void
aavm_qemu_opt_fsdev(const AavmQemuScan *s, GPtrArray *params)
{
    const char *driver = aavm_qemu_take(params, "fsdriver");
    gboolean ro = aavm_qemu_is_true(aavm_qemu_take(params, "readonly"));

    if (g_strcmp0(driver, "local") == 0)
        aavm_qemu_path_item(s, "path", aavm_qemu_take(params, "path"), ro ? AAVM_PERM_READ : AAVM_PERM_RW, TRUE);
    else if (g_strcmp0(driver, "proxy") == 0)
        aavm_qemu_path_item(s, "socket", aavm_qemu_take(params, "socket"), AAVM_PERM_RW, FALSE);
    aavm_qemu_report_unknown_keys(s, params);
}

/* A table-driven option: these keys are paths with these permissions. */
typedef struct {
    const char *key;
    guint perms;
    gboolean tree;
} PathKey;

static void
path_keys(const AavmQemuScan *s, GPtrArray *params, const PathKey *keys)
{
    for (const PathKey *k = keys; k->key; k++)
        aavm_qemu_path_item(s, k->key, aavm_qemu_take(params, k->key), k->perms, k->tree);
    aavm_qemu_report_unknown_keys(s, params);
}

void
aavm_qemu_opt_fw_cfg(const AavmQemuScan *s, GPtrArray *params)
{
    path_keys(s, params, (const PathKey[]){ { "file", AAVM_PERM_READ, FALSE }, { NULL } });
}

void
aavm_qemu_opt_tpmdev(const AavmQemuScan *s, GPtrArray *params)
{
    const char *type = aavm_qemu_take(params, "type");

    if (g_strcmp0(type, "passthrough") == 0) {
        const char *path = aavm_qemu_take(params, "path");
        aavm_qemu_path_item(s, "path", path ? path : "/dev/tpm0", AAVM_PERM_RW, FALSE);
        aavm_qemu_path_item(s, "cancel-path", aavm_qemu_take(params, "cancel-path"), AAVM_PERM_WRITE, FALSE);
    }
    aavm_qemu_report_unknown_keys(s, params);
}

/* -acpitable file=a:b / data=a:b: colon-separated lists of files. */
void
aavm_qemu_opt_acpitable(const AavmQemuScan *s, GPtrArray *params)
{
    for (guint k = 0; k < 2; k++) {
        const char *key = k == 0 ? "file" : "data";
        const char *value = aavm_qemu_take(params, key);
        g_auto(GStrv) files = value ? g_strsplit(value, ":", -1) : NULL;
        for (guint i = 0; files && files[i]; i++)
            aavm_qemu_path_item(s, key, files[i], AAVM_PERM_READ, FALSE);
    }
    aavm_qemu_report_unknown_keys(s, params);
}

void
aavm_qemu_opt_smbios(const AavmQemuScan *s, GPtrArray *params)
{
    path_keys(s, params, (const PathKey[]){ { "file", AAVM_PERM_READ, FALSE }, { NULL } });
}

void
aavm_qemu_opt_audiodev(const AavmQemuScan *s, GPtrArray *params)
{
    const char *driver = aavm_qemu_take(params, "driver");

    if (g_strcmp0(driver, "wav") == 0)
        aavm_qemu_path_item(s, "path", aavm_qemu_take(params, "path"), AAVM_PERM_WRITE, FALSE);
    else if (g_strcmp0(driver, "oss") == 0)
        path_keys(s, params, (const PathKey[]){ { "in.dev", AAVM_PERM_RW, FALSE },
                                                { "out.dev", AAVM_PERM_RW, FALSE },
                                                { NULL } });
    aavm_qemu_report_unknown_keys(s, params);
}

void
aavm_qemu_opt_spice(const AavmQemuScan *s, GPtrArray *params)
{
    if (aavm_qemu_is_true(aavm_qemu_take(params, "unix")))
        aavm_qemu_path_item(s, "addr", aavm_qemu_take(params, "addr"), AAVM_PERM_RW, FALSE);
    path_keys(s, params, (const PathKey[]){ { "x509-dir", AAVM_PERM_READ, TRUE },
                                            { "x509-key-file", AAVM_PERM_READ, FALSE },
                                            { "x509-cert-file", AAVM_PERM_READ, FALSE },
                                            { "x509-cacert-file", AAVM_PERM_READ, FALSE },
                                            { "x509-dh-key-file", AAVM_PERM_READ, FALSE },
                                            { "rendernode", AAVM_PERM_RW, FALSE },
                                            { NULL } });
}

void
aavm_qemu_opt_vnc(const AavmQemuScan *s, GPtrArray *params)
{
    const char *display = aavm_qemu_take(params, "vnc");

    if (display && g_str_has_prefix(display, "unix:"))
        aavm_qemu_path_item(s, "vnc", display + strlen("unix:"), AAVM_PERM_RW, FALSE);
    path_keys(s, params, (const PathKey[]){ { "x509", AAVM_PERM_READ, TRUE },
                                            { "x509verify", AAVM_PERM_READ, TRUE },
                                            { NULL } });
}

void
aavm_qemu_opt_display(const AavmQemuScan *s, GPtrArray *params)
{
    path_keys(s, params, (const PathKey[]){ { "rendernode", AAVM_PERM_RW, FALSE }, { NULL } });
}

void
aavm_qemu_opt_machine(const AavmQemuScan *s, GPtrArray *params)
{
    path_keys(s, params, (const PathKey[]){ { "dumpdtb", AAVM_PERM_WRITE, FALSE }, { NULL } });
}

void
aavm_qemu_opt_trace(const AavmQemuScan *s, GPtrArray *params)
{
    path_keys(s, params, (const PathKey[]){ { "events", AAVM_PERM_READ, FALSE },
                                            { "file", AAVM_PERM_WRITE, FALSE },
                                            { NULL } });
}

void
aavm_qemu_opt_plugin(const AavmQemuScan *s, GPtrArray *params)
{
    /* A TCG plugin is a shared object QEMU loads. */
    path_keys(s, params, (const PathKey[]){ { "file", AAVM_PERM_READ | AAVM_PERM_MMAP, FALSE },
                                            { NULL } });
}

void
aavm_qemu_opt_option_rom(const AavmQemuScan *s, GPtrArray *params)
{
    path_keys(s, params, (const PathKey[]){ { "romfile", AAVM_PERM_READ, FALSE }, { NULL } });
}

void
aavm_qemu_opt_run_with(const AavmQemuScan *s, GPtrArray *params)
{
    const char *chroot = aavm_qemu_take(params, "chroot");

    if (chroot)
        aavm_qemu_unparsed(s, "chroot", chroot, NOTE_CHROOT);
    aavm_qemu_report_unknown_keys(s, params);
}

/* -add-fd fd=N,set=N,opaque=TEXT: QEMU inherits an open descriptor, which
 * "/dev/fdset/N" names elsewhere; opaque is a free label.  Nothing to grant. */
void
aavm_qemu_opt_add_fd(const AavmQemuScan *s, GPtrArray *params)
{
    (void)s;
    (void)params;
}

/* Values without host paths: only what looks like a path is reported. */
void
aavm_qemu_opt_plain(const AavmQemuScan *s, GPtrArray *params)
{
    aavm_qemu_report_unknown_keys(s, params);
}
