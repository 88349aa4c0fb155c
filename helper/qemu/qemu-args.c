/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "qemu-args.h"

#include <string.h>

#include "access.h"
#include "aavm-error.h"
#include "qemu-args-private.h"

/* ---- The option table ---- */

typedef enum {
    ARG_FLAG,    /* takes no value */
    ARG_KEYS,    /* key=value list or JSON: @handler */
    ARG_PATH,    /* the value is a host path: @perms, @tree */
    ARG_BLOCK,   /* the value is a block filename (-hda, -cdrom, ...) */
    ARG_CHARDEV, /* the short chardev forms (-serial, -monitor, ...) */
    ARG_INCOMING,
    ARG_UNPARSED, /* aavm cannot follow the value: reported with @note */
} ArgKind;

typedef void (*KeysHandler)(const AavmQemuScan *s, GPtrArray *params);

typedef struct {
    const char *name; /* without the dash */
    ArgKind kind;
    const char *implied; /* ARG_KEYS: the implied first key */
    KeysHandler handler; /* ARG_KEYS */
    guint perms;         /* ARG_PATH, ARG_BLOCK (read-only when no W) */
    gboolean tree;       /* ARG_PATH */
    const char *note;    /* ARG_UNPARSED */
} QemuOption;

#define FLAG(n) { n, ARG_FLAG, NULL, NULL, 0, FALSE, NULL }
#define KEYS(n, implied, h) { n, ARG_KEYS, implied, h, 0, FALSE, NULL }
#define PLAIN(n) KEYS(n, NULL, aavm_qemu_opt_plain)
#define PATH(n, p) { n, ARG_PATH, NULL, NULL, p, FALSE, NULL }
#define BLOCK(n, p) { n, ARG_BLOCK, NULL, NULL, p, FALSE, NULL }
#define CHARDEV(n) { n, ARG_CHARDEV, NULL, NULL, 0, FALSE, NULL }

