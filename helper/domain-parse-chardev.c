/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_parse_chardev(AavmDomain *domain, xmlNode *node, AavmChardevKind kind, guint index,
                   GError **error)
{
    g_autoptr(AavmChardev) chardev = aavm_chardev_new(kind, index);

    chardev->type = aavm_xml_prop(node, "type");
    if (!chardev->type)
        chardev->type = g_strdup("pty");
    /* udp has two sources (bind, connect); the path is on the first that has one. */
    for (xmlNode *c = node->children; c && !chardev->path; c = c->next)
        if (aavm_xml_is(c, "source"))
            chardev->path = aavm_xml_prop(c, "path");
    chardev->target_name = aavm_xml_prop(aavm_xml_child(node, "target"), "name");
    g_ptr_array_add(domain->chardevs, g_steal_pointer(&chardev));
    return TRUE;
}
