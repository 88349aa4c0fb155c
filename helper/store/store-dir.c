/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "store-dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-text.h"
#include "store.h"

/* How often a temporary name is drawn before giving up. */
#define TEMP_ATTEMPTS 100
#define TEMP_LETTERS 6

struct AavmStoreDir {
    char *path;
    int fd;
};

struct AavmStoreLock {
    AavmStoreDir *dir;
    char *name;
    int fd;
};

/* @fmt: a whole sentence with a '%s' for the path and one for the reason. */
#define io_fail(error, err, fmt, path) \
    aavm_fail((error), AAVM_ERROR_IO, (fmt), (path), g_strerror(err))

static gboolean
owner_ok(const struct stat *st)
{
    return st->st_uid == 0 || st->st_uid == geteuid();
}

/* Refuse @path, where @st was found, unless it is a regular file with one
 * link owned by root or us.  @st_nlink 0 is accepted: a file removed after
 * it was opened (the lock retries then). */
static gboolean
check_file(const char *path, const struct stat *st, GError **error)
{
    switch (st->st_mode & S_IFMT) {
    case S_IFREG:
        break;
    case S_IFLNK:
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a symbolic link; aavm follows no links in the directories it manages and leaves it as it is."),
                         path);
    case S_IFDIR:
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a directory, not a regular file; aavm leaves it as it is."), path);
    case S_IFIFO:
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a FIFO, not a regular file; aavm leaves it as it is."), path);
    case S_IFSOCK:
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a socket, not a regular file; aavm leaves it as it is."), path);
    case S_IFCHR:
    case S_IFBLK:
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a device node, not a regular file; aavm leaves it as it is."),
                         path);
    default:
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is not a regular file; aavm leaves it as it is."), path);
    }
    if (!owner_ok(st) && geteuid() == 0)
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a file owned by uid %u, not by root; aavm leaves it as it is."),
                         path, (unsigned)st->st_uid);
    if (!owner_ok(st))
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a file owned by uid %u, not by root or uid %u (who runs aavm); aavm leaves it as it is."),
                         path, (unsigned)st->st_uid, (unsigned)geteuid());
    if (st->st_nlink > 1)
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("'%s' is a file with %u links (a hard link to another name); aavm uses only files with one link and leaves it as it is."),
                         path, (unsigned)st->st_nlink);
    return TRUE;
}

static gboolean
check_dir(const char *path, const struct stat *st, GError **error)
{
    if (!S_ISDIR(st->st_mode))
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("The directory '%s' is not a directory."), path);
    if (!owner_ok(st) && geteuid() == 0)
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("The directory '%s' is owned by uid %u, not by root."), path,
                         (unsigned)st->st_uid);
    if (!owner_ok(st))
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("The directory '%s' is owned by uid %u, not by root or uid %u (who runs aavm)."),
                         path, (unsigned)st->st_uid, (unsigned)geteuid());
    if (st->st_mode & S_IWOTH)
        return aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                         _("The directory '%s' is writable by every user; aavm keeps its files only in directories others cannot write."),
                         path);
    return TRUE;
}

static char *
file_path(const AavmStoreDir *dir, const char *name)
{
    return g_build_filename(dir->path, name, NULL);
}

/* Say what is at @name (after an open that failed with @err). */
static gboolean
refuse_open(const AavmStoreDir *dir, const char *name, int err, GError **error)
{
    g_autofree char *path = file_path(dir, name);
    struct stat st;

    if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !check_file(path, &st, error))
        return FALSE;
    return io_fail(error, err, _("Cannot open '%s': %s."), path);
}

