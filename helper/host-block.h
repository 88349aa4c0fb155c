/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host-block.h: block device identity (libblkid): the node a block device
 * source really is, the name AppArmor will see. */
#pragma once

#include <glib.h>

#include "host.h"
