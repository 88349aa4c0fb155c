/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "access.h"

#include <stdarg.h>
#include <string.h>

static const char *const match_names[AAVM_MATCH_LAST] = {
    [AAVM_MATCH_EXACT] = "exact",
    [AAVM_MATCH_DIR] = "dir",
    [AAVM_MATCH_TREE] = "tree",
    [AAVM_MATCH_PATTERN] = "pattern",
};

const char *
aavm_match_to_string(AavmMatch match)
{
    if ((int)match < 0 || match >= AAVM_MATCH_LAST)
        return "unknown";
    return match_names[match];
}

const char *
aavm_match_suffix(AavmMatch match, const char *path)
{
    gboolean slash = g_str_has_suffix(path, "/");

    if (match == AAVM_MATCH_DIR)
        return slash ? "" : "/";
    if (match == AAVM_MATCH_TREE)
        return slash ? "**" : "/**";
    return "";
}

const char *
aavm_origin_to_string(AavmOrigin origin)
{
    switch (origin) {
    case AAVM_ORIGIN_DEVICE:
        return "device";
    case AAVM_ORIGIN_BASE:
        return "base";
    case AAVM_ORIGIN_EXTRA:
        return "extra";
    case AAVM_ORIGIN_PASSTHROUGH:
        return "passthrough";
    }
    return "unknown";
}

/* Rendering order of the permission letters. */
static const struct {
    AavmPerm perm;
    char letter;
} perm_letters[] = {
    { AAVM_PERM_READ, 'r' },
    { AAVM_PERM_WRITE, 'w' },
    { AAVM_PERM_LINK, 'l' },
    { AAVM_PERM_LOCK, 'k' },
    { AAVM_PERM_MMAP, 'm' },
};

const char *
aavm_perm_to_string(AavmPerm perms)
{
    /* One static string per combination: 32 entries of at most 6 bytes. */
    static char table[AAVM_PERM_ALL + 1][G_N_ELEMENTS(perm_letters) + 1];
    static gsize initialised = 0;

    if (g_once_init_enter(&initialised)) {
        for (guint p = 0; p <= AAVM_PERM_ALL; p++) {
            guint n = 0;
            for (guint i = 0; i < G_N_ELEMENTS(perm_letters); i++)
                if (p & perm_letters[i].perm)
                    table[p][n++] = perm_letters[i].letter;
            table[p][n] = '\0';
        }
        g_once_init_leave(&initialised, 1);
    }
    return table[perms & AAVM_PERM_ALL];
}

gboolean
aavm_perm_from_string(const char *letters, AavmPerm *out_perms)
{
    AavmPerm perms = 0;

    for (const char *c = letters; *c; c++) {
        gboolean found = FALSE;
        for (guint i = 0; i < G_N_ELEMENTS(perm_letters); i++) {
            if (*c == perm_letters[i].letter) {
                perms |= perm_letters[i].perm;
                found = TRUE;
            }
        }
        if (!found)
            return FALSE;
    }
    *out_perms = perms;
    return TRUE;
}

AavmAccess *
aavm_access_new(const char *path, AavmMatch match, AavmPerm perms, const char *reason)
{
    AavmAccess *access = g_new0(AavmAccess, 1);

    access->path = g_strdup(path);
    access->match = match;
    access->perms = perms;
    access->reason = g_strdup(reason ? reason : "");
    return access;
}

void
aavm_access_free(AavmAccess *access)
{
    if (!access)
        return;
    g_free(access->path);
    g_free(access->reason);
    g_free(access);
}

AavmAccessList *
aavm_access_list_new(void)
{
    AavmAccessList *list = g_new0(AavmAccessList, 1);

    list->entries = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_access_free);
    list->index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    list->warnings = g_ptr_array_new_with_free_func(g_free);
    return list;
}

void
aavm_access_list_free(AavmAccessList *list)
{
    if (!list)
        return;
    g_hash_table_unref(list->index);
    g_ptr_array_unref(list->entries);
    g_ptr_array_unref(list->warnings);
    g_free(list);
}

static char *
index_key(const char *path, AavmMatch match)
{
    return g_strdup_printf("%d\x1f%s", (int)match, path);
}

/* TRUE when @reason already is one of the "; "-separated parts of @reasons. */
static gboolean
reason_listed(const char *reasons, const char *reason)
{
    gsize len = strlen(reason);

    for (const char *p = reasons; p && *p;) {
        const char *end = strstr(p, "; ");
        gsize part = end ? (gsize)(end - p) : strlen(p);
        if (part == len && strncmp(p, reason, len) == 0)
            return TRUE;
        p = end ? end + 2 : NULL;
    }
    return FALSE;
}

void
aavm_access_list_add(AavmAccessList *list, const char *path, AavmMatch match,
                     AavmPerm perms, const char *reason)
{
    aavm_access_list_add_from(list, AAVM_ORIGIN_DEVICE, path, match, perms, reason);
}

void
aavm_access_list_add_from(AavmAccessList *list, AavmOrigin origin, const char *path,
                          AavmMatch match, AavmPerm perms, const char *reason)
{
    g_autofree char *key = index_key(path, match);
    AavmAccess *existing = g_hash_table_lookup(list->index, key);

    g_return_if_fail(path != NULL);

    if (existing) {
        existing->perms |= perms;
        existing->origins |= origin;
        if (reason && *reason && !reason_listed(existing->reason, reason)) {
            char *joined = *existing->reason
                ? g_strconcat(existing->reason, "; ", reason, NULL)
                : g_strdup(reason);
            g_free(existing->reason);
            existing->reason = joined;
        }
        return;
    }

    AavmAccess *access = aavm_access_new(path, match, perms, reason);
    access->origins = origin;
    g_ptr_array_add(list->entries, access);
    g_hash_table_insert(list->index, g_steal_pointer(&key), access);
}

const AavmAccess *
aavm_access_list_lookup(const AavmAccessList *list, const char *path, AavmMatch match)
{
    g_autofree char *key = index_key(path, match);

    return g_hash_table_lookup(list->index, key);
}

guint
aavm_access_list_length(const AavmAccessList *list)
{
    return list->entries->len;
}

const AavmAccess *
aavm_access_list_get(const AavmAccessList *list, guint i)
{
    g_return_val_if_fail(i < list->entries->len, NULL);
    return g_ptr_array_index(list->entries, i);
}

static gint
compare_access(gconstpointer a, gconstpointer b)
{
    const AavmAccess *x = *(const AavmAccess *const *)a;
    const AavmAccess *y = *(const AavmAccess *const *)b;
    int c = strcmp(x->path, y->path);

    if (c != 0)
        return c;
    return (int)x->match - (int)y->match;
}

void
aavm_access_list_sort(AavmAccessList *list)
{
    g_ptr_array_sort(list->entries, compare_access);
}

void
aavm_access_list_warn(AavmAccessList *list, const char *format, ...)
{
    va_list args;
    char *message;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    if (g_ptr_array_find_with_equal_func(list->warnings, message, g_str_equal, NULL))
        g_free(message);
    else
        g_ptr_array_add(list->warnings, message);
}
