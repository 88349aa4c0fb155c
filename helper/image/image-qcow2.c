/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-qcow2.c: the qcow2 header (versions 2 and 3): virtual size,
 * backing file and its format, external data file, encryption.
 *
 * Layout (big-endian), from QEMU's docs/interop/qcow2.txt: the fixed header
 * (72 bytes in v2, header_length >= 104 in v3), then header extensions
 * (type, length, data padded to 8 bytes) up to the backing file name or the
 * end of the first cluster, and the backing file name itself inside the
 * first cluster. */
#include "image-private.h"

#include <inttypes.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

#define QCOW2_MAGIC 0x514649fbU
#define QCOW2_V2_HEADER 72
#define QCOW2_V3_HEADER 104
#define QCOW2_MIN_CLUSTER_BITS 9
#define QCOW2_MAX_CLUSTER_BITS 21
#define QCOW2_BACKING_NAME_MAX 1023 /* QEMU refuses longer names */
#define QCOW2_FORMAT_NAME_MAX 15    /* QEMU's backing format buffer */

#define QCOW2_EXT_END 0x00000000U
#define QCOW2_EXT_BACKING_FORMAT 0xe2792acaU
#define QCOW2_EXT_DATA_FILE 0x44415441U

#define QCOW2_INCOMPAT_DIRTY (G_GUINT64_CONSTANT(1) << 0)
#define QCOW2_INCOMPAT_CORRUPT (G_GUINT64_CONSTANT(1) << 1)
#define QCOW2_INCOMPAT_DATA_FILE (G_GUINT64_CONSTANT(1) << 2)
#define QCOW2_INCOMPAT_COMPRESSION (G_GUINT64_CONSTANT(1) << 3)
#define QCOW2_INCOMPAT_EXTL2 (G_GUINT64_CONSTANT(1) << 4)
#define QCOW2_INCOMPAT_KNOWN (QCOW2_INCOMPAT_DIRTY | QCOW2_INCOMPAT_CORRUPT | \
                              QCOW2_INCOMPAT_DATA_FILE | QCOW2_INCOMPAT_COMPRESSION | \
                              QCOW2_INCOMPAT_EXTL2)

typedef struct {
    guint32 version;
    guint64 backing_offset;
    guint32 backing_size;
    guint32 cluster_bits;
    guint64 size;
    guint32 crypt_method;
    guint64 incompatible;
    guint32 header_length;
} Qcow2Header;

static gboolean
read_fixed_header(const AavmImageReader *reader, Qcow2Header *h, GError **error)
{
    guint8 buf[QCOW2_V3_HEADER];

    if (!aavm_image_read(reader, 0, buf, QCOW2_V2_HEADER, _("qcow2 header"), error))
        return FALSE;
    if (aavm_be32(buf) != QCOW2_MAGIC)
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("the image does not start with the qcow2 signature."));
    h->version = aavm_be32(buf + 4);
    if (h->version != 2 && h->version != 3)
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("version %u is not 2 or 3."), h->version);
    h->backing_offset = aavm_be64(buf + 8);
    h->backing_size = aavm_be32(buf + 16);
    h->cluster_bits = aavm_be32(buf + 20);
    h->size = aavm_be64(buf + 24);
    h->crypt_method = aavm_be32(buf + 32);
    h->incompatible = 0;
    h->header_length = QCOW2_V2_HEADER;
    if (h->cluster_bits < QCOW2_MIN_CLUSTER_BITS || h->cluster_bits > QCOW2_MAX_CLUSTER_BITS)
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("the cluster size of 2^%u bytes is outside 2^%d to 2^%d."),
                                  h->cluster_bits, QCOW2_MIN_CLUSTER_BITS, QCOW2_MAX_CLUSTER_BITS);
    if (h->crypt_method > 2)
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("the encryption method %u is unknown."), h->crypt_method);
    if (h->version == 2)
        return TRUE;

    if (!aavm_image_read(reader, QCOW2_V2_HEADER, buf + QCOW2_V2_HEADER,
                         QCOW2_V3_HEADER - QCOW2_V2_HEADER, _("qcow2 version 3 header"), error))
        return FALSE;
    h->incompatible = aavm_be64(buf + 72);
    h->header_length = aavm_be32(buf + 100);
    if (h->header_length < QCOW2_V3_HEADER || h->header_length % 8 != 0 ||
        h->header_length > (1U << h->cluster_bits))
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("the header length %u is not a multiple of 8 between %d and the cluster size."),
                                  h->header_length, QCOW2_V3_HEADER);
    if (h->incompatible & ~QCOW2_INCOMPAT_KNOWN)
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("it needs unknown incompatible features (0x%" PRIx64 ")."),
                                  h->incompatible & ~QCOW2_INCOMPAT_KNOWN);
    return TRUE;
}

