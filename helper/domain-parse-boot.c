/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_parse_os(AavmDomain *domain, xmlNode *os, GError **error)
{
    xmlNode *loader = aavm_xml_child(os, "loader");
    xmlNode *nvram = aavm_xml_child(os, "nvram");

    domain->kernel = aavm_xml_text(aavm_xml_child(os, "kernel"));
    domain->initrd = aavm_xml_text(aavm_xml_child(os, "initrd"));
    domain->dtb = aavm_xml_text(aavm_xml_child(os, "dtb"));
    if (loader) {
        g_autofree char *readonly = aavm_xml_prop(loader, "readonly");
        domain->loader = aavm_xml_text(loader);
        domain->loader_type = aavm_xml_prop(loader, "type");
        domain->loader_readonly = !readonly ? AAVM_TRISTATE_ABSENT
                                  : g_strcmp0(readonly, "yes") == 0 ? AAVM_TRISTATE_YES
                                                                    : AAVM_TRISTATE_NO;
    }
    if (nvram) {
        g_autofree char *type = aavm_xml_prop(nvram, "type");
        if (!type)
            domain->nvram = aavm_xml_text(nvram);
        else if (g_strcmp0(type, "file") == 0)
            domain->nvram = aavm_xml_prop(aavm_xml_child(nvram, "source"), "file");
        else if (g_strcmp0(type, "block") == 0)
            domain->nvram = aavm_xml_prop(aavm_xml_child(nvram, "source"), "dev");
    }
    return TRUE;
}

gboolean
aavm_parse_sysinfo(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}

gboolean
aavm_parse_pstore(AavmDomain *domain, xmlNode *node, GError **error)
{
    return TRUE;
}
