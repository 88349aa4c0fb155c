/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* site.h: the host beyond one domain, as aavm explain's findings see it:
 * the storage pools the VM manager defines and the rules aavm generated for
 * the other VMs.  Read from disk by aavm_site_read() (the edge); the
 * findings only look at the result. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "host.h"
#include "json-writer.h"

/* One rule another VM is granted: a line of its .files, or of the rules
 * its domain XML gives. */
typedef struct {
    char *profile_name; /* libvirt-<uuid> */
    char *vm_name;      /* NULL: not known */
    char *aare;         /* the rule's path as written, between the quotes */
    char *perms;        /* its permission letters */
    char *reason;       /* its reason; NULL: none */
    gboolean certain;   /* in aavm_site_other_grants()'s answer: the rule surely
                         * matches (FALSE: aavm cannot read it, it may) */
} AavmSiteGrant;

/* The host beyond this domain. */
typedef struct {
    GPtrArray *pools;  /* char*: canonical directories of the storage pools */
    GPtrArray *grants; /* AavmSiteGrant*: every rule of the other VMs, in the order read */
    GPtrArray *warnings; /* char*: each file skipped while reading, and why */
} AavmSite;

/* Most files read from one directory, and the size of a pool definition. */
#define AAVM_SITE_FILES_MAX 4096
#define AAVM_SITE_POOL_XML_MAX (1024 * 1024)

/* @path canonical on @host, or as written when it cannot be resolved
 * (so paths compare the way the rules were made). */
char *aavm_site_canonical(const AavmHost *host, const char *path);

AavmSite *aavm_site_new(void);
void aavm_site_free(AavmSite *site);
/* Record a pool directory (host-absolute; canonicalised on @host). */
void aavm_site_add_pool(AavmSite *site, const AavmHost *host, const char *dir);
/* Record every rule of @text, the .files of the VM @profile_name (named
 * @vm_name, or NULL), read with aavm_render_read_rules(). */
void aavm_site_add_files(AavmSite *site, const char *profile_name, const char *vm_name,
                         const char *text);

/* The site as the VM manager and aavm left it: the <pool><target><path> of
 * every regular @libvirt_config_dir/storage/ *.xml; the rules of every
 * libvirt-<uuid>.files of @profile_dir, then those aavm makes (with
 * @config, on @host) from every domain XML of @libvirt_config_dir/qemu and
 * /lxc, a VM defined there named by its <name>; all but those of
 * @exclude_uuid (may be NULL).  Either directory may be NULL.  Files are
 * read with aavm_store_dir_scan(): a link or other non-regular file is
 * skipped with a sentence in `warnings`; what cannot be parsed or built is
 * skipped. */
AavmSite *aavm_site_read(const AavmConfig *config, const AavmHost *host, const char *profile_dir,
                         const char *libvirt_config_dir, const char *exclude_uuid);

/* Copies of the rules of VMs other than @self_uuid (NULL: any) that match
 * @path (with @below: @path or a path below it) the way the kernel
 * matches them (aavm_aare_match()), each with `certain` set: the sure
 * ones, then those that may match, each in the order read. */
GPtrArray *aavm_site_other_grants(const AavmSite *site, const char *self_uuid, const char *path,
                                  gboolean below);

void aavm_site_grant_free(AavmSiteGrant *grant);
AavmSiteGrant *aavm_site_grant_copy(const AavmSiteGrant *grant);
/* The UUID of the grant's VM (in its profile name). */
const char *aavm_site_grant_uuid(const AavmSiteGrant *grant);
/* "VM <name> (<uuid>), <reason>", the name "?" when unknown (not yet
 * made printable). */
char *aavm_site_grant_owner(const AavmSiteGrant *grant);
/* The rule as a line holds it: "\"<aare>\" <perms>,". */
char *aavm_site_grant_rule(const AavmSiteGrant *grant);
/* Whether it grants writing ('w' or 'a'). */
gboolean aavm_site_grant_writes(const AavmSiteGrant *grant);
/* @grants (AavmSiteGrant *) as an array under @key, each
 * {"profile","uuid","name","rule","reason","certain"}. */
void aavm_site_grants_to_json(AavmJson *json, const char *key, const GPtrArray *grants);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmSite, aavm_site_free)
