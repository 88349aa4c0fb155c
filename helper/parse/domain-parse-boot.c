/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* <nvram>: a path as text, <source file=> (type='file'), <source dev=>
 * (type='block'), or a network source (nothing local).  A template is only
 * read by the VM manager when it creates the varstore, never by QEMU. */
static void
parse_nvram(AavmDomain *domain, xmlNode *nvram)
{
    g_autofree char *type = aavm_xml_prop(nvram, "type");
    xmlNode *source = aavm_xml_child(nvram, "source");

    domain->nvram_given = TRUE;
    domain->nvram_template = aavm_xml_prop(nvram, "template");
    if (!type)
        domain->nvram = aavm_xml_text(nvram);
    else if (g_strcmp0(type, "file") == 0)
        domain->nvram = aavm_xml_prop(source, "file");
    else if (g_strcmp0(type, "block") == 0)
        domain->nvram = aavm_xml_prop(source, "dev");
    else if (g_strcmp0(type, "network") == 0)
        domain->nvram_network = TRUE;
    else {
        /* Not understood: no default path either. */
        domain->nvram_given = FALSE;
        aavm_domain_warn(domain, _("The nvram of type '%s' is not supported; nothing is granted for it."),
                         type);
    }
}

static void
parse_loader(AavmDomain *domain, xmlNode *loader)
{
    g_autofree char *readonly = aavm_xml_prop(loader, "readonly");

    domain->loader = aavm_xml_text(loader);
    domain->loader_type = aavm_xml_prop(loader, "type");
    domain->loader_readonly = !readonly ? AAVM_TRISTATE_ABSENT
                              : g_strcmp0(readonly, "yes") == 0 ? AAVM_TRISTATE_YES
                                                                : AAVM_TRISTATE_NO;
}

/* <acpi><table type=>path</table>...</acpi> inside <os>. */
static void
parse_acpi(AavmDomain *domain, xmlNode *acpi)
{
    for (xmlNode *t = aavm_xml_child(acpi, "table"); t; t = aavm_xml_next(t, "table")) {
        AavmAcpiTable *table = g_new0(AavmAcpiTable, 1);

        table->type = aavm_xml_prop(t, "type");
        table->path = aavm_xml_text(t);
        g_ptr_array_add(domain->acpi_tables, table);
    }
}

gboolean
aavm_parse_os(AavmDomain *domain, xmlNode *os, GError **error)
{
    xmlNode *loader = aavm_xml_child(os, "loader");
    xmlNode *nvram = aavm_xml_child(os, "nvram");

    domain->kernel = aavm_xml_text(aavm_xml_child(os, "kernel"));
    domain->initrd = aavm_xml_text(aavm_xml_child(os, "initrd"));
    domain->dtb = aavm_xml_text(aavm_xml_child(os, "dtb"));
    domain->shim = aavm_xml_text(aavm_xml_child(os, "shim"));
    domain->varstore = aavm_xml_prop(aavm_xml_child(os, "varstore"), "path");
    if (loader)
        parse_loader(domain, loader);
    if (nvram)
        parse_nvram(domain, nvram);
    parse_acpi(domain, aavm_xml_child(os, "acpi"));
    return TRUE;
}

/* <sysinfo type='fwcfg'>: entries with a file= are read by QEMU; entries
 * with an inline value reference nothing on the host. */
gboolean
aavm_parse_sysinfo(AavmDomain *domain, xmlNode *node, GError **error)
{
    g_autofree char *type = aavm_xml_prop(node, "type");

    if (g_strcmp0(type, "fwcfg") != 0)
        return TRUE;
    for (xmlNode *e = aavm_xml_child(node, "entry"); e; e = aavm_xml_next(e, "entry")) {
        AavmFwcfgEntry *entry = g_new0(AavmFwcfgEntry, 1);

        entry->name = aavm_xml_prop(e, "name");
        entry->file = aavm_xml_prop(e, "file");
        g_ptr_array_add(domain->fwcfg, entry);
    }
    return TRUE;
}

/* <pstore backend='acpi-erst'><path>...</path>: the backing file of the
 * ACPI ERST device. */
gboolean
aavm_parse_pstore(AavmDomain *domain, xmlNode *node, GError **error)
{
    g_autofree char *backend = aavm_xml_prop(node, "backend");
    g_autofree char *path = aavm_xml_text(aavm_xml_child(node, "path"));

    if (g_strcmp0(backend, "acpi-erst") != 0) {
        aavm_domain_warn(domain, _("The pstore device with backend '%s' is not supported; nothing is granted for it."),
                         backend ? backend : "?");
        return TRUE;
    }
    if (domain->pstore) {
        aavm_domain_warn(domain, _("The domain has more than one pstore device; only the first is granted."));
        return TRUE;
    }
    domain->pstore = g_steal_pointer(&path);
    return TRUE;
}
