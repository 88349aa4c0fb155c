/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "aare.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_aare_check_literal(const char *text, const char *what, GError **error)
{
    if (!g_utf8_validate(text, -1, NULL))
        return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                         _("The %s is not valid UTF-8."), what);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"')
            return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                             _("The %s '%s' contains a double quote, which is not allowed."),
                             what, text);
        if (*c < 0x20 || *c == 0x7f) {
            g_autofree char *shown = g_strescape(text, NULL);
            return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                             _("The %s '%s' contains a control character, which is not allowed."),
                             what, shown);
        }
    }
    return TRUE;
}

void
aavm_aare_append_escaped(GString *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        if (strchr(AAVM_AARE_SPECIAL, *c))
            g_string_append_c(out, '\\');
        g_string_append_c(out, *c);
    }
}

char *
aavm_aare_escape(const char *text)
{
    GString *out = g_string_sized_new(strlen(text) + 8);

    aavm_aare_append_escaped(out, text);
    return g_string_free(out, FALSE);
}
