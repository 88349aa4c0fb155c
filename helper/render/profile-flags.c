/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "profile-flags.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain.h"
#include "loader.h"
#include "store.h"
#include "store-dir.h"

static const char *const mode_names[AAVM_PROFILE_MODE_LAST] = {
    [AAVM_PROFILE_MODE_ENFORCE] = "enforce",
    [AAVM_PROFILE_MODE_COMPLAIN] = "complain",
    [AAVM_PROFILE_MODE_KILL] = "kill",
    [AAVM_PROFILE_MODE_UNCONFINED] = "unconfined",
    [AAVM_PROFILE_MODE_PROMPT] = "prompt",
    [AAVM_PROFILE_MODE_DEFAULT_ALLOW] = "default_allow",
};

const char *
aavm_profile_mode_to_string(AavmProfileMode mode)
{
    return mode < AAVM_PROFILE_MODE_LAST ? mode_names[mode] : "unknown";
}

/* Where the header line's parts are (offsets into the text). */
typedef struct {
    gssize clause;  /* "flags=" or the '(' when written without it; -1: none */
    gssize open;    /* '(' of the clause */
    gssize close;   /* ')' of the clause */
    gsize brace;    /* the '{' opening the body */
} Header;

static gboolean
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Offset just after "profile <name>" on a line of its own, or -1. */
static gssize
match_header_line(const char *text, const char *line, const char *name)
{
    const char *p = line;
    gsize n = strlen(name);

    while (is_blank(*p))
        p++;
    if (strncmp(p, "profile", 7) != 0 || !is_blank(p[7]))
        return -1;
    p += 7;
    while (is_blank(*p))
        p++;
    if (strncmp(p, name, n) != 0)
        return -1;
    p += n;
    if (!is_blank(*p) && *p != '{' && *p != '(' && *p != '\n' && *p != '\0')
        return -1;
    return p - text;
}

static gboolean
find_header(const char *text, const char *name, Header *out, GError **error)
{
    gssize after_name = -1;

    for (const char *line = text; line && *line;) {
        gssize at = match_header_line(text, line, name);
        if (at >= 0) {
            if (after_name >= 0)
                return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                                 _("The profile text has more than one line 'profile %s'."), name);
            after_name = at;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    if (after_name < 0)
        return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                         _("The profile text has no line 'profile %s'."), name);

    out->clause = out->open = out->close = -1;
    for (gsize pos = (gsize)after_name;;) {
        char c = text[pos];

        if (is_blank(c)) {
            pos++;
        } else if (c == '{') {
            out->brace = pos;
            return TRUE;
        } else if (c == '\0' || c == '\n' || c == '\r' || c == '#') {
            return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                             _("The line 'profile %s' does not end with the '{' of its body; flags can only be changed on a one-line header."),
                             name);
        } else if (c == '"') {
            for (pos++; text[pos] && text[pos] != '"' && text[pos] != '\n'; pos++)
                if (text[pos] == '\\' && text[pos + 1] && text[pos + 1] != '\n')
                    pos++;
            if (text[pos] != '"')
                return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                                 _("The line 'profile %s' has an unterminated quoted string."), name);
            pos++;
        } else {
            /* A word: the attachment, "flags=", "xattrs=", or a bare '('. */
            gsize start = pos;
            while (text[pos] && !is_blank(text[pos]) && text[pos] != '{' && text[pos] != '(' &&
                   text[pos] != '\n' && text[pos] != '"')
                pos++;
            gboolean is_flags = (pos == start) || (pos - start == 6 && strncmp(text + start, "flags=", 6) == 0);
            if (text[pos] != '(' || (pos > start && text[pos - 1] != '=')) {
                if (pos == start)
                    pos++; /* a stray character */
                continue;
            }
            const char *close = strchr(text + pos, ')');
            const char *nl = strchr(text + pos, '\n');
            if (!close || (nl && nl < close))
                return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                                 _("The line 'profile %s' has a '(' without its ')'."), name);
            if (is_flags) {
                if (out->clause >= 0)
                    return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                                     _("The line 'profile %s' has more than one flags clause."), name);
                out->clause = (gssize)start;
                out->open = (gssize)pos;
                out->close = close - text;
            }
            pos = (gsize)(close - text) + 1;
        }
    }
}

