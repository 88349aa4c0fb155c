/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-vmdk.c: VMDK images: the sparse headers ("KDMV", and the older
 * "COWD") and text descriptors.  What QEMU opens besides the image: the
 * parent named by parentFileNameHint, and a descriptor's extent files.
 *
 * The parent hint is found the way QEMU finds it: the first
 * 'parentFileNameHint="' in the descriptor text (at byte 512 of a sparse
 * image, at byte 0 of a descriptor file), up to the next quote.  Extents
 * are the descriptor lines QEMU uses: 'RW <sectors> <type> "<file>"' with
 * a type that has a file. */
#include "image-private.h"

#include <inttypes.h>

#include <errno.h>
#include <stdlib.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

#define VMDK4_MAGIC "KDMV"
#define VMDK3_MAGIC "COWD"
#define VMDK4_HEADER 512 /* bytes read of the sparse header */
#define SECTOR 512ULL
#define SPARSE_DESC_OFFSET 512  /* where QEMU reads a sparse image's descriptor */
#define SPARSE_DESC_MAX (20 * 512) /* and how much of it */
#define PARENT_KEY "parentFileNameHint=\""
#define EXTENT_NAME_MAX 511     /* QEMU's limit */

/* The descriptor text at @offset, at most @max bytes, ending at the first
 * NUL; @require_text: a NUL byte inside means this is not a descriptor. */
static char *
read_descriptor(const AavmImageReader *reader, guint64 offset, gsize max, gboolean require_text,
                GError **error)
{
    gsize len;
    g_autofree char *text = NULL;

    if (offset >= reader->size)
        return g_strdup("");
    len = (gsize)MIN(reader->size - offset, (guint64)max);
    text = g_malloc(len + 1);
    if (!aavm_image_read(reader, offset, text, len, _("VMDK descriptor"), error))
        return NULL;
    text[len] = '\0';
    if (require_text && strlen(text) != len) {
        aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("the descriptor contains a NUL byte."));
        return NULL;
    }
    return g_steal_pointer(&text);
}

static gboolean
find_parent(const char *desc, AavmImageInfo *info, GError **error)
{
    const char *start = strstr(desc, PARENT_KEY);
    const char *end;

    if (!start)
        return TRUE;
    start += strlen(PARENT_KEY);
    if (!(end = strchr(start, '"')))
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("its parentFileNameHint has no closing quote."));
    if (!aavm_image_take_name((const guint8 *)start, (gsize)(end - start), AAVM_IMAGE_VMDK,
                              _("parent file name"), TRUE, &info->backing, error))
        return FALSE;
    if (info->backing)
        info->backing_format = g_strdup("vmdk");
    return TRUE;
}

static gboolean
extent_type_has_file(const char *type)
{
    static const char *const types[] = { "FLAT", "SPARSE", "VMFS", "VMFSSPARSE", "SESPARSE" };

    for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
        if (strcmp(type, types[i]) == 0)
            return TRUE;
    return FALSE;
}

static const char *
skip_blanks(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* One descriptor line: an extent QEMU opens adds its file and size.
 * QEMU reads 'RW <sectors> <type> "<file>" [<offset>]' and skips other
 * access modes and lines that do not match. */
static gboolean
take_extent_line(const char *line, AavmImageInfo *info, GError **error)
{
    const char *p;
    const char *type;
    const char *close_quote;
    g_autofree char *type_word = NULL;
    guint64 sectors;
    char *end = NULL;
    char *name = NULL;

    if (!g_str_has_prefix(line, "RW") || (line[2] != ' ' && line[2] != '\t'))
        return TRUE;
    p = skip_blanks(line + 2);
    if (!g_ascii_isdigit(*p))
        return TRUE;
    errno = 0;
    sectors = g_ascii_strtoull(p, &end, 10);
    if (errno != 0 || sectors == 0 || sectors > G_MAXUINT64 / SECTOR)
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("an extent has a size that is not a positive number of sectors."));
    type = skip_blanks(end);
    p = type;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    type_word = g_strndup(type, (gsize)(p - type));
    p = skip_blanks(p);
    if (!extent_type_has_file(type_word) || *p != '"')
        return TRUE;
    if (!(close_quote = strchr(p + 1, '"')))
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("an extent file name has no closing quote."));
    if (close_quote - p - 1 > EXTENT_NAME_MAX)
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("an extent file name is longer than %d bytes."), EXTENT_NAME_MAX);
    if (!aavm_image_take_name((const guint8 *)p + 1, (gsize)(close_quote - p - 1),
                              AAVM_IMAGE_VMDK, _("extent file name"), FALSE, &name, error))
        return FALSE;
    g_ptr_array_add(info->extents, name);
    if (info->virtual_size > G_MAXUINT64 - sectors * SECTOR)
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("its extents add up to more than 2^64 bytes."));
    info->virtual_size += sectors * SECTOR;
    return TRUE;
}

