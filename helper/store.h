/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store.h: reading and writing the files of the profile directory.
 *
 * Reads are bounded; writes are atomic (temporary file in the same
 * directory, fsync, rename, fsync of the directory), mode 0644. */
#pragma once

#include <glib.h>

/* Largest profile, .files or template we read, as the reference helper. */
#define AAVM_STORE_FILE_MAX (10 * 1024 * 1024)

/* Read all of @fd, failing with AAVM_ERROR_TOO_LARGE past @max bytes. */
gboolean aavm_store_read_fd(int fd, gsize max, char **out_data, gsize *out_len,
                            GError **error);
gboolean aavm_store_read(const char *path, gsize max, char **out_data, gsize *out_len,
                         GError **error);

/* -1 when @path does not exist, else its size. */
gssize aavm_store_size(const char *path);

gboolean aavm_store_write_atomic(const char *path, const char *data, gsize len,
                                 GError **error);

/* Write only when the bytes differ (keeps the mtime, and so the parser's
 * cache, of unchanged files). */
gboolean aavm_store_write_if_changed(const char *path, const char *data, gsize len,
                                     gboolean *out_changed, GError **error);

/* Remove @path; a missing file is not an error. */
gboolean aavm_store_remove(const char *path, GError **error);

/* What an entry of a directory is, as lstat() sees it (a symbolic link is
 * AAVM_STORE_OTHER, never what it points at). */
typedef enum {
    AAVM_STORE_MISSING,
    AAVM_STORE_REGULAR,
    AAVM_STORE_DIRECTORY,
    AAVM_STORE_OTHER,
} AavmStoreKind;

typedef struct {
    char *name;
    AavmStoreKind kind;
} AavmStoreEntry;

void aavm_store_entry_free(AavmStoreEntry *entry);

/* The entries of @dir/@sub (@sub: NULL, or a relative path whose
 * components are opened without following links), at most @max of them,
 * each named "@sub/<name>" (or "<name>" without @sub) and sorted.
 * AAVM_ERROR_TOO_LARGE when there are more. */
GPtrArray *aavm_store_list(const char *dir, const char *sub, guint max, GError **error);

/* What @rel (a relative path) of @dir is; no component is followed when it
 * is a symbolic link. */
AavmStoreKind aavm_store_kind(const char *dir, const char *rel);

/* Read @rel of @dir, a regular file, opening no component of @rel through
 * a symbolic link. */
gboolean aavm_store_read_nofollow(const char *dir, const char *rel, gsize max, char **out_data,
                                  gsize *out_len, GError **error);

/* Remove @rel of @dir when it is a regular file, opening no component of
 * @rel through a symbolic link; anything else (a link, a directory) is
 * refused.  A missing file is not an error. */
gboolean aavm_store_remove_regular(const char *dir, const char *rel, GError **error);

/* Take an exclusive flock() on @path (created 0600 when missing), waiting
 * for other holders; returns the descriptor to pass to
 * aavm_store_unlock(), or -1 with @error set. */
int aavm_store_lock(const char *path, GError **error);
void aavm_store_unlock(int fd);

/* Remove the temporary files aavm_store_write_atomic() left next to
 * @path when a writer was killed ("<path>.XXXXXX").  Call it only while
 * holding the lock that every writer of @path takes.  Returns how many. */
guint aavm_store_clean_temporaries(const char *path);

/* Whether @name is "<@base>." followed by the six characters mkstemp()
 * chose: a temporary file aavm_store_write_atomic() left for @base. */
gboolean aavm_store_is_temporary_of(const char *name, const char *base);
