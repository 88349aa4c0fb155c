/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <qemu:commandline> and <qemu:env>: the QEMU options and environment
 * libvirt passes through unchecked.  Elements are recognised by their
 * namespace (http://libvirt.org/schemas/domain/qemu/1.0), whatever the
 * prefix, so the default-namespace spelling
 * <commandline xmlns="http://libvirt.org/schemas/domain/qemu/1.0"> counts
 * too.  The arguments are read by qemu-args.c into domain->passthrough. */
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain-parse-util.h"
#include "qemu-args.h"

#define QEMU_NS "http://libvirt.org/schemas/domain/qemu/1.0"

static gboolean
is_qemu(xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           strcmp((const char *)node->ns->href, QEMU_NS) == 0 &&
           strcmp((const char *)node->name, name) == 0;
}

/* <qemu:override><qemu:device alias=><qemu:frontend><qemu:property name=
 * type= value=>: device properties libvirt sets (qemu-args.c reports a
 * path-like value). */
static void
parse_override(AavmDomain *domain, xmlNode *override, guint *index)
{
    for (xmlNode *dev = override->children; dev; dev = dev->next) {
        if (!is_qemu(dev, "device"))
            continue;
        for (xmlNode *fe = dev->children; fe; fe = fe->next) {
            if (!is_qemu(fe, "frontend"))
                continue;
            for (xmlNode *prop = fe->children; prop; prop = prop->next) {
                if (!is_qemu(prop, "property"))
                    continue;
                g_autofree char *name = aavm_xml_prop(prop, "name");
                g_autofree char *value = aavm_xml_prop(prop, "value");
                aavm_qemu_override_scan(name, value, (*index)++, domain->passthrough);
            }
        }
    }
}

gboolean
aavm_parse_qemu_commandline(AavmDomain *domain, xmlNode *root, GError **error)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) env = g_ptr_array_new_with_free_func(g_free); /* name, value pairs */
    guint overrides = 0;

    for (xmlNode *cmd = root->children; cmd; cmd = cmd->next) {
        if (!is_qemu(cmd, "commandline"))
            continue;
        for (xmlNode *node = cmd->children; node; node = node->next) {
            if (is_qemu(node, "arg")) {
                char *value = aavm_xml_prop(node, "value");
                if (!value)
                    return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                                     _("A <qemu:arg> has no value attribute."));
                g_ptr_array_add(args, value);
            } else if (is_qemu(node, "env")) {
                char *name = aavm_xml_prop(node, "name");
                if (!name || !*name) {
                    g_free(name);
                    return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                                     _("A <qemu:env> has no name attribute."));
                }
                g_ptr_array_add(env, name);
                g_ptr_array_add(env, aavm_xml_prop(node, "value"));
            }
        }
    }
    aavm_qemu_args_scan((const char *const *)args->pdata, args->len, domain->passthrough);
    for (guint i = 0; i + 1 < env->len; i += 2)
        aavm_qemu_env_scan(g_ptr_array_index(env, i), g_ptr_array_index(env, i + 1), i / 2,
                           domain->passthrough);
    for (xmlNode *node = root->children; node; node = node->next)
        if (is_qemu(node, "override"))
            parse_override(domain, node, &overrides);
    return TRUE;
}
