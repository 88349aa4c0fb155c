/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "kernel-state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/apparmor.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "store.h"

char *
aavm_kernel_state_reason(int errnum)
{
    switch (errnum) {
    case ENOSYS:
        return g_strdup(_("This kernel has no AppArmor support."));
    case ECANCELED:
        return g_strdup(_("AppArmor is in the kernel but was disabled at boot."));
    case ENOENT:
        return g_strdup(_("AppArmor is enabled but securityfs is not mounted."));
    case EBUSY:
        return g_strdup(_("AppArmor is enabled but only through private interfaces."));
    case EPERM:
    case EACCES:
        return g_strdup(_("Not permitted to use AppArmor's kernel interface."));
    default:
        return g_strdup_printf(_("AppArmor's kernel interface cannot be used: %s."),
                               g_strerror(errnum));
    }
}

/* One line: "name (mode)" with optional trailing blanks.  The mode is a
 * non-empty word without blanks or parentheses. */
static gboolean
parse_line(const char *line, gsize len, char **out_name, char **out_mode)
{
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
        len--;
    if (len < 4 || line[len - 1] != ')')
        return FALSE;
    gsize open = len - 1;
    while (open > 0 && line[open - 1] != '(') {
        char c = line[open - 1];
        if (c == ')' || c == ' ' || c == '\t' || c == '\0')
            return FALSE;
        open--;
    }
    if (open == 0 || open == len - 1) /* no '(' or an empty mode */
        return FALSE;
    /* open: first character of the mode; the '(' is at open - 1, a blank
     * before it ends the name. */
    if (open < 3 || line[open - 2] != ' ')
        return FALSE;
    gsize name_len = open - 2;
    if (memchr(line, '\0', name_len))
        return FALSE;
    *out_name = g_strndup(line, name_len);
    *out_mode = g_strndup(line + open, len - 1 - open);
    return TRUE;
}

GHashTable *
aavm_kernel_state_parse_profiles(const char *text, gsize len, guint *out_malformed)
{
    GHashTable *modes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    guint malformed = 0;
    gsize pos = 0;

    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        gsize line_len = nl ? (gsize)(nl - line) : len - pos;
        char *name = NULL;
        char *mode = NULL;

        pos += line_len + (nl ? 1 : 0);
        if (line_len == 0)
            continue;
        if (!parse_line(line, line_len, &name, &mode)) {
            malformed++;
            continue;
        }
        if (g_hash_table_contains(modes, name)) {
            g_free(name);
            g_free(mode);
            continue;
        }
        g_hash_table_insert(modes, name, mode);
    }
    if (out_malformed)
        *out_malformed = malformed;
    return modes;
}

static AavmKernelState *
state_new(void)
{
    AavmKernelState *state = g_new0(AavmKernelState, 1);

    state->modes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return state;
}

AavmKernelState *
aavm_kernel_state_new_disabled(const char *reason)
{
    AavmKernelState *state = state_new();

    state->reason = g_strdup(reason);
    return state;
}

AavmKernelState *
aavm_kernel_state_new_unreadable(const char *reason)
{
    AavmKernelState *state = state_new();

    state->enabled = TRUE;
    state->reason = g_strdup(reason);
    return state;
}

static AavmKernelState *
state_read(const char *fake_apparmor_dir, gsize max, int *out_errnum, GError **error)
{
    g_autoptr(AavmKernelState) state = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    gsize len = 0;

    if (fake_apparmor_dir) {
        dir = g_strdup(fake_apparmor_dir);
    } else {
        char *mnt = NULL;

        errno = 0;
        if (!aa_is_enabled()) {
            int errnum = errno ? errno : ENOSYS;
            g_autofree char *reason = aavm_kernel_state_reason(errnum);
            state = aavm_kernel_state_new_disabled(reason);
            state->errnum = errnum;
            return g_steal_pointer(&state);
        }
        if (aa_find_mountpoint(&mnt) < 0) {
            int errnum = errno ? errno : ENOENT;
            g_autofree char *reason = aavm_kernel_state_reason(errnum);
            state = aavm_kernel_state_new_disabled(reason);
            state->errnum = errnum;
            return g_steal_pointer(&state);
        }
        dir = g_strdup(mnt);
        free(mnt);
    }

    path = g_build_filename(dir, "profiles", NULL);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *out_errnum = errno;
        aavm_fail(error, AAVM_ERROR_IO, _("Cannot open the kernel's profile list '%s': %s."),
                  path, g_strerror(errno));
        return NULL;
    }
    gboolean ok = aavm_store_read_fd(fd, max ? max : AAVM_KERNEL_PROFILES_MAX, &text, &len, error);
    close(fd);
    if (!ok) {
        g_prefix_error(error, "%s: ", path);
        return NULL;
    }
    state = state_new();
    state->enabled = TRUE;
    state->list_known = TRUE;
    state->apparmor_dir = g_steal_pointer(&dir);
    g_hash_table_unref(state->modes);
    state->modes = aavm_kernel_state_parse_profiles(text, len, &state->n_malformed);
    return g_steal_pointer(&state);
}

AavmKernelState *
aavm_kernel_state_read(const char *fake_apparmor_dir, gsize max, GError **error)
{
    int errnum = EIO;

    return state_read(fake_apparmor_dir, max, &errnum, error);
}

AavmKernelState *
aavm_kernel_state_read_any(const char *fake_apparmor_dir, gsize max)
{
    g_autoptr(GError) error = NULL;
    int errnum = EIO;
    AavmKernelState *state = state_read(fake_apparmor_dir, max, &errnum, &error);

    if (!state) {
        state = aavm_kernel_state_new_unreadable(error->message);
        state->errnum = errnum;
    }
    return state;
}

const char *
aavm_kernel_state_mode(const AavmKernelState *state, const char *name)
{
    if (!state->list_known)
        return NULL;
    return g_hash_table_lookup(state->modes, name);
}

void
aavm_kernel_state_free(AavmKernelState *state)
{
    if (!state)
        return;
    g_free(state->reason);
    g_free(state->apparmor_dir);
    g_clear_pointer(&state->modes, g_hash_table_unref);
    g_free(state);
}
