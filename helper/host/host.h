/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host.h: the only place that asks the filesystem about host paths.
 *
 * A host has a root directory: "/" for the installed programs, a fake root
 * for tests (set through the API only; no environment variable).  Paths in
 * and out are always host-absolute ("/dev/sda"), never root-prefixed. */
#pragma once

#include <glib.h>

typedef enum {
    AAVM_HOST_MISSING,
    AAVM_HOST_FILE,
    AAVM_HOST_DIR,
    AAVM_HOST_BLOCK,
    AAVM_HOST_CHAR,
    AAVM_HOST_SOCKET,
    AAVM_HOST_FIFO,
    AAVM_HOST_OTHER,
    AAVM_HOST_KIND_LAST
} AavmHostKind;

typedef struct {
    char *root; /* without trailing slash; "" for the real root */
    GHashTable *canonical; /* NULL, or path -> result of aavm_host_canonicalize() */
} AavmHost;

/* @root: NULL or "/" for the real host, else an existing directory. */
AavmHost *aavm_host_new(const char *root, GError **error);
void aavm_host_free(AavmHost *host);

/* Remember every aavm_host_canonicalize() answer for the rest of @host's
 * life: for one short-lived run that asks about the same paths more than
 * once (a disk is canonicalised by the path policy and again by the
 * backing chain walk).  Off by default: tests change files between calls. */
void aavm_host_remember_paths(AavmHost *host);

const char *aavm_host_kind_to_string(AavmHostKind kind);

/* What @path (host-absolute) is, without following a final symlink's
 * target when @follow is FALSE. */
AavmHostKind aavm_host_query(const AavmHost *host, const char *path, gboolean follow);

/* Canonicalise an absolute path the way AppArmor will see it: resolve the
 * longest existing prefix through symlinks and "..", and append the rest.
 * The rest may not contain ".." (refused); "." and repeated or trailing
 * slashes are dropped.  @out_exists tells whether the whole path exists. */
gboolean aavm_host_canonicalize(const AavmHost *host, const char *path, char **out_path,
                                gboolean *out_exists, GError **error);

/* The names in the directory @dir (host-absolute), sorted, without "." and
 * "..".  A missing or unreadable directory gives an empty list. */
GStrv aavm_host_list_dir(const AavmHost *host, const char *dir);

/* The first @max bytes at most of the small text file @path (sysfs
 * attributes, /proc/mounts), stripped of surrounding white space; NULL
 * when it cannot be read. */
char *aavm_host_read_text(const AavmHost *host, const char *path, gsize max);

/* open(2) of the host path @path with @flags (O_CLOEXEC and O_NOCTTY
 * added); -1 with errno set. */
int aavm_host_open(const AavmHost *host, const char *path, int flags);

/* Largest file aavm_host_read_text() may be asked for. */
#define AAVM_HOST_TEXT_MAX (1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmHost, aavm_host_free)
