/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "render.h"

#include <string.h>

#include "aare.h"

static void
append_path(GString *out, const AavmAccess *access)
{
    g_string_append_c(out, '"');
    if (access->match == AAVM_MATCH_PATTERN) {
        g_string_append(out, access->path);
    } else {
        aavm_aare_append_escaped(out, access->path);
        g_string_append(out, aavm_match_suffix(access->match, access->path));
    }
    g_string_append_c(out, '"');
}

char *
aavm_render_path(const AavmAccess *access)
{
    GString *out = g_string_new(NULL);

    append_path(out, access);
    return g_string_free(out, FALSE);
}

gboolean
aavm_render_split_rule(const char *line, char **out_path, char **out_perms)
{
    const char *start = line + strspn(line, " \t");
    const char *p = start;

    if (*p != '"')
        return FALSE;
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    if (*p != '"' || p[1] != ' ')
        return FALSE;
    const char *perms = p + 2;
    gsize n = strspn(perms, "rwlkmaixuUpPcC");
    if (n == 0 || perms[n] != ',')
        return FALSE;
    *out_path = g_strndup(start, (gsize)(p + 1 - start));
    *out_perms = g_strndup(perms, n);
    return TRUE;
}

/* A reason ends up in a comment: no character may end the line early. */
static void
append_reason(GString *out, const char *reason)
{
    for (const unsigned char *c = (const unsigned char *)reason; *c; c++)
        g_string_append_c(out, (*c < 0x20 || *c == 0x7f) ? '?' : (char)*c);
}

/* The rule itself: `  "/x" rwk,` and a newline. */
static void
append_rule_line(GString *out, const AavmAccess *access)
{
    g_string_append(out, "  ");
    append_path(out, access);
    g_string_append_c(out, ' ');
    g_string_append(out, aavm_perm_to_string(access->perms));
    g_string_append(out, ",\n");
}

/* The reason on a comment line of its own, then the rule: every rule line
 * ends in its comma, as the reference's do (tools match `,$`). */
static void
append_rule(GString *out, const AavmAccess *access)
{
    if (access->reason && *access->reason) {
        g_string_append(out, "  # ");
        append_reason(out, access->reason);
        g_string_append_c(out, '\n');
    }
    append_rule_line(out, access);
}

char *
aavm_render_rule(const AavmAccess *access)
{
    GString *out = g_string_new(NULL);

    append_rule(out, access);
    return g_string_free(out, FALSE);
}

char *
aavm_render_rule_inline(const AavmAccess *access)
{
    GString *out = g_string_new(NULL);

    append_rule_line(out, access);
    g_string_truncate(out, out->len - 1);
    if (access->reason && *access->reason) {
        g_string_append(out, "  # ");
        append_reason(out, access->reason);
    }
    return g_strstrip(g_string_free(out, FALSE));
}

static char *
render_list(const char *header, const AavmAccessList *list)
{
    GString *out = g_string_new(header);

    for (guint i = 0; i < aavm_access_list_length(list); i++)
        append_rule(out, aavm_access_list_get(list, i));
    return g_string_free(out, FALSE);
}

char *
aavm_render_body(const AavmAccessList *list)
{
    return render_list("", list);
}

char *
aavm_render_files(const AavmAccessList *list)
{
    return render_list(AAVM_FILES_HEADER, list);
}
