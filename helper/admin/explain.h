/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* explain.h: aavm explain's output: every rule of a domain with why it is
 * there, then what the confinement does not cover (findings.h).
 *
 * Text: a header naming the domain, a table PERMS PATH FROM REASON (the
 * access list in its order; a path as its rule matches it: a directory with
 * a trailing '/', a tree with '/' and two stars, a pattern as written), the
 * build's warnings, then "Findings:" grouped by severity, each with its
 * kind, subject, message and advice.  Untrusted text is made printable.
 * JSON, on one line:
 *   {"domain":{"name":..,"uuid":..},
 *    "rules":[{"path","match","perms","origins":[..],"reason"}],
 *    "findings":[{"severity","kind","subject","message","advice"}],
 *    "warnings":[..]} */
#pragma once

#include <glib.h>

#include "access.h"
#include "domain.h"

/* @findings: AavmFinding*; @warnings: char* (may be NULL). */
char *aavm_explain_to_text(const AavmDomain *domain, const AavmAccessList *list,
                           const GPtrArray *findings, const GPtrArray *warnings);
char *aavm_explain_to_json(const AavmDomain *domain, const AavmAccessList *list,
                           const GPtrArray *findings, const GPtrArray *warnings);

/* How the PATH column shows an entry: "/dir/", "/dir/" plus two stars, the
 * pattern or path as it is (not yet made printable). */
char *aavm_explain_path(const AavmAccess *access);
/* The FROM column: the origins joined by ",", e.g. "device,passthrough". */
char *aavm_explain_origins(AavmOrigin origins);
