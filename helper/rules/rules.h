/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rules.h: what a domain may touch on the host.
 *
 * AavmDomain (+ the host, for canonical paths) -> AavmAccessList.  Every
 * path goes through the path policy; a refused path fails the domain. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "access.h"
#include "domain.h"
#include "host.h"

/* Add every rule @domain needs to @list. */
gboolean aavm_rules_build(const AavmDomain *domain, const AavmHost *host,
                          const AavmConfig *config, AavmAccessList *list, GError **error);

/* Add one path from untrusted input, from @origin, after the path policy
 * accepted it. */
gboolean aavm_rules_add_path(AavmAccessList *list, AavmOrigin origin, const AavmHost *host,
                             const char *path, AavmMatch match, AavmPerm perms,
                             const char *reason, GError **error);

/* Add a -f/-F argument (read, write, lock), from AAVM_ORIGIN_EXTRA.  A trailing "/{,**}" or "/" plus "**"
 * means the directory and everything below it; the rest is a literal path. */
gboolean aavm_rules_add_extra_file(AavmAccessList *list, const AavmHost *host,
                                   const char *arg, const char *reason, GError **error);
