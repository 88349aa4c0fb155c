/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* generate.h: the pipeline rendered in memory, for "aavm generate". */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "host.h"

/* The .files text for a domain: header and its rules (aavm_pipeline_run()).
 * Warnings (char*) are appended to @warnings unless it is NULL. */
char *aavm_generate_files(const AavmConfig *config, const AavmHost *host, const char *xml,
                          gsize len, GPtrArray *warnings, GError **error);

/* The per-VM profile made from @template_dir/TEMPLATE.<driver>, with the
 * rules inlined where the profile would include its .files. */
char *aavm_generate_profile(const AavmConfig *config, const AavmHost *host, const char *xml,
                            gsize len, const char *template_dir, GPtrArray *warnings,
                            GError **error);
