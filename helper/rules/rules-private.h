/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rules-private.h: what the rules-* modules (one a device family) share.
 *
 * Every path from the XML goes through aavm_rules_path()/aavm_rules_tree()
 * (the path policy); only fixed patterns written in this source tree, with
 * trusted settings and escaped names in them, use aavm_rules_pattern(). */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "access.h"
#include "domain.h"
#include "host.h"

/* aavm_rules_build() checked domain->name (aavm_domain_name_check: no '/',
 * no pattern characters) before any family runs, so a family may use it as
 * one path component. */
typedef struct {
    const AavmDomain *domain;
    const AavmHost *host;
    const AavmConfig *config;
    AavmAccessList *list;
    AavmOrigin origin; /* what the rules added through this context come from */
} AavmRulesCtx;

/* One path from untrusted input, after the path policy accepted it. */
gboolean aavm_rules_path(const AavmRulesCtx *ctx, const char *path, AavmMatch match,
                         AavmPerm perms, const char *reason, GError **error);
/* A directory: the directory itself @dir_perms, everything below @tree_perms. */
gboolean aavm_rules_tree(const AavmRulesCtx *ctx, const char *dir, AavmPerm dir_perms,
                         AavmPerm tree_perms, const char *reason, GError **error);
/* A fixed AppArmor pattern from this source tree (not from the XML). */
void aavm_rules_pattern(const AavmRulesCtx *ctx, const char *pattern, AavmPerm perms,
                        const char *reason);
/* A warning about something referenced but not granted. */
void aavm_rules_warn(const AavmRulesCtx *ctx, const char *format, ...) G_GNUC_PRINTF(2, 3);

/* libvirt's short per-domain name "<id>-<first 20 characters of the name>",
 * unescaped. */
char *aavm_rules_short_name(const AavmDomain *domain);

/* The families, in the order their rules are built. */
gboolean aavm_rules_add_disks(const AavmRulesCtx *ctx, GError **error);       /* rules-disk.c */
gboolean aavm_rules_add_chardevs(const AavmRulesCtx *ctx, GError **error);    /* rules-chardev.c */
gboolean aavm_rules_add_boot(const AavmRulesCtx *ctx, GError **error);        /* rules-boot.c */
gboolean aavm_rules_add_graphics(const AavmRulesCtx *ctx, GError **error);    /* rules-graphics.c */
gboolean aavm_rules_add_hostdevs(const AavmRulesCtx *ctx, GError **error);    /* rules-hostdev.c */
/* One host device (a <hostdev>, or a VFIO device of <qemu:commandline>):
 * its nodes and sysfs files as found on the host; h->label names it in
 * reasons and warnings. */
gboolean aavm_rules_add_hostdev(const AavmRulesCtx *ctx, const AavmHostdev *h, GError **error);
gboolean aavm_rules_add_filesystems(const AavmRulesCtx *ctx, GError **error); /* rules-fs.c */
gboolean aavm_rules_add_memory(const AavmRulesCtx *ctx, GError **error);      /* rules-memory.c */
gboolean aavm_rules_add_tpms(const AavmRulesCtx *ctx, GError **error);        /* rules-tpm.c */
gboolean aavm_rules_add_misc(const AavmRulesCtx *ctx, GError **error);        /* rules-misc.c */
gboolean aavm_rules_add_passthrough(const AavmRulesCtx *ctx, GError **error); /* rules-passthrough.c */
