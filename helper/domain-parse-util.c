/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

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

gboolean
aavm_in_list(const char *value, const char *const *list)
{
    for (guint i = 0; list[i]; i++)
        if (g_strcmp0(value, list[i]) == 0)
            return TRUE;
    return FALSE;
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
