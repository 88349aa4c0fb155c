/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kernel-state.h: what the kernel says about AppArmor: whether it is
 * enabled (libapparmor's aa_is_enabled()), and the loaded profiles with
 * their modes (the "profiles" file of AppArmor's securityfs directory,
 * found with aa_find_mountpoint()). */
#pragma once

#include <glib.h>

/* Most bytes of the kernel's profile list we read. */
#define AAVM_KERNEL_PROFILES_MAX (32 * 1024 * 1024)

typedef struct {
    gboolean enabled;    /* AppArmor is enabled in the kernel */
    gboolean list_known; /* modes holds the kernel's list */
    char *reason;        /* why not enabled, or why the list is not known:
                          * a whole sentence; NULL when all is known */
    int errnum;          /* the errno behind reason (aa_is_enabled(),
                          * aa_find_mountpoint(), opening the list), or 0 */
    char *apparmor_dir;  /* AppArmor's securityfs directory, or NULL */
    GHashTable *modes;   /* profile name -> mode ("enforce", "complain", ...) */
    guint n_malformed;   /* lines of the list that were not "name (mode)" */
} AavmKernelState;

/* The reason aa_is_enabled() gave as @errnum, as a whole sentence. */
char *aavm_kernel_state_reason(int errnum);

/* Parse the kernel's profile list: one "name (mode)" a line; the name may
 * hold spaces and parentheses, the mode is the last parenthesised word.
 * Lines of another shape are skipped and counted; the first entry of a
 * name wins. */
GHashTable *aavm_kernel_state_parse_profiles(const char *text, gsize len, guint *out_malformed);

/* Ask the kernel.  With @fake_apparmor_dir (tests), libapparmor is not
 * asked: that directory stands for AppArmor's securityfs directory and
 * AppArmor counts as enabled.  At most @max bytes of the list are read
 * (0: AAVM_KERNEL_PROFILES_MAX).  AppArmor not being enabled is not an
 * error: the state says so and why.  An unreadable or too long list is
 * an error. */
AavmKernelState *aavm_kernel_state_read(const char *fake_apparmor_dir, gsize max,
                                        GError **error);

/* As aavm_kernel_state_read(), but what cannot be read is a state too:
 * one whose list is not known, with the reason and its errno (EIO when
 * there is none, e.g. a list over the limit). */
AavmKernelState *aavm_kernel_state_read_any(const char *fake_apparmor_dir, gsize max);

/* A state for a kernel without AppArmor, for @reason. */
AavmKernelState *aavm_kernel_state_new_disabled(const char *reason);

/* A state for a kernel with AppArmor whose profile list cannot be read
 * (aavm_kernel_state_read()'s error), for @reason. */
AavmKernelState *aavm_kernel_state_new_unreadable(const char *reason);

/* The mode of the loaded profile @name, or NULL when it is not loaded (or
 * the list is not known). */
const char *aavm_kernel_state_mode(const AavmKernelState *state, const char *name);

void aavm_kernel_state_free(AavmKernelState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmKernelState, aavm_kernel_state_free)