/* One header extension's data. */
static gboolean
take_extension(guint32 type, const guint8 *data, guint32 len, AavmImageInfo *info,
               GError **error)
{
    switch (type) {
    case QCOW2_EXT_BACKING_FORMAT:
        if (len > QCOW2_FORMAT_NAME_MAX)
            return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("its backing format name is %u bytes long (at most %d are accepted)."),
                                      len, QCOW2_FORMAT_NAME_MAX);
        g_free(info->backing_format);
        return aavm_image_take_name(data, len, AAVM_IMAGE_QCOW2, _("backing format name"), FALSE,
                                    &info->backing_format, error);
    case QCOW2_EXT_DATA_FILE:
        g_free(info->data_file);
        return aavm_image_take_name(data, len, AAVM_IMAGE_QCOW2, _("external data file name"),
                                    FALSE, &info->data_file, error);
    default:
        return TRUE; /* feature names, bitmaps, encryption, ...: nothing to grant */
    }
}

/* The header extensions between the header and @end. */
static gboolean
read_extensions(const AavmImageReader *reader, const Qcow2Header *h, guint64 end,
                AavmImageInfo *info, GError **error)
{
    guint64 start = h->header_length;
    g_autofree guint8 *area = NULL;
    gsize area_len;
    gsize pos = 0;

    if (end <= start)
        return TRUE;
    /* Extensions are read from one bounded area: what lies inside the first
     * cluster, inside the file, and within AAVM_IMAGE_AREA_MAX. */
    end = MIN(end, reader->size);
    area_len = (gsize)MIN(end - MIN(end, start), (guint64)AAVM_IMAGE_AREA_MAX);
    area = g_malloc(area_len + 1);
    if (!aavm_image_read(reader, start, area, area_len, _("qcow2 header extensions"), error))
        return FALSE;

    for (;;) {
        guint32 type, len;

        if (area_len - pos < 8) {
            if (start + pos >= end)
                return TRUE; /* the area ended without an end marker, as QEMU allows */
            return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("its header extensions run past the %d bytes aavm reads."),
                                      AAVM_IMAGE_AREA_MAX);
        }
        type = aavm_be32(area + pos);
        len = aavm_be32(area + pos + 4);
        pos += 8;
        if (type == QCOW2_EXT_END)
            return TRUE;
        if (len > area_len - pos)
            return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("header extension 0x%08x of %u bytes runs past the header area."),
                                      type, len);
        if (!take_extension(type, area + pos, len, info, error))
            return FALSE;
        pos += len;
        pos += (8 - pos % 8) % 8; /* padding */
        if (pos > area_len)
            pos = area_len;
    }
}

static gboolean
read_backing_name(const AavmImageReader *reader, const Qcow2Header *h, AavmImageInfo *info,
                  GError **error)
{
    guint8 name[QCOW2_BACKING_NAME_MAX];

    if (h->backing_offset == 0)
        return TRUE;
    if (h->backing_offset > (1ULL << h->cluster_bits) ||
        h->backing_offset < h->header_length)
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("the backing file name at offset %" PRIu64 " is not inside the first cluster after the header."),
                                  h->backing_offset);
    if (h->backing_size > QCOW2_BACKING_NAME_MAX ||
        h->backing_offset + h->backing_size > (1ULL << h->cluster_bits))
        return aavm_image_invalid(error, AAVM_IMAGE_QCOW2, _("the backing file name is %u bytes long (at most %d are accepted, inside the first cluster)."),
                                  h->backing_size, QCOW2_BACKING_NAME_MAX);
    if (!aavm_image_read(reader, h->backing_offset, name, h->backing_size,
                         _("backing file name"), error))
        return FALSE;
    return aavm_image_take_name(name, h->backing_size, AAVM_IMAGE_QCOW2, _("backing file name"),
                                TRUE, &info->backing, error);
}

gboolean
aavm_image_read_qcow2(const AavmImageReader *reader, AavmImageInfo *info, GError **error)
{
    Qcow2Header h;
    guint64 ext_end;

    if (!read_fixed_header(reader, &h, error))
        return FALSE;
    info->version = h.version;
    info->virtual_size = h.size;
    info->encrypted = h.crypt_method != 0;
    info->data_file_needed = (h.incompatible & QCOW2_INCOMPAT_DATA_FILE) != 0;

    ext_end = h.backing_offset ? h.backing_offset : 1ULL << h.cluster_bits;
    if (!read_extensions(reader, &h, ext_end, info, error) ||
        !read_backing_name(reader, &h, info, error))
        return FALSE;
    if (!info->backing)
        g_clear_pointer(&info->backing_format, g_free);
    /* QEMU ignores a data file name unless the feature bit says the data
     * is outside; so do we. */
    if (!info->data_file_needed)
        g_clear_pointer(&info->data_file, g_free);
    return TRUE;
}
