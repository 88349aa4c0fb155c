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

/* ---- matching a rule's path ---- */

/* In a widened pattern: any run of characters, '/' included, or none. */
#define WIDE '\x01'

typedef struct {
    const char *start; /* the brace-free pattern */
    gboolean below;
    guint steps;
} Matcher;

/* Whether @p (one brace-free pattern) only holds what match_here() reads. */
static gboolean
readable(const char *p)
{
    for (; *p; p++) {
        if (*p == WIDE)
            return FALSE;
        if (*p == '\\') {
            if (!p[1] || !strchr(AAVM_AARE_SPECIAL, p[1]))
                return FALSE;
            p++;
        } else if (*p == '[' || *p == ']' || *p == '{' || *p == '}' || *p == ',' ||
                   (*p == '@' && p[1] == '{')) {
            return FALSE;
        }
    }
    return TRUE;
}

static AavmAareMatch
match_here(Matcher *m, const char *p, const char *s)
{
    if (++m->steps > AAVM_AARE_MATCH_STEPS_MAX)
        return AAVM_AARE_MAYBE;
    for (;;) {
        if (*s == '\0' && m->below)
            return AAVM_AARE_MATCH;
        if (*p == '\0')
            return *s == '\0' ? AAVM_AARE_MATCH : AAVM_AARE_NO_MATCH;
        if (*p == '*' || *p == WIDE) {
            const char *rest = *p == WIDE ? p + 1 : p + strspn(p, "*");
            gboolean any = *p == WIDE || rest - p >= 2;
            gboolean component = *p == '*' && p > m->start && p[-1] == '/' &&
                                 (*rest == '/' || !*rest);
            AavmAareMatch best = AAVM_AARE_NO_MATCH;
            const char *t = s;

            if (component) {
                if (*t == '\0' || *t == '/')
                    return AAVM_AARE_NO_MATCH;
                t++;
            }
            for (;; t++) {
                AavmAareMatch r = match_here(m, rest, t);
                if (r == AAVM_AARE_MATCH)
                    return r;
                if (r == AAVM_AARE_MAYBE)
                    best = r;
                if (*t == '\0' || (*t == '/' && !any))
                    return best;
            }
        }
        if (*p == '?') {
            if (*s == '\0' || *s == '/')
                return AAVM_AARE_NO_MATCH;
        } else {
            if (*p == '\\')
                p++;
            if (*p != *s)
                return AAVM_AARE_NO_MATCH;
            /* The parser folds "//" in a rule into one "/". */
            while (*p == '/' && p[1] == '/')
                p++;
        }
        p++;
        s++;
    }
}

/* The end of the {..} group opening at @open, or NULL. */
static const char *
group_end(const char *open)
{
    guint depth = 0;

    for (const char *p = open; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '{')
            depth++;
        else if (*p == '}' && --depth == 0)
            return p;
    }
    return NULL;
}

/* Every brace-free pattern @aare stands for, into @out; FALSE when there
 * are too many or a group does not close. */
static gboolean
expand(const char *aare, GPtrArray *out)
{
    const char *open = NULL;

    for (const char *p = aare; *p && !open; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '{' && !(p > aare && p[-1] == '@'))
            open = p;
    }
    if (!open) {
        if (out->len >= AAVM_AARE_MATCH_ALTERNATIVES_MAX)
            return FALSE;
        g_ptr_array_add(out, g_strdup(aare));
        return TRUE;
    }
    const char *close = group_end(open);
    if (!close)
        return FALSE;
    const char *item = open + 1;
    guint depth = 0;
    for (const char *p = open + 1; p <= close; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '{')
            depth++;
        else if (*p == '}' && depth > 0)
            depth--;
        else if ((*p == ',' && depth == 0) || p == close) {
            g_autofree char *one = g_strdup_printf("%.*s%.*s%s", (int)(open - aare), aare,
                                                   (int)(p - item), item, close + 1);
            if (!expand(one, out))
                return FALSE;
            item = p + 1;
        }
    }
    return TRUE;
}

/* The text of @aare before its first unescaped special character,
 * unescaped. */
static char *
literal_prefix(const char *aare)
{
    GString *out = g_string_new(NULL);

    for (const char *p = aare; *p; p++) {
        if (*p == '\\' && p[1] && strchr(AAVM_AARE_SPECIAL, p[1]))
            p++;
        else if (strchr(AAVM_AARE_SPECIAL, *p))
            break;
        g_string_append_c(out, *p);
    }
    return g_string_free(out, FALSE);
}

/* @p (brace-free, not readable()) with every variable @{..} and character
 * class [..] made WIDE, so it matches at least what @p matches; NULL when
 * something else in it cannot be read. */
static char *
widen(const char *p)
{
    GString *out = g_string_new(NULL);

    for (; *p; p++) {
        const char *end = NULL;

        if (*p == WIDE) {
            break;
        } else if (*p == '\\') {
            if (!p[1] || !strchr(AAVM_AARE_SPECIAL, p[1]))
                break;
            g_string_append_len(out, p, 2);
            p++;
            continue;
        } else if (*p == '@' && p[1] == '{') {
            end = strchr(p, '}');
        } else if (*p == '[') {
            end = p + 1 + (p[1] == '^') + (p[1 + (p[1] == '^')] == ']');
            while (*end && *end != ']')
                end += *end == '\\' && end[1] ? 2 : 1;
            end = *end ? end : NULL;
        } else if (strchr("]{},", *p)) {
            break;
        } else {
            g_string_append_c(out, *p);
            continue;
        }
        if (!end)
            break;
        g_string_append_c(out, WIDE);
        p = end;
        /* It may be empty: "/x/" then it then "/" may be "/x/". */
        if (out->len >= 2 && out->str[out->len - 2] == '/' && p[1] == '/')
            p++;
    }
    if (*p) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

/* For a pattern that cannot be read: MAYBE when @path could be matched
 * by what starts like it. */
static AavmAareMatch
maybe_by_prefix(const char *aare, const char *path, gboolean below)
{
    g_autofree char *prefix = literal_prefix(aare);

    if (g_str_has_prefix(path, prefix) || (below && g_str_has_prefix(prefix, path)))
        return AAVM_AARE_MAYBE;
    return AAVM_AARE_NO_MATCH;
}

AavmAareMatch
aavm_aare_match(const char *aare, const char *path, gboolean below)
{
    g_autoptr(GPtrArray) patterns = g_ptr_array_new_with_free_func(g_free);
    AavmAareMatch best = AAVM_AARE_NO_MATCH;
    Matcher m = { .below = below };

    if (!expand(aare, patterns))
        return maybe_by_prefix(aare, path, below);
    for (guint i = 0; i < patterns->len; i++) {
        const char *p = g_ptr_array_index(patterns, i);
        AavmAareMatch r = AAVM_AARE_MAYBE;

        g_autofree char *wide = NULL;

        m.start = p;
        if (readable(p)) {
            r = match_here(&m, p, path);
        } else if ((wide = widen(p))) {
            m.start = wide;
            r = match_here(&m, wide, path);
            r = r == AAVM_AARE_MATCH ? AAVM_AARE_MAYBE : r;
        } else {
            r = maybe_by_prefix(p, path, below);
        }
        if (r == AAVM_AARE_MATCH)
            return r;
        if (r == AAVM_AARE_MAYBE)
            best = r;
    }
    return best;
}
