/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* loader.h: running apparmor_parser (argv, no shell) and decoding its status. */
#pragma once

#include <glib.h>

typedef enum {
    AAVM_LOAD_ADD,     /* -a: load a new profile */
    AAVM_LOAD_REPLACE, /* -r: load or replace */
    AAVM_LOAD_REMOVE,  /* -R: unload */
    AAVM_LOAD_LAST
} AavmLoadOp;

/* apparmor_parser's status for "-R" of a profile that is not loaded. */
#define AAVM_PARSER_STATUS_NOT_LOADED 234

const char *aavm_load_op_to_flag(AavmLoadOp op);

/* The argv the loader runs (NULL-terminated; for tests and messages).
 * With @cache_dir (not NULL), loads use and refresh the parser's compile
 * cache there: "-W -L <cache_dir>" after the operation's flag. */
char **aavm_loader_build_argv(const char *parser, AavmLoadOp op, const char *cache_dir,
                              const char *profile_path);

/* Turn a wait status into success or an error naming what the parser said.
 * "Not loaded" on remove counts as success; @out_not_loaded tells. */
gboolean aavm_loader_decode_status(AavmLoadOp op, int wait_status, const char *parser_output,
                                   gboolean *out_not_loaded, GError **error);

/* Make @cache_dir (0755) when missing and check it and the entries the
 * parser would read for @profile_name (store-dir.h); NULL: no cache. */
gboolean aavm_loader_check_cache(const char *cache_dir, const char *profile_name,
                                 GError **error);

/* Run the parser; for loads, aavm_loader_check_cache() first. */
gboolean aavm_loader_run(const char *parser, AavmLoadOp op, const char *cache_dir,
                         const char *profile_path, gboolean *out_not_loaded, GError **error);

/* Whether profiles can be loaded into this kernel (libapparmor's
 * aa_is_enabled()); the error names the reason when they cannot. */
gboolean aavm_loader_check_enabled(GError **error);

/* What aa_is_enabled() failing with @errnum means for a load.  No AppArmor,
 * disabled at boot, securityfs not mounted: FALSE, the error names the
 * reason.  EACCES or EPERM: TRUE, try the load: the caller was denied
 * asking (it runs confined), and the parser's own error, if any, is the
 * answer. */
gboolean aavm_loader_enabled_verdict(int errnum, GError **error);