/* A descriptor that lists the extents holding the data. */
static gboolean
read_extents(const char *desc, AavmImageInfo *info, GError **error)
{
    g_auto(GStrv) lines = g_strsplit_set(desc, "\r\n", -1);

    if (!strstr(desc, "createType"))
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("the descriptor has no createType."));
    for (char **line = lines; *line; line++)
        if (!take_extent_line(g_strstrip(*line), info, error))
            return FALSE;
    if (info->extents->len == 0)
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("the descriptor lists no read-write extent."));
    return TRUE;
}

static gboolean
read_sparse(const AavmImageReader *reader, const guint8 *h, AavmImageInfo *info,
            GError **error)
{
    gboolean vmdk4 = memcmp(h, VMDK4_MAGIC, 4) == 0;
    guint64 capacity;
    g_autofree char *desc = NULL;

    info->version = aavm_le32(h + 4);
    if (vmdk4 && (info->version < 1 || info->version > 3))
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("version %u is not 1 to 3."), info->version);
    capacity = vmdk4 ? aavm_le64(h + 12) : aavm_le32(h + 12);
    if (capacity > G_MAXUINT64 / SECTOR)
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("its capacity of %" PRIu64 " sectors is out of range."), capacity);
    info->virtual_size = capacity * SECTOR;

    if (vmdk4 && capacity == 0) {
        /* No data of its own: an embedded descriptor lists the extents. */
        guint64 desc_sector = aavm_le64(h + 28);
        guint64 desc_sectors = aavm_le64(h + 36);
        g_autofree char *embedded = NULL;

        if (desc_sector == 0 || desc_sector > reader->size / SECTOR)
            return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("it has neither a capacity nor a descriptor inside the image."));
        embedded = read_descriptor(reader, desc_sector * SECTOR,
                                   (gsize)MIN(desc_sectors * SECTOR, (guint64)AAVM_IMAGE_AREA_MAX),
                                   FALSE, error);
        if (!embedded || !read_extents(embedded, info, error))
            return FALSE;
    }
    desc = read_descriptor(reader, SPARSE_DESC_OFFSET, SPARSE_DESC_MAX, FALSE, error);
    return desc && find_parent(desc, info, error);
}

gboolean
aavm_image_read_vmdk(const AavmImageReader *reader, AavmImageInfo *info, GError **error)
{
    guint8 h[VMDK4_HEADER] = { 0 };
    g_autofree char *desc = NULL;

    if (!aavm_image_read(reader, 0, h, (gsize)MIN(reader->size, (guint64)sizeof(h)),
                         _("VMDK header"), error))
        return FALSE;
    if (memcmp(h, VMDK4_MAGIC, 4) == 0 || memcmp(h, VMDK3_MAGIC, 4) == 0) {
        if (reader->size < sizeof(h))
            return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("the sparse header is cut short."));
        return read_sparse(reader, h, info, error);
    }
    /* A text descriptor file. */
    if (reader->size > AAVM_IMAGE_AREA_MAX)
        return aavm_image_invalid(error, AAVM_IMAGE_VMDK, _("it has no sparse header, and at %" PRIu64 " bytes it is too large for a descriptor file (at most %d)."),
                                  reader->size, AAVM_IMAGE_AREA_MAX);
    desc = read_descriptor(reader, 0, AAVM_IMAGE_AREA_MAX, TRUE, error);
    if (!desc)
        return FALSE;
    info->version = 1;
    return read_extents(desc, info, error) && find_parent(desc, info, error);
}
