/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-xml.h"

#include <stdlib.h>
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain-parse-util.h"

static xmlDoc *
read_document(const char *xml, gsize len, GError **error)
{
    g_autoptr(xmlParserCtxt) ctxt = xmlNewParserCtxt();

    if (!ctxt)
        abort(); /* out of memory, as GLib does */
    /* Always UTF-8, as libvirt writes it: the document's own encoding
     * declaration is not followed, so no character converter ever runs on
     * untrusted bytes (libxml2's converters report errors on stderr). */
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "domain.xml", "UTF-8",
                                    XML_PARSE_NONET | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!doc) {
        const xmlError *err = xmlCtxtGetLastError(ctxt);
        g_autofree char *msg = g_strstrip(g_strdup(err && err->message ? err->message : "?"));
        aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain XML is not well-formed (line %d): %s"),
                  err ? err->line : 0, msg);
        return NULL;
    }
    if (doc->intSubset || doc->extSubset) {
        xmlFreeDoc(doc);
        aavm_fail(error, AAVM_ERROR_INVALID_XML,
                  _("The domain XML has a document type declaration, which is not allowed."));
        return NULL;
    }
    return doc;
}

xmlDoc *
aavm_domain_xml_document(const char *xml, gsize len, GError **error)
{
    if (len > AAVM_DOMAIN_XML_MAX) {
        aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                  _("The domain XML is larger than %d bytes."), AAVM_DOMAIN_XML_MAX);
        return NULL;
    }
    if (len == 0) {
        aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain XML is empty."));
        return NULL;
    }
    return read_document(xml, len, error);
}

xmlDoc *
aavm_domain_xml_read(const char *xml, gsize len, gboolean status_allowed, xmlNode **out_domain,
                     GError **error)
{
    g_autoptr(xmlDoc) doc = aavm_domain_xml_document(xml, len, error);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

    if (!doc)
        return NULL;
    if (status_allowed && aavm_xml_is(root, "domstatus"))
        root = aavm_xml_child(root, "domain");
    if (!aavm_xml_is(root, "domain")) {
        aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The root element is not <domain>."));
        return NULL;
    }
    *out_domain = root;
    return g_steal_pointer(&doc);
}
