/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-items.c: the items a scan of <qemu:commandline> yields, and the
 * small readers every option handler shares. */
#include "qemu-args.h"

#include <string.h>

#include "access.h"
#include "qemu-args-private.h"

/* ---- Items ---- */

AavmPassthrough *
aavm_qemu_item_add(const AavmQemuScan *s, AavmPassthroughKind kind, const char *key, const char *value,
         const char *note)
{
    AavmPassthrough *item = g_new0(AavmPassthrough, 1);

    item->kind = kind;
    item->from_env = s->from_env;
    item->index = s->index;
    item->option = g_strdup(s->option);
    item->key = g_strdup(key);
    item->value = g_strdup(value);
    item->note = note ? g_strdup(_(note)) : NULL;
    g_ptr_array_add(s->out, item);
    return item;
}

void
aavm_qemu_unparsed(const AavmQemuScan *s, const char *key, const char *value, const char *note)
{
    aavm_qemu_item_add(s, AAVM_PASSTHROUGH_UNPARSED, key, value, note);
}

void
aavm_qemu_network(const AavmQemuScan *s, const char *key, const char *value)
{
    aavm_qemu_item_add(s, AAVM_PASSTHROUGH_NETWORK, key, value, NOTE_NETWORK);
}

/* A host path QEMU opens.  A file descriptor passed with -add-fd
 * ("/dev/fdset/N") is not opened by path: nothing to grant. */
void
aavm_qemu_path_item(const AavmQemuScan *s, const char *key, const char *value, guint perms, gboolean tree)
{
    if (!value || !*value)
        return;
    if (g_str_has_prefix(value, "/dev/fdset/"))
        return;
    if (*value != '/') {
        aavm_qemu_unparsed(s, key, value, NOTE_RELATIVE);
        return;
    }
    AavmPassthrough *item = aavm_qemu_item_add(s, AAVM_PASSTHROUGH_PATH, key, value, NULL);
    item->perms = perms;
    item->tree = tree;
}

/* A pipe chardev: the FIFOs "<path>.in" and "<path>.out". */
void
aavm_qemu_pipe_items(const AavmQemuScan *s, const char *key, const char *path)
{
    g_autofree char *in = g_strconcat(path, ".in", NULL);
    g_autofree char *out = g_strconcat(path, ".out", NULL);

    if (*path != '/') {
        aavm_qemu_unparsed(s, key, path, NOTE_RELATIVE);
        return;
    }
    aavm_qemu_path_item(s, key, in, AAVM_PERM_RW, FALSE);
    aavm_qemu_path_item(s, key, out, AAVM_PERM_RW, FALSE);
}

/* Whether @value looks like it names a host path: absolute, or behind a
 * short "prefix:" ("unix:/p", "sql:/p"). */
gboolean
aavm_qemu_looks_like_path(const char *value)
{
    const char *colon;

    if (*value == '/')
        return TRUE;
    colon = strchr(value, ':');
    return colon && colon[1] == '/' && strspn(value, "abcdefghijklmnopqrstuvwxyz+-_") ==
                                           (gsize)(colon - value);
}

/* Every parameter no handler understood whose value looks like a path. */
void
aavm_qemu_report_unknown_keys(const AavmQemuScan *s, const GPtrArray *params)
{
    for (guint i = 0; i < params->len; i++) {
        const AavmQemuParam *param = g_ptr_array_index(params, i);
        if (!param->used && aavm_qemu_looks_like_path(param->value))
            aavm_qemu_unparsed(s, param->key, param->value, NOTE_UNKNOWN_KEY);
    }
}

/* ---- PCI addresses (host=DDDD:BB:SS.F) ---- */

static gboolean
hex_field(const char *text, gsize len, guint max, guint *out)
{
    guint64 value = 0;

    if (len == 0 || len > 4)
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        int d = g_ascii_xdigit_value(text[i]);
        if (d < 0)
            return FALSE;
        value = value * 16 + (guint)d;
    }
    if (value > max)
        return FALSE;
    *out = (guint)value;
    return TRUE;
}

gboolean
aavm_qemu_pci_address_parse(const char *text, AavmPciAddress *out)
{
    g_auto(GStrv) parts = g_strsplit(text, ":", -1);
    guint n = g_strv_length(parts);
    AavmPciAddress addr = { TRUE, 0, 0, 0, 0 };
    const char *slot_fn, *dot;

    if (n != 2 && n != 3)
        return FALSE;
    if (n == 3 && !hex_field(parts[0], strlen(parts[0]), 0xffff, &addr.domain))
        return FALSE;
    if (!hex_field(parts[n - 2], strlen(parts[n - 2]), 0xff, &addr.bus))
        return FALSE;
    slot_fn = parts[n - 1];
    dot = strchr(slot_fn, '.');
    if (!dot || !hex_field(slot_fn, dot - slot_fn, 0x1f, &addr.slot) ||
        !hex_field(dot + 1, strlen(dot + 1), 7, &addr.function))
        return FALSE;
    *out = addr;
    return TRUE;
}
