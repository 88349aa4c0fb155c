/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-qcow2: libFuzzer target for the qcow2 header reader (image-qcow2.c) and
 * aavm_image_detect_header(); the input is a whole image.  See README.md. */
#include "fuzz-image.h"

AAVM_FUZZ_IMAGE_TARGET(AAVM_IMAGE_QCOW2)
