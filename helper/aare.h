/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aare.h: turning untrusted literal text into AppArmor regex (AARE) text that
 * can only ever match itself. */
#pragma once

#include <glib.h>

/* Characters with a meaning in a quoted AppArmor path; each is escaped with
 * a backslash.  '@' is escaped so "@{" can never start a variable. */
#define AAVM_AARE_SPECIAL "*?[]{}^\\,@"

/* Refuse text that no escaping can make safe inside a quoted rule: a double
 * quote, a control character (newline, tab, ...), DEL, or invalid UTF-8.
 * @what names the text in the message ("path", "domain name"). */
gboolean aavm_aare_check_literal(const char *text, const char *what, GError **error);

/* Escape every AAVM_AARE_SPECIAL character; @text must have passed
 * aavm_aare_check_literal(). */
char *aavm_aare_escape(const char *text);
void aavm_aare_append_escaped(GString *out, const char *text);
