/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store-dir.h: every open, read, write, rename and unlink aavm does in a
 * directory it manages (the profile directory, the compile cache, the lock
 * directory).
 *
 * The directory is opened once (O_DIRECTORY | O_NOFOLLOW) and checked: a
 * directory, owned by root or the effective uid, not writable by others.
 * Every file in it is reached with openat()/fstatat() on that descriptor,
 * never following a link, and checked on the descriptor it is read from: a
 * regular file (or absent) owned by root or the effective uid, with one
 * link.  Anything else (a symbolic link, a directory, a FIFO, a hard link,
 * another user's file) is refused with AAVM_ERROR_UNSAFE_FILE and a
 * sentence naming the file and what is there; it is left as it is.
 *
 * Writes are atomic: a temporary "<name>.XXXXXX" made with O_CREAT|O_EXCL,
 * mode 0644, fsync, renameat() over the name, fsync of the directory. */
#pragma once

#include <glib.h>
#include <sys/stat.h>
#include <sys/types.h>

typedef struct AavmStoreDir AavmStoreDir;

/* Open the directory @path.  With @create_mode, a missing @path is made
 * with that mode (its missing parents 0755); with 0 it must exist. */
AavmStoreDir *aavm_store_dir_open(const char *path, mode_t create_mode, GError **error);
void aavm_store_dir_free(AavmStoreDir *dir);
const char *aavm_store_dir_path(const AavmStoreDir *dir);

/* The names in @dir, unsorted ("." and ".." left out). */
GPtrArray *aavm_store_dir_list(const AavmStoreDir *dir);

/* aavm_store_dir_read() of the file @path names, its directory opened and
 * checked by aavm_store_dir_open() (a file found by aavm_store_dir_scan(),
 * read again). */
gboolean aavm_store_dir_read_file(const char *path, gsize max, char **out_data, gsize *out_len,
                                  GError **error);

/* Which names aavm_store_dir_scan() reads, and what it does with each. */
typedef gboolean (*AavmStoreDirWant)(const char *name, gpointer data);
typedef void (*AavmStoreDirEach)(const char *name, const char *path, const char *text, gsize len,
                                 gpointer data);

/* Read the files of the directory @path whose names end in @suffix and
 * that @want (may be NULL) accepts, in name order, at most @max_files of
 * them and @max_bytes each, every one through aavm_store_dir_read() (no
 * link followed, a regular file checked on its descriptor), and hand each
 * to @each with @data.  A missing directory has no files; a directory or
 * file that is refused or cannot be read is skipped with a sentence naming
 * it in @warnings (char*, may be NULL). */
void aavm_store_dir_scan(const char *path, const char *suffix, guint max_files, gsize max_bytes,
                         AavmStoreDirWant want, AavmStoreDirEach each, gpointer data,
                         GPtrArray *warnings);

/* Whether @name is there (*@out_exists) and, if so, its fstatat() in
 * @out_st (may be NULL); FALSE with @error when what is there is refused. */
gboolean aavm_store_dir_stat(const AavmStoreDir *dir, const char *name, gboolean *out_exists,
                             struct stat *out_st, GError **error);

/* Read @name (at most @max bytes) from the descriptor that was checked.
 * With @out_exists, a missing file sets it FALSE (and *@out_data NULL);
 * without, it is an AAVM_ERROR_IO error. */
gboolean aavm_store_dir_read(const AavmStoreDir *dir, const char *name, gsize max,
                             gboolean *out_exists, char **out_data, gsize *out_len,
                             GError **error);

/* Like aavm_store_dir_read() (@out_exists required), for an input aavm
 * only reads, never writes (a template): @name may be a symbolic link, as
 * a package installs it.  What the link leads to is checked on the
 * descriptor like any file aavm reads (a regular file with one link,
 * owned by root or the caller), must not be writable by every user and
 * must be readable by every user: it ends up in a profile every user can
 * read, so a link to a secret is refused. */
gboolean aavm_store_dir_read_input(const AavmStoreDir *dir, const char *name, gsize max,
                                   gboolean *out_exists, char **out_data, gsize *out_len,
                                   GError **error);

/* Replace @name atomically with @data (mode 0644).  With @out_changed,
 * write only when the bytes differ (keeps the mtime, and so the parser's
 * cache, of unchanged files) and say whether it did.  What is at @name
 * now must be absent or a file this module accepts. */
gboolean aavm_store_dir_write(const AavmStoreDir *dir, const char *name, const char *data,
                              gsize len, gboolean *out_changed, GError **error);

/* The same with another mode (its permission bits only): the copy of a
 * profile keeps the profile's. */
gboolean aavm_store_dir_write_mode(const AavmStoreDir *dir, const char *name, const char *data,
                                   gsize len, mode_t mode, gboolean *out_changed,
                                   GError **error);

/* Remove @name; a missing file is not an error, a refused one is. */
gboolean aavm_store_dir_remove(const AavmStoreDir *dir, const char *name, GError **error);

/* Whether @name is "<@base>." followed by the six letters a temporary
 * file of this module gets: what a killed writer of @base left. */
gboolean aavm_store_dir_is_temporary_of(const char *name, const char *base);

/* Remove the temporary files a killed writer left ("<base>.XXXXXX",
 * regular files only).  Call it only while holding the lock that every
 * writer of @base takes.  Returns how many. */
guint aavm_store_dir_clean_temporaries(const AavmStoreDir *dir, const char *base);

/* Take an exclusive flock() on @name (created 0600 when missing), waiting
 * for other holders.  The lock is taken on the file that is at @name once
 * it is held: when a holder removed it meanwhile (aavm_store_dir_unlock()
 * with @remove), the file is opened again.  Returns the descriptor, or -1
 * with @error set. */
int aavm_store_dir_lock(const AavmStoreDir *dir, const char *name, GError **error);

/* Release the lock on @fd taken on @name; with @remove, first remove the
 * lock file, while still holding it.  A negative @fd does nothing. */
void aavm_store_dir_unlock(const AavmStoreDir *dir, const char *name, int fd, gboolean remove);

/* The compile cache entries of @profile_name: "<@cache_dir>/<d>/<name>"
 * for every directory <d> of @cache_dir (apparmor_parser keeps one a
 * kernel feature set).  Each must be absent or a file this module accepts,
 * and <d> a directory it accepts; the newest mtime goes to @out_newest
 * (*@out_found TRUE when there is one; both may be NULL).  With @create, a
 * missing @cache_dir is made (0755); without, it counts as empty. */
gboolean aavm_store_cache_entries(const char *cache_dir, const char *profile_name,
                                  gboolean create, gboolean *out_found,
                                  struct timespec *out_newest, GError **error);

/* The per-VM lock every writer of a VM's files holds:
 * <@lock_dir>/<@profile_name>.lock, the directory made 0700 when missing.
 * NULL with @error set when it cannot be taken. */
typedef struct AavmStoreLock AavmStoreLock;
AavmStoreLock *aavm_store_lock_take(const char *lock_dir, const char *profile_name,
                                    GError **error);
/* Release it (NULL does nothing); with @remove (-D), remove the lock file
 * first, while holding it. */
void aavm_store_lock_release(AavmStoreLock *lock, gboolean remove);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmStoreDir, aavm_store_dir_free)
