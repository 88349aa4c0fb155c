/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-private.h: what the image header readers (image-*.c) share. */
#pragma once

#include <string.h>

#include "image-reader.h"

static inline guint16
aavm_be16(const guint8 *p)
{
    return (guint16)((p[0] << 8) | p[1]);
}

static inline guint32
aavm_be32(const guint8 *p)
{
    return ((guint32)p[0] << 24) | ((guint32)p[1] << 16) | ((guint32)p[2] << 8) | p[3];
}

static inline guint64
aavm_be64(const guint8 *p)
{
    return ((guint64)aavm_be32(p) << 32) | aavm_be32(p + 4);
}

static inline guint32
aavm_le32(const guint8 *p)
{
    return ((guint32)p[3] << 24) | ((guint32)p[2] << 16) | ((guint32)p[1] << 8) | p[0];
}

static inline guint64
aavm_le64(const guint8 *p)
{
    return ((guint64)aavm_le32(p + 4) << 32) | aavm_le32(p);
}

/* Fail with AAVM_ERROR_INVALID_IMAGE: "The <format> header is not valid: ..." */
gboolean aavm_image_invalid(GError **error, AavmImageFormat format, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* A file name recorded in an image (@len bytes at @bytes, not
 * NUL-terminated), as a string: refused when empty (returns TRUE with
 * *@out NULL only if @empty_ok), longer than AAVM_IMAGE_NAME_MAX, or holding
 * a NUL byte or another control character.  @what names it in messages. */
gboolean aavm_image_take_name(const guint8 *bytes, gsize len, AavmImageFormat format,
                              const char *what, gboolean empty_ok, char **out, GError **error);

/* The per-format readers behind aavm_image_read_header(). */
gboolean aavm_image_read_qcow2(const AavmImageReader *reader, AavmImageInfo *info, GError **error);
gboolean aavm_image_read_qed(const AavmImageReader *reader, AavmImageInfo *info, GError **error);
gboolean aavm_image_read_vmdk(const AavmImageReader *reader, AavmImageInfo *info, GError **error);
gboolean aavm_image_read_luks(const AavmImageReader *reader, AavmImageInfo *info, GError **error);