GPtrArray *
aavm_store_dir_list(const AavmStoreDir *dir)
{
    int fd = openat(dir->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    struct dirent *entry;

    if (!d) {
        if (fd >= 0)
            close(fd);
        return names;
    }
    while ((entry = readdir(d)))
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            g_ptr_array_add(names, g_strdup(entry->d_name));
    closedir(d);
    return names;
}

gboolean
aavm_store_dir_read_file(const char *path, gsize max, char **out_data, gsize *out_len,
                         GError **error)
{
    g_autofree char *parent = g_path_get_dirname(path);
    g_autofree char *name = g_path_get_basename(path);
    g_autoptr(AavmStoreDir) dir = aavm_store_dir_open(parent, 0, error);

    *out_data = NULL;
    *out_len = 0;
    return dir && aavm_store_dir_read(dir, name, max, NULL, out_data, out_len, error);
}

static void
warn(GPtrArray *warnings, GError *error)
{
    if (warnings)
        g_ptr_array_add(warnings, g_strdup(error->message));
}

void
aavm_store_dir_scan(const char *path, const char *suffix, guint max_files, gsize max_bytes,
                    AavmStoreDirWant want, AavmStoreDirEach each, gpointer data,
                    GPtrArray *warnings)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmStoreDir) dir = NULL;
    g_autoptr(GPtrArray) names = NULL;
    struct stat st;

    if (!path || (lstat(path, &st) < 0 && errno == ENOENT))
        return;
    if (!(dir = aavm_store_dir_open(path, 0, &error))) {
        warn(warnings, error);
        return;
    }
    names = aavm_store_dir_list(dir);
    g_ptr_array_sort(names, aavm_text_compare_indirect);
    for (guint i = 0, taken = 0; i < names->len && taken < max_files; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *text = NULL;
        g_autofree char *file = NULL;
        gsize len = 0;

        if (!g_str_has_suffix(name, suffix) || (want && !want(name, data)))
            continue;
        taken++;
        g_clear_error(&error);
        if (!aavm_store_dir_read(dir, name, max_bytes, NULL, &text, &len, &error)) {
            warn(warnings, error);
            continue;
        }
        file = file_path(dir, name);
        each(name, file, text, len, data);
    }
}

/* @dir from an open descriptor (taken over) of @path, checked. */
static AavmStoreDir *
dir_from_fd(const char *path, int fd, GError **error)
{
    g_autoptr(AavmStoreDir) dir = g_new0(AavmStoreDir, 1);
    struct stat st;

    dir->path = g_strdup(path);
    dir->fd = fd;
    if (fstat(fd, &st) < 0) {
        io_fail(error, errno, _("Cannot open the directory '%s': %s."), path);
        return NULL;
    }
    if (!check_dir(path, &st, error))
        return NULL;
    return g_steal_pointer(&dir);
}

AavmStoreDir *
aavm_store_dir_open(const char *path, mode_t create_mode, GError **error)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;

    if (fd < 0 && errno == ENOENT && create_mode) {
        g_autofree char *parent = g_path_get_dirname(path);
        if (g_mkdir_with_parents(parent, 0755) < 0 ||
            (mkdir(path, create_mode) < 0 && errno != EEXIST)) {
            io_fail(error, errno, _("Cannot create the directory '%s': %s."), path);
            return NULL;
        }
        fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
        int err = errno;
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
            aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                      _("The directory '%s' is a symbolic link; aavm follows no links to the directories it manages."),
                      path);
        else if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode))
            aavm_fail(error, AAVM_ERROR_UNSAFE_FILE, _("The directory '%s' is not a directory."),
                      path);
        else
            io_fail(error, err, _("Cannot open the directory '%s': %s."), path);
        return NULL;
    }
    return dir_from_fd(path, fd, error);
}

void
aavm_store_dir_free(AavmStoreDir *dir)
{
    if (!dir)
        return;
    if (dir->fd >= 0)
        close(dir->fd);
    g_free(dir->path);
    g_free(dir);
}

const char *
aavm_store_dir_path(const AavmStoreDir *dir)
{
    return dir->path;
}

gboolean
aavm_store_dir_stat(const AavmStoreDir *dir, const char *name, gboolean *out_exists,
                    struct stat *out_st, GError **error)
{
    g_autofree char *path = file_path(dir, name);
    struct stat st;

    *out_exists = FALSE;
    if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT)
            return TRUE;
        return io_fail(error, errno, _("Cannot open '%s': %s."), path);
    }
    if (!check_file(path, &st, error))
        return FALSE;
    *out_exists = TRUE;
    if (out_st)
        *out_st = st;
    return TRUE;
}

/* Open @name for reading and check it on the descriptor: -1 with
 * *@out_exists FALSE when it is missing, -1 with @error when refused. */
