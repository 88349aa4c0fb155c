/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "host-block.h"

#include <sys/stat.h>

#include <blkid.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Only the real root's /dev is the kernel's. */
static gboolean
host_is_real(const AavmHost *host)
{
    return host && host->root[0] == '\0';
}

char *
aavm_host_block_devno_node(const AavmHost *host, dev_t devno)
{
    struct stat st;
    char *name;
    char *node = NULL;

    if (!host_is_real(host) || devno == 0)
        return NULL;
    name = blkid_devno_to_devname(devno);
    /* libblkid found it by name: make sure the node is that device. */
    if (name && name[0] == '/' && strlen(name) < PATH_MAX && stat(name, &st) == 0 &&
        S_ISBLK(st.st_mode) && st.st_rdev == devno)
        node = g_strdup(name);
    free(name);
    return node;
}

char *
aavm_host_block_node(const AavmHost *host, const char *path)
{
    struct stat st;

    if (!host_is_real(host) || !path || path[0] != '/')
        return NULL;
    if (stat(path, &st) < 0 || !S_ISBLK(st.st_mode))
        return NULL;
    return aavm_host_block_devno_node(host, st.st_rdev);
}
