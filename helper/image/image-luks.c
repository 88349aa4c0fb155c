/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-luks.c: the LUKS header (versions 1 and 2): the virtual size,
 * which is what follows the encryption header.  LUKS never names another
 * file.
 *
 * LUKS1 (big-endian): magic, version, cipher name and mode, hash, then the
 * payload offset in 512-byte sectors at byte 104.  LUKS2: magic, version,
 * the header size at byte 8, and a JSON area from byte 4096 whose first
 * data segment gives the payload offset in bytes. */
#include "image-private.h"

#include <inttypes.h>

#include <errno.h>
#include <stdlib.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

#define LUKS_MAGIC "LUKS\xba\xbe"
#define LUKS_MAGIC_LEN 6
#define LUKS1_HEADER 592
#define LUKS1_PAYLOAD_OFFSET 104
#define LUKS2_BINARY_HEADER 4096
#define LUKS2_MIN_HEADER (16 * 1024)
#define LUKS2_MAX_HEADER (4 * 1024 * 1024)
#define SECTOR 512

/* The first decimal string value of @key after @from in @json, e.g.
 * "offset": "16777216". */
static gboolean
json_number_after(const char *json, const char *from, const char *key, guint64 *out)
{
    const char *p = strstr(json, from);
    g_autofree char *quoted = g_strdup_printf("\"%s\"", key);
    char *end = NULL;

    if (!p || !(p = strstr(p, quoted)))
        return FALSE;
    p += strlen(quoted);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p++ != ':')
        return FALSE;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p++ != '"' || !g_ascii_isdigit(*p))
        return FALSE;
    errno = 0;
    *out = g_ascii_strtoull(p, &end, 10);
    return errno == 0 && *end == '"';
}

static gboolean
read_luks2(const AavmImageReader *reader, const guint8 *h, AavmImageInfo *info, GError **error)
{
    guint64 header_size = aavm_be64(h + 8);
    gsize json_len;
    g_autofree char *json = NULL;
    guint64 payload;

    if (header_size < LUKS2_MIN_HEADER || header_size > LUKS2_MAX_HEADER ||
        (header_size & (header_size - 1)) != 0)
        return aavm_image_invalid(error, AAVM_IMAGE_LUKS, _("the LUKS2 header size %" PRIu64 " is not a power of two between %d and %d."),
                                  header_size, LUKS2_MIN_HEADER, LUKS2_MAX_HEADER);
    json_len = (gsize)MIN(header_size - LUKS2_BINARY_HEADER, (guint64)AAVM_IMAGE_AREA_MAX);
    json = g_malloc0(json_len + 1);
    if (!aavm_image_read(reader, LUKS2_BINARY_HEADER, json, json_len, _("LUKS2 metadata"), error))
        return FALSE;
    json[json_len] = '\0'; /* the area is NUL-padded; a string ends at the first NUL */
    if (!json_number_after(json, "\"segments\"", "offset", &payload))
        return aavm_image_invalid(error, AAVM_IMAGE_LUKS, _("its metadata has no data segment offset."));
    if (payload < header_size || payload > reader->size)
        return aavm_image_invalid(error, AAVM_IMAGE_LUKS, _("the data segment offset %" PRIu64 " is not between the header and the end of the image."),
                                  payload);
    info->virtual_size = reader->size - payload;
    return TRUE;
}

gboolean
aavm_image_read_luks(const AavmImageReader *reader, AavmImageInfo *info, GError **error)
{
    guint8 h[LUKS1_HEADER];
    guint64 payload;

    if (!aavm_image_read(reader, 0, h, 16, _("LUKS header"), error))
        return FALSE;
    if (memcmp(h, LUKS_MAGIC, LUKS_MAGIC_LEN) != 0)
        return aavm_image_invalid(error, AAVM_IMAGE_LUKS, _("the image does not start with the LUKS signature."));
    info->version = aavm_be16(h + 6);
    info->encrypted = TRUE;
    if (info->version == 2)
        return read_luks2(reader, h, info, error);
    if (info->version != 1)
        return aavm_image_invalid(error, AAVM_IMAGE_LUKS, _("version %u is not 1 or 2."), info->version);

    if (!aavm_image_read(reader, 0, h, sizeof(h), _("LUKS1 header"), error))
        return FALSE;
    payload = (guint64)aavm_be32(h + LUKS1_PAYLOAD_OFFSET) * SECTOR;
    if (payload < LUKS1_HEADER || payload > reader->size)
        return aavm_image_invalid(error, AAVM_IMAGE_LUKS, _("the payload offset %" PRIu64 " is not between the header and the end of the image."),
                                  payload);
    info->virtual_size = reader->size - payload;
    return TRUE;
}
