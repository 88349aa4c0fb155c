/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "journal-json.h"

#include <string.h>

typedef struct {
    const char *p;
    const char *end;
} Scan;

static void
skip_blank(Scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

static gboolean
eat(Scan *s, char c)
{
    skip_blank(s);
    if (s->p >= s->end || *s->p != c)
        return FALSE;
    s->p++;
    return TRUE;
}

static int
hex4(const char *p)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* A string; its bytes appended to @out when not NULL. */
static gboolean
scan_string(Scan *s, GString *out)
{
    if (!eat(s, '"'))
        return FALSE;
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p++;
        if (c == '"')
            return TRUE;
        if (c < 0x20)
            return FALSE;
        if (c != '\\') {
            if (out)
                g_string_append_c(out, (char)c);
            continue;
        }
        if (s->p >= s->end)
            return FALSE;
        char e = *s->p++;
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char decoded[] = "\"\\/\b\f\n\r\t";
            if (out)
                g_string_append_c(out, decoded[simple - "\"\\/bfnrt"]);
            continue;
        }
        if (e != 'u' || s->end - s->p < 4)
            return FALSE;
        int cp = hex4(s->p);
        s->p += 4;
        if (cp < 0)
            return FALSE;
        if (cp >= 0xD800 && cp < 0xDC00) {
            if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                return FALSE;
            int low = hex4(s->p + 2);
            if (low < 0xDC00 || low > 0xDFFF)
                return FALSE;
            s->p += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
            return FALSE;
        }
        if (out)
            g_string_append_unichar(out, (gunichar)cp);
    }
    return FALSE;
}

static gboolean scan_value(Scan *s, guint depth, GString *bytes);

/* An array; when @bytes is not NULL it must be of byte values, appended. */
static gboolean
scan_array(Scan *s, guint depth, GString *bytes)
{
    if (!eat(s, '['))
        return FALSE;
    if (eat(s, ']'))
        return TRUE;
    do {
        if (bytes) {
            skip_blank(s);
            guint v = 0;
            const char *start = s->p;
            while (s->p < s->end && g_ascii_isdigit(*s->p) && s->p - start < 4)
                v = v * 10 + (guint)(*s->p++ - '0');
            if (s->p == start || v == 0 || v > 255)
                return FALSE;
            g_string_append_c(bytes, (char)v);
        } else if (!scan_value(s, depth + 1, NULL)) {
            return FALSE;
        }
    } while (eat(s, ','));
    return eat(s, ']');
}

static gboolean
scan_object(Scan *s, guint depth, GString *message, gboolean *found)
{
    if (!eat(s, '{'))
        return FALSE;
    if (eat(s, '}'))
        return TRUE;
    do {
        g_autoptr(GString) key = g_string_new(NULL);
        if (!scan_string(s, key) || !eat(s, ':'))
            return FALSE;
        gboolean is_message = message && strcmp(key->str, "MESSAGE") == 0 && !*found;
        skip_blank(s);
        if (is_message && s->p < s->end && *s->p == '"') {
            if (!scan_string(s, message))
                return FALSE;
            *found = TRUE;
        } else if (is_message && s->p < s->end && *s->p == '[') {
            if (!scan_array(s, depth + 1, message))
                return FALSE;
            *found = TRUE;
        } else if (!scan_value(s, depth + 1, NULL)) {
            return FALSE;
        }
    } while (eat(s, ','));
    return eat(s, '}');
}

static gboolean
scan_literal(Scan *s, const char *word)
{
    gsize n = strlen(word);

    skip_blank(s);
    if ((gsize)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return FALSE;
    s->p += n;
    return TRUE;
}

static gboolean
scan_value(Scan *s, guint depth, GString *bytes)
{
    (void)bytes;
    if (depth > AAVM_JOURNAL_JSON_DEPTH_MAX)
        return FALSE;
    skip_blank(s);
    if (s->p >= s->end)
        return FALSE;
    switch (*s->p) {
    case '"': return scan_string(s, NULL);
    case '[': return scan_array(s, depth, NULL);
    case '{': {
        gboolean unused = FALSE;
        return scan_object(s, depth, NULL, &unused);
    }
    case 't': return scan_literal(s, "true");
    case 'f': return scan_literal(s, "false");
    case 'n': return scan_literal(s, "null");
    default: {
        const char *start = s->p;
        while (s->p < s->end && strchr("+-0123456789.eE", *s->p))
            s->p++;
        return s->p > start;
    }
    }
}

gboolean
aavm_journal_json_is_entry(const char *line, gsize len)
{
    for (gsize i = 0; i < len; i++) {
        if (line[i] == ' ' || line[i] == '\t')
            continue;
        return line[i] == '{';
    }
    return FALSE;
}

gboolean
aavm_journal_json_message(const char *line, gsize len, char **out, gsize *out_len)
{
    Scan s = { line, line + len };
    g_autoptr(GString) message = g_string_new(NULL);
    gboolean found = FALSE;

    if (!scan_object(&s, 0, message, &found) || !found)
        return FALSE;
    skip_blank(&s);
    if (s.p != s.end || memchr(message->str, '\0', message->len))
        return FALSE;
    *out_len = message->len;
    *out = g_string_free(g_steal_pointer(&message), FALSE);
    return TRUE;
}
