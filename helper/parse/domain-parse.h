/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse.h: untrusted domain XML text -> AavmDomain.
 *
 * No network, no DTD, no entity substitution, bounded input; the root must
 * be <domain> with a type, a <name>, a <uuid> and an <os><type>. */
#pragma once

#include <glib.h>

#include "domain-xml.h"
#include "domain.h"

/* Most devices of all kinds in one domain. */
#define AAVM_DOMAIN_MAX_DEVICES 65536
/* Longest virtualization type we do not know that is accepted (it names a
 * template file). */
#define AAVM_VIRT_TYPE_MAX 32

/* @xml read by aavm_domain_xml_read() (a <domain> root), then parsed. */
AavmDomain *aavm_domain_parse_string(const char *xml, gsize len, GError **error);
/* The <domain> element @root of a document aavm_domain_xml_read() gave. */
AavmDomain *aavm_domain_parse_node(xmlNode *root, GError **error);
