/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-opts.c: QEMU's option syntax (see qemu-args-private.h). */
#include "qemu-args-private.h"

#include <string.h>

#include "access.h"
#include "aavm-error.h"

/* ---- Parameters ---- */

void
aavm_qemu_param_free(AavmQemuParam *param)
{
    if (!param)
        return;
    g_free(param->key);
    g_free(param->value);
    g_free(param);
}

static void
param_add(GPtrArray *params, const char *key, const char *value)
{
    AavmQemuParam *param = g_new0(AavmQemuParam, 1);

    param->key = g_strdup(key);
    param->value = g_strdup(value);
    g_ptr_array_add(params, param);
}

static GPtrArray *
params_new(void)
{
    return g_ptr_array_new_with_free_func((GDestroyNotify)aavm_qemu_param_free);
}

const char *
aavm_qemu_params_get(const GPtrArray *params, const char *key)
{
    for (guint i = 0; params && i < params->len; i++) {
        const AavmQemuParam *param = g_ptr_array_index(params, i);
        if (g_strcmp0(param->key, key) == 0)
            return param->value;
    }
    return NULL;
}

/* The value of @key, marking every parameter of that key understood. */
const char *
aavm_qemu_take(GPtrArray *params, const char *key)
{
    const char *value = NULL;

    for (guint i = 0; i < params->len; i++) {
        AavmQemuParam *param = g_ptr_array_index(params, i);
        if (g_strcmp0(param->key, key) == 0) {
            param->used = TRUE;
            value = param->value; /* QEMU: the last one wins */
        }
    }
    return value;
}

gboolean
aavm_qemu_is_true(const char *value)
{
    static const char *const yes[] = { "on", "yes", "true", "y", NULL };

    return value && g_strv_contains(yes, value);
}

GPtrArray *
aavm_qemu_opts_split(const char *text, const char *implied, GError **error)
{
    g_autoptr(GPtrArray) params = params_new();
    g_autoptr(GString) part = g_string_new(NULL);
    gboolean first = TRUE;

    for (const char *p = text;; p++) {
        if (*p == ',' && p[1] == ',') {
            g_string_append_c(part, ',');
            p++;
            continue;
        }
        if (*p && *p != ',') {
            g_string_append_c(part, *p);
            continue;
        }
        if (part->len > 0) {
            const char *eq = strchr(part->str, '=');
            if (params->len >= AAVM_QEMU_MAX_PARAMS) {
                aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                          _("A QEMU argument has more than %d parts."), AAVM_QEMU_MAX_PARAMS);
                return NULL;
            }
            if (eq == part->str) {
                aavm_fail(error, AAVM_ERROR_INVALID_XML,
                          _("A QEMU argument has a part with an empty key: '%s'."), part->str);
                return NULL;
            }
            if (eq) {
                g_autofree char *key = g_strndup(part->str, eq - part->str);
                param_add(params, key, eq + 1);
            } else if (first) {
                param_add(params, implied, part->str);
            } else {
                param_add(params, part->str, "on");
            }
        }
        first = FALSE;
        g_string_truncate(part, 0);
        if (!*p)
            break;
    }
    return g_steal_pointer(&params);
}

/* ---- A small, bounded JSON reader ---- */

typedef struct {
    const char *p;
    GPtrArray *out;
    GError **error;
} Json;

static gboolean json_value(Json *j, const char *prefix, guint depth);

static gboolean
json_fail(Json *j)
{
    return aavm_fail(j->error, AAVM_ERROR_INVALID_XML,
                     _("A JSON argument cannot be read near '%.20s'."), j->p);
}

static void
json_ws(Json *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
        j->p++;
}

static gboolean
json_hex4(const char *p, gunichar *out)
{
    *out = 0;
    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(p[i]);
        if (d < 0)
            return FALSE;
        *out = *out * 16 + (gunichar)d;
    }
    return TRUE;
}

static gboolean
json_string(Json *j, char **out)
{
    g_autoptr(GString) s = g_string_new(NULL);

    if (*j->p != '"')
        return json_fail(j);
    for (j->p++; *j->p != '"'; j->p++) {
        unsigned char c = (unsigned char)*j->p;
        if (c == 0 || c < 0x20)
            return json_fail(j);
        if (c != '\\') {
            g_string_append_c(s, (char)c);
            continue;
        }
        j->p++;
        const char *simple = strchr("\"\\/bfnrt", *j->p);
        if (*j->p && simple) {
            static const char decoded[] = "\"\\/\b\f\n\r\t";
            g_string_append_c(s, decoded[simple - "\"\\/bfnrt"]);
            continue;
        }
        gunichar u, low;
        if (*j->p != 'u' || !json_hex4(j->p + 1, &u))
            return json_fail(j);
        j->p += 4;
        if (u >= 0xd800 && u < 0xdc00) {
            if (j->p[1] != '\\' || j->p[2] != 'u' || !json_hex4(j->p + 3, &low) ||
                low < 0xdc00 || low >= 0xe000)
                return json_fail(j);
            u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
            j->p += 6;
        } else if (u >= 0xdc00 && u < 0xe000) {
            return json_fail(j);
        }
        if (u == 0)
            return json_fail(j);
        g_string_append_unichar(s, u);
    }
    j->p++;
    *out = g_string_free(g_steal_pointer(&s), FALSE);
    return TRUE;
}

