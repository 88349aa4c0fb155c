/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-config.h: where things are.  Defaults come from configure; the programs
 * change them only through command-line options. */
#pragma once

#include <glib.h>

typedef struct {
    char *profile_dir;     /* per-VM profiles, .files and TEMPLATE.<driver> */
    char *parser;          /* apparmor_parser */
    char *libvirt_log_dir; /* the VM manager's directories */
    char *libvirt_lib_dir;
    char *libvirt_run_dir;
    char *swtpm_log_dir;   /* swtpm logs of the VM manager's TPM emulators */
} AavmConfig;

AavmConfig *aavm_config_new_default(void);
void aavm_config_free(AavmConfig *config);

/* Replace one setting; refuses relative paths and characters that cannot
 * appear in a quoted profile line. */
gboolean aavm_config_set(char **field, const char *value, const char *what, GError **error);

char *aavm_config_profile_path(const AavmConfig *config, const char *profile_name);
char *aavm_config_files_path(const AavmConfig *config, const char *profile_name);
char *aavm_config_template_path(const AavmConfig *config, const char *driver);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmConfig, aavm_config_free)
