/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "store.h"

#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
