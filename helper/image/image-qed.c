/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-qed.c: the QED header: virtual size and backing file.
 *
 * Layout (little-endian), from QEMU's QED specification: magic, cluster
 * size, table size, header size (in clusters), features, compat and
 * autoclear features, L1 table offset, image size, backing file name
 * offset and size.  QED records no backing format, only a flag saying the
 * backing file is raw. */
#include "image-private.h"

#include <inttypes.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

#define QED_MAGIC 0x00444551U /* "QED\0" */
#define QED_HEADER 64
#define QED_MIN_CLUSTER (4U * 1024)
#define QED_MAX_CLUSTER (64U * 1024 * 1024)
#define QED_MAX_TABLE 16
#define QED_BACKING_NAME_MAX 1023 /* QEMU's buffer holds 1023 bytes and a NUL */

#define QED_F_BACKING_FILE (G_GUINT64_CONSTANT(1) << 0)
#define QED_F_NEED_CHECK (G_GUINT64_CONSTANT(1) << 1)
#define QED_F_BACKING_FORMAT_NO_PROBE (G_GUINT64_CONSTANT(1) << 2)
#define QED_F_KNOWN (QED_F_BACKING_FILE | QED_F_NEED_CHECK | QED_F_BACKING_FORMAT_NO_PROBE)

static gboolean
power_of_two_between(guint64 value, guint64 min, guint64 max)
{
    return value >= min && value <= max && (value & (value - 1)) == 0;
}

gboolean
aavm_image_read_qed(const AavmImageReader *reader, AavmImageInfo *info, GError **error)
{
    guint8 h[QED_HEADER];
    guint8 name[QED_BACKING_NAME_MAX];
    guint32 cluster_size, table_size, header_size, name_offset, name_size;
    guint64 features;

    if (!aavm_image_read(reader, 0, h, sizeof(h), _("QED header"), error))
        return FALSE;
    if (aavm_le32(h) != QED_MAGIC)
        return aavm_image_invalid(error, AAVM_IMAGE_QED, _("the image does not start with the QED signature."));
    cluster_size = aavm_le32(h + 4);
    table_size = aavm_le32(h + 8);
    header_size = aavm_le32(h + 12);
    features = aavm_le64(h + 16);
    info->virtual_size = aavm_le64(h + 48);
    name_offset = aavm_le32(h + 56);
    name_size = aavm_le32(h + 60);

    if (!power_of_two_between(cluster_size, QED_MIN_CLUSTER, QED_MAX_CLUSTER))
        return aavm_image_invalid(error, AAVM_IMAGE_QED, _("the cluster size %u is not a power of two between %u and %u."),
                                  cluster_size, QED_MIN_CLUSTER, QED_MAX_CLUSTER);
    if (!power_of_two_between(table_size, 1, QED_MAX_TABLE))
        return aavm_image_invalid(error, AAVM_IMAGE_QED, _("the table size %u is not a power of two between 1 and %d."),
                                  table_size, QED_MAX_TABLE);
    if (header_size == 0 || (guint64)header_size * cluster_size > G_MAXUINT32)
        return aavm_image_invalid(error, AAVM_IMAGE_QED, _("the header size of %u clusters is out of range."), header_size);
    if (features & ~QED_F_KNOWN)
        return aavm_image_invalid(error, AAVM_IMAGE_QED, _("it needs unknown features (0x%" PRIx64 ")."),
                                  features & ~QED_F_KNOWN);
    if (!(features & QED_F_BACKING_FILE))
        return TRUE;

    if (name_offset < QED_HEADER ||
        (guint64)name_offset + name_size > (guint64)header_size * cluster_size)
        return aavm_image_invalid(error, AAVM_IMAGE_QED, _("the backing file name (%u bytes at offset %u) is not inside the header clusters."),
                                  name_size, name_offset);
    if (name_size > QED_BACKING_NAME_MAX)
        return aavm_image_invalid(error, AAVM_IMAGE_QED, _("the backing file name is %u bytes long (at most %d are accepted)."),
                                  name_size, QED_BACKING_NAME_MAX);
    if (!aavm_image_read(reader, name_offset, name, name_size, _("backing file name"), error) ||
        !aavm_image_take_name(name, name_size, AAVM_IMAGE_QED, _("backing file name"), FALSE,
                              &info->backing, error))
        return FALSE;
    if (features & QED_F_BACKING_FORMAT_NO_PROBE)
        info->backing_format = g_strdup("raw");
    return TRUE;
}
