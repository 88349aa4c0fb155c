/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* profile-flags.h: the flags of a per-VM profile, as written in its text.
 *
 * The header line "profile libvirt-<uuid> [attachment] [flags=](f1,f2) {"
 * must be on one line (as the templates write it).  Changing the mode
 * edits only the flags clause of that line: every other byte of the
 * admin's profile stays as it is. */
#pragma once

#include <glib.h>

#include "aavm-config.h"

typedef enum {
    AAVM_PROFILE_MODE_ENFORCE,    /* no mode flag, or "enforce" */
    AAVM_PROFILE_MODE_COMPLAIN,
    AAVM_PROFILE_MODE_KILL,
    AAVM_PROFILE_MODE_UNCONFINED,
    AAVM_PROFILE_MODE_PROMPT,
    AAVM_PROFILE_MODE_DEFAULT_ALLOW,
    AAVM_PROFILE_MODE_LAST
} AavmProfileMode;

const char *aavm_profile_mode_to_string(AavmProfileMode mode);

/* The flags of profile @profile_name in @text (a NULL-terminated vector,
 * empty without a flags clause). */
char **aavm_profile_flags_get(const char *text, const char *profile_name, GError **error);

/* The mode the flags of @profile_name give. */
gboolean aavm_profile_flags_mode(const char *text, const char *profile_name,
                                 AavmProfileMode *out_mode, GError **error);

/* @text with profile @profile_name in @mode (ENFORCE or COMPLAIN): adds or
 * removes "complain" (an "enforce" flag gives way to it); the other flags
 * keep their order and separators, a clause left empty is removed.
 * *@out_changed is FALSE when the profile was in @mode already (the text is
 * then an unchanged copy).  A profile with another mode flag (kill,
 * unconfined, prompt, default_allow) is refused: AAVM_ERROR_UNSUPPORTED, as
 * is a text without exactly one header line of @profile_name. */
char *aavm_profile_flags_set_mode(const char *text, const char *profile_name,
                                  AavmProfileMode mode, gboolean *out_changed, GError **error);

/* Put the profile file <profile-dir>/@profile_name in @mode: holding the
 * VM's lock (<profile-dir>/@profile_name.lock, as aavm-helper does), write
 * the new text atomically and, when @reload, replace the loaded profile
 * with config->parser (and config->cache_dir).  When the parser fails the
 * old text is put back and the error says what the parser said.
 * *@out_changed is FALSE when the profile was in @mode already: nothing is
 * written or loaded then. */
gboolean aavm_profile_flags_switch(const AavmConfig *config, const char *profile_name,
                                   AavmProfileMode mode, gboolean reload, gboolean *out_changed,
                                   GError **error);
