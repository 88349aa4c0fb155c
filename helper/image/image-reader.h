/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-reader.h: disk image formats, bounded reads, and what a header says.
 *
 * The header readers are our own, small and bounded: they read through an
 * AavmImageReader that refuses any range outside the image, check every
 * offset and length before use, and trust no field.  A reader is only ever
 * run for the format the caller declared: nothing here guesses a format,
 * except aavm_image_detect_header(), which exists to refuse raw images that
 * carry another format's header. */
#pragma once

#include <glib.h>

typedef enum {
    AAVM_IMAGE_RAW,
    AAVM_IMAGE_QCOW2,
    AAVM_IMAGE_QED,
    AAVM_IMAGE_VMDK,
    AAVM_IMAGE_LUKS,
    AAVM_IMAGE_NO_BACKING, /* a format QEMU knows that cannot name another file:
                            * iso, vpc, vhdx, vdi, bochs, cloop, dmg, ploop, fat... */
    AAVM_IMAGE_UNKNOWN,    /* any other name (qcow v1, typos): not read */
    AAVM_IMAGE_FORMAT_LAST
} AavmImageFormat;

/* The format a <driver type=> or recorded backing format names. */
AavmImageFormat aavm_image_format_from_string(const char *name);
const char *aavm_image_format_to_string(AavmImageFormat format);

/* Longest backing file, data file or extent name we accept (QEMU's own
 * limit for qcow2 and qed backing names is 1023 bytes). */
#define AAVM_IMAGE_NAME_MAX 4095
/* Most bytes read for a qcow2 header extension area or a VMDK descriptor. */
#define AAVM_IMAGE_AREA_MAX (64 * 1024)

/* Random access to the bytes of one image. */
typedef struct AavmImageReader AavmImageReader;
struct AavmImageReader {
    guint64 size; /* bytes in the image */
    /* Read exactly @len bytes at @offset (already checked against size). */
    gboolean (*read)(const AavmImageReader *reader, guint64 offset, void *buf, gsize len,
                     GError **error);
    gconstpointer data;
};

/* A reader over @len bytes in memory (not copied; keep them alive). */
AavmImageReader aavm_image_reader_memory(const guint8 *data, gsize len);

/* Read @len bytes at @offset; fails with AAVM_ERROR_INVALID_IMAGE, naming
 * @what, when the range is not inside the image. */
gboolean aavm_image_read(const AavmImageReader *reader, guint64 offset, void *buf, gsize len,
                         const char *what, GError **error);

/* What one image's header says. */
typedef struct {
    AavmImageFormat format;
    guint version;             /* qcow2 2/3, vmdk 1-3 (KDMV; COWD as written), luks 1/2; 0 for others */
    guint64 virtual_size;      /* bytes the guest sees */
    char *backing;             /* backing file name as recorded; NULL: none */
    char *backing_format;      /* its recorded format; NULL: not recorded */
    char *data_file;           /* qcow2: the external data file name, NULL: none */
    gboolean data_file_needed; /* qcow2: the data is in an external file (named or not) */
    GPtrArray *extents;        /* char*: vmdk: other files that hold the data */
    gboolean encrypted;
} AavmImageInfo;

AavmImageInfo *aavm_image_info_new(AavmImageFormat format);
void aavm_image_info_free(AavmImageInfo *info);

/* *@out_name: the name of the image format whose signature starts
 * @reader's image (qcow2, qed, vmdk, luks, vdi, vpc, ...), or NULL.  For
 * refusing raw images that another program could take for something
 * else; never for choosing how to read an image.  FALSE on a read error. */
gboolean aavm_image_detect_header(const AavmImageReader *reader, const char **out_name,
                                  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmImageInfo, aavm_image_info_free)
