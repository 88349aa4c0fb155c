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

/* Copy the regular file @path to @copy_path (atomically, with @path's
 * permission bits), replacing what was there. */
gboolean aavm_store_keep_copy(const char *path, const char *copy_path, GError **error);

/* Write only when the bytes differ (keeps the mtime, and so the parser's
 * cache, of unchanged files). */
gboolean aavm_store_write_if_changed(const char *path, const char *data, gsize len,
                                     gboolean *out_changed, GError **error);

/* Remove @path; a missing file is not an error. */
gboolean aavm_store_remove(const char *path, GError **error);

/* Take an exclusive flock() on @path (created 0600 when missing), waiting
 * for other holders; returns the descriptor to pass to
 * aavm_store_unlock(), or -1 with @error set. */
int aavm_store_lock(const char *path, GError **error);
void aavm_store_unlock(int fd);

/* Remove the temporary files aavm_store_write_atomic() left next to
 * @path when a writer was killed ("<path>.XXXXXX").  Call it only while
 * holding the lock that every writer of @path takes.  Returns how many. */
guint aavm_store_clean_temporaries(const char *path);
