/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verbs.h: the verbs of aavm (aavm-main.c dispatches) and what they share.
 *
 * Each verb takes its own argv (argv[0] is the verb), parses its options,
 * prints its result on standard output and returns the exit status. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "profile-flags.h"
#include "vm-lookup.h"

#define EXIT_USAGE 2

/* --config FILE, for the verbs that read the settings. */
#define CONFIG_OPTION(var)                                                                \
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &(var),                                      \
      N_("Read the settings from FILE instead of the installed aavm.conf"), N_("FILE") }

/* --libvirt-run-dir DIR and --libvirt-config-dir DIR: where the VM manager
 * keeps domain XML (apply them with aavm_verb_set_libvirt_dirs()). */
#define LIBVIRT_DIR_OPTIONS(run, conf)                                                    \
    { "libvirt-run-dir", 0, 0, G_OPTION_ARG_FILENAME, &(run),                             \
      N_("The VM manager's runtime directory (running domains' XML in qemu/ and lxc/)"),   \
      N_("DIR") },                                                                        \
    { "libvirt-config-dir", 0, 0, G_OPTION_ARG_FILENAME, &(conf),                         \
      N_("The VM manager's configuration directory (defined domains' XML in qemu/ and "    \
         "lxc/; default from aavm.conf, else /etc/libvirt)"),                             \
      N_("DIR") }

/* --profile-dir DIR and --cache-dir DIR of the verbs that look at the
 * profiles on disk (apply them with aavm_verb_apply_state_dirs()). */
#define STATE_DIR_OPTIONS(profile, cache)                                                 \
    { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &(profile),                             \
      N_("Directory of the per-VM profiles"), N_("DIR") },                                \
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &(cache),                                 \
      N_("apparmor_parser's compile cache of the per-VM profiles"), N_("DIR") }

/* --apparmor-dir DIR: a stand-in for AppArmor's securityfs directory. */
#define APPARMOR_DIR_OPTION(var)                                                          \
    { "apparmor-dir", 0, 0, G_OPTION_ARG_FILENAME, &(var),                                \
      N_("Read the loaded profiles from DIR/profiles instead of AppArmor's securityfs "    \
         "directory, AppArmor counting as enabled (for tests and chroots)"),              \
      N_("DIR") }

/* aavm status's exit statuses, those of aa-status(8) where they mean the
 * same (2 stays the usage error of every verb). */
#define EXIT_STATUS_NOT_ENABLED 1
#define EXIT_STATUS_NO_CONTROL_FILES 3
#define EXIT_STATUS_NOT_PERMITTED 4
#define EXIT_STATUS_INTERNAL 42

int aavm_verb_generate(int argc, char **argv);    /* aavm-verb-domain.c */
int aavm_verb_explain(int argc, char **argv);     /* aavm-verb-domain.c */
int aavm_verb_image_check(int argc, char **argv); /* aavm-verb-image.c */
int aavm_verb_status(int argc, char **argv);      /* aavm-verb-state.c */
int aavm_verb_set_mode(int argc, char **argv, AavmProfileMode mode); /* aavm-verb-state.c */
int aavm_verb_denial(int argc, char **argv);      /* aavm-verb-denial.c */
int aavm_verb_prune(int argc, char **argv);       /* aavm-verb-prune.c */

/* aavm-verb-util.c */
/* Print "aavm: MESSAGE" on standard error and return @status. */
int aavm_verb_fail(int status, const char *message);
/* Each sentence of @warnings (char*, may be NULL) on stderr, made printable. */
void aavm_verb_warn_each(const GPtrArray *warnings);
/* Print @out on standard output: 0, or 1 when it cannot be written. */
int aavm_verb_print(const char *out);
/* A domain XML from @file, or standard input for "-" (bounded). */
gboolean aavm_verb_read_input(const char *file, char **out_xml, gsize *out_len, GError **error);
/* --libvirt-run-dir and --libvirt-config-dir (NULL: unchanged). */
gboolean aavm_verb_set_libvirt_dirs(AavmConfig *config, const char *run_dir,
                                    const char *config_dir, GError **error);
/* The settings of status and prune: @opt_config (NULL: the installed
 * aavm.conf), then the directory options (NULL: unchanged).  0 when done,
 * else the exit status to return, the message printed: @config_status
 * when the settings cannot be read, EXIT_USAGE for a bad directory. */
int aavm_verb_apply_state_dirs(AavmConfig *config, const char *opt_config, const char *profile_dir,
                               const char *cache_dir, const char *run_dir, const char *config_dir,
                               int config_status);
/* The VM @arg names (a UUID, libvirt-<uuid> or a VM name: aavm_vm_lookup()
 * in the libvirt configuration and profile directories of @config); a VM
 * found by its name is said on standard error, with its UUID. */
AavmVmMatch *aavm_verb_lookup_vm(const AavmConfig *config, const char *arg, GError **error);
/* TRUE when the argument of a verb that takes a domain XML or a VM names
 * a file: '-', or it holds a '/' or ends in ".xml". */
gboolean aavm_verb_arg_is_file(const char *arg);
