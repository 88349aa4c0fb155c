/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* denial.h: AppArmor denials of VMs, grouped, explained, with the smallest fix.
 *
 * Lines (audit-line.h) are fed one at a time; the denials are grouped per
 * profile libvirt-<uuid> into distinct (operation, object, denied mask,
 * child profile) entries with a count and the first and last time seen.
 * The apparmor="ALLOWED" records a profile in complain mode writes (what
 * enforce mode would have denied) are grouped the same way, into entries of
 * their own marked `allowed`: an ALLOWED and a DENIED record of the same
 * access are two entries, counted apart in the report (denials, allowed)
 * but both in their VM's count (AavmDenialVm.denials), and explained
 * alike.  Then each VM is
 * matched with the VM manager's domain XML of that UUID and its rules are
 * built as aavm generate would, to say for each entry what it most likely
 * is and what to change:
 *   permission-missing  the path is granted with fewer permissions (the
 *                       rule and its reason; e.g. remove <readonly/>)
 *   xml-element         the domain XML names the path (the element), but
 *                       its rules or the loaded profile do not grant it
 *   near-device         the path lies next to a device's file (a backing
 *                       file not declared, a lock or journal file, a
 *                       sibling): <backingStore>, or the backing format in
 *                       the image (qemu-img rebase -u -F)
 *   local-rule          anything else: the exact rule line for the per-VM
 *                       profile or local/abstractions/libvirt-qemu
 *   other-vm            another VM is granted the path (a rule of its .files,
 *                       or of the rules its defined domain XML gives), or
 *                       may be (a pattern aavm cannot read): no rule is
 *                       offered, a warning names that VM and why it has the
 *                       path, and the fix is the supported way to share an
 *                       image (<readonly/> or <shareable/> in both XMLs);
 *                       checked before any other kind
 *   do-not-grant        the path policy restricts the path: no rule is
 *                       offered, and a warning says why
 *   non-file            capabilities, signals, ptrace, network, unix sockets
 * Library code: nothing is printed; denial-output.c returns the report as
 * text or JSON. */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "aavm-config.h"
#include "audit-line.h"
#include "host.h"
#include "site.h"

/* Most distinct entries kept over all VMs; later new ones are counted only. */
#define AAVM_DENIAL_DISTINCT_MAX 4096

typedef enum {
    AAVM_DENIAL_FIX_UNKNOWN,            /* not analysed yet */
    AAVM_DENIAL_FIX_PERMISSION_MISSING, /* (a) */
    AAVM_DENIAL_FIX_XML_ELEMENT,        /* (b) */
    AAVM_DENIAL_FIX_NEAR_DEVICE,        /* (c) */
    AAVM_DENIAL_FIX_LOCAL_RULE,         /* (d) */
    AAVM_DENIAL_FIX_DO_NOT_GRANT,       /* (e) */
    AAVM_DENIAL_FIX_NON_FILE,
    AAVM_DENIAL_FIX_OTHER_VM,           /* another VM's path */
    AAVM_DENIAL_FIX_LAST
} AavmDenialFixKind;

const char *aavm_denial_fix_kind_to_string(AavmDenialFixKind kind);

typedef struct {
    char *operation;
    char *klass;       /* class=, or NULL */
    char *object;      /* path, capability, peer, address or family, or NULL */
    gboolean file;     /* a file access: object is the path */
    char *denied_mask; /* or NULL */
    char *child;       /* child profile (after "//"), or NULL */
    gboolean allowed;  /* apparmor="ALLOWED" records (complain mode), not denials */
    char *comm;        /* the first command seen, or NULL */
    guint64 count;
    char *first;       /* audit timestamps, or NULL */
    char *last;
    double first_time;
    double last_time;
    /* The analysis. */
    AavmDenialFixKind kind;
    char *device;      /* what it most likely belongs to ("disk vda"), or NULL */
    GPtrArray *fixes;  /* char*: what to change, one sentence or rule line each */
    GPtrArray *warnings; /* char* */
    /* The fix again as data, untranslated, for programs (aavm denial --json): */
    char *rule;          /* the rule line offered, as the profile would hold it, or NULL */
    GPtrArray *rule_in;  /* char*: where it may go: the VM's profile, then (for every
                          * VM) local/abstractions/libvirt-qemu */
    char *xml;           /* the element of the domain XML to add or remove, or NULL */
    const char *xml_action; /* "add" or "remove" (static), or NULL */
    GPtrArray *other_vms; /* AavmSiteGrant*: the other VMs' rules that match it */
} AavmDenialEntry;

typedef struct {
    char *uuid;
    char *profile_name;  /* libvirt-<uuid> */
    char *vm_name;       /* NULL: no domain XML found */
    char *xml_path;      /* the file the domain XML was read from, or NULL */
    char *problem;       /* why the domain's rules are not known, or NULL */
    guint64 denials;     /* its records: the denials and the ALLOWED ones together */
    GPtrArray *entries;  /* AavmDenialEntry*, in the order first seen */
    GHashTable *index;   /* key -> AavmDenialEntry* (not owned) */
} AavmDenialVm;

typedef struct {
    guint64 lines;
    guint64 denials;          /* denials of VM profiles */
    guint64 allowed;          /* ALLOWED records (complain mode) of VM profiles */
    guint64 not_denied;       /* AUDIT, STATUS, ... */
    guint64 other_profiles;   /* denials and ALLOWED records of other profiles */
    guint64 malformed;
    guint64 too_long;
    guint64 dropped;          /* records (denied or allowed) of entries over
                               * AAVM_DENIAL_DISTINCT_MAX, in neither count above */
    guint distinct;
    GPtrArray *vms;           /* AavmDenialVm*, in the order first seen */
    GHashTable *by_uuid;      /* uuid -> AavmDenialVm* (not owned) */
} AavmDenialReport;

AavmDenialReport *aavm_denial_report_new(void);
void aavm_denial_report_free(AavmDenialReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmDenialReport, aavm_denial_report_free)

/* Count one line of a log and, if it is a VM's denial or ALLOWED record,
 * group it. */
void aavm_denial_report_add_line(AavmDenialReport *report, const char *line, gsize len);

/* Feed every line of @stream, each bounded to AAVM_AUDIT_LINE_MAX bytes (a
 * longer one is counted as too long and skipped).  Fails on a read error. */
gboolean aavm_denial_report_read(AavmDenialReport *report, FILE *stream, GError **error);

/* The same, reading at most @max bytes; @out_cut: the stream went on. */
gboolean aavm_denial_report_read_max(AavmDenialReport *report, FILE *stream, guint64 max,
                                     gboolean *out_cut, GError **error);

typedef struct {
    const AavmConfig *config;           /* profile_dir, the rules' settings */
    const AavmHost *host;               /* to build a domain's rules on */
    const char *const *domain_xml_dirs; /* NULL-terminated; searched in order */
    const char *local_abstraction;      /* local/abstractions/libvirt-qemu path */
    const AavmSite *site;               /* every VM's rules (aavm_site_read(), no UUID
                                         * excluded): each VM's own are skipped */
} AavmDenialOptions;

/* Name each VM and explain each entry. */
void aavm_denial_report_analyse(AavmDenialReport *report, const AavmDenialOptions *options);

/* For people: a summary line, then per VM a header and every entry. */
char *aavm_denial_report_to_text(const AavmDenialReport *report);

/* One JSON object on one line (no newline at the end). */
char *aavm_denial_report_to_json(const AavmDenialReport *report);
