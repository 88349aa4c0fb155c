/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-args-block.c: block devices (see qemu-args-private.h). */
#include "qemu-args-private.h"

#include <string.h>

#include "access.h"
#include "aavm-error.h"

/* ---- Block devices: -drive file=, -blockdev, -hda ... ---- */

/* Block drivers that talk to a server rather than open a host file. */
static const char *const network_drivers[] = {
    "rbd", "nbd", "iscsi", "gluster", "ssh", "http", "https", "ftp", "ftps", "nfs",
    "curl", "vxhs", "sheepdog", NULL,
};

static void block_params(const AavmQemuScan *s, GPtrArray *params, gboolean readonly);

static guint
disk_perms(gboolean readonly)
{
    return readonly ? AAVM_PERM_RK : AAVM_PERM_RWK;
}

/* "rbd:pool/image[@snap][:key=value...]" with "\:" for a literal colon:
 * conf= and keyring= are local files, the rest the cluster. */
static void
legacy_rbd(const AavmQemuScan *s, const char *key, const char *value)
{
    g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) field = g_string_new(NULL);

    for (const char *p = value + strlen("rbd:");; p++) {
        if (*p == '\\' && p[1]) {
            g_string_append_c(field, *++p);
            continue;
        }
        if (*p && *p != ':') {
            g_string_append_c(field, *p);
            continue;
        }
        g_ptr_array_add(fields, g_strdup(field->str));
        g_string_truncate(field, 0);
        if (!*p)
            break;
    }
    g_autofree char *endpoint = g_strconcat("rbd:", (char *)g_ptr_array_index(fields, 0), NULL);
    aavm_qemu_network(s, key, endpoint);
    for (guint i = 1; i < fields->len; i++) {
        const char *f = g_ptr_array_index(fields, i);
        if (g_str_has_prefix(f, "conf="))
            aavm_qemu_path_item(s, "conf", f + strlen("conf="), AAVM_PERM_READ, FALSE);
        else if (g_str_has_prefix(f, "keyring="))
            aavm_qemu_path_item(s, "keyring", f + strlen("keyring="), AAVM_PERM_READ, FALSE);
        else if (aavm_qemu_looks_like_path(strchr(f, '=') ? strchr(f, '=') + 1 : f))
            aavm_qemu_unparsed(s, key, f, NOTE_UNKNOWN_KEY);
    }
}

/* A URL's "socket=" query parameter ("nbd+unix:///e?socket=/p"). */
static const char *
url_socket(const char *value)
{
    const char *query = strchr(value, '?');

    for (const char *p = query; p; p = strchr(p + 1, '&')) {
        if (g_str_has_prefix(p + 1, "socket="))
            return p + 1 + strlen("socket=");
    }
    return NULL;
}

/* "fat:[floppy:][12:|16:|32:][rw:]DIR": a directory served as a FAT disk. */
static void
vvfat(const AavmQemuScan *s, const char *key, const char *value)
{
    static const char *const options[] = { "floppy:", "12:", "16:", "32:", "rw:" };
    const char *p = value + strlen("fat:");
    gboolean rw = FALSE, progress = TRUE;

    while (progress) {
        progress = FALSE;
        for (guint i = 0; i < G_N_ELEMENTS(options); i++) {
            if (g_str_has_prefix(p, options[i])) {
                rw = rw || strcmp(options[i], "rw:") == 0;
                p += strlen(options[i]);
                progress = TRUE;
            }
        }
    }
    aavm_qemu_path_item(s, key, p, rw ? AAVM_PERM_RWK : AAVM_PERM_RK, TRUE);
}

