/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-profile.h: the per-VM profile operations behind aavm-helper's modes.
 *
 * Files: <profile-dir>/libvirt-<uuid> (made once from TEMPLATE.<driver>,
 * then the admin's) and <profile-dir>/libvirt-<uuid>.files (ours).
 *
 * Every mode that is not a dry run holds an flock() on
 * <profile-dir>/libvirt-<uuid>.lock (made 0600) for its whole
 * read-modify-write-load, so concurrent calls for one VM lose nothing.
 * When the parser refuses the new text, the previous profile and .files
 * are put back (what -c created is removed) and the error says what the
 * parser said.  A whole profile that includes its .files (aavm's include
 * line, or virt-aa-helper's #include <libvirt/libvirt-<uuid>.files>) is
 * used as it is.  An empty or truncated profile is made again from the
 * template, the old one first kept as <profile>.aavm-old (a note says
 * both); a dry run only reports it. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "host.h"

/* What a profile aavm makes again is first copied to (same mode). */
#define AAVM_PROFILE_BACKUP_SUFFIX ".aavm-old"

typedef enum {
    AAVM_MODE_NONE,
    AAVM_MODE_ADD,     /* -a: load the existing profile */
    AAVM_MODE_CREATE,  /* -c: .files + profile from the template, load */
    AAVM_MODE_REPLACE, /* -r: regenerate (or append to) .files, reload */
    AAVM_MODE_REMOVE,  /* -R: unload */
    AAVM_MODE_DELETE,  /* -D: unload, remove .files */
    AAVM_MODE_LAST
} AavmMode;

typedef struct {
    AavmMode mode;
    gboolean dryrun;
    const char *profile_name; /* libvirt-<uuid> */
    const char *xml;          /* domain XML, for create and replace */
    gsize xml_len;
    const char *extra_file;   /* -f or -F argument, or NULL */
    gboolean append;          /* -F: append to .files instead of regenerating */
} AavmRequest;

typedef struct {
    GPtrArray *dryrun_blocks; /* char*: what a dry run would write, in order */
    GPtrArray *notes;         /* char*: non-fatal conditions worth a warning */
} AavmOutcome;

const char *aavm_mode_to_string(AavmMode mode);

void aavm_outcome_init(AavmOutcome *outcome);
void aavm_outcome_clear(AavmOutcome *outcome);

gboolean aavm_vm_profile_run(const AavmConfig *config, const AavmHost *host,
                             const AavmRequest *request, AavmOutcome *outcome,
                             GError **error);
