/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-check.h: FUZZ_CHECK, the fuzz targets' own assertion (abort, so
 * libFuzzer saves the input), kept on in every build. */
#pragma once

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
            abort(); \
        } \
    } while (0)
