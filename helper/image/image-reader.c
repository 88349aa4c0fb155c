/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-reader.c: format names, bounded reads, the checks every header
 * reader shares, and the signature probe used only to refuse. */
#include "image-reader.h"

#include <inttypes.h>

#include <stdarg.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "image-private.h"

static const struct {
    const char *name;
    AavmImageFormat format;
} format_names[] = {
    { "raw", AAVM_IMAGE_RAW },
    /* QEMU's protocol drivers recorded as a backing format read the
     * file as it is. */
    { "file", AAVM_IMAGE_RAW },
    { "host_device", AAVM_IMAGE_RAW },
    { "host_cdrom", AAVM_IMAGE_RAW },
    { "qcow2", AAVM_IMAGE_QCOW2 },
    { "qed", AAVM_IMAGE_QED },
    { "vmdk", AAVM_IMAGE_VMDK },
    { "luks", AAVM_IMAGE_LUKS },
    /* Formats QEMU opens without ever opening a second file. */
    { "iso", AAVM_IMAGE_NO_BACKING },
    { "bochs", AAVM_IMAGE_NO_BACKING },
    { "cloop", AAVM_IMAGE_NO_BACKING },
    { "dmg", AAVM_IMAGE_NO_BACKING },
    { "vpc", AAVM_IMAGE_NO_BACKING },
    { "vhdx", AAVM_IMAGE_NO_BACKING },
    { "vdi", AAVM_IMAGE_NO_BACKING },
    { "ploop", AAVM_IMAGE_NO_BACKING },
    { "parallels", AAVM_IMAGE_NO_BACKING },
    { "fat", AAVM_IMAGE_NO_BACKING },
};

AavmImageFormat
aavm_image_format_from_string(const char *name)
{
    for (gsize i = 0; name && i < G_N_ELEMENTS(format_names); i++)
        if (g_str_equal(name, format_names[i].name))
            return format_names[i].format;
    return AAVM_IMAGE_UNKNOWN;
}

const char *
aavm_image_format_to_string(AavmImageFormat format)
{
    switch (format) {
    case AAVM_IMAGE_RAW: return "raw";
    case AAVM_IMAGE_QCOW2: return "qcow2";
    case AAVM_IMAGE_QED: return "qed";
    case AAVM_IMAGE_VMDK: return "vmdk";
    case AAVM_IMAGE_LUKS: return "luks";
    case AAVM_IMAGE_NO_BACKING: return "no-backing";
    case AAVM_IMAGE_UNKNOWN: return "unknown";
    case AAVM_IMAGE_FORMAT_LAST: break;
    }
    return "unknown";
}

static gboolean
memory_read(const AavmImageReader *reader, guint64 offset, void *buf, gsize len, GError **error)
{
    (void)error;
    memcpy(buf, (const guint8 *)reader->data + offset, len);
    return TRUE;
}

AavmImageReader
aavm_image_reader_memory(const guint8 *data, gsize len)
{
    return (AavmImageReader){ .size = len, .read = memory_read, .data = data };
}

gboolean
aavm_image_read(const AavmImageReader *reader, guint64 offset, void *buf, gsize len,
                const char *what, GError **error)
{
    if (offset > reader->size || len > reader->size - offset)
        return aavm_fail(error, AAVM_ERROR_INVALID_IMAGE,
                         _("The image ends before its %s (%zu bytes at offset %"
                           PRIu64 "; the image has %" PRIu64 " bytes)."),
                         what, len, offset, reader->size);
    return len == 0 || reader->read(reader, offset, buf, len, error);
}

gboolean
aavm_image_invalid(GError **error, AavmImageFormat format, const char *fmt, ...)
{
    va_list args;
    g_autofree char *detail = NULL;

    va_start(args, fmt);
    detail = g_strdup_vprintf(fmt, args);
    va_end(args);
    return aavm_fail(error, AAVM_ERROR_INVALID_IMAGE, _("The %s header is not valid: %s"),
                     aavm_image_format_to_string(format), detail);
}

gboolean
aavm_image_take_name(const guint8 *bytes, gsize len, AavmImageFormat format, const char *what,
                     gboolean empty_ok, char **out, GError **error)
{
    *out = NULL;
    if (len == 0) {
        if (empty_ok)
            return TRUE;
        return aavm_image_invalid(error, format, _("its %s is empty."), what);
    }
    if (len > AAVM_IMAGE_NAME_MAX)
        return aavm_image_invalid(error, format, _("its %s is %zu"
                                                   " bytes long (at most %d are accepted)."),
                                  what, len, AAVM_IMAGE_NAME_MAX);
    for (gsize i = 0; i < len; i++) {
        if (bytes[i] == '\0')
            return aavm_image_invalid(error, format, _("its %s contains a NUL byte."), what);
        if (bytes[i] < 0x20 || bytes[i] == 0x7f)
            return aavm_image_invalid(error, format,
                                      _("its %s contains a control character."), what);
    }
    *out = g_strndup((const char *)bytes, len);
    return TRUE;
}

AavmImageInfo *
aavm_image_info_new(AavmImageFormat format)
{
    AavmImageInfo *info = g_new0(AavmImageInfo, 1);

    info->format = format;
    info->extents = g_ptr_array_new_with_free_func(g_free);
    return info;
}

void
aavm_image_info_free(AavmImageInfo *info)
{
    if (!info)
        return;
    g_free(info->backing);
    g_free(info->backing_format);
    g_free(info->data_file);
    g_ptr_array_unref(info->extents);
    g_free(info);
}

/* Signatures at offset 0, the way QEMU's own format probes recognise them. */
static const struct {
    const char *magic;
    gsize len;
    const char *name;
} signatures[] = {
    { "QFI\xfb\0\0\0\x01", 8, "qcow" },
    { "QFI\xfb", 4, "qcow2" },
    { "QED\0", 4, "qed" },
    { "KDMV", 4, "vmdk" },
    { "COWD", 4, "vmdk" },
    { "# Disk DescriptorFile", 21, "vmdk" },
    { "LUKS\xba\xbe", 6, "luks" },
    { "conectix", 8, "vpc" },
    { "vhdxfile", 8, "vhdx" },
    { "WithoutFreeSpace", 16, "parallels" },
    { "WithouFreSpacExt", 16, "parallels" },
    { "Bochs Virtual HD Image", 22, "bochs" },
    { "#!/bin/sh\n#V2.0 Format\nmodprobe cloop", 36, "cloop" },
};

#define VDI_SIGNATURE_OFFSET 64
#define VDI_SIGNATURE 0xbeda107fU

gboolean
aavm_image_detect_header(const AavmImageReader *reader, const char **out_name, GError **error)
{
    guint8 head[VDI_SIGNATURE_OFFSET + 4] = { 0 };
    gsize len = (gsize)MIN(reader->size, (guint64)sizeof(head));

    *out_name = NULL;
    if (!aavm_image_read(reader, 0, head, len, _("first bytes"), error))
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(signatures) && !*out_name; i++)
        if (len >= signatures[i].len && memcmp(head, signatures[i].magic, signatures[i].len) == 0)
            *out_name = signatures[i].name;
    if (!*out_name && len == sizeof(head) &&
        aavm_le32(head + VDI_SIGNATURE_OFFSET) == VDI_SIGNATURE)
        *out_name = "vdi";
    return TRUE;
}