/* A block filename as -drive file=, -hda and a node's filename= take it. */
void
aavm_qemu_block_filename(const AavmQemuScan *s, const char *key, const char *value, gboolean readonly)
{
    static const char *const local_prefixes[] = { "file:", "host_device:", "host_cdrom:" };

    if (g_str_has_prefix(value, "json:")) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) params = aavm_qemu_json_flatten(value + strlen("json:"), &error);
        if (params)
            block_params(s, params, readonly);
        else
            aavm_qemu_unparsed(s, key, value, NOTE_JSON);
        return;
    }
    for (guint i = 0; i < G_N_ELEMENTS(local_prefixes); i++)
        if (g_str_has_prefix(value, local_prefixes[i])) {
            aavm_qemu_path_item(s, key, value + strlen(local_prefixes[i]), disk_perms(readonly), FALSE);
            return;
        }
    if (g_str_has_prefix(value, "rbd:")) {
        legacy_rbd(s, key, value);
        return;
    }
    if (g_str_has_prefix(value, "nbd:unix:")) {
        g_autofree char *socket = g_strdup(value + strlen("nbd:unix:"));
        char *colon = strchr(socket, ':');
        if (colon)
            *colon = '\0'; /* ":exportname=" */
        aavm_qemu_path_item(s, key, socket, AAVM_PERM_RW, FALSE);
        return;
    }
    if (g_str_has_prefix(value, "fat:")) {
        vvfat(s, key, value);
        return;
    }
    if (strstr(value, "://")) {
        const char *socket = url_socket(value);
        g_autofree char *path = socket ? g_strndup(socket, strcspn(socket, "&")) : NULL;
        if (path && strstr(value, "+unix://"))
            aavm_qemu_path_item(s, key, path, AAVM_PERM_RW, FALSE);
        else
            aavm_qemu_network(s, key, value);
        return;
    }
    if (*value == '/') {
        aavm_qemu_path_item(s, key, value, disk_perms(readonly), FALSE);
        return;
    }
    const char *colon = strchr(value, ':');
    if (colon && colon != value && strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789_+-") ==
                                       (gsize)(colon - value)) {
        g_autofree char *protocol = g_strndup(value, colon - value);
        if (g_strv_contains(network_drivers, protocol))
            aavm_qemu_network(s, key, value);
        else
            aavm_qemu_unparsed(s, key, value, NOTE_PROTOCOL);
        return;
    }
    aavm_qemu_unparsed(s, key, value, NOTE_RELATIVE);
}

/* Whether the node @node (a key prefix, "" for the top) or one above it is read-only. */
static gboolean
node_readonly(const GPtrArray *params, const char *node)
{
    g_autofree char *prefix = g_strdup(node);

    for (;;) {
        if (aavm_qemu_is_true(aavm_qemu_node_get(params, prefix, "read-only")) ||
            aavm_qemu_is_true(aavm_qemu_node_get(params, prefix, "readonly")))
            return TRUE;
        if (!*prefix)
            return FALSE;
        /* drop the last component: "a.b." -> "a." */
        prefix[strlen(prefix) - 1] = '\0';
        char *dot = strrchr(prefix, '.');
        if (dot)
            dot[1] = '\0';
        else
            prefix[0] = '\0';
    }
}

/* A network node ("driver":"rbd" ...): its endpoint, once. */
static void
block_network_node(const AavmQemuScan *s, GPtrArray *params, const char *node, const char *driver)
{
    const char *host = aavm_qemu_node_get(params, node, "server.host");
    const char *url = aavm_qemu_node_get(params, node, "url");
    const char *filename = aavm_qemu_node_get(params, node, "filename");
    g_autofree char *endpoint = NULL;

    if (g_strcmp0(driver, "nbd") == 0 && g_strcmp0(aavm_qemu_node_get(params, node, "server.type"),
                                                   "unix") == 0)
        return; /* a local socket: server.path */
    if (g_strcmp0(driver, "rbd") == 0) {
        const char *pool = aavm_qemu_node_get(params, node, "pool");
        const char *image = aavm_qemu_node_get(params, node, "image");
        endpoint = g_strdup_printf("rbd:%s/%s", pool ? pool : "?", image ? image : "?");
    }
    else if (url || filename)
        endpoint = g_strdup(url ? url : filename);
    else if (host)
        endpoint = g_strdup_printf("%s:%s", driver, host);
    else if (aavm_qemu_node_get(params, node, "server.0.host"))
        endpoint = g_strdup_printf("%s:%s", driver, aavm_qemu_node_get(params, node, "server.0.host"));
    else if (aavm_qemu_node_get(params, node, "portal"))
        endpoint = g_strdup_printf("%s:%s", driver, aavm_qemu_node_get(params, node, "portal"));
    else
        endpoint = g_strdup(driver);
    /* Everything that names the remote end is understood. */
    for (guint i = 0; i < params->len; i++) {
        AavmQemuParam *param = g_ptr_array_index(params, i);
        const char *rest = param->key && g_str_has_prefix(param->key, node) ?
                           param->key + strlen(node) : NULL;
        if (!rest)
            continue;
        if (g_strv_contains((const char *const[]){ "url", "filename", "pool", "image", "path",
                                                   "portal", "target", "host", "port", "user",
                                                   "snapshot", "namespace", "volume", NULL },
                            rest) ||
            (g_str_has_prefix(rest, "server.") && !g_str_has_suffix(rest, ".path")))
            param->used = TRUE;
    }
    aavm_qemu_network(s, aavm_qemu_node_get(params, node, "server.host") ? "server.host" : "driver", endpoint);
}

