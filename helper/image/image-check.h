/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-check.h: checking an uploaded disk image before a VM may use it
 * (aavm image-check).
 *
 * An image is checked against the format its uploader declared and the
 * limits of the application that accepts it: the header must be a valid
 * header of that format, the virtual size must be within the limit, and
 * the image must not name another file (a backing file, a qcow2 external
 * data file, VMDK extents) unless the caller allows it.  A raw image must
 * not carry another format's header, which a program that guesses formats
 * would follow.  Every rule that fails is listed, not only the first. */
#pragma once

#include <glib.h>

#include "image-format.h"

/* The formats aavm_image_check() reads, as their command-line list. */
#define AAVM_IMAGE_CHECK_FORMATS "raw, qcow2, qed, vmdk, luks"

typedef struct {
    AavmImageFormat format;    /* declared: RAW, QCOW2, QED, VMDK or LUKS */
    guint64 max_virtual_size;  /* bytes; 0: no limit */
    gboolean allow_backing;    /* a backing file is not a problem */
    gboolean allow_data_file;  /* a qcow2 external data file or VMDK extents are not a problem */
} AavmImageCheckOptions;

typedef struct {
    gboolean accepted;       /* no problem found */
    AavmImageFormat format;  /* the declared format */
    GPtrArray *problems;     /* char*: whole sentences, in the order the rules run */
    AavmImageInfo *info;     /* what the header says; NULL when it is not valid */
    guint64 file_size;       /* bytes in the file (or block device) */
    char *detected_format;   /* the format whose signature starts the image when it is
                              * not the declared one (qcow2, vdi, ...); NULL: none */
} AavmImageVerdict;

/* The declared format named @name: one of AAVM_IMAGE_CHECK_FORMATS.  Any
 * other name fails with AAVM_ERROR_UNSUPPORTED naming the supported ones. */
gboolean aavm_image_check_format_from_string(const char *name, AavmImageFormat *out_format,
                                             GError **error);

/* A size in bytes: a whole number, optionally followed by K, M, G, T, P or
 * E (either case) or KiB, MiB, GiB, TiB, PiB, EiB, all powers of 1024.
 * Anything else (empty, negative, a fraction, junk, more than 2^64 - 1
 * bytes) fails with AAVM_ERROR_INVALID_ARGUMENT. */
gboolean aavm_parse_size(const char *text, guint64 *out, GError **error);

/* Check the image @reader reads.  A header that breaks its format's rules
 * is a problem in the verdict, not an error; the error (AAVM_ERROR_IO and
 * the like) is only for an image that cannot be read at all, and
 * AAVM_ERROR_UNSUPPORTED for a declared format aavm cannot check. */
AavmImageVerdict *aavm_image_check(const AavmImageReader *reader,
                                   const AavmImageCheckOptions *options, GError **error);

void aavm_image_verdict_free(AavmImageVerdict *verdict);

/* The verdict for people: the first line is "FILE: accepted (FORMAT,
 * virtual size N bytes)" or "FILE: refused: FIRST PROBLEM", then one
 * indented line per detail and per problem; every line ends with a
 * newline.  Names from the image are shown as valid UTF-8 with control
 * characters escaped. */
char *aavm_image_verdict_to_text(const AavmImageVerdict *verdict, const char *file);

/* The verdict for programs: one JSON object on one line (no final
 * newline), valid UTF-8 whatever the image holds, keys in this order:
 * file, format, accepted, problems, virtual_size, file_size, version,
 * backing, backing_format, data_file, data_file_needed, extents,
 * encrypted, detected_format.  What the header does not say (or an
 * invalid header) is null. */
char *aavm_image_verdict_to_json(const AavmImageVerdict *verdict, const char *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmImageVerdict, aavm_image_verdict_free)
