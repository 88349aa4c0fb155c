/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "template.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "store.h"

/* Offset of the placeholder in a line "<blanks>profile LIBVIRT_TEMPLATE<blank|{>",
 * or -1. */
static gssize
find_profile_line(const char *text, gssize *out_second)
{
    gssize found = -1;

    *out_second = -1;
    for (const char *line = text; line && *line;) {
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "profile", 7) == 0 && (p[7] == ' ' || p[7] == '\t')) {
            p += 7;
            while (*p == ' ' || *p == '\t')
                p++;
            gsize n = strlen(AAVM_TEMPLATE_PLACEHOLDER);
            if (strncmp(p, AAVM_TEMPLATE_PLACEHOLDER, n) == 0 &&
                (p[n] == ' ' || p[n] == '\t' || p[n] == '{' || p[n] == '\n')) {
                if (found >= 0) {
                    *out_second = p - text;
                    return found;
                }
                found = p - text;
            }
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return found;
}

/* Offset of the profile body's opening brace at or after @from: the first
 * unquoted '{' followed by white space (an attachment glob such as
 * "/usr/bin/qemu-{a,b}" has none after its brace); -1 if there is none. */
static gssize
find_opening_brace(const char *text, gsize from)
{
    for (const char *p = text + from; *p; p++) {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return -1;
        } else if (*p == '#') {
            return -1; /* the header line ended without a body */
        } else if (*p == '{' && (p[1] == ' ' || p[1] == '\t' || p[1] == '\n' || p[1] == '\r')) {
            return p - text;
        }
    }
    return -1;
}

/* Offset of the brace closing the block that opens at @open, skipping
 * comments and quoted strings; -1 if unbalanced. */
static gssize
find_closing_brace(const char *text, gsize open)
{
    int depth = 0;

    for (const char *p = text + open; *p; p++) {
        switch (*p) {
        case '#':
            while (*p && *p != '\n')
                p++;
            if (!*p)
                return -1;
            break;
        case '"':
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (!*p)
                return -1;
            break;
        case '{':
            depth++;
            break;
        case '}':
            if (depth == 0)
                return -1;
            if (--depth == 0)
                return p - text;
            break;
        default:
            break;
        }
    }
    return -1;
}

/* Whether the line at @line is an abi rule ("abi <...>," or "abi "...","),
 * blanks before it allowed. */
static gboolean
is_abi_line(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return strncmp(line, "abi", 3) == 0 &&
           (line[3] == ' ' || line[3] == '\t' || line[3] == '<' || line[3] == '"');
}

/* Append the preamble @text[0..@len) (whole lines, before the profile
 * line) to @out, each abi rule in it made "abi <abi/@abi>,"; without one,
 * that rule is put first.  @abi NULL: unchanged. */
static void
append_preamble(GString *out, const char *text, gsize len, const char *abi)
{
    g_autofree char *pin = abi ? g_strdup_printf("abi <abi/%s>,", abi) : NULL;
    gsize start = out->len;
    gboolean pinned = FALSE;

    for (gsize at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        gsize end = nl ? (gsize)(nl - text) + 1 : len;
        if (pin && is_abi_line(text + at)) {
            g_string_append(out, pin);
            g_string_append_c(out, '\n');
            pinned = TRUE;
        } else {
            g_string_append_len(out, text + at, end - at);
        }
        at = end;
    }
    if (pin && !pinned) {
        g_string_insert_c(out, start, '\n');
        g_string_insert(out, start, pin);
    }
}

char *
aavm_template_fill(const char *template_text, const char *profile_name, const char *insert,
                   const char *abi, GError **error)
{
    gssize second = -1;
    gssize name_at = find_profile_line(template_text, &second);

    g_return_val_if_fail(!abi || aavm_template_abi_valid(abi), NULL);

    if (name_at < 0) {
        aavm_fail(error, AAVM_ERROR_TEMPLATE,
                  _("The template has no line 'profile %s'."), AAVM_TEMPLATE_PLACEHOLDER);
        return NULL;
    }
    if (second >= 0) {
        aavm_fail(error, AAVM_ERROR_TEMPLATE,
                  _("The template has more than one line 'profile %s'."),
                  AAVM_TEMPLATE_PLACEHOLDER);
        return NULL;
    }

    gsize after_name = (gsize)name_at + strlen(AAVM_TEMPLATE_PLACEHOLDER);
    gssize open = find_opening_brace(template_text, after_name);
    gssize close = open < 0 ? -1 : find_closing_brace(template_text, (gsize)open);
    if (close < 0) {
        aavm_fail(error, AAVM_ERROR_TEMPLATE,
                  _("The body of profile %s in the template has no matching closing brace."),
                  AAVM_TEMPLATE_PLACEHOLDER);
        return NULL;
    }

    gsize profile_line = (gsize)name_at;
    while (profile_line > 0 && template_text[profile_line - 1] != '\n')
        profile_line--;
    GString *out = g_string_sized_new(strlen(template_text) + 256);
    append_preamble(out, template_text, profile_line, abi);
    g_string_append_len(out, template_text + profile_line, (gsize)name_at - profile_line);
    g_string_append(out, profile_name);

    /* Insert before the closing brace: at the start of its line when only
     * blanks precede it there, else on a line of its own. */
    gsize line_start = (gsize)close;
    while (line_start > after_name && (template_text[line_start - 1] == ' ' ||
                                       template_text[line_start - 1] == '\t'))
        line_start--;
    gboolean own_line = line_start == 0 || template_text[line_start - 1] == '\n';
    gsize cut = own_line ? line_start : (gsize)close;

    g_string_append_len(out, template_text + after_name, cut - after_name);
    if (insert) {
        if (!own_line)
            g_string_append_c(out, '\n');
        g_string_append(out, insert);
    }
    g_string_append(out, template_text + cut);
    return g_string_free(out, FALSE);
}

