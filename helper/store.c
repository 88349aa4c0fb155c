/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "store.h"

#include <inttypes.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

#define READ_CHUNK 65536

/* @fmt: a whole sentence with a '%s' for the path and one for the reason. */
#define io_fail(error, err, fmt, path) \
    aavm_fail((error), AAVM_ERROR_IO, (fmt), (path), g_strerror(err))

gboolean
aavm_store_read_fd(int fd, gsize max, char **out_data, gsize *out_len, GError **error)
{
    g_autoptr(GByteArray) buf = g_byte_array_new();
    guint8 chunk[READ_CHUNK];

    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return aavm_fail(error, AAVM_ERROR_IO, _("Cannot read the input: %s."),
                             g_strerror(errno));
        if (n == 0)
            break;
        if (buf->len + (gsize)n > max)
            return aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                             _("The input is larger than %zu bytes."), max);
        g_byte_array_append(buf, chunk, (guint)n);
    }
    *out_len = buf->len;
    g_byte_array_append(buf, (const guint8 *)"", 1);
    *out_data = (char *)g_byte_array_free(g_steal_pointer(&buf), FALSE);
    return TRUE;
}

gboolean
aavm_store_read(const char *path, gsize max, char **out_data, gsize *out_len,
                GError **error)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

    if (fd < 0)
        return io_fail(error, errno, _("Cannot open '%s': %s."), path);
    gboolean ok = aavm_store_read_fd(fd, max, out_data, out_len, error);
    close(fd);
    if (!ok)
        g_prefix_error(error, "%s: ", path);
    return ok;
}

gssize
aavm_store_size(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0)
        return -1;
    return (gssize)st.st_size;
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

static void
sync_parent(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

gboolean
aavm_store_write_atomic(const char *path, const char *data, gsize len, GError **error)
{
    g_autofree char *tmp = g_strconcat(path, ".XXXXXX", NULL);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);

    if (fd < 0)
        return io_fail(error, errno, _("Cannot create a temporary file for '%s': %s."), path);
    if (fchmod(fd, 0644) < 0 || !write_all(fd, data, len) || fsync(fd) < 0) {
        int saved = errno;
        close(fd);
        g_unlink(tmp);
        return io_fail(error, saved, _("Cannot write '%s': %s."), tmp);
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        int saved = errno;
        g_unlink(tmp);
        return io_fail(error, saved, _("Cannot replace '%s': %s."), path);
    }
    sync_parent(path);
    return TRUE;
}

gboolean
aavm_store_write_if_changed(const char *path, const char *data, gsize len,
                            gboolean *out_changed, GError **error)
{
    g_autofree char *old = NULL;
    gsize old_len = 0;
    gssize size = aavm_store_size(path);

    if (size == (gssize)len && aavm_store_read(path, AAVM_STORE_FILE_MAX, &old, &old_len, NULL) &&
        old_len == len && memcmp(old, data, len) == 0) {
        if (out_changed)
            *out_changed = FALSE;
        return TRUE;
    }
    if (out_changed)
        *out_changed = TRUE;
    return aavm_store_write_atomic(path, data, len, error);
}

gboolean
aavm_store_remove(const char *path, GError **error)
{
    if (g_unlink(path) < 0 && errno != ENOENT)
        return io_fail(error, errno, _("Cannot remove '%s': %s."), path);
    return TRUE;
}

int
aavm_store_lock(const char *path, GError **error)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);

    if (fd < 0) {
        io_fail(error, errno, _("Cannot open the lock file '%s': %s."), path);
        return -1;
    }
    while (flock(fd, LOCK_EX) < 0) {
        if (errno == EINTR)
            continue;
        int saved = errno;
        close(fd);
        io_fail(error, saved, _("Cannot lock '%s': %s."), path);
        return -1;
    }
    return fd;
}

void
aavm_store_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}

gboolean
aavm_store_is_temporary_of(const char *name, const char *base)
{
    gsize n = strlen(base);

    if (strncmp(name, base, n) != 0 || name[n] != '.' || strlen(name + n + 1) != 6)
        return FALSE;
    for (const char *p = name + n + 1; *p; p++) {
        if (!g_ascii_isalnum(*p))
            return FALSE;
    }
    return TRUE;
}

guint
aavm_store_clean_temporaries(const char *path)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    const char *name;
    guint removed = 0;

    if (!d)
        return 0;
    while ((name = g_dir_read_name(d))) {
        if (!aavm_store_is_temporary_of(name, base))
            continue;
        g_autofree char *full = g_build_filename(dir, name, NULL);
        if (g_unlink(full) == 0)
            removed++;
    }
    return removed;
}

void
aavm_store_entry_free(AavmStoreEntry *entry)
{
    if (!entry)
        return;
    g_free(entry->name);
    g_free(entry);
}

