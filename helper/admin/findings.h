/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* findings.h: what a domain's confinement does not cover, for aavm explain.
 *
 * A domain that was built (it can be confined) may still use what AppArmor
 * cannot isolate or what makes its images easy to tamper with.  Each
 * finding names the element it is about, says why it matters and what to
 * do.  The kinds and what triggers them:
 *   network-storage       a disk layer on network storage (rbd, iscsi, nbd,
 *                         gluster, nfs, http, ...) with a server that is not a
 *                         local unix socket: QEMU talks to the server itself;
 *   no-format             a disk (or a backing layer the XML gives) with a
 *                         source but no format (a note when the guest cannot
 *                         write it: a read-only disk, a backing layer);
 *   shared-writable       a writable disk without <shareable/> whose image
 *                         another VM is surely granted with 'w';
 *   other-vm              any other path of this domain's rules (not the
 *                         base rules) that another VM is granted, or may be
 *                         (its rule is a pattern aavm cannot read): a
 *                         warning when either side may write it and the
 *                         grant is sure, else a note;
 *   world-writable-dir    a disk image whose directory anyone may write to;
 *   backing-outside-pool  a local backing layer outside the storage pool
 *                         directory of the disk's own image (the directory of
 *                         that image when no pool holds it);
 *   passthrough-network   a network endpoint in <qemu:commandline>/<qemu:env>;
 *   passthrough-unparsed  an argument there aavm cannot read;
 *   passthrough-disabled  a host path there, not granted because
 *                         passthrough-paths is false.
 * What lies beyond the domain (storage pools, other VMs' rules) comes in
 * an AavmSite; host facts come through the AavmHost. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "access.h"
#include "domain.h"
#include "host.h"
#include "site.h"

typedef enum {
    AAVM_SEVERITY_WARNING,
    AAVM_SEVERITY_NOTE,
    AAVM_SEVERITY_LAST
} AavmSeverity;

typedef enum {
    AAVM_FINDING_NETWORK_STORAGE,
    AAVM_FINDING_NO_FORMAT,
    AAVM_FINDING_SHARED_WRITABLE,
    AAVM_FINDING_WORLD_WRITABLE_DIR,
    AAVM_FINDING_BACKING_OUTSIDE_POOL,
    AAVM_FINDING_PASSTHROUGH_NETWORK,
    AAVM_FINDING_PASSTHROUGH_UNPARSED,
    AAVM_FINDING_PASSTHROUGH_DISABLED,
    AAVM_FINDING_OTHER_VM,
    AAVM_FINDING_KIND_LAST
} AavmFindingKind;

typedef struct {
    AavmSeverity severity;
    AavmFindingKind kind;
    char *subject; /* the element: "disk vda", "disk vda backing layer 2", "qemu:arg 3" */
    char *message; /* what was found and why it matters (untrusted text inside) */
    char *advice;  /* what to do about it */
    GPtrArray *other_vms; /* AavmSiteGrant*: the other VMs' rules it is about
                           * (shared-writable, other-vm); empty for the rest */
} AavmFinding;

const char *aavm_severity_to_string(AavmSeverity severity);
/* "network-storage", "no-format", ... */
const char *aavm_finding_kind_to_string(AavmFindingKind kind);

AavmFinding *aavm_finding_new(AavmSeverity severity, AavmFindingKind kind, const char *subject,
                              const char *message, const char *advice);
void aavm_finding_free(AavmFinding *finding);

/* Every finding of @domain, whose rules are @list (as built on @host with
 * @config), warnings before notes, each in the order of the XML. */
GPtrArray *aavm_findings_collect(const AavmDomain *domain, const AavmAccessList *list,
                                 const AavmSite *site, const AavmHost *host,
                                 const AavmConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmFinding, aavm_finding_free)