static int
open_checked(const AavmStoreDir *dir, const char *name, gboolean *out_exists, GError **error)
{
    g_autofree char *path = file_path(dir, name);
    struct stat st;
    int fd;

    *out_exists = FALSE;
    /* O_NONBLOCK: a FIFO must not hang the open; regular files ignore it. */
    fd = openat(dir->fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT)
            return -1;
        refuse_open(dir, name, errno, error);
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        io_fail(error, errno, _("Cannot open '%s': %s."), path);
        close(fd);
        return -1;
    }
    if (!check_file(path, &st, error)) {
        close(fd);
        return -1;
    }
    *out_exists = TRUE;
    return fd;
}

gboolean
aavm_store_dir_read(const AavmStoreDir *dir, const char *name, gsize max, gboolean *out_exists,
                    char **out_data, gsize *out_len, GError **error)
{
    gboolean exists = FALSE;
    GError *local = NULL;
    int fd = open_checked(dir, name, &exists, &local);

    *out_data = NULL;
    *out_len = 0;
    if (out_exists)
        *out_exists = exists;
    if (local) {
        g_propagate_error(error, local);
        return FALSE;
    }
    if (!exists) {
        if (out_exists)
            return TRUE;
        g_autofree char *path = file_path(dir, name);
        return io_fail(error, ENOENT, _("Cannot open '%s': %s."), path);
    }
    gboolean ok = aavm_store_read_fd(fd, max, out_data, out_len, error);
    close(fd);
    if (!ok) {
        g_autofree char *path = file_path(dir, name);
        g_prefix_error(error, "%s: ", path);
    }
    return ok;
}

gboolean
aavm_store_dir_read_input(const AavmStoreDir *dir, const char *name, gsize max,
                          gboolean *out_exists, char **out_data, gsize *out_len, GError **error)
{
    g_autofree char *path = file_path(dir, name);
    struct stat st;
    int fd;

    if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISLNK(st.st_mode))
        return aavm_store_dir_read(dir, name, max, out_exists, out_data, out_len, error);
    /* A link (a package's layout): what it leads to is checked on the
     * descriptor, as any file aavm reads. */
    *out_data = NULL;
    *out_len = 0;
    *out_exists = FALSE;
    fd = openat(dir->fd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return io_fail(error, errno, _("Cannot open '%s': %s."), path);
    gboolean ok = fstat(fd, &st) == 0 || io_fail(error, errno, _("Cannot open '%s': %s."), path);
    ok = ok && check_file(path, &st, error);
    if (ok && (st.st_mode & S_IWOTH))
        ok = aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                       _("'%s' leads to a file every user can write; aavm leaves it as it is."),
                       path);
    /* What aavm reads this way ends up in files every user can read. */
    if (ok && !(st.st_mode & S_IROTH))
        ok = aavm_fail(error, AAVM_ERROR_UNSAFE_FILE,
                       _("'%s' leads to a file not every user can read; aavm copies it only into files every user can read, so it leaves it as it is."),
                       path);
    if (ok && !aavm_store_read_fd(fd, max, out_data, out_len, error)) {
        g_prefix_error(error, "%s: ", path);
        ok = FALSE;
    }
    close(fd);
    *out_exists = ok;
    return ok;
}

static gboolean
write_all(int fd, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return FALSE;
        data += n;
        len -= (gsize)n;
    }
    return TRUE;
}

/* "<name>.XXXXXX", created O_EXCL (never an existing file or link). */
static int
create_temporary(const AavmStoreDir *dir, const char *name, char **out_tmp)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
        GString *tmp = g_string_new(name);
        g_string_append_c(tmp, '.');
        for (int i = 0; i < TEMP_LETTERS; i++)
            g_string_append_c(tmp, letters[g_random_int_range(0, sizeof(letters) - 1)]);
        int fd = openat(dir->fd, tmp->str,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd >= 0) {
            *out_tmp = g_string_free(tmp, FALSE);
            return fd;
        }
        g_string_free(tmp, TRUE);
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