/* The flags between the parentheses: tokens separated by commas and blanks. */
static GPtrArray *
split_flags(const char *text, const Header *h)
{
    GPtrArray *flags = g_ptr_array_new_with_free_func(g_free);

    if (h->clause < 0)
        return flags;
    for (gsize pos = (gsize)h->open + 1; pos < (gsize)h->close;) {
        if (text[pos] == ',' || is_blank(text[pos])) {
            pos++;
            continue;
        }
        gsize start = pos;
        while (pos < (gsize)h->close && text[pos] != ',' && !is_blank(text[pos]))
            pos++;
        g_ptr_array_add(flags, g_strndup(text + start, pos - start));
    }
    return flags;
}

char **
aavm_profile_flags_get(const char *text, const char *profile_name, GError **error)
{
    Header h;

    if (!find_header(text, profile_name, &h, error))
        return NULL;
    GPtrArray *flags = split_flags(text, &h);
    g_ptr_array_add(flags, NULL);
    return (char **)g_ptr_array_free(flags, FALSE);
}

static AavmProfileMode
mode_of(const GPtrArray *flags)
{
    for (guint i = 0; i < flags->len; i++) {
        for (int m = AAVM_PROFILE_MODE_COMPLAIN; m < AAVM_PROFILE_MODE_LAST; m++)
            if (strcmp(g_ptr_array_index(flags, i), mode_names[m]) == 0)
                return (AavmProfileMode)m;
    }
    return AAVM_PROFILE_MODE_ENFORCE;
}

gboolean
aavm_profile_flags_mode(const char *text, const char *profile_name, AavmProfileMode *out_mode,
                        GError **error)
{
    Header h;

    if (!find_header(text, profile_name, &h, error))
        return FALSE;
    g_autoptr(GPtrArray) flags = split_flags(text, &h);
    *out_mode = mode_of(flags);
    return TRUE;
}

/* The separator the clause uses between its first two flags, else ",". */
static char *
separator_of(const char *text, const Header *h)
{
    gsize pos = (gsize)h->open + 1;

    while (pos < (gsize)h->close && (text[pos] == ',' || is_blank(text[pos])))
        pos++;
    while (pos < (gsize)h->close && text[pos] != ',' && !is_blank(text[pos]))
        pos++;
    gsize start = pos;
    while (pos < (gsize)h->close && (text[pos] == ',' || is_blank(text[pos])))
        pos++;
    if (pos == start || pos >= (gsize)h->close)
        return g_strdup(",");
    return g_strndup(text + start, pos - start);
}

char *
aavm_profile_flags_set_mode(const char *text, const char *profile_name, AavmProfileMode mode,
                            gboolean *out_changed, GError **error)
{
    Header h;

    g_return_val_if_fail(mode == AAVM_PROFILE_MODE_ENFORCE || mode == AAVM_PROFILE_MODE_COMPLAIN,
                         NULL);
    *out_changed = FALSE;
    if (!find_header(text, profile_name, &h, error))
        return NULL;
    g_autoptr(GPtrArray) flags = split_flags(text, &h);
    gboolean has_complain = FALSE;
    gboolean has_enforce = FALSE;
    for (guint i = 0; i < flags->len; i++) {
        const char *flag = g_ptr_array_index(flags, i);
        for (int m = AAVM_PROFILE_MODE_KILL; m < AAVM_PROFILE_MODE_LAST; m++) {
            if (strcmp(flag, mode_names[m]) == 0) {
                aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                          _("The profile '%s' has the mode flag '%s'; change its mode by hand."),
                          profile_name, flag);
                return NULL;
            }
        }
        has_complain |= strcmp(flag, "complain") == 0;
        has_enforce |= strcmp(flag, "enforce") == 0;
    }
    if (mode == AAVM_PROFILE_MODE_COMPLAIN ? (has_complain && !has_enforce) : !has_complain)
        return g_strdup(text);

    /* The new list: the other flags in their order, then complain if wanted. */
    g_autoptr(GPtrArray) kept = g_ptr_array_new();
    for (guint i = 0; i < flags->len; i++) {
        const char *flag = g_ptr_array_index(flags, i);
        if (strcmp(flag, "complain") != 0 && strcmp(flag, "enforce") != 0)
            g_ptr_array_add(kept, (gpointer)flag);
    }
    if (mode == AAVM_PROFILE_MODE_COMPLAIN)
        g_ptr_array_add(kept, (gpointer) "complain");

    GString *out = g_string_sized_new(strlen(text) + 32);
    if (h.clause < 0) {
        /* No clause: add one before the blanks in front of the brace. */
        gsize at = h.brace;
        while (is_blank(text[at - 1]))
            at--;
        g_string_append_len(out, text, at);
        g_string_append(out, " flags=(complain)");
        g_string_append(out, text + at);
    } else if (kept->len == 0) {
        /* Nothing left: drop the clause and the blanks before it. */
        gsize at = (gsize)h.clause;
        while (is_blank(text[at - 1]))
            at--;
        g_string_append_len(out, text, at);
        g_string_append(out, text + h.close + 1);
    } else {
        g_autofree char *sep = separator_of(text, &h);
        gsize first = (gsize)h.open + 1;
        gsize end = (gsize)h.close;
        /* Keep blanks just inside the parentheses. */
        while (first < end && is_blank(text[first]))
            first++;
        while (end > first && is_blank(text[end - 1]))
            end--;
        g_string_append_len(out, text, first);
        for (guint i = 0; i < kept->len; i++) {
            if (i)
                g_string_append(out, sep);
            g_string_append(out, g_ptr_array_index(kept, i));
        }
        g_string_append(out, text + end);
    }
    *out_changed = TRUE;
    return g_string_free(out, FALSE);
}

