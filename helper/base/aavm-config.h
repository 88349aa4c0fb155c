/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-config.h: where things are.  Defaults come from configure; the programs
 * change them only through command-line options. */
#pragma once

#include <glib.h>

typedef struct {
    char *profile_dir;     /* per-VM profiles, .files and TEMPLATE.<driver> */
    char *parser;          /* apparmor_parser */
    char *cache_dir;       /* apparmor_parser's compile cache (-W -L); NULL: none */
    char *lock_dir;        /* the per-VM lock files (made 0700) */
    char *libvirt_log_dir; /* the VM manager's directories */
    char *libvirt_lib_dir;
    char *libvirt_run_dir;
    char *swtpm_log_dir;   /* swtpm logs of the VM manager's TPM emulators */
    char *libvirt_config_dir; /* the VM manager's configuration (defined domains' XML) */
    guint max_backing_depth; /* most backing layers below a disk's own image */
    gboolean grant_passthrough; /* grant host paths of <qemu:commandline>/<qemu:env> */
    char *profile_abi;     /* "5.0": the abi a profile made from a template pins; NULL: the template's */
} AavmConfig;

/* libvirt's own limit on the backing chains it follows. */
#define AAVM_DEFAULT_MAX_BACKING_DEPTH 200
/* The largest depth a program accepts as an option. */
#define AAVM_MAX_BACKING_DEPTH_LIMIT 10000

AavmConfig *aavm_config_new_default(void);
void aavm_config_free(AavmConfig *config);

/* Replace one setting; refuses relative paths and characters that cannot
 * appear in a quoted profile line. */
gboolean aavm_config_set(char **field, const char *value, const char *what, GError **error);

/* The settings the programs take as options (--profile-dir, --parser,
 * --cache-dir); NULL leaves one as it is. */
gboolean aavm_config_set_dirs(AavmConfig *config, const char *profile_dir, const char *parser,
                              const char *cache_dir, GError **error);

/* Set max_backing_depth from the option text @value (1 to
 * AAVM_MAX_BACKING_DEPTH_LIMIT). */
gboolean aavm_config_set_max_backing_depth(AavmConfig *config, const char *value, GError **error);

char *aavm_config_profile_path(const AavmConfig *config, const char *profile_name);
char *aavm_config_files_path(const AavmConfig *config, const char *profile_name);
char *aavm_config_template_path(const AavmConfig *config, const char *driver);
/* Where the VM manager keeps domain XML, most current first: the running
 * domains' (<run dir>/qemu, /lxc), then the defined ones (<config dir>/qemu,
 * /lxc); NULL-terminated. */
GStrv aavm_config_domain_xml_dirs(const AavmConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmConfig, aavm_config_free)