gboolean
aavm_store_dir_write(const AavmStoreDir *dir, const char *name, const char *data, gsize len,
                     gboolean *out_changed, GError **error)
{
    return aavm_store_dir_write_mode(dir, name, data, len, 0644, out_changed, error);
}

gboolean
aavm_store_dir_write_mode(const AavmStoreDir *dir, const char *name, const char *data,
                          gsize len, mode_t mode, gboolean *out_changed, GError **error)
{
    g_autofree char *path = file_path(dir, name);
    g_autofree char *old = NULL;
    g_autofree char *tmp = NULL;
    gboolean exists = FALSE;
    gsize old_len = 0;
    int fd;

    if (out_changed)
        *out_changed = TRUE;
    /* What is there now must be ours to replace; compare from the same
     * descriptor. */
    if (out_changed) {
        if (!aavm_store_dir_read(dir, name, AAVM_STORE_FILE_MAX, &exists, &old, &old_len, error))
            return FALSE;
        if (exists && old_len == len && memcmp(old, data, len) == 0) {
            *out_changed = FALSE;
            return TRUE;
        }
    } else if (!aavm_store_dir_stat(dir, name, &exists, NULL, error)) {
        return FALSE;
    }

    if ((fd = create_temporary(dir, name, &tmp)) < 0)
        return io_fail(error, errno, _("Cannot create a temporary file for '%s': %s."), path);
    if (fchmod(fd, mode & 0777) < 0 || !write_all(fd, data, len) || fsync(fd) < 0) {
        int saved = errno;
        close(fd);
        unlinkat(dir->fd, tmp, 0);
        g_autofree char *tmp_path = file_path(dir, tmp);
        return io_fail(error, saved, _("Cannot write '%s': %s."), tmp_path);
    }
    if (close(fd) < 0 || renameat(dir->fd, tmp, dir->fd, name) < 0) {
        int saved = errno;
        unlinkat(dir->fd, tmp, 0);
        return io_fail(error, saved, _("Cannot replace '%s': %s."), path);
    }
    fsync(dir->fd);
    return TRUE;
}

gboolean
aavm_store_dir_remove(const AavmStoreDir *dir, const char *name, GError **error)
{
    gboolean exists = FALSE;

    if (!aavm_store_dir_stat(dir, name, &exists, NULL, error))
        return FALSE;
    if (exists && unlinkat(dir->fd, name, 0) < 0 && errno != ENOENT) {
        g_autofree char *path = file_path(dir, name);
        return io_fail(error, errno, _("Cannot remove '%s': %s."), path);
    }
    if (exists)
        fsync(dir->fd);
    return TRUE;
}

gboolean
aavm_store_dir_is_temporary_of(const char *name, const char *base)
{
    gsize n = strlen(base);

    if (strncmp(name, base, n) != 0 || name[n] != '.' || strlen(name + n + 1) != TEMP_LETTERS)
        return FALSE;
    for (const char *p = name + n + 1; *p; p++) {
        if (!g_ascii_isalnum(*p))
            return FALSE;
    }
    return TRUE;
}

guint
aavm_store_dir_clean_temporaries(const AavmStoreDir *dir, const char *base)
{
    g_autoptr(GPtrArray) names = aavm_store_dir_list(dir);
    guint removed = 0;

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        struct stat st;
        /* Only what a writer of ours can have left: a regular file of ours. */
        if (aavm_store_dir_is_temporary_of(name, base) &&
            fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            owner_ok(&st) && unlinkat(dir->fd, name, 0) == 0)
            removed++;
    }
    return removed;
}