/* The work of aavm_profile_flags_switch(), under the lock: the old text
 * is read from the checked descriptor of @name in @dir. */
static gboolean
switch_locked(const AavmConfig *config, const AavmStoreDir *dir, const char *profile_name,
              const char *path, AavmProfileMode mode, gboolean reload, gboolean *out_changed,
              GError **error)
{
    g_autofree char *old = NULL;
    g_autofree char *new_text = NULL;
    gsize len = 0;

    if (!aavm_store_dir_read(dir, profile_name, AAVM_STORE_FILE_MAX, NULL, &old, &len, error))
        return FALSE;
    if (len == 0 || strlen(old) != len)
        return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                         _("The profile '%s' is empty or not text; aavm-helper -r makes it again."),
                         path);
    if (!(new_text = aavm_profile_flags_set_mode(old, profile_name, mode, out_changed, error))) {
        g_prefix_error(error, "%s: ", path);
        return FALSE;
    }
    if (!*out_changed)
        return TRUE;
    if (!aavm_store_dir_write(dir, profile_name, new_text, strlen(new_text), NULL, error))
        return FALSE;
    if (reload && !aavm_loader_run(config->parser, AAVM_LOAD_REPLACE, config->cache_dir, path,
                                   NULL, error)) {
        g_autoptr(GError) restore_error = NULL;

        if (!aavm_store_dir_write(dir, profile_name, old, len, NULL, &restore_error))
            g_prefix_error(error, _("The old profile could not be put back (%s): "),
                           restore_error->message);
        *out_changed = FALSE;
        return FALSE;
    }
    return TRUE;
}

gboolean
aavm_profile_flags_switch(const AavmConfig *config, const char *profile_name,
                          AavmProfileMode mode, gboolean reload, gboolean *out_changed,
                          GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr(AavmStoreDir) dir = NULL;
    AavmStoreLock *lock;
    gboolean exists = FALSE;
    gboolean ok;

    *out_changed = FALSE;
    if (!aavm_profile_name_check(profile_name, error))
        return FALSE;
    path = aavm_config_profile_path(config, profile_name);
    if (!(dir = aavm_store_dir_open(config->profile_dir, 0, error)) ||
        !aavm_store_dir_stat(dir, profile_name, &exists, NULL, error))
        return FALSE;
    if (!exists)
        return aavm_fail(error, AAVM_ERROR_NO_PROFILE, _("The profile '%s' does not exist."),
                         path);
    if (!(lock = aavm_store_lock_take(config->lock_dir, profile_name, error)))
        return FALSE;
    ok = switch_locked(config, dir, profile_name, path, mode, reload, out_changed, error);
    aavm_store_lock_release(lock, FALSE);
    return ok;
}
