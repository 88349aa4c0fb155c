/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "host.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

/* Longest path we canonicalise; the kernel's PATH_MAX is the real limit. */
#define AAVM_HOST_PATH_MAX PATH_MAX

static const char *const kind_names[AAVM_HOST_KIND_LAST] = {
    [AAVM_HOST_MISSING] = "missing", [AAVM_HOST_FILE] = "file",
    [AAVM_HOST_DIR] = "directory",   [AAVM_HOST_BLOCK] = "block device",
    [AAVM_HOST_CHAR] = "character device", [AAVM_HOST_SOCKET] = "socket",
    [AAVM_HOST_FIFO] = "fifo",       [AAVM_HOST_OTHER] = "other",
};

const char *
aavm_host_kind_to_string(AavmHostKind kind)
{
    if ((int)kind < 0 || kind >= AAVM_HOST_KIND_LAST)
        return "unknown";
    return kind_names[kind];
}

AavmHost *
aavm_host_new(const char *root, GError **error)
{
    g_autoptr(AavmHost) host = g_new0(AavmHost, 1);

    if (!root || g_strcmp0(root, "/") == 0) {
        host->root = g_strdup("");
        return g_steal_pointer(&host);
    }
    char *real = realpath(root, NULL);
    if (!real) {
        int saved = errno;
        aavm_fail(error, AAVM_ERROR_IO, _("Cannot resolve the host root '%s': %s."),
                  root, g_strerror(saved));
        return NULL;
    }
    if (!g_file_test(real, G_FILE_TEST_IS_DIR)) {
        aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                  _("The host root '%s' is not a directory."), root);
        free(real);
        return NULL;
    }
    host->root = strcmp(real, "/") == 0 ? g_strdup("") : g_strdup(real);
    free(real);
    return g_steal_pointer(&host);
}

void
aavm_host_free(AavmHost *host)
{
    if (!host)
        return;
    g_free(host->root);
    if (host->canonical)
        g_hash_table_destroy(host->canonical);
    g_free(host);
}

void
aavm_host_remember_paths(AavmHost *host)
{
    if (!host->canonical)
        host->canonical = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static char *
host_path(const AavmHost *host, const char *path)
{
    return g_strconcat(host->root, path, NULL);
}

AavmHostKind
aavm_host_query(const AavmHost *host, const char *path, gboolean follow)
{
    g_autofree char *full = host_path(host, path);
    struct stat st;

    if ((follow ? stat(full, &st) : lstat(full, &st)) < 0)
        return AAVM_HOST_MISSING;
    switch (st.st_mode & S_IFMT) {
    case S_IFREG: return AAVM_HOST_FILE;
    case S_IFDIR: return AAVM_HOST_DIR;
    case S_IFBLK: return AAVM_HOST_BLOCK;
    case S_IFCHR: return AAVM_HOST_CHAR;
    case S_IFSOCK: return AAVM_HOST_SOCKET;
    case S_IFIFO: return AAVM_HOST_FIFO;
    default: return AAVM_HOST_OTHER;
    }
}

/* realpath() of the host path; NULL if it does not exist.  The result is
 * host-absolute; a fake root that a symlink escapes is an error. */
static gboolean
resolve_existing(const AavmHost *host, const char *path, char **out_path, GError **error)
{
    g_autofree char *full = host_path(host, *path ? path : "/");
    char *real = realpath(full, NULL);

    *out_path = NULL;
    if (!real)
        return TRUE;

    gsize rootlen = strlen(host->root);
    if (rootlen && (strncmp(real, host->root, rootlen) != 0 ||
                    (real[rootlen] != '/' && real[rootlen] != '\0'))) {
        free(real);
        return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                         _("The path '%s' resolves outside the host root."), path);
    }
    *out_path = g_strdup(real[rootlen] ? real + rootlen : "/");
    free(real);
    return TRUE;
}

static gboolean canonicalize(const AavmHost *host, const char *path, char **out_path,
                             gboolean *out_exists, GError **error);

