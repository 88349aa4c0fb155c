/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json-writer.h"

#include <inttypes.h>

typedef struct {
    gboolean object;
    guint members;
} Level;

struct _AavmJson {
    GString *out;
    GArray *levels;  /* Level, innermost last */
    gboolean misused;
};

AavmJson *
aavm_json_new(void)
{
    AavmJson *json = g_new0(AavmJson, 1);

    json->out = g_string_new(NULL);
    json->levels = g_array_new(FALSE, FALSE, sizeof(Level));
    return json;
}

void
aavm_json_free(AavmJson *json)
{
    if (!json)
        return;
    g_string_free(json->out, TRUE);
    g_array_unref(json->levels);
    g_free(json);
}

char *
aavm_json_to_string(AavmJson *json)
{
    if (json->misused || json->levels->len || !json->out->len)
        return NULL;
    return g_strdup(json->out->str);
}

static Level *
innermost(AavmJson *json)
{
    return json->levels->len ? &g_array_index(json->levels, Level, json->levels->len - 1) : NULL;
}

/* Text as a JSON string: valid UTF-8 (an invalid byte becomes U+FFFD),
 * with the quote, the backslash and every control character escaped: C0
 * and DEL as JSON requires, C1 (terminals act on it) and U+2028/U+2029
 * (line ends to JavaScript) as well. */
static void
append_string(GString *out, const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text, -1);

    g_string_append_c(out, '"');
    for (const char *c = valid; *c; c = g_utf8_next_char(c)) {
        gunichar ch = g_utf8_get_char(c);

        switch (ch) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        default:
            if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == 0x2028 || ch == 0x2029)
                g_string_append_printf(out, "\\u%04x", (guint)ch);
            else
                g_string_append_len(out, c, g_utf8_next_char(c) - c);
        }
    }
    g_string_append_c(out, '"');
}

/* Where a value goes: the comma and the key it needs, or misuse. */
static gboolean
begin_value(AavmJson *json, const char *key)
{
    Level *level = innermost(json);

    if (json->misused)
        return FALSE;
    if (level ? level->object != (key != NULL) : key != NULL || json->out->len) {
        json->misused = TRUE;
        return FALSE;
    }
    if (!level)
        return TRUE;
    if (level->members++)
        g_string_append_c(json->out, ',');
    if (key) {
        append_string(json->out, key);
        g_string_append_c(json->out, ':');
    }
    return TRUE;
}

static void
open_level(AavmJson *json, const char *key, gboolean object)
{
    Level level = { object, 0 };

    if (!begin_value(json, key))
        return;
    g_string_append_c(json->out, object ? '{' : '[');
    g_array_append_val(json->levels, level);
}

static void
close_level(AavmJson *json, gboolean object)
{
    Level *level = innermost(json);

    if (!level || level->object != object) {
        json->misused = TRUE;
        return;
    }
    g_string_append_c(json->out, object ? '}' : ']');
    g_array_set_size(json->levels, json->levels->len - 1);
}

void
aavm_json_object_begin(AavmJson *json, const char *key)
{
    open_level(json, key, TRUE);
}

void
aavm_json_object_end(AavmJson *json)
{
    close_level(json, TRUE);
}

void
aavm_json_array_begin(AavmJson *json, const char *key)
{
    open_level(json, key, FALSE);
}

void
aavm_json_array_end(AavmJson *json)
{
    close_level(json, FALSE);
}

void
aavm_json_string(AavmJson *json, const char *key, const char *value)
{
    if (!begin_value(json, key))
        return;
    if (value)
        append_string(json->out, value);
    else
        g_string_append(json->out, "null");
}

void
aavm_json_strings(AavmJson *json, const char *key, const GPtrArray *values)
{
    aavm_json_array_begin(json, key);
    for (guint i = 0; values && i < values->len; i++)
        aavm_json_string(json, NULL, g_ptr_array_index(values, i));
    aavm_json_array_end(json);
}

void
aavm_json_uint(AavmJson *json, const char *key, guint64 value)
{
    if (begin_value(json, key))
        g_string_append_printf(json->out, "%" PRIu64, value);
}

void
aavm_json_int(AavmJson *json, const char *key, gint64 value)
{
    if (begin_value(json, key))
        g_string_append_printf(json->out, "%" PRId64, value);
}

void
aavm_json_bool(AavmJson *json, const char *key, gboolean value)
{
    if (begin_value(json, key))
        g_string_append(json->out, value ? "true" : "false");
}

void
aavm_json_null(AavmJson *json, const char *key)
{
    if (begin_value(json, key))
        g_string_append(json->out, "null");
}

void
aavm_json_known_uint(AavmJson *json, const char *key, gboolean known, guint64 value)
{
    if (known)
        aavm_json_uint(json, key, value);
    else
        aavm_json_null(json, key);
}

void
aavm_json_known_bool(AavmJson *json, const char *key, gboolean known, gboolean value)
{
    if (known)
        aavm_json_bool(json, key, value);
    else
        aavm_json_null(json, key);
}
