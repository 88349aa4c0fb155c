/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* path-policy.h: which host paths a VM may be granted, and how.
 *
 * One table, matched by whole path components, longest prefix wins. */
#pragma once

#include <glib.h>

#include "access.h"
#include "host.h"

typedef enum {
    AAVM_PATH_RULE_DENY,      /* no access at all */
    AAVM_PATH_RULE_READ_ONLY, /* reading (and locking, mapping) only */
    AAVM_PATH_RULE_ALLOW,     /* any access, even below a denied prefix */
    AAVM_PATH_RULE_LAST
} AavmPathRuleKind;

typedef struct {
    const char *prefix;
    AavmPathRuleKind kind;
    const char *why; /* for messages and documentation */
} AavmPathRule;

/* Permissions that modify what they are granted on. */
#define AAVM_PERM_MODIFYING (AAVM_PERM_WRITE | AAVM_PERM_LINK)

const char *aavm_path_rule_kind_to_string(AavmPathRuleKind kind);

/* The whole table, terminated by a NULL prefix (for tests and docs). */
const AavmPathRule *aavm_path_policy_rules(void);

/* TRUE when @path equals @prefix or lies below it, by whole components:
 * "/lib/x" is under "/lib", "/libvirt-images/x" is not.  A prefix ending
 * in "<stem>*" covers the entries whose last component starts with <stem>
 * ("/sys/devices/pci*" covers "/sys/devices/pci0000:00/..."). */
gboolean aavm_path_is_under(const char *path, const char *prefix);

/* The most specific rule covering @path, or NULL when none does. */
const AavmPathRule *aavm_path_policy_match(const char *path);

/* Check a canonical path against the table for @perms. */
gboolean aavm_path_policy_check(const char *path, AavmPerm perms, GError **error);

/* Check a grant of everything below the directory @path: the directory's
 * own rule must allow @perms, and no denied prefix may lie below it (nor a
 * read-only one when @perms modify), or the tree would cover it. */
gboolean aavm_path_policy_check_tree(const char *path, AavmPerm perms, GError **error);

/* The full pipeline for one path from untrusted input: absolute, free of
 * characters no quoting can carry, canonicalised through @host, then checked
 * against the table (as a tree for AAVM_MATCH_TREE).  @what names it in
 * messages ("disk 'vda'"). */
gboolean aavm_path_policy_resolve(const AavmHost *host, const char *path, AavmMatch match,
                                  AavmPerm perms, const char *what, char **out_path,
                                  gboolean *out_exists, GError **error);

/* Domain names: not empty, and none of / [ ] { } ? ^ , " * or a control
 * character (the reference helper's list, plus control characters). */
#define AAVM_NAME_FORBIDDEN "/[]{}?^,\"*"
gboolean aavm_domain_name_check(const char *name, GError **error);
