/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-format.h: read the header of an image of a declared format.
 * The readers are only ever run for the format the caller declared. */
#pragma once

#include "image-reader.h"

/* Read the header of an image of the declared @format (RAW: only its size).
 * NO_BACKING and UNKNOWN formats cannot be read: AAVM_ERROR_UNSUPPORTED.
 * A header that does not match @format or breaks its rules fails with
 * AAVM_ERROR_INVALID_IMAGE. */
AavmImageInfo *aavm_image_read_header(const AavmImageReader *reader, AavmImageFormat format,
                                      GError **error);
