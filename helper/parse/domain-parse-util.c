/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include <inttypes.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

#include <string.h>

char *
aavm_xml_prop(xmlNode *node, const char *name)
{
    xmlChar *value = node ? xmlGetNoNsProp(node, (const xmlChar *)name) : NULL;
    char *copy = value ? g_strdup((const char *)value) : NULL;

    xmlFree(value);
    return copy;
}

/* The text content of @node, NULL when empty or only white space. */
char *
aavm_xml_text(xmlNode *node)
{
    xmlChar *value = node ? xmlNodeGetContent(node) : NULL;
    char *copy = NULL;

    if (value) {
        copy = g_strstrip(g_strdup((const char *)value));
        if (!*copy)
            g_clear_pointer(&copy, g_free);
    }
    xmlFree(value);
    return copy;
}

gboolean
aavm_xml_is(xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns == NULL &&
           strcmp((const char *)node->name, name) == 0;
}

/* The first child element called @name (no namespace). */
xmlNode *
aavm_xml_child(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (aavm_xml_is(c, name))
            return c;
    return NULL;
}

xmlNode *
aavm_xml_next(xmlNode *node, const char *name)
{
    for (xmlNode *c = node ? node->next : NULL; c; c = c->next)
        if (aavm_xml_is(c, name))
            return c;
    return NULL;
}

char *
aavm_xml_path_prop(xmlNode *node, const char *name)
{
    char *value = aavm_xml_prop(node, name);

    if (value && !*value)
        g_clear_pointer(&value, g_free);
    return value;
}

gboolean
aavm_xml_number_prop(xmlNode *node, const char *attr, guint64 max, gboolean required,
                     const char *what, char **out, guint64 *out_value, GError **error)
{
    g_autofree char *text = aavm_xml_prop(node, attr);
    guint64 value = 0;

    *out = NULL;
    if (out_value)
        *out_value = 0;
    if (!text)
        return !required ||
               aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The source of %s has no '%s' attribute."), what, attr);
    if (!aavm_parse_number(text, max, &value))
        return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The source of %s has %s='%s', which is not a number up to %#" PRIx64 "."),
                         what, attr, text, max);
    if (out_value)
        *out_value = value;
    *out = g_steal_pointer(&text);
    return TRUE;
}

gboolean
aavm_parse_pci_address(xmlNode *address, const char *what, AavmPciAddress *out, GError **error)
{
    static const struct {
        const char *attr;
        guint64 max;
        gsize offset;
    } fields[] = {
        { "domain", 0xffff, G_STRUCT_OFFSET(AavmPciAddress, domain) },
        { "bus", 0xff, G_STRUCT_OFFSET(AavmPciAddress, bus) },
        { "slot", 0x1f, G_STRUCT_OFFSET(AavmPciAddress, slot) },
        { "function", 7, G_STRUCT_OFFSET(AavmPciAddress, function) },
    };
    AavmPciAddress addr = { .set = TRUE };

    if (!address)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The source of %s has no PCI <address>."), what);
    for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
        g_autofree char *text = NULL;
        guint64 value = 0;
        /* An attribute left out is 0, as in libvirt. */
        if (!aavm_xml_number_prop(address, fields[i].attr, fields[i].max, FALSE, what, &text, &value,
                         error))
            return FALSE;
        G_STRUCT_MEMBER(guint, &addr, fields[i].offset) = (guint)value;
    }
    *out = addr;
    return TRUE;
}