static char *
json_key(const char *prefix, const char *name)
{
    return prefix ? g_strconcat(prefix, ".", name, NULL) : g_strdup(name);
}

static gboolean
json_add(Json *j, const char *prefix, const char *value)
{
    if (j->out->len >= AAVM_QEMU_MAX_PARAMS)
        return aavm_fail(j->error, AAVM_ERROR_TOO_LARGE,
                         _("A QEMU argument has more than %d parts."), AAVM_QEMU_MAX_PARAMS);
    param_add(j->out, prefix ? prefix : "", value);
    return TRUE;
}

static gboolean
json_object(Json *j, const char *prefix, guint depth)
{
    j->p++;
    json_ws(j);
    if (*j->p == '}') {
        j->p++;
        return TRUE;
    }
    for (;;) {
        g_autofree char *name = NULL;
        json_ws(j);
        if (!json_string(j, &name))
            return FALSE;
        json_ws(j);
        if (*j->p != ':')
            return json_fail(j);
        j->p++;
        g_autofree char *key = json_key(prefix, name);
        if (!json_value(j, key, depth + 1))
            return FALSE;
        json_ws(j);
        if (*j->p == '}') {
            j->p++;
            return TRUE;
        }
        if (*j->p != ',')
            return json_fail(j);
        j->p++;
    }
}

static gboolean
json_array(Json *j, const char *prefix, guint depth)
{
    j->p++;
    json_ws(j);
    if (*j->p == ']') {
        j->p++;
        return TRUE;
    }
    for (guint n = 0;; n++) {
        g_autofree char *index = g_strdup_printf("%u", n);
        g_autofree char *key = json_key(prefix, index);
        if (!json_value(j, key, depth + 1))
            return FALSE;
        json_ws(j);
        if (*j->p == ']') {
            j->p++;
            return TRUE;
        }
        if (*j->p != ',')
            return json_fail(j);
        j->p++;
    }
}

static gboolean
json_value(Json *j, const char *prefix, guint depth)
{
    static const struct {
        const char *word;
        const char *value;
    } words[] = { { "true", "on" }, { "false", "off" }, { "null", "" } };

    if (depth > AAVM_QEMU_MAX_JSON_DEPTH)
        return aavm_fail(j->error, AAVM_ERROR_TOO_LARGE,
                         _("A JSON argument is nested deeper than %d levels."),
                         AAVM_QEMU_MAX_JSON_DEPTH);
    json_ws(j);
    if (*j->p == '{')
        return json_object(j, prefix, depth);
    if (*j->p == '[')
        return json_array(j, prefix, depth);
    if (*j->p == '"') {
        g_autofree char *s = NULL;
        return json_string(j, &s) && json_add(j, prefix, s);
    }
    for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
        if (g_str_has_prefix(j->p, words[i].word)) {
            j->p += strlen(words[i].word);
            return json_add(j, prefix, words[i].value);
        }
    }
    const char *start = j->p;
    while (*j->p && strchr("-+.0123456789eE", *j->p))
        j->p++;
    if (j->p == start)
        return json_fail(j);
    g_autofree char *number = g_strndup(start, j->p - start);
    return json_add(j, prefix, number);
}

GPtrArray *
aavm_qemu_json_flatten(const char *text, GError **error)
{
    g_autoptr(GPtrArray) params = params_new();
    Json j = { text, params, error };

    json_ws(&j);
    if (*j.p != '{') {
        json_fail(&j);
        return NULL;
    }
    if (!json_value(&j, NULL, 0))
        return NULL;
    json_ws(&j);
    if (*j.p) {
        json_fail(&j);
        return NULL;
    }
    return g_steal_pointer(&params);
}

/* The part of @key before its last component ("file." of "file.filename"),
 * and that last component. */
char *
aavm_qemu_key_node(const char *key, const char **out_last)
{
    const char *dot = strrchr(key, '.');

    *out_last = dot ? dot + 1 : key;
    return g_strndup(key, dot ? (gsize)(dot + 1 - key) : 0);
}

const char *
aavm_qemu_node_get(const GPtrArray *params, const char *node, const char *name)
{
    g_autofree char *key = g_strconcat(node, name, NULL);

    return aavm_qemu_params_get(params, key);
}
