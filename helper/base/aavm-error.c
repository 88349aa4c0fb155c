/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "aavm-error.h"

#include <string.h>

G_DEFINE_QUARK(aavm-error-quark, aavm_error)

static const char *const error_names[AAVM_ERROR_N] = {
    [AAVM_ERROR_FAILED] = "AAVM_ERROR_FAILED",
    [AAVM_ERROR_INVALID_ARGUMENT] = "AAVM_ERROR_INVALID_ARGUMENT",
    [AAVM_ERROR_INVALID_XML] = "AAVM_ERROR_INVALID_XML",
    [AAVM_ERROR_TOO_LARGE] = "AAVM_ERROR_TOO_LARGE",
    [AAVM_ERROR_UNSUPPORTED] = "AAVM_ERROR_UNSUPPORTED",
    [AAVM_ERROR_BAD_NAME] = "AAVM_ERROR_BAD_NAME",
    [AAVM_ERROR_BAD_UUID] = "AAVM_ERROR_BAD_UUID",
    [AAVM_ERROR_UUID_MISMATCH] = "AAVM_ERROR_UUID_MISMATCH",
    [AAVM_ERROR_UNSAFE_PATH] = "AAVM_ERROR_UNSAFE_PATH",
    [AAVM_ERROR_TEMPLATE] = "AAVM_ERROR_TEMPLATE",
    [AAVM_ERROR_PROFILE_EXISTS] = "AAVM_ERROR_PROFILE_EXISTS",
    [AAVM_ERROR_NO_PROFILE] = "AAVM_ERROR_NO_PROFILE",
    [AAVM_ERROR_IO] = "AAVM_ERROR_IO",
    [AAVM_ERROR_PARSER_FAILED] = "AAVM_ERROR_PARSER_FAILED",
    [AAVM_ERROR_INVALID_IMAGE] = "AAVM_ERROR_INVALID_IMAGE",
    [AAVM_ERROR_BACKING_CHAIN] = "AAVM_ERROR_BACKING_CHAIN",
    [AAVM_ERROR_UNSAFE_FILE] = "AAVM_ERROR_UNSAFE_FILE",
};

const char *
aavm_error_code_to_string(AavmError code)
{
    if ((int)code < 0 || code >= AAVM_ERROR_N)
        return "AAVM_ERROR_UNKNOWN";
    return error_names[code];
}

gboolean
aavm_error_code_from_string(const char *str, AavmError *out_code)
{
    for (int i = 0; i < AAVM_ERROR_N; i++) {
        if (g_strcmp0(str, error_names[i]) == 0) {
            *out_code = (AavmError)i;
            return TRUE;
        }
    }
    return FALSE;
}

gboolean
aavm_fail(GError **error, AavmError code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, AAVM_ERROR, code, msg);
    return FALSE;
}
