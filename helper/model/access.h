/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* access.h: the access list, the contract between policy and render.
 *
 * Each entry names one host object (a canonical absolute path, or for base
 * rules a ready-made AppArmor pattern), the permissions the VM gets on it,
 * and why.  The list merges duplicates and keeps a stable order. */
#pragma once

#include <glib.h>

typedef enum {
    AAVM_PERM_READ = 1 << 0,  /* r */
    AAVM_PERM_WRITE = 1 << 1, /* w */
    AAVM_PERM_LINK = 1 << 2,  /* l */
    AAVM_PERM_LOCK = 1 << 3,  /* k */
    AAVM_PERM_MMAP = 1 << 4,  /* m */
} AavmPerm;

#define AAVM_PERM_ALL (AAVM_PERM_READ | AAVM_PERM_WRITE | AAVM_PERM_LINK | \
                       AAVM_PERM_LOCK | AAVM_PERM_MMAP)
#define AAVM_PERM_RW (AAVM_PERM_READ | AAVM_PERM_WRITE)
#define AAVM_PERM_RWK (AAVM_PERM_READ | AAVM_PERM_WRITE | AAVM_PERM_LOCK)
#define AAVM_PERM_RK (AAVM_PERM_READ | AAVM_PERM_LOCK)

/* What the path of an entry stands for. */
typedef enum {
    AAVM_MATCH_EXACT,   /* the literal path itself */
    AAVM_MATCH_DIR,     /* the literal directory itself ("<path>/") */
    AAVM_MATCH_TREE,    /* everything below the literal directory: "<path>/" then two stars */
    AAVM_MATCH_PATTERN, /* path is an AppArmor pattern, literals already escaped */
    AAVM_MATCH_LAST
} AavmMatch;

/* Where a rule comes from; an entry merged from several sources has several. */
typedef enum {
    AAVM_ORIGIN_DEVICE = 1 << 0,      /* a device or boot element of the domain XML */
    AAVM_ORIGIN_BASE = 1 << 1,        /* the VM manager's per-domain files (log, pid, ...) */
    AAVM_ORIGIN_EXTRA = 1 << 2,       /* the VM manager's -f / -F argument */
    AAVM_ORIGIN_PASSTHROUGH = 1 << 3, /* a path in <qemu:commandline> or <qemu:env> */
} AavmOrigin;

typedef struct {
    char *path;     /* canonical absolute path, or a pattern (AAVM_MATCH_PATTERN) */
    AavmMatch match;
    AavmPerm perms;
    char *reason;   /* "disk vda", "serial0 (pipe .in)"; several joined by "; " */
    AavmOrigin origins; /* every source the entry was added from */
} AavmAccess;

typedef struct {
    GPtrArray *entries;  /* AavmAccess*, sorted and unique after _finish() */
    GHashTable *index;   /* "<match>\x1f<path>" -> AavmAccess* (not owned) */
    GPtrArray *warnings; /* char*: what was referenced but not granted, and why */
} AavmAccessList;

const char *aavm_match_to_string(AavmMatch match);
/* What a rule appends to @path for @match: "/" for a directory, "/" and two
 * stars for a tree (without the "/" when @path ends in one), else "". */
const char *aavm_match_suffix(AavmMatch match, const char *path);
/* "device", "base", "extra", "passthrough": the name of one origin bit. */
const char *aavm_origin_to_string(AavmOrigin origin);

/* Letters in the fixed order "rwlkm"; returns a static string. */
const char *aavm_perm_to_string(AavmPerm perms);
gboolean aavm_perm_from_string(const char *letters, AavmPerm *out_perms);

AavmAccess *aavm_access_new(const char *path, AavmMatch match, AavmPerm perms,
                            const char *reason);
void aavm_access_free(AavmAccess *access);

AavmAccessList *aavm_access_list_new(void);
void aavm_access_list_free(AavmAccessList *list);

/* Add an entry from @origin; an entry with the same path and match is
 * merged: the permissions and origins are OR-ed and the reason appended if it
 * is new. */
void aavm_access_list_add_from(AavmAccessList *list, AavmOrigin origin, const char *path,
                               AavmMatch match, AavmPerm perms, const char *reason);
/* aavm_access_list_add_from() a device (AAVM_ORIGIN_DEVICE). */
void aavm_access_list_add(AavmAccessList *list, const char *path, AavmMatch match,
                          AavmPerm perms, const char *reason);
const AavmAccess *aavm_access_list_lookup(const AavmAccessList *list, const char *path,
                                          AavmMatch match);
/* Record a warning (once: an identical one is not repeated). */
void aavm_access_list_warn(AavmAccessList *list, const char *format, ...) G_GNUC_PRINTF(2, 3);
guint aavm_access_list_length(const AavmAccessList *list);
const AavmAccess *aavm_access_list_get(const AavmAccessList *list, guint i);

/* Sort by path, then match; call before reading the entries in order. */
void aavm_access_list_sort(AavmAccessList *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmAccess, aavm_access_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmAccessList, aavm_access_list_free)
