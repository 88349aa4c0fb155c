/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pipeline.h: the one pipeline from a domain XML to its rules.
 *
 * XML -> AavmDomain (domain-parse) -> AavmAccessList (rules, with the -f
 * arguments) -> sorted.  aavm-helper, aavm generate, explain and denial,
 * the golden runner and the pipeline fuzzer all run this function, so the
 * goldens test what the helper writes. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "access.h"
#include "domain.h"
#include "host.h"

typedef struct {
    /* NULL, or the profile name (aavm-helper -u) the domain's UUID must
     * give: "libvirt-<uuid>" (AAVM_ERROR_UUID_MISMATCH otherwise). */
    const char *profile_name;
    /* NULL, or -f arguments, NULL-terminated: joined to the XML's rules. */
    const char *const *add_files;
    /* Parse and check the domain only (its name included), build no rules:
     * aavm-helper -r -F keeps the rules on disk. */
    gboolean domain_only;
} AavmPipelineOptions;

typedef struct {
    AavmDomain *domain;    /* the parsed domain; kept when its rules are refused */
    AavmAccessList *list;  /* every rule, sorted; NULL when refused (or domain_only) */
    GPtrArray *warnings;   /* char*: what was referenced but not granted, once the
                            * XML's rules are built (even if a -f is refused) */
} AavmPipeline;

/* Run the pipeline on @xml (@len bytes) with @options (NULL: none) into
 * @out (zeroed by the caller, cleared with aavm_pipeline_clear()).  FALSE
 * with @error when the domain or one of its paths is refused; what was
 * made before the refusal stays in @out. */
gboolean aavm_pipeline_run(const AavmConfig *config, const AavmHost *host, const char *xml,
                           gsize len, const AavmPipelineOptions *options, AavmPipeline *out,
                           GError **error);

/* The same from @domain, already parsed (taken: it is in @out afterwards,
 * whatever the outcome). */
gboolean aavm_pipeline_run_domain(const AavmConfig *config, const AavmHost *host,
                                  AavmDomain *domain, const AavmPipelineOptions *options,
                                  AavmPipeline *out, GError **error);

void aavm_pipeline_clear(AavmPipeline *pipeline);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(AavmPipeline, aavm_pipeline_clear)
