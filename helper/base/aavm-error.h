/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-error.h: the one error domain of the aavm library. */
#pragma once

#include <glib.h>

#define AAVM_ERROR (aavm_error_quark())

/* Keep in sync with aavm_error_code_to_string() and the man page. */
typedef enum {
    AAVM_ERROR_FAILED,          /* anything not covered below */
    AAVM_ERROR_INVALID_ARGUMENT,/* bad command-line or API argument */
    AAVM_ERROR_INVALID_XML,     /* not well-formed, DTD, missing element */
    AAVM_ERROR_TOO_LARGE,       /* an input over its limit */
    AAVM_ERROR_UNSUPPORTED,     /* a known but unsupported configuration */
    AAVM_ERROR_BAD_NAME,        /* domain name with a forbidden character */
    AAVM_ERROR_BAD_UUID,        /* malformed UUID or profile name */
    AAVM_ERROR_UUID_MISMATCH,   /* -u does not match the XML */
    AAVM_ERROR_UNSAFE_PATH,     /* path refused by the path policy */
    AAVM_ERROR_TEMPLATE,        /* missing or malformed template */
    AAVM_ERROR_PROFILE_EXISTS,  /* -c on an existing profile */
    AAVM_ERROR_NO_PROFILE,      /* a mode that needs a profile found none */
    AAVM_ERROR_IO,              /* reading or writing a file failed */
    AAVM_ERROR_PARSER_FAILED,   /* apparmor_parser failed or could not run */
    AAVM_ERROR_INVALID_IMAGE,   /* a disk image header that breaks its format's rules */
    AAVM_ERROR_BACKING_CHAIN,   /* a backing chain that loops or is too deep */
    AAVM_ERROR_UNSAFE_FILE,     /* a link, non-regular, hard-linked or foreign file where aavm keeps its own */
    AAVM_ERROR_N
} AavmError;

GQuark aavm_error_quark(void);

const char *aavm_error_code_to_string(AavmError code);
gboolean aavm_error_code_from_string(const char *str, AavmError *out_code);

/* Set @error and return FALSE, so call sites read "return aavm_fail (...);". */
gboolean aavm_fail(GError **error, AavmError code, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
