/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* template.h: make a per-VM profile from a TEMPLATE.<driver> text.
 *
 * The line "profile LIBVIRT_TEMPLATE ..." names the profile; its body is
 * found by matching braces (comments and quoted strings skipped), so
 * templates with child profiles or several column-0 braces work. */
#pragma once

#include <glib.h>

#include "store-dir.h"

#define AAVM_TEMPLATE_PLACEHOLDER "LIBVIRT_TEMPLATE"

/* Read TEMPLATE.<@driver> from @dir (refused unless a regular file of
 * ours, or a link to one, as a package installs it; AAVM_ERROR_TEMPLATE
 * when missing). */
gboolean aavm_template_read(const AavmStoreDir *dir, const char *driver, char **out_text,
                            gsize *out_len, GError **error);

/* Rename the template profile to @profile_name and, when @insert is not
 * NULL, put @insert (whole lines) just before that profile's closing brace.
 * When @abi is not NULL (aavm_template_abi_valid()), every abi rule before
 * the profile line becomes "abi <abi/@abi>,", or that rule is put first
 * when there is none. */
char *aavm_template_fill(const char *template_text, const char *profile_name,
                         const char *insert, const char *abi, GError **error);

/* The profile @profile_name made from TEMPLATE.<@driver> in @dir: read
 * (aavm_template_read()) and filled (aavm_template_fill()); a template
 * that cannot be filled is named by its path in @error.  The one place
 * aavm-helper and aavm generate make a profile. */
char *aavm_template_make(const AavmStoreDir *dir, const char *driver, const char *profile_name,
                         const char *insert, const char *abi, GError **error);

/* Whether @abi names an AppArmor abi: "<major>.<minor>", each 1-2 digits. */
gboolean aavm_template_abi_valid(const char *abi);

/* The include line that ties a profile to its .files. */
char *aavm_template_include_line(const char *files_path);

/* Whether a line of @profile_text (not a comment) includes @files_path:
 * "include", "include if exists" or the old "#include" spelling, with the
 * path quoted or in angle brackets; in angle brackets also relative to the
 * AppArmor directory (virt-aa-helper's "#include <libvirt/libvirt-<uuid>.files>"
 * names /etc/apparmor.d/libvirt/libvirt-<uuid>.files). */
gboolean aavm_template_includes_files(const char *profile_text, const char *files_path);
