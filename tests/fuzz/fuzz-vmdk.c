/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-vmdk: libFuzzer target for the vmdk header reader (image-vmdk.c) and
 * aavm_image_detect_header(); the input is a whole image.  See README.md. */
#include "fuzz-image.h"

AAVM_FUZZ_IMAGE_TARGET(AAVM_IMAGE_VMDK)
