/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "store.h"

#include <inttypes.h>

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

static gboolean
write_atomic_mode(const char *path, const char *data, gsize len, mode_t mode, GError **error)
{
    g_autofree char *tmp = g_strconcat(path, ".XXXXXX", NULL);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);

    if (fd < 0)
        return io_fail(error, errno, _("Cannot create a temporary file for '%s': %s."), path);
    if (fchmod(fd, mode) < 0 || !write_all(fd, data, len) || fsync(fd) < 0) {
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
aavm_store_write_atomic(const char *path, const char *data, gsize len, GError **error)
{
    return write_atomic_mode(path, data, len, 0644, error);
}

gboolean
aavm_store_keep_copy(const char *path, const char *copy_path, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;
    struct stat st;

    if (lstat(path, &st) < 0)
        return io_fail(error, errno, _("Cannot open '%s': %s."), path);
    if (!S_ISREG(st.st_mode))
        return aavm_fail(error, AAVM_ERROR_IO, _("'%s' is not a regular file."), path);
    if (!aavm_store_read(path, AAVM_STORE_FILE_MAX, &data, &len, error))
        return FALSE;
    return write_atomic_mode(copy_path, data, len, st.st_mode & 0777, error);
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

/* "<base>." followed by the six characters mkstemp() chose. */
static gboolean
is_temporary_of(const char *name, const char *base)
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
        if (!is_temporary_of(name, base))
            continue;
        g_autofree char *full = g_build_filename(dir, name, NULL);
        if (g_unlink(full) == 0)
            removed++;
    }
    return removed;
}
