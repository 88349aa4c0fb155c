/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-luks: libFuzzer target for the luks header reader (image-luks.c) and
 * aavm_image_detect_header(); the input is a whole image.  See README.md. */
#include "fuzz-image.h"

AAVM_FUZZ_IMAGE_TARGET(AAVM_IMAGE_LUKS)