static const QemuOption qemu_options[] = {
    /* host paths in key=value lists */
    KEYS("drive", NULL, aavm_qemu_opt_drive),
    KEYS("blockdev", NULL, aavm_qemu_opt_blockdev),
    KEYS("chardev", "backend", aavm_qemu_opt_chardev),
    KEYS("netdev", "type", aavm_qemu_opt_netdev),
    KEYS("nic", "type", aavm_qemu_opt_netdev),
    KEYS("net", "type", aavm_qemu_opt_netdev),
    KEYS("device", "driver", aavm_qemu_opt_device),
    KEYS("object", "qom-type", aavm_qemu_opt_object),
    KEYS("fsdev", "fsdriver", aavm_qemu_opt_fsdev),
    KEYS("virtfs", "fsdriver", aavm_qemu_opt_fsdev),
    KEYS("fw_cfg", "name", aavm_qemu_opt_fw_cfg),
    KEYS("tpmdev", "type", aavm_qemu_opt_tpmdev),
    KEYS("acpitable", NULL, aavm_qemu_opt_acpitable),
    KEYS("smbios", NULL, aavm_qemu_opt_smbios),
    KEYS("audiodev", "driver", aavm_qemu_opt_audiodev),
    KEYS("spice", NULL, aavm_qemu_opt_spice),
    KEYS("vnc", "vnc", aavm_qemu_opt_vnc),
    KEYS("display", "type", aavm_qemu_opt_display),
    KEYS("machine", "type", aavm_qemu_opt_machine),
    KEYS("M", "type", aavm_qemu_opt_machine),
    KEYS("trace", "enable", aavm_qemu_opt_trace),
    KEYS("plugin", "file", aavm_qemu_opt_plugin),
    KEYS("option-rom", "romfile", aavm_qemu_opt_option_rom),
    KEYS("run-with", NULL, aavm_qemu_opt_run_with),
    /* the value is a host path */
    PATH("kernel", AAVM_PERM_READ),
    PATH("dtb", AAVM_PERM_READ),
    PATH("bios", AAVM_PERM_READ),
    PATH("mem-path", AAVM_PERM_RW),
    PATH("pidfile", AAVM_PERM_RWK),
    PATH("D", AAVM_PERM_WRITE),
    PATH("writeconfig", AAVM_PERM_WRITE),
    { "readconfig", ARG_UNPARSED, NULL, NULL, 0, FALSE, NOTE_READCONFIG },
    { "L", ARG_PATH, NULL, NULL, AAVM_PERM_READ, TRUE, NULL },
    { "chroot", ARG_UNPARSED, NULL, NULL, 0, FALSE, NOTE_CHROOT },
    /* the value is a block filename (protocols allowed) */
    BLOCK("hda", AAVM_PERM_RWK), BLOCK("hdb", AAVM_PERM_RWK),
    BLOCK("hdc", AAVM_PERM_RWK), BLOCK("hdd", AAVM_PERM_RWK),
    BLOCK("fda", AAVM_PERM_RWK), BLOCK("fdb", AAVM_PERM_RWK),
    BLOCK("cdrom", AAVM_PERM_RK), BLOCK("mtdblock", AAVM_PERM_RWK),
    BLOCK("sd", AAVM_PERM_RWK), BLOCK("pflash", AAVM_PERM_RWK),
    /* the short chardev forms */
    CHARDEV("serial"), CHARDEV("parallel"), CHARDEV("monitor"), CHARDEV("qmp"),
    CHARDEV("qmp-pretty"), CHARDEV("debugcon"), CHARDEV("virtioconsole"), CHARDEV("gdb"),
    { "incoming", ARG_INCOMING, NULL, NULL, 0, FALSE, NULL },
    /* values without host paths (anything path-like is still reported) */
    KEYS("add-fd", NULL, aavm_qemu_opt_add_fd), PLAIN("m"), PLAIN("smp"), PLAIN("cpu"), PLAIN("name"), PLAIN("uuid"),
    PLAIN("boot"), PLAIN("vga"), PLAIN("rtc"), PLAIN("accel"), PLAIN("k"), PLAIN("msg"),
    PLAIN("overcommit"), PLAIN("numa"), PLAIN("watchdog-action"), PLAIN("action"),
    PLAIN("icount"), PLAIN("sandbox"), PLAIN("d"), PLAIN("compat"), PLAIN("global"),
    PLAIN("set"), PLAIN("mon"), PLAIN("loadvm"), PLAIN("iscsi"), PLAIN("semihosting-config"),
    PLAIN("prom-env"), PLAIN("g"), PLAIN("echr"), PLAIN("usbdevice"),
    PLAIN("smbios-entry-point-type"), PLAIN("cpu-pm"), PLAIN("runas"), PLAIN("qtest"),
    PLAIN("seed"), PLAIN("xen-domid"),
    PLAIN("xen-attach"), PLAIN("xen-domid-restrict"), PLAIN("tb-size"), PLAIN("mem-prealloc-threads"),
    /* flags */
    FLAG("enable-kvm"), FLAG("nodefaults"), FLAG("no-user-config"), FLAG("nographic"),
    FLAG("no-hpet"), FLAG("no-acpi"), FLAG("no-reboot"), FLAG("no-shutdown"), FLAG("S"),
    FLAG("s"), FLAG("snapshot"), FLAG("daemonize"), FLAG("full-screen"), FLAG("usb"),
    FLAG("no-fd-bootchk"), FLAG("win2k-hack"), FLAG("rtc-td-hack"), FLAG("no-quit"),
    FLAG("alt-grab"), FLAG("ctrl-grab"), FLAG("only-migratable"), FLAG("preconfig"),
    FLAG("enable-fips"), FLAG("nodefconfig"), FLAG("semihosting"), FLAG("mem-prealloc"),
    FLAG("no-frame"), FLAG("no-kvm"), FLAG("no-kvm-irqchip"), FLAG("no-kvm-pit"),
    FLAG("no-kvm-pit-reinjection"), FLAG("enable-sync-profile"), FLAG("portrait"),
    FLAG("curses"), FLAG("sdl"),
};

static const QemuOption initrd_option = {
    "initrd", ARG_PATH, NULL, NULL, AAVM_PERM_READ, FALSE, NULL,
};

static const QemuOption *
find_option(const char *name)
{
    if (strcmp(name, initrd_option.name) == 0)
        return &initrd_option;
    for (guint i = 0; i < G_N_ELEMENTS(qemu_options); i++)
        if (strcmp(qemu_options[i].name, name) == 0)
            return &qemu_options[i];
    return NULL;
}

/* -initrd "file1 arg=foo,file2": multiboot modules separated by commas
 * (",," a literal comma), each a file and its command line. */
static void
initrd(const AavmQemuScan *s, const char *value)
{
    g_autoptr(GString) module = g_string_new(NULL);

    for (const char *p = value;; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(module, *p++);
            continue;
        }
        if (*p && *p != ',') {
            g_string_append_c(module, *p);
            continue;
        }
        g_string_truncate(module, strcspn(module->str, " "));
        aavm_qemu_path_item(s, NULL, module->str, AAVM_PERM_READ, FALSE);
        g_string_truncate(module, 0);
        if (!*p)
            break;
    }
}

static void
keys_option(const AavmQemuScan *s, const QemuOption *opt, const char *value)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) params = NULL;

    if (*value == '{') {
        params = aavm_qemu_json_flatten(value, &error);
        if (!params) {
            aavm_qemu_unparsed(s, NULL, value, NOTE_JSON);
            return;
        }
    } else {
        params = aavm_qemu_opts_split(value, opt->implied, &error);
        if (!params) {
            aavm_qemu_unparsed(s, NULL, value, NOTE_SPLIT);
            return;
        }
    }
    opt->handler(s, params);
}

