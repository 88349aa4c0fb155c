/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* prune.h: the files aavm left for VMs the VM manager no longer knows.
 *
 * A UUID is an orphan when files of the profile directory are named for it
 * (libvirt-<uuid>, .files, the .aavm-old copy an adoption made, a .lock an
 * older aavm kept there, the temporary files of an atomic write
 * "<name>.XXXXXX"), no domain XML of the VM manager's directories (defined
 * and running domains) has it as <uuid>, and the kernel has no profile
 * libvirt-<uuid> loaded.  Its files, its entries in the parser's compile
 * cache (<cache>/<features>/libvirt-<uuid>) and its lock file in the lock
 * directory go, but an edited
 * profile (one that differs from what TEMPLATE.qemu or TEMPLATE.lxc of the
 * profile directory makes for it) is kept with all the VM's files unless
 * forced.  A VM with a symbolic link (or anything but a regular file)
 * among its files is left alone.
 *
 * prune.c decides from facts and touches nothing; prune-store.c gathers the
 * facts and removes, through store-dir.h, holding the VM's lock and
 * checking again that no domain XML has the UUID; the lock file goes last. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "kernel-state.h"

/* Most entries of the profile directory, and of each directory of the
 * compile cache, looked at. */
#define AAVM_PRUNE_ENTRIES_MAX 65536

/* What an entry of a directory is (a symbolic link, or anything store-dir.h
 * refuses, is AAVM_PRUNE_ENTRY_OTHER). */
typedef enum {
    AAVM_PRUNE_ENTRY_REGULAR,
    AAVM_PRUNE_ENTRY_OTHER,
} AavmPruneEntryKind;

typedef struct {
    char *name;
    AavmPruneEntryKind kind;
} AavmPruneEntry;

void aavm_prune_entry_free(AavmPruneEntry *entry);

typedef enum {
    AAVM_PRUNE_REMOVE,      /* its files go */
    AAVM_PRUNE_KEEP_EDITED, /* the profile was edited: kept (unless forced) */
    AAVM_PRUNE_KEEP_LINK,   /* one of its files is not a regular file: left alone */
    AAVM_PRUNE_KEEP_LOADED, /* the kernel has its profile loaded: left alone */
} AavmPruneAction;

typedef struct {
    char *uuid;
    char *profile_name;  /* libvirt-<uuid> */
    AavmPruneAction action;
    GPtrArray *files;    /* char*: names in the profile directory (the lock last) */
    GPtrArray *cached;   /* char*: "<features>/libvirt-<uuid>" in the cache directory */
    char *lock;          /* "libvirt-<uuid>.lock" when the lock directory has it, or NULL */
} AavmPruneVm;

/* What the plan is made from. */
typedef struct {
    const char *profile_dir; /* for the include line of a generated profile */
    const char *profile_abi; /* the abi aavm.conf pins in generated profiles, or NULL */
    GPtrArray *entries;      /* AavmPruneEntry*: of the profile directory */
    GPtrArray *cached;       /* AavmPruneEntry*: "<features>/<name>" of the cache */
    GPtrArray *locks;        /* AavmPruneEntry*: of the lock directory (may be NULL) */
    GHashTable *known;       /* canonical UUIDs the VM manager's domain XMLs have */
    GHashTable *profiles;    /* profile name -> its text, for the regular
                              * profiles of UUIDs not in @known */
    GPtrArray *templates;    /* char*: the texts of TEMPLATE.qemu, TEMPLATE.lxc */
} AavmPruneFacts;

/* The profile name (libvirt-<uuid>) an entry of the profile directory
 * belongs to, or NULL. */
char *aavm_prune_owner(const char *entry);

/* The orphans of @facts, sorted by UUID.  Fails when AppArmor is enabled
 * but @kernel does not know which profiles are loaded. */
GPtrArray *aavm_prune_plan(const AavmPruneFacts *facts, const AavmKernelState *kernel,
                           gboolean force, GError **error);

void aavm_prune_vm_free(AavmPruneVm *vm);

/* prune-store.c: the edge. */

typedef struct {
    const AavmConfig *config;           /* profile_dir, cache_dir (or NULL), lock_dir */
    const char *const *domain_xml_dirs; /* NULL-terminated */
} AavmPruneOptions;

/* Read the facts: the profile directory (which must be listable), the
 * cache and the lock directory (what cannot be read of them is skipped),
 * the domain XMLs, the templates and the profiles of unknown UUIDs. */
gboolean aavm_prune_facts_read(const AavmPruneOptions *options, AavmPruneFacts *facts,
                               GError **error);
void aavm_prune_facts_clear(AavmPruneFacts *facts);

/* Remove the files of @vm (action AAVM_PRUNE_REMOVE), the cache entries
 * first and the lock last: each path removed is added to @removed.  FALSE
 * with @error at the first failure; a VM the VM manager defined meanwhile
 * is AAVM_ERROR_INVALID_ARGUMENT and nothing of it is removed. */
gboolean aavm_prune_apply(const AavmPruneOptions *options, const AavmPruneVm *vm,
                          GPtrArray *removed, GError **error);
