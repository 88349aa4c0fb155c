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

char *
aavm_render_aare(const AavmAccess *access)
{
    g_autofree char *quoted = aavm_render_path(access);

    return g_strndup(quoted + 1, strlen(quoted) - 2);
}

/* The end of the rule on @line (just after its ','), its quoted path in
 * [@out_start, @out_quote] and its letters from @out_perms; NULL when it is
 * not a rule line. */
static const char *
split_line(const char *line, const char **out_start, const char **out_quote,
           const char **out_perms)
{
    const char *start = line + strspn(line, " \t");
    const char *p = start;

    if (*p != '"')
        return NULL;
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    if (*p != '"' || p[1] != ' ')
        return NULL;
    const char *perms = p + 2;
    gsize n = strspn(perms, "rwlkmaixuUpPcC");
    if (n == 0 || perms[n] != ',')
        return NULL;
    *out_start = start;
    *out_quote = p;
    *out_perms = perms;
    return perms + n + 1;
}

gboolean
aavm_render_split_rule(const char *line, char **out_path, char **out_perms)
{
    const char *start, *quote, *perms;
    const char *end = split_line(line, &start, &quote, &perms);

    if (!end)
        return FALSE;
    *out_path = g_strndup(start, (gsize)(quote + 1 - start));
    *out_perms = g_strndup(perms, (gsize)(end - 1 - perms));
    return TRUE;
}

void
aavm_rendered_rule_free(AavmRenderedRule *rule)
{
    if (!rule)
        return;
    g_free(rule->aare);
    g_free(rule->perms);
    g_free(rule->reason);
    g_free(rule);
}

GPtrArray *
aavm_render_read_rules(const char *text)
{
    GPtrArray *rules = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_rendered_rule_free);
    g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
    const char *above = NULL; /* the reason on the line above, if that is one */

    for (guint i = 0; lines[i]; i++) {
        const char *start, *quote, *perms;
        const char *end = split_line(lines[i], &start, &quote, &perms);
        AavmRenderedRule *rule;

        if (!end) {
            /* append_rule(): "  # reason" on the line above the rule. */
            above = g_str_has_prefix(lines[i], "  # ") && lines[i][4] ? lines[i] + 4 : NULL;
            continue;
        }
        rule = g_new0(AavmRenderedRule, 1);
        rule->aare = g_strndup(start + 1, (gsize)(quote - start - 1));
        rule->perms = g_strndup(perms, (gsize)(end - 1 - perms));
        /* A .files of aavm before 0.1.0 put it after the rule. */
        if (g_str_has_prefix(end, "  # ") && end[4])
            rule->reason = g_strdup(end + 4);
        else if (above)
            rule->reason = g_strdup(above);
        above = NULL;
        g_ptr_array_add(rules, rule);
    }
    return rules;
}

AavmAccessList *
aavm_render_read_list(const char *text, GPtrArray *dropped)
{
    g_autoptr(GPtrArray) rules = aavm_render_read_rules(text);
    AavmAccessList *list = aavm_access_list_new();

    for (guint i = 0; i < rules->len; i++) {
        const AavmRenderedRule *rule = g_ptr_array_index(rules, i);
        AavmPerm perms = 0;

        if (aavm_perm_from_string(rule->perms, &perms))
            aavm_access_list_add(list, rule->aare, AAVM_MATCH_PATTERN, perms, rule->reason);
        else if (dropped)
            g_ptr_array_add(dropped, g_strdup_printf("\"%s\" %s", rule->aare, rule->perms));
    }
    return list;
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

static gboolean
has_control(const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return TRUE;
    return FALSE;
}

char *
aavm_render_files_header(const char *vm_name)
{
    if (!vm_name || !*vm_name || has_control(vm_name))
        return g_strdup(AAVM_FILES_HEADER);
    return g_strconcat(AAVM_FILES_HEADER AAVM_FILES_VM_PREFIX, vm_name, "\n", NULL);
}

char *
aavm_render_files(const AavmAccessList *list, const char *vm_name)
{
    g_autofree char *header = aavm_render_files_header(vm_name);

    return render_list(header, list);
}

char *
aavm_render_files_vm_name(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);

    /* Only the header: the comment lines at column 0 before the first rule. */
    for (guint i = 0; lines[i] && lines[i][0] == '#'; i++) {
        const char *name = lines[i] + strlen(AAVM_FILES_VM_PREFIX);
        if (g_str_has_prefix(lines[i], AAVM_FILES_VM_PREFIX) && *name && !has_control(name))
            return g_strdup(name);
    }
    return NULL;
}
