/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-status.h: the state of every per-VM profile on disk, for aavm status.
 *
 * For each file libvirt-<uuid> of the profile directory: the VM's name
 * (from the VM manager's domain XML that has this UUID, else from the pid
 * file rule of its .files, else unknown), whether the kernel has it loaded
 * and in which mode, the mode its flags give, and whether its .files is
 * stale.  .files is stale when
 *   - "missing": the profile includes it but it does not exist;
 *   - "not-included": it exists but the profile does not include it;
 *   - "changed": the profile or .files is newer than the parser's compile
 *     cache entry of the profile (the cache entry's time is that of the
 *     newest source it was compiled from), so what was last compiled and
 *     loaded is not what is on disk.  Without a cache entry this is not
 *     known and not reported.
 * A profile that neither includes nor has a .files (LXC) has "none"; the
 * rest is "current". */
#pragma once

#include <glib.h>

#include "kernel-state.h"
#include "profile-flags.h"

/* Most domain XML files read in one directory, and the size of each. */
#define AAVM_VM_STATUS_XML_FILES_MAX 4096
#define AAVM_VM_STATUS_XML_MAX (10 * 1024 * 1024)

/* A domain of the VM manager found by its UUID. */
typedef struct {
    char *name; /* the domain's <name> */
    char *path; /* the file it was read from (<domain>, or <domstatus> around it) */
} AavmKnownDomain;

/* Every regular *.xml (at most AAVM_VM_STATUS_XML_FILES_MAX a directory,
 * each at most AAVM_VM_STATUS_XML_MAX) of @dirs, NULL-terminated, in order:
 * canonical UUID -> AavmKnownDomain*; the first file with a UUID wins.
 * Read with aavm_store_dir_scan(): a link or other non-regular file is
 * skipped with a sentence in @warnings (may be NULL); malformed files are
 * skipped. */
GHashTable *aavm_known_domains_read(const char *const *dirs, GPtrArray *warnings);

/* The VM's name in a .files text: its header's name line
 * (aavm_render_files_vm_name()); for a .files written before aavm wrote
 * that line, the pid file rule: the rule line
 * '"<run-dir>' '/' '**' '/' '<name>.pid" rwk,' below its reason line
 * '  # pid file' (the name escaped as in AppArmor regular expressions), or
 * NULL. */
char *aavm_vm_name_from_files(const char *text);

typedef enum {
    AAVM_FILES_CURRENT,
    AAVM_FILES_NONE,         /* neither included nor present (LXC) */
    AAVM_FILES_MISSING,      /* included, but absent */
    AAVM_FILES_NOT_INCLUDED, /* present, but the profile does not include it */
    AAVM_FILES_CHANGED,      /* profile or .files newer than the compile cache entry */
    AAVM_FILES_STATE_LAST
} AavmFilesState;

const char *aavm_files_state_to_string(AavmFilesState state);
gboolean aavm_files_state_is_stale(AavmFilesState state);

typedef struct {
    char *profile_name;        /* libvirt-<uuid> */
    char *uuid;
    char *vm_name;             /* NULL: not found */
    char *vm_name_source;      /* the file the name was found in, or NULL */
    gboolean kernel_known;     /* the kernel's list was read: loaded/kernel_mode mean something */
    gboolean loaded;
    char *kernel_mode;         /* the kernel's word for the loaded profile, or NULL */
    gboolean file_mode_known;
    AavmProfileMode file_mode; /* from the profile's flags */
    AavmFilesState files_state;
    char *problem;             /* why something is unknown (a sentence), or NULL */
} AavmVmStatus;

typedef struct {
    gboolean apparmor_enabled;
    gboolean kernel_known;   /* the kernel's list of loaded profiles was read */
    char *apparmor_reason;   /* why not enabled, or why the list is not known */
    char *profile_dir;
    GPtrArray *vms;          /* AavmVmStatus *, sorted by profile name */
    GPtrArray *warnings;     /* char*: each domain XML file skipped, and why */
} AavmVmStatusReport;

typedef struct {
    const char *profile_dir;
    const char *cache_dir;              /* the parser's compile cache, or NULL */
    const char *const *domain_xml_dirs; /* NULL-terminated; searched in order */
} AavmVmStatusOptions;

/* Look at every per-VM profile of @options->profile_dir; @kernel is what
 * the kernel says (aavm_kernel_state_read()).  Fails only when the profile
 * directory cannot be listed. */
AavmVmStatusReport *aavm_vm_status_collect(const AavmVmStatusOptions *options,
                                           const AavmKernelState *kernel, GError **error);

/* A table for people, one line a VM after a line about AppArmor. */
char *aavm_vm_status_to_text(const AavmVmStatusReport *report);

/* One JSON object on one line (no newline at the end). */
char *aavm_vm_status_to_json(const AavmVmStatusReport *report);

void aavm_vm_status_free(AavmVmStatus *status);
void aavm_vm_status_report_free(AavmVmStatusReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmVmStatusReport, aavm_vm_status_report_free)