/* Flattened block node options (-blockdev, -drive's dotted keys, json:). */
static void
block_params(const AavmQemuScan *s, GPtrArray *params, gboolean readonly)
{
    for (guint i = 0; i < params->len; i++) {
        AavmQemuParam *param = g_ptr_array_index(params, i);
        const char *last;
        if (!param->key || param->used)
            continue;
        g_autofree char *node = aavm_qemu_key_node(param->key, &last);
        if (strcmp(last, "driver") != 0)
            continue;
        if (g_strv_contains(network_drivers, param->value))
            block_network_node(s, params, node, param->value);
        else if (strcmp(param->value, "nvme") == 0)
            aavm_qemu_unparsed(s, param->key, param->value, NOTE_NVME);
    }
    for (guint i = 0; i < params->len; i++) {
        AavmQemuParam *param = g_ptr_array_index(params, i);
        const char *last;
        if (!param->key || param->used)
            continue;
        g_autofree char *node = aavm_qemu_key_node(param->key, &last);
        const char *driver = aavm_qemu_node_get(params, node, "driver");
        gboolean ro = readonly || node_readonly(params, node);
        if (strcmp(last, "filename") == 0) {
            param->used = TRUE;
            aavm_qemu_block_filename(s, param->key, param->value, ro);
        } else if (strcmp(last, "conf") == 0 && g_strcmp0(driver, "rbd") == 0) {
            param->used = TRUE;
            aavm_qemu_path_item(s, param->key, param->value, AAVM_PERM_READ, FALSE);
        } else if (strcmp(last, "config") == 0 && g_strcmp0(driver, "blkdebug") == 0) {
            param->used = TRUE;
            aavm_qemu_path_item(s, param->key, param->value, AAVM_PERM_READ, FALSE);
        } else if (strcmp(last, "dir") == 0 && g_strcmp0(driver, "vvfat") == 0) {
            gboolean rw = aavm_qemu_is_true(aavm_qemu_node_get(params, node, "rw"));
            param->used = TRUE;
            aavm_qemu_path_item(s, param->key, param->value, rw ? AAVM_PERM_RWK : AAVM_PERM_RK, TRUE);
        } else if (strcmp(last, "path") == 0 &&
                   g_strcmp0(aavm_qemu_node_get(params, node, "type"), "unix") == 0) {
            param->used = TRUE; /* server.path, server.N.path: a unix socket */
            aavm_qemu_path_item(s, param->key, param->value, AAVM_PERM_RW, FALSE);
        }
    }
    aavm_qemu_report_unknown_keys(s, params);
}

void
aavm_qemu_opt_drive(const AavmQemuScan *s, GPtrArray *params)
{
    gboolean readonly = aavm_qemu_is_true(aavm_qemu_take(params, "readonly")) ||
                        aavm_qemu_is_true(aavm_qemu_take(params, "read-only")) ||
                        g_strcmp0(aavm_qemu_take(params, "media"), "cdrom") == 0;
    const char *file = aavm_qemu_take(params, "file");

    if (file)
        aavm_qemu_block_filename(s, "file", file, readonly);
    block_params(s, params, readonly);
}

void
aavm_qemu_opt_blockdev(const AavmQemuScan *s, GPtrArray *params)
{
    block_params(s, params, FALSE);
}