gboolean
aavm_store_cache_entries(const char *cache_dir, const char *profile_name, gboolean create,
                         gboolean *out_found, struct timespec *out_newest, GError **error)
{
    g_autoptr(AavmStoreDir) dir = NULL;
    g_autoptr(GPtrArray) names = NULL;
    gboolean found = FALSE;
    struct stat st;

    if (out_found)
        *out_found = FALSE;
    if (!create && lstat(cache_dir, &st) < 0 && errno == ENOENT)
        return TRUE;
    if (!(dir = aavm_store_dir_open(cache_dir, create ? 0755 : 0, error)))
        return FALSE;
    names = aavm_store_dir_list(dir);
    g_ptr_array_sort(names, aavm_text_compare_indirect);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = file_path(dir, name);
        g_autoptr(AavmStoreDir) sub = NULL;
        gboolean exists = FALSE;

        if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
            !(S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)))
            continue; /* gone, or a file the parser keeps beside its directories */
        if (S_ISLNK(st.st_mode))
            return check_file(path, &st, error);
        int fd = openat(dir->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        /* The parser makes them 0700: a user other than root (aavm status)
         * cannot look, nor could a parser run as that user. */
        if (fd < 0 && errno == EACCES && !create)
            continue;
        if (fd < 0)
            return io_fail(error, errno, _("Cannot open the directory '%s': %s."), path);
        if (!(sub = dir_from_fd(path, fd, error)) ||
            !aavm_store_dir_stat(sub, profile_name, &exists, &st, error))
            return FALSE;
        if (!exists)
            continue;
        if (out_newest && (!found || st.st_mtim.tv_sec > out_newest->tv_sec ||
                           (st.st_mtim.tv_sec == out_newest->tv_sec &&
                            st.st_mtim.tv_nsec > out_newest->tv_nsec)))
            *out_newest = st.st_mtim;
        found = TRUE;
    }
    if (out_found)
        *out_found = found;
    return TRUE;
}

/* Whether @fd is still the file at @name (not removed or replaced). */
static gboolean
is_at_name(const AavmStoreDir *dir, const char *name, int fd)
{
    struct stat held;
    struct stat there;

    return fstat(fd, &held) == 0 &&
           fstatat(dir->fd, name, &there, AT_SYMLINK_NOFOLLOW) == 0 &&
           held.st_dev == there.st_dev && held.st_ino == there.st_ino;
}

int
aavm_store_dir_lock(const AavmStoreDir *dir, const char *name, GError **error)
{
    g_autofree char *path = file_path(dir, name);

    for (;;) {
        struct stat st;
        int fd = openat(dir->fd, name,
                        O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);

        if (fd < 0) {
            refuse_open(dir, name, errno, error);
            return -1;
        }
        if (fstat(fd, &st) < 0) {
            io_fail(error, errno, _("Cannot open the lock file '%s': %s."), path);
            close(fd);
            return -1;
        }
        if (st.st_nlink > 0 && !check_file(path, &st, error)) {
            close(fd);
            return -1;
        }
        while (st.st_nlink > 0 && flock(fd, LOCK_EX) < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            close(fd);
            io_fail(error, saved, _("Cannot lock '%s': %s."), path);
            return -1;
        }
        /* A holder may have removed (-D) the file while we waited: the
         * lock is only good on the file that is at @name now. */
        if (st.st_nlink > 0 && is_at_name(dir, name, fd))
            return fd;
        close(fd);
    }
}

void
aavm_store_dir_unlock(const AavmStoreDir *dir, const char *name, int fd, gboolean remove)
{
    if (fd < 0)
        return;
    /* Removed while held: a waiter wakes up, finds the name gone or another
     * file there, and opens again. */
    if (remove && is_at_name(dir, name, fd) && unlinkat(dir->fd, name, 0) == 0)
        fsync(dir->fd);
    close(fd); /* releases the flock */
}

AavmStoreLock *
aavm_store_lock_take(const char *lock_dir, const char *profile_name, GError **error)
{
    g_autoptr(AavmStoreDir) dir = aavm_store_dir_open(lock_dir, 0700, error);
    g_autofree char *name = g_strconcat(profile_name, ".lock", NULL);
    int fd;

    if (!dir || (fd = aavm_store_dir_lock(dir, name, error)) < 0)
        return NULL;
    AavmStoreLock *lock = g_new0(AavmStoreLock, 1);
    lock->dir = g_steal_pointer(&dir);
    lock->name = g_steal_pointer(&name);
    lock->fd = fd;
    return lock;
}

void
aavm_store_lock_release(AavmStoreLock *lock, gboolean remove)
{
    if (!lock)
        return;
    aavm_store_dir_unlock(lock->dir, lock->name, lock->fd, remove);
    aavm_store_dir_free(lock->dir);
    g_free(lock->name);
    g_free(lock);
}
