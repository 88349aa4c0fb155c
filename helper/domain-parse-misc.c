/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_parse_input(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}

gboolean
aavm_parse_interface(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}

gboolean
aavm_parse_rng(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}

gboolean
aavm_parse_smartcard(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}

gboolean
aavm_parse_launch_security(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}
