/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse-chardev.c: the host side of a character device: serial,
 * parallel, console, channel, redirdev, and the chardev sources of
 * <smartcard mode='passthrough'> and <rng><backend model='egd'>. */
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
    /* <log file='/p' append='on'/>: QEMU writes the device's output there too. */
    chardev->log_file = aavm_xml_path_prop(aavm_xml_child(node, "log"), "file");
    g_ptr_array_add(domain->chardevs, g_steal_pointer(&chardev));
    return TRUE;
}