gboolean
aavm_host_canonicalize(const AavmHost *host, const char *path, char **out_path,
                       gboolean *out_exists, GError **error)
{
    gboolean exists = FALSE;
    const char *known;

    if (!host->canonical || !path)
        return canonicalize(host, path, out_path, out_exists, error);
    /* a remembered answer: its first byte says whether the path exists */
    if ((known = g_hash_table_lookup(host->canonical, path))) {
        if (out_exists)
            *out_exists = known[0] == 'y';
        *out_path = g_strdup(known + 1);
        return TRUE;
    }
    if (!canonicalize(host, path, out_path, &exists, error))
        return FALSE;
    g_hash_table_insert(host->canonical, g_strdup(path),
                        g_strconcat(exists ? "y" : "n", *out_path, NULL));
    if (out_exists)
        *out_exists = exists;
    return TRUE;
}

static gboolean
canonicalize(const AavmHost *host, const char *path, char **out_path,
             gboolean *out_exists, GError **error)
{
    if (!path || path[0] != '/')
        return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                         _("The path '%s' is not absolute."), path ? path : "");
    if (strlen(path) >= AAVM_HOST_PATH_MAX)
        return aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                         _("The path '%.64s...' is longer than %d bytes."), path,
                         AAVM_HOST_PATH_MAX);

    /* Components without empty and "." ones. */
    g_auto(GStrv) raw = g_strsplit(path, "/", -1);
    g_autoptr(GPtrArray) comps = g_ptr_array_new();
    for (guint i = 0; raw[i]; i++)
        if (*raw[i] && strcmp(raw[i], ".") != 0)
            g_ptr_array_add(comps, raw[i]);

    /* Find the longest existing prefix, longest first. */
    for (guint n = comps->len + 1; n-- > 0;) {
        GString *prefix = g_string_new("");
        for (guint i = 0; i < n; i++) {
            g_string_append_c(prefix, '/');
            g_string_append(prefix, g_ptr_array_index(comps, i));
        }
        g_autofree char *resolved = NULL;
        gboolean ok = resolve_existing(host, prefix->str, &resolved, error);
        g_string_free(prefix, TRUE);
        if (!ok)
            return FALSE;
        if (!resolved)
            continue;

        GString *out = g_string_new(resolved);
        for (guint i = n; i < comps->len; i++) {
            const char *comp = g_ptr_array_index(comps, i);
            if (strcmp(comp, "..") == 0) {
                g_string_free(out, TRUE);
                return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                                 _("The path '%s' contains '..' after a part that does not exist."),
                                 path);
            }
            if (out->len == 0 || out->str[out->len - 1] != '/')
                g_string_append_c(out, '/');
            g_string_append(out, comp);
        }
        if (out_exists)
            *out_exists = (n == comps->len);
        *out_path = g_string_free(out, FALSE);
        return TRUE;
    }
    /* Not even the root exists: only possible for a vanished fake root. */
    return aavm_fail(error, AAVM_ERROR_IO, _("The host root does not exist."));
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GStrv
aavm_host_list_dir(const AavmHost *host, const char *dir)
{
    g_autofree char *full = host_path(host, dir);
    g_autoptr(GDir) handle = g_dir_open(full, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    while (handle && (name = g_dir_read_name(handle)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return (GStrv)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

int
aavm_host_open(const AavmHost *host, const char *path, int flags)
{
    g_autofree char *full = host_path(host, path);

    return open(full, flags | O_CLOEXEC | O_NOCTTY);
}

char *
aavm_host_read_text(const AavmHost *host, const char *path, gsize max)
{
    g_autofree char *buf = NULL;
    gsize len = 0;
    int fd;

    g_return_val_if_fail(max <= AAVM_HOST_TEXT_MAX, NULL);
    fd = aavm_host_open(host, path, O_RDONLY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    buf = g_malloc(max + 1);
    while (len < max) {
        ssize_t n = read(fd, buf + len, max - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (gsize)n;
    }
    close(fd);
    buf[len] = '\0';
    if (memchr(buf, '\0', len))
        return NULL; /* binary, not an attribute */
    return g_strstrip(g_steal_pointer(&buf));
}
