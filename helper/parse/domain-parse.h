/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse.h: untrusted domain XML text -> AavmDomain.
 *
 * No network, no DTD, no entity substitution, bounded input; the root must
 * be <domain> with a type, a <name>, a <uuid> and an <os><type>. */
#pragma once

#include <glib.h>

#include "domain.h"

/* Largest domain XML accepted, as the reference helper. */
#define AAVM_DOMAIN_XML_MAX (10 * 1024 * 1024)
/* Most devices of all kinds in one domain. */
#define AAVM_DOMAIN_MAX_DEVICES 65536
/* Longest virtualization type we do not know that is accepted (it names a
 * template file). */
#define AAVM_VIRT_TYPE_MAX 32

AavmDomain *aavm_domain_parse_string(const char *xml, gsize len, GError **error);
