/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-qed: libFuzzer target for the qed header reader (image-qed.c) and
 * aavm_image_detect_header(); the input is a whole image.  See README.md. */
#include "fuzz-image.h"

AAVM_FUZZ_IMAGE_TARGET(AAVM_IMAGE_QED)
