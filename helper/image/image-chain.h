/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-chain.h: a disk's backing chain, followed through image headers.
 *
 * Used only when the domain XML gives no <backingStore>.  An image is read
 * only when its format is explicit: the disk's <driver type=> for the top,
 * the backing format recorded in the parent's header for a layer below.  A
 * raw image, or one whose format is not known, is never opened to guess. */
#pragma once

#include <glib.h>

#include "domain.h"
#include "host.h"

typedef struct {
    GPtrArray *top_files; /* char*: further files of the disk's own image (vmdk
                           * extents, a qcow2 data file named in its header) */
    GPtrArray *layers;    /* AavmDiskSource*: the backing layers, top to base; each
                           * has named_by set; a network layer has no path */
} AavmImageChain;

/* Follow the headers below @top, a local file or block layer.  @name names
 * the disk in messages ("disk vda").  Fails on a header that breaks its
 * format's rules, a loop, or a chain deeper than @max_depth; what is
 * referenced but cannot be followed is added to @warnings (char *). */
AavmImageChain *aavm_image_chain_discover(const AavmHost *host, const AavmDiskSource *top,
                                          guint max_depth, const char *name,
                                          GPtrArray *warnings, GError **error);
void aavm_image_chain_free(AavmImageChain *chain);

/* How QEMU reads a backing name: "nbd://...", "rbd:pool/image", "json:{...}"
 * name a protocol (*@out_protocol set, returns NULL); anything else is a
 * file, absolute or relative to the directory of @parent_path ("file:"
 * prefixes dropped).  Returns the file's path. */
char *aavm_image_resolve_name(const char *name, const char *parent_path, char **out_protocol);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmImageChain, aavm_image_chain_free)
