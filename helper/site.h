/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* site.h: the host beyond one domain, as aavm explain's findings see it:
 * the storage pools the VM manager defines and the rules aavm generated for
 * the other VMs.  Read from disk by aavm_site_read() (the edge); the
 * findings only look at the result. */
#pragma once

#include <glib.h>

#include "host.h"

/* Other VMs' generated rules, by profile. */
typedef struct {
    char *profile_name; /* libvirt-<uuid> */
    char *text;         /* its .files */
} AavmSiteFiles;

/* The host beyond this domain. */
typedef struct {
    GPtrArray *pools;       /* char*: canonical directories of the storage pools */
    GPtrArray *other_files; /* AavmSiteFiles*: the .files of the other VMs */
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
void aavm_site_add_files(AavmSite *site, const char *profile_name, const char *text);

/* The site as the VM manager and aavm left it: the <pool><target><path> of
 * every regular @libvirt_config_dir/storage/ *.xml (may be NULL), and every
 * libvirt-<uuid>.files of @profile_dir (may be NULL) but that of
 * @exclude_uuid.  What cannot be read is skipped. */
AavmSite *aavm_site_read(const AavmHost *host, const char *profile_dir,
                         const char *libvirt_config_dir, const char *exclude_uuid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmSite, aavm_site_free)
