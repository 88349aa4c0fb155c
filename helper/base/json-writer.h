/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json-writer.h: the one writer of the JSON documents aavm prints
 * (docs/json.md): one compact line (no spaces), keys in the order they are
 * written, strings made valid UTF-8 with every control character escaped.
 *
 *     g_autoptr(AavmJson) j = aavm_json_new();
 *     aavm_json_object_begin(j, NULL);
 *     aavm_json_uint(j, "version", AAVM_JSON_VERSION);
 *     aavm_json_array_begin(j, "vms");
 *     ...
 *     aavm_json_array_end(j);
 *     aavm_json_object_end(j);
 *     return aavm_json_to_string(j);
 *
 * A member of an object is written with its @key; a value in an array, or
 * the document itself, with @key NULL. */
#pragma once

#include <glib.h>

/* The schema version of every JSON document aavm prints, its "version" key
 * (docs/json.md): it changes when a key is removed or changes its meaning
 * or type; keys and values may be added without a change. */
#define AAVM_JSON_VERSION 1

typedef struct _AavmJson AavmJson;

AavmJson *aavm_json_new(void);
void aavm_json_free(AavmJson *json);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmJson, aavm_json_free)

/* The document written, or NULL when it is not one whole value: a
 * container left open, nothing written, or a call that did not fit (a key
 * in an array or outside any object, none in an object, an end that closes
 * nothing or the other kind, a second value after the document).  NULL is
 * a programming error; every writer's tests see its document. */
char *aavm_json_to_string(AavmJson *json);

void aavm_json_object_begin(AavmJson *json, const char *key);
void aavm_json_object_end(AavmJson *json);
void aavm_json_array_begin(AavmJson *json, const char *key);
void aavm_json_array_end(AavmJson *json);

/* @value NULL is written as null. */
void aavm_json_string(AavmJson *json, const char *key, const char *value);
/* An array of the strings of @values (char *); NULL is an empty array. */
void aavm_json_strings(AavmJson *json, const char *key, const GPtrArray *values);
void aavm_json_uint(AavmJson *json, const char *key, guint64 value);
void aavm_json_int(AavmJson *json, const char *key, gint64 value);
void aavm_json_bool(AavmJson *json, const char *key, gboolean value);
void aavm_json_null(AavmJson *json, const char *key);
/* @value, or null when it is not @known. */
void aavm_json_known_uint(AavmJson *json, const char *key, gboolean known, guint64 value);
void aavm_json_known_bool(AavmJson *json, const char *key, gboolean known, gboolean value);
