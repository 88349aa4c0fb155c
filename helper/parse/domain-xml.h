/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-xml.h: the one way untrusted libvirt XML text becomes a libxml2
 * document: a domain definition, a running domain's status file (its
 * <domstatus> root wraps the <domain>), or another libvirt definition (a
 * storage pool).
 *
 * Bounded input, always read as UTF-8, no network, and a document type
 * declaration is refused: no entity is ever defined, so none is expanded
 * (no external entity, no "billion laughs"). */
#pragma once

#include <glib.h>

#include "aavm-xml.h"

/* Largest domain XML accepted, as the reference helper. */
#define AAVM_DOMAIN_XML_MAX (10 * 1024 * 1024)

/* The document of @xml (@len bytes, at most AAVM_DOMAIN_XML_MAX), whatever
 * its root element. */
xmlDoc *aavm_domain_xml_document(const char *xml, gsize len, GError **error);

/* The document of @xml and, in *@out_domain, its <domain>: the root, or
 * with @status_allowed the <domain> child of a <domstatus> root. */
xmlDoc *aavm_domain_xml_read(const char *xml, gsize len, gboolean status_allowed,
                             xmlNode **out_domain, GError **error);
