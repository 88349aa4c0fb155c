/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* generate.h: the whole pipeline in memory, for "aavm generate". */
#pragma once

#include <glib.h>

#include "access.h"
#include "aavm-config.h"
#include "domain.h"
#include "host.h"

/* The sorted rules of a parsed @domain, or NULL with @error when it is
 * refused; warnings (char*) are appended to @warnings unless it is NULL. */
AavmAccessList *aavm_generate_rules(const AavmConfig *config, const AavmHost *host,
                                    const AavmDomain *domain, GPtrArray *warnings,
                                    GError **error);

/* Parse @xml and build its rules: the access list, sorted, or NULL with
 * @error when the domain is refused.  The parsed domain goes to
 * *@out_domain unless it is NULL; warnings (char*) are appended to
 * @warnings unless it is NULL. */
AavmAccessList *aavm_generate_build(const AavmConfig *config, const AavmHost *host,
                                    const char *xml, gsize len, AavmDomain **out_domain,
                                    GPtrArray *warnings, GError **error);

/* The .files text for a domain: header and one rule a line.  Warnings
 * (char*) are appended to @warnings unless it is NULL. */
char *aavm_generate_files(const AavmConfig *config, const AavmHost *host, const char *xml,
                          gsize len, GPtrArray *warnings, GError **error);

/* The per-VM profile made from @template_dir/TEMPLATE.<driver>, with the
 * rules inlined where the profile would include its .files. */
char *aavm_generate_profile(const AavmConfig *config, const AavmHost *host, const char *xml,
                            gsize len, const char *template_dir, GPtrArray *warnings,
                            GError **error);
