/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_parse_hostdev(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}
