/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host-image.h: disk images opened for reading their headers.
 *
 * Only regular files and block devices are opened; reads are positioned
 * (pread) and bounded by the image's size. */
#pragma once

#include <glib.h>

#include "host.h"
#include "image-format.h"

typedef struct {
    AavmImageReader reader; /* reads this image; valid while it is open */
    int fd;
    guint64 dev;            /* st_dev and st_ino: which image this is */
    guint64 ino;
    gboolean block;         /* a block device, not a regular file */
} AavmHostImage;

/* Open the canonical host-absolute @path, not following a final symlink. */
AavmHostImage *aavm_host_image_open(const AavmHost *host, const char *path, GError **error);

/* Open @filename, a path of this process (relative or absolute, symlinks
 * followed): for checking a file named on the command line. */
AavmHostImage *aavm_host_image_open_file(const char *filename, GError **error);

void aavm_host_image_free(AavmHostImage *image);

/* The device and inode of the host path @path (symlinks followed); FALSE
 * when it does not exist. */
gboolean aavm_host_identity(const AavmHost *host, const char *path, guint64 *out_dev,
                            guint64 *out_ino);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmHostImage, aavm_host_image_free)