char *
aavm_template_include_line(const char *files_path)
{
    return g_strdup_printf("  include if exists \"%s\"\n", files_path);
}

/* The file an include line names, or NULL: "include", "#include" (the
 * old spelling virt-aa-helper writes) or "include if exists", then the
 * name in quotes or angle brackets.  *out_search: angle brackets (a name
 * relative to the parser's search directories). */
static char *
include_target(const char *line, gboolean *out_search)
{
    const char *p = line;

    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '#')
        p++;
    if (strncmp(p, "include", 7) != 0 || (p[7] != ' ' && p[7] != '\t'))
        return NULL;
    p += 7;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "if", 2) == 0 && (p[2] == ' ' || p[2] == '\t')) {
        p += 2;
        while (*p == ' ' || *p == '\t')
            p++;
        if (strncmp(p, "exists", 6) != 0 || (p[6] != ' ' && p[6] != '\t'))
            return NULL;
        p += 6;
        while (*p == ' ' || *p == '\t')
            p++;
    }
    char close = *p == '"' ? '"' : *p == '<' ? '>' : '\0';
    if (!close)
        return NULL;
    const char *end = strchr(p + 1, close);
    if (!end)
        return NULL;
    for (const char *q = end + 1; *q; q++)
        if (*q != ' ' && *q != '\t' && *q != '\r')
            return NULL;
    *out_search = close == '>';
    return g_strndup(p + 1, end - p - 1);
}

gboolean
aavm_template_includes_files(const char *profile_text, const char *files_path)
{
    g_auto(GStrv) lines = g_strsplit(profile_text, "\n", -1);
    gsize files_len = strlen(files_path);

    for (guint i = 0; lines[i]; i++) {
        gboolean search = FALSE;
        g_autofree char *target = include_target(lines[i], &search);

        if (!target)
            continue;
        if (strcmp(target, files_path) == 0)
            return TRUE;
        /* virt-aa-helper's <libvirt/libvirt-<uuid>.files>: relative to the
         * AppArmor directory, whose subdirectory the profile directory is. */
        gsize len = strlen(target);
        if (search && target[0] != '/' && !strstr(target, "..") && len < files_len &&
            files_path[files_len - len - 1] == '/' &&
            strcmp(files_path + files_len - len, target) == 0 && strchr(target, '/'))
            return TRUE;
    }
    return FALSE;
}

gboolean
aavm_template_read(const AavmStoreDir *dir, const char *driver, char **out_text, gsize *out_len,
                   GError **error)
{
    g_autofree char *name = g_strconcat("TEMPLATE.", driver, NULL);
    gboolean exists = FALSE;

    if (!aavm_store_dir_read_input(dir, name, AAVM_STORE_FILE_MAX, &exists, out_text, out_len,
                                   error))
        return FALSE;
    if (!exists) {
        g_autofree char *path = g_build_filename(aavm_store_dir_path(dir), name, NULL);
        return aavm_fail(error, AAVM_ERROR_TEMPLATE, _("The template '%s' does not exist."),
                         path);
    }
    return TRUE;
}

char *
aavm_template_make(const AavmStoreDir *dir, const char *driver, const char *profile_name,
                   const char *insert, const char *abi, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!aavm_template_read(dir, driver, &text, &len, error))
        return NULL;
    char *profile = aavm_template_fill(text, profile_name, insert, abi, error);
    if (!profile) {
        g_autofree char *name = g_strconcat("TEMPLATE.", driver, NULL);
        g_autofree char *path = g_build_filename(aavm_store_dir_path(dir), name, NULL);
        g_prefix_error(error, "%s: ", path);
    }
    return profile;
}

gboolean
aavm_template_abi_valid(const char *abi)
{
    return abi && g_regex_match_simple("^[0-9]{1,2}\\.[0-9]{1,2}$", abi, G_REGEX_DOLLAR_ENDONLY, 0);
}