/* Open the directory holding the last component of @rel, below @dir,
 * following no link among @rel's components; -1 with errno set. *@out_last
 * points into @rel at that last component. */
static int
open_parent_at(const char *dir, const char *rel, const char **out_last)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *p = rel;
    const char *slash;

    while (fd >= 0 && (slash = strchr(p, '/'))) {
        g_autofree char *component = g_strndup(p, (gsize)(slash - p));
        int next = -1;
        if (*component && strcmp(component, "..") != 0)
            next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        else
            errno = EINVAL;
        int saved = errno;
        close(fd);
        errno = saved;
        fd = next;
        p = slash + 1;
    }
    if (fd >= 0 && (!*p || strcmp(p, "..") == 0)) {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    *out_last = p;
    return fd;
}

static AavmStoreKind
kind_at(int dirfd, const char *name)
{
    struct stat st;

    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? AAVM_STORE_MISSING : AAVM_STORE_OTHER;
    if (S_ISREG(st.st_mode))
        return AAVM_STORE_REGULAR;
    return S_ISDIR(st.st_mode) ? AAVM_STORE_DIRECTORY : AAVM_STORE_OTHER;
}

AavmStoreKind
aavm_store_kind(const char *dir, const char *rel)
{
    const char *last = NULL;
    int fd = open_parent_at(dir, rel, &last);

    if (fd < 0)
        return errno == ENOENT ? AAVM_STORE_MISSING : AAVM_STORE_OTHER;
    AavmStoreKind kind = kind_at(fd, last);
    close(fd);
    return kind;
}

static gint
compare_entries(gconstpointer a, gconstpointer b)
{
    return strcmp((*(AavmStoreEntry *const *)a)->name, (*(AavmStoreEntry *const *)b)->name);
}

GPtrArray *
aavm_store_list(const char *dir, const char *sub, guint max, GError **error)
{
    g_autofree char *rel = sub ? g_strconcat(sub, "/.", NULL) : g_strdup(".");
    g_autofree char *shown = sub ? g_build_filename(dir, sub, NULL) : g_strdup(dir);
    g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_store_entry_free);
    const char *last = NULL;
    int fd = open_parent_at(dir, rel, &last);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *de;

    if (!d) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        io_fail(error, saved, _("Cannot list the directory '%s': %s."), shown);
        return NULL;
    }
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (entries->len >= max) {
            closedir(d);
            aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                      _("The directory '%s' has more than %u entries."), shown, max);
            return NULL;
        }
        AavmStoreEntry *entry = g_new0(AavmStoreEntry, 1);
        entry->name = sub ? g_strconcat(sub, "/", de->d_name, NULL) : g_strdup(de->d_name);
        entry->kind = kind_at(dirfd(d), de->d_name);
        g_ptr_array_add(entries, entry);
    }
    closedir(d);
    g_ptr_array_sort(entries, compare_entries);
    return g_steal_pointer(&entries);
}

gboolean
aavm_store_read_nofollow(const char *dir, const char *rel, gsize max, char **out_data,
                         gsize *out_len, GError **error)
{
    g_autofree char *path = g_build_filename(dir, rel, NULL);
    const char *last = NULL;
    int parent = open_parent_at(dir, rel, &last);
    int fd = parent >= 0 ? openat(parent, last, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW |
                                                    O_NONBLOCK)
                         : -1;
    struct stat st;
    int saved = errno;

    if (parent >= 0)
        close(parent);
    if (fd < 0)
        return io_fail(error, saved, _("Cannot open '%s': %s."), path);
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return aavm_fail(error, AAVM_ERROR_IO, _("'%s' is not a regular file."), path);
    }
    gboolean ok = aavm_store_read_fd(fd, max, out_data, out_len, error);
    close(fd);
    if (!ok)
        g_prefix_error(error, "%s: ", path);
    return ok;
}

gboolean
aavm_store_remove_regular(const char *dir, const char *rel, GError **error)
{
    g_autofree char *path = g_build_filename(dir, rel, NULL);
    const char *last = NULL;
    int fd = open_parent_at(dir, rel, &last);

    if (fd < 0 && errno == ENOENT)
        return TRUE;
    if (fd < 0)
        return io_fail(error, errno, _("Cannot remove '%s': %s."), path);
    AavmStoreKind kind = kind_at(fd, last);
    gboolean ok = TRUE;
    if (kind == AAVM_STORE_REGULAR && unlinkat(fd, last, 0) < 0 && errno != ENOENT)
        ok = io_fail(error, errno, _("Cannot remove '%s': %s."), path);
    else if (kind != AAVM_STORE_REGULAR && kind != AAVM_STORE_MISSING)
        ok = aavm_fail(error, AAVM_ERROR_IO,
                       _("Not removing '%s': it is not a regular file (a symbolic link?)."), path);
    close(fd);
    return ok;
}
