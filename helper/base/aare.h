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

/* What aavm_aare_match() can tell. */
typedef enum {
    AAVM_AARE_NO_MATCH,
    AAVM_AARE_MATCH,
    AAVM_AARE_MAYBE, /* it may: @path matches once every variable and
                      * character class is taken for any text, or the rule
                      * holds an escape other than ours and @path starts
                      * like it, or the match took too many steps */
} AavmAareMatch;

/* Most alternatives a {..,..} expansion and most steps one match may take;
 * beyond them the answer is AAVM_AARE_MAYBE. */
#define AAVM_AARE_MATCH_ALTERNATIVES_MAX 64
#define AAVM_AARE_MATCH_STEPS_MAX 100000

/* Whether the path of a file rule, @aare (the text between its quotes),
 * matches the concrete @path as the kernel matches it: '\' escapes one of
 * AAVM_AARE_SPECIAL, '?' is one character but '/', '*' any run without
 * '/', two or more stars any run, {a,b} alternatives (nested, empty ones
 * allowed), and a star run that makes up a whole path component ("/x/" then
 * a star, "/x/" then two stars) needs at least one character.  With
 * @below, whether it matches @path or any path that starts with it. */
AavmAareMatch aavm_aare_match(const char *aare, const char *path, gboolean below);
