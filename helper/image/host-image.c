/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "host-image.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

static gboolean
fd_read(const AavmImageReader *reader, guint64 offset, void *buf, gsize len, GError **error)
{
    const AavmHostImage *image = reader->data;
    gsize done = 0;

    while (done < len) {
        ssize_t n = pread(image->fd, (char *)buf + done, len - done, (off_t)(offset + done));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return aavm_fail(error, AAVM_ERROR_IO, _("Cannot read the image: %s."),
                             g_strerror(errno));
        if (n == 0)
            return aavm_fail(error, AAVM_ERROR_IO,
                             _("The image became shorter while it was read."));
        done += (gsize)n;
    }
    return TRUE;
}

/* Wrap the open descriptor @fd (taken) of @shown. */
static AavmHostImage *
image_from_fd(int fd, const char *shown, GError **error)
{
    g_autoptr(AavmHostImage) image = g_new0(AavmHostImage, 1);
    struct stat st;

    image->fd = fd;
    if (fstat(fd, &st) < 0) {
        aavm_fail(error, AAVM_ERROR_IO, _("Cannot examine '%s': %s."), shown, g_strerror(errno));
        return NULL;
    }
    image->dev = (guint64)st.st_dev;
    image->ino = (guint64)st.st_ino;
    if (S_ISREG(st.st_mode)) {
        image->reader.size = (guint64)st.st_size;
    } else if (S_ISBLK(st.st_mode)) {
        guint64 size = 0;

        if (ioctl(fd, BLKGETSIZE64, &size) < 0) {
            aavm_fail(error, AAVM_ERROR_IO, _("Cannot get the size of the block device '%s': %s."),
                      shown, g_strerror(errno));
            return NULL;
        }
        image->reader.size = size;
        image->block = TRUE;
    } else {
        aavm_fail(error, AAVM_ERROR_INVALID_IMAGE,
                  _("'%s' is neither a regular file nor a block device."), shown);
        return NULL;
    }
    image->reader.read = fd_read;
    image->reader.data = image;
    return g_steal_pointer(&image);
}

static AavmHostImage *
open_failed(const char *shown, GError **error)
{
    int saved = errno;

    if (saved == ELOOP)
        aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                  _("'%s' became a symbolic link while it was examined."), shown);
    else
        aavm_fail(error, AAVM_ERROR_IO, _("Cannot open '%s': %s."), shown, g_strerror(saved));
    return NULL;
}

AavmHostImage *
aavm_host_image_open(const AavmHost *host, const char *path, GError **error)
{
    /* O_NONBLOCK: a FIFO put in the image's place must not hang us. */
    int fd = aavm_host_open(host, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);

    return fd < 0 ? open_failed(path, error) : image_from_fd(fd, path, error);
}

AavmHostImage *
aavm_host_image_open_file(const char *filename, GError **error)
{
    int fd = open(filename, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    return fd < 0 ? open_failed(filename, error) : image_from_fd(fd, filename, error);
}

void
aavm_host_image_free(AavmHostImage *image)
{
    if (!image)
        return;
    if (image->fd >= 0)
        close(image->fd);
    g_free(image);
}

gboolean
aavm_host_identity(const AavmHost *host, const char *path, guint64 *out_dev, guint64 *out_ino)
{
    int fd = aavm_host_open(host, path, O_PATH);
    struct stat st;
    gboolean ok;

    if (fd < 0)
        return FALSE;
    ok = fstat(fd, &st) == 0;
    close(fd);
    if (ok) {
        *out_dev = (guint64)st.st_dev;
        *out_ino = (guint64)st.st_ino;
    }
    return ok;
}
