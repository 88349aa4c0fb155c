/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-image.h: the body the header-reader fuzz targets share.
 *
 * One target per format (fuzz-qcow2.c, ...): the input is a whole image in
 * memory, read through aavm_image_reader_memory() by
 * aavm_image_read_header() with that format, and by
 * aavm_image_detect_header().  Besides the sanitizers, the contract of
 * image-format.h is checked: a failure sets an AAVM_ERROR, a success sets
 * no error and gives an info whose names are safe strings. */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aavm-error.h"
#include "fuzz-check.h"
#include "image-format.h"

/* A name an image recorded: NUL-terminated, not empty, bounded, no control
 * character (aavm_image_take_name()'s promise). */
static void
fuzz_check_name(const char *name)
{
    gsize len;

    if (!name)
        return;
    len = strlen(name);
    FUZZ_CHECK(len > 0 && len <= AAVM_IMAGE_NAME_MAX);
    for (gsize i = 0; i < len; i++)
        FUZZ_CHECK((guchar)name[i] >= 0x20 && name[i] != 0x7f);
}

static void
fuzz_check_info(const AavmImageInfo *info, AavmImageFormat format, gsize size)
{
    FUZZ_CHECK(info->format == format);
    fuzz_check_name(info->backing);
    fuzz_check_name(info->backing_format);
    fuzz_check_name(info->data_file);
    FUZZ_CHECK(info->extents != NULL);
    for (guint i = 0; i < info->extents->len; i++) {
        FUZZ_CHECK(g_ptr_array_index(info->extents, i) != NULL);
        fuzz_check_name(g_ptr_array_index(info->extents, i));
    }
    /* A backing format is only reported with a backing file, a data file
     * name only when the data is outside. */
    FUZZ_CHECK(!info->backing_format || info->backing);
    FUZZ_CHECK(!info->data_file || info->data_file_needed);
    if (format != AAVM_IMAGE_QCOW2)
        FUZZ_CHECK(!info->data_file && !info->data_file_needed);
    if (format != AAVM_IMAGE_VMDK)
        FUZZ_CHECK(info->extents->len == 0);
    switch (format) {
    case AAVM_IMAGE_QCOW2:
        FUZZ_CHECK(info->version == 2 || info->version == 3);
        break;
    case AAVM_IMAGE_LUKS:
        /* LUKS names no other file; its size is what follows the header. */
        FUZZ_CHECK(info->version == 1 || info->version == 2);
        FUZZ_CHECK(info->encrypted && !info->backing);
        FUZZ_CHECK(info->virtual_size <= size);
        break;
    default:
        break;
    }
}

/* The detected signature a readable image of @format must carry; NULL:
 * none required (a VMDK descriptor file need not start with a comment). */
static const char *
fuzz_expected_signature(AavmImageFormat format)
{
    switch (format) {
    case AAVM_IMAGE_QCOW2: return "qcow2";
    case AAVM_IMAGE_QED: return "qed";
    case AAVM_IMAGE_LUKS: return "luks";
    default: return NULL;
    }
}

static int
fuzz_image_one_input(AavmImageFormat format, const uint8_t *data, size_t size)
{
    AavmImageReader reader = aavm_image_reader_memory(data, size);
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) detect_error = NULL;
    g_autoptr(AavmImageInfo) info = aavm_image_read_header(&reader, format, &error);
    const char *signature = NULL;
    const char *expected = fuzz_expected_signature(format);

    if (info) {
        FUZZ_CHECK(error == NULL);
        fuzz_check_info(info, format, size);
    } else {
        FUZZ_CHECK(error != NULL && error->domain == AAVM_ERROR &&
                   error->code == AAVM_ERROR_INVALID_IMAGE && error->message);
    }
    /* Detection reads at most the first bytes that exist: it cannot fail. */
    FUZZ_CHECK(aavm_image_detect_header(&reader, &signature, &detect_error));
    FUZZ_CHECK(detect_error == NULL);
    if (info && expected)
        FUZZ_CHECK(g_strcmp0(signature, expected) == 0);
    return 0;
}

#define AAVM_FUZZ_IMAGE_TARGET(format) \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
    int \
    LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
    { \
        return fuzz_image_one_input(format, data, size); \
    }