static void
scan_value(const AavmQemuScan *s, const QemuOption *opt, const char *value)
{
    switch (opt->kind) {
    case ARG_KEYS:
        keys_option(s, opt, value);
        break;
    case ARG_PATH:
        if (opt == &initrd_option && strpbrk(value, ", ")) {
            initrd(s, value);
            break;
        }
        aavm_qemu_path_item(s, NULL, value, opt->perms, opt->tree);
        break;
    case ARG_BLOCK:
        aavm_qemu_block_filename(s, NULL, value, !(opt->perms & AAVM_PERM_WRITE));
        break;
    case ARG_CHARDEV:
        aavm_qemu_chardev_spec(s, value);
        break;
    case ARG_INCOMING:
        aavm_qemu_incoming(s, value);
        break;
    case ARG_UNPARSED:
        aavm_qemu_unparsed(s, NULL, value, opt->note);
        break;
    case ARG_FLAG:
        break;
    }
}

void
aavm_qemu_args_scan(const char *const *args, guint n, GPtrArray *out)
{
    for (guint i = 0; i < n; i++) {
        const char *arg = args[i];
        AavmQemuScan s = { out, NULL, i, FALSE };

        if (*arg != '-' || !arg[1]) {
            /* QEMU takes a lone non-option argument as the first disk (-hda). */
            s.option = "-hda";
            aavm_qemu_block_filename(&s, NULL, arg, FALSE);
            continue;
        }
        const char *name = arg + (arg[1] == '-' ? 2 : 1);
        g_autofree char *option = g_strconcat("-", name, NULL);
        const QemuOption *opt = find_option(name);
        gboolean has_next = i + 1 < n;
        s.option = option;

        if (!opt) {
            /* Most options take a value: keep it with the option. */
            if (has_next && args[i + 1][0] != '-') {
                s.index = ++i;
                g_autofree char *text = g_strdup_printf("%s %s", arg, args[i]);
                aavm_qemu_unparsed(&s, NULL, text, NOTE_UNKNOWN_OPTION);
            } else {
                aavm_qemu_unparsed(&s, NULL, arg, NOTE_UNKNOWN_OPTION);
            }
            continue;
        }
        if (opt->kind == ARG_FLAG)
            continue;
        if (!has_next) {
            aavm_qemu_unparsed(&s, NULL, arg, NOTE_MISSING_VALUE);
            continue;
        }
        s.index = ++i;
        scan_value(&s, opt, args[i]);
    }
}

/* Environment variables QEMU or its libraries open as files. */
static const struct {
    const char *name;
    guint perms;
} env_files[] = {
    { "XAUTHORITY", AAVM_PERM_READ },                  /* X11 displays (SDL, GTK) */
    { "SSLKEYLOGFILE", AAVM_PERM_WRITE },              /* GnuTLS writes session keys */
    { "GNUTLS_SYSTEM_PRIORITY_FILE", AAVM_PERM_READ }, /* GnuTLS priority strings */
};

void
aavm_qemu_env_scan(const char *name, const char *value, guint index, GPtrArray *out)
{
    AavmQemuScan s = { out, name, index, TRUE };
    g_auto(GStrv) parts = NULL;

    if (!name || !value || !*value)
        return;
    for (guint i = 0; i < G_N_ELEMENTS(env_files); i++)
        if (strcmp(name, env_files[i].name) == 0) {
            aavm_qemu_path_item(&s, NULL, value, env_files[i].perms, FALSE);
            return;
        }
    parts = g_strsplit(value, ":", -1);
    for (guint i = 0; parts[i]; i++)
        if (aavm_qemu_looks_like_path(parts[i]) || (*parts[i] == '/')) {
            aavm_qemu_unparsed(&s, NULL, value, NOTE_ENV);
            return;
        }
}

void
aavm_qemu_override_scan(const char *name, const char *value, guint index, GPtrArray *out)
{
    AavmQemuScan s = { out, "qemu:override", index, FALSE };

    if (value && *value == '/')
        aavm_qemu_unparsed(&s, name, value, NOTE_OVERRIDE);
}

gboolean
aavm_qemu_item_is_vfio(const AavmPassthrough *item)
{
    return item->kind == AAVM_PASSTHROUGH_PATH && !item->from_env &&
           g_strcmp0(item->option, "-device") == 0 &&
           (g_strcmp0(item->key, "host") == 0 || g_strcmp0(item->key, "sysfsdev") == 0);
}

gboolean
aavm_qemu_item_may_be_dir(const AavmPassthrough *item)
{
    return item->kind == AAVM_PASSTHROUGH_PATH && !item->from_env &&
           (g_strcmp0(item->option, "-mem-path") == 0 ||
            (g_strcmp0(item->option, "-object") == 0 && g_strcmp0(item->key, "mem-path") == 0));
}
