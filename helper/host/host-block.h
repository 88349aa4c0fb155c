/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host-block.h: block device identity (libblkid): the node a block device
 * source really is, the name AppArmor will see. */
#pragma once

#include <sys/types.h>

#include <glib.h>

#include "host.h"

/* The kernel's node for the block device number @devno ("/dev/dm-0"),
 * checked to be that device; NULL when the host does not have it or is a
 * fake root (whose /dev is not the kernel's). */
char *aavm_host_block_devno_node(const AavmHost *host, dev_t devno);

/* The kernel's node for @path (host-absolute, symlinks followed) when it
 * is a block device: "/dev/dm-0" for "/dev/mapper/vg-lv" or
 * "/dev/disk/by-id/...".  NULL when @path is not a block device, the
 * kernel does not name it, or the host is a fake root. */
char *aavm_host_block_node(const AavmHost *host, const char *path);
