/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-xml.h"
#include "domain-parse-util.h"

/* Domain types libvirt knows.  Another type is accepted with a warning and
 * treated as the reference treats a known type without a template of its
 * own: no base rules, the template TEMPLATE.<type>. */
static const char *const known_virt_types[] = {
    "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware",
    "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "ch", "hvf", NULL,
};
/* OS types libvirt knows. */
static const char *const known_os_types[] = {
    "hvm", "xen", "linux", "exe", "uml", "xenpvh", NULL,
};

/* At most AAVM_VIRT_TYPE_MAX lower-case letters, digits, '_' or '-',
 * starting with a letter: what libvirt's type names look like. */
static gboolean
virt_type_is_word(const char *type)
{
    gsize len = strlen(type);

    if (len == 0 || len > AAVM_VIRT_TYPE_MAX || !g_ascii_islower(type[0]))
        return FALSE;
    for (gsize i = 0; i < len; i++)
        if (!g_ascii_islower(type[i]) && !g_ascii_isdigit(type[i]) && type[i] != '_' &&
            type[i] != '-')
            return FALSE;
    return TRUE;
}

typedef gboolean (*DeviceParser)(AavmDomain *domain, xmlNode *node, GError **error);

/* The elements under <devices> that reference host resources. */
static const struct {
    const char *element;
    DeviceParser parse;
} device_parsers[] = {
    { "disk", aavm_parse_disk },
    { "filesystem", aavm_parse_filesystem },
    { "hostdev", aavm_parse_hostdev },
    { "graphics", aavm_parse_graphics },
    { "video", aavm_parse_video },
    { "input", aavm_parse_input },
    { "interface", aavm_parse_interface },
    { "rng", aavm_parse_rng },
    { "smartcard", aavm_parse_smartcard },
    { "memory", aavm_parse_memory_device },
    { "shmem", aavm_parse_shmem },
    { "tpm", aavm_parse_tpm },
    { "pstore", aavm_parse_pstore },
};

/* Elements that carry a host chardev source of their own. */
static const struct {
    const char *element;
    AavmChardevKind kind;
} chardev_elements[] = {
    { "serial", AAVM_CHARDEV_SERIAL },
    { "parallel", AAVM_CHARDEV_PARALLEL },
    { "console", AAVM_CHARDEV_CONSOLE },
    { "channel", AAVM_CHARDEV_CHANNEL },
    { "redirdev", AAVM_CHARDEV_REDIRDEV },
};

static gboolean
parse_devices(AavmDomain *domain, xmlNode *devices, GError **error)
{
    guint counts[AAVM_CHARDEV_KIND_LAST] = { 0 };
    guint total = 0;

    for (xmlNode *node = devices ? devices->children : NULL; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE || node->ns != NULL)
            continue;
        if (++total > AAVM_DOMAIN_MAX_DEVICES)
            return aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                             _("The domain has more than %d devices."), AAVM_DOMAIN_MAX_DEVICES);
        for (guint i = 0; i < G_N_ELEMENTS(device_parsers); i++)
            if (aavm_xml_is(node, device_parsers[i].element) &&
                !device_parsers[i].parse(domain, node, error))
                return FALSE;
        for (guint i = 0; i < G_N_ELEMENTS(chardev_elements); i++) {
            AavmChardevKind kind = chardev_elements[i].kind;
            if (aavm_xml_is(node, chardev_elements[i].element) &&
                !aavm_parse_chardev(domain, node, kind, counts[kind]++, error))
                return FALSE;
        }
        /* Every other element references nothing on the host: ignored. */
    }
    return TRUE;
}

static gboolean
parse_identity(AavmDomain *domain, xmlNode *root, GError **error)
{
    g_autofree char *uuid = NULL;
    g_autofree char *id = NULL;
    xmlNode *os = aavm_xml_child(root, "os");
    xmlNode *os_type = aavm_xml_child(os, "type");

    domain->virt_type = aavm_xml_prop(root, "type");
    if (!domain->virt_type)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain type is not defined."));
    if (!aavm_in_list(domain->virt_type, known_virt_types)) {
        /* The type names the template file: a short word, nothing else. */
        if (!virt_type_is_word(domain->virt_type))
            return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                             _("The virtualization type '%s' is unknown and cannot name a template."),
                             domain->virt_type);
        aavm_domain_warn(domain,
                         _("The virtualization type '%s' is unknown; it gets no base rules and its profile is made from 'TEMPLATE.%s'."),
                         domain->virt_type, domain->virt_type);
    }

    domain->name = aavm_xml_text(aavm_xml_child(root, "name"));
    if (!domain->name)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain has no <name>."));

    uuid = aavm_xml_text(aavm_xml_child(root, "uuid"));
    if (!uuid)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain has no <uuid>."));
    if (!aavm_uuid_normalize(uuid, &domain->uuid, error))
        return FALSE;

    domain->os_type = aavm_xml_text(os_type);
    if (!domain->os_type)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain has no <os><type>."));
    if (!aavm_in_list(domain->os_type, known_os_types))
        return aavm_fail(error, AAVM_ERROR_UNSUPPORTED, _("The OS type '%s' is unknown."),
                         domain->os_type);
    domain->arch = aavm_xml_prop(os_type, "arch");

    id = aavm_xml_prop(root, "id");
    if (id) {
        char *end = NULL;
        long value = strtol(id, &end, 10);
        if (!*id || *end || value < -1 || value > G_MAXINT)
            return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain id '%s' is not a number."), id);
        domain->id = (int)value;
    }
    return aavm_parse_os(domain, os, error);
}

/* Host references outside <devices>. */
static gboolean
parse_domain_level(AavmDomain *domain, xmlNode *root, GError **error)
{
    xmlNode *backing = aavm_xml_child(root, "memoryBacking");
    xmlNode *security = aavm_xml_child(root, "launchSecurity");

    for (xmlNode *s = aavm_xml_child(root, "sysinfo"); s; s = aavm_xml_next(s, "sysinfo"))
        if (!aavm_parse_sysinfo(domain, s, error))
            return FALSE;
    return (!backing || aavm_parse_memory_backing(domain, backing, error)) &&
           (!security || aavm_parse_launch_security(domain, security, error));
}

AavmDomain *
aavm_domain_parse_node(xmlNode *root, GError **error)
{
    g_autoptr(AavmDomain) domain = aavm_domain_new();

    if (!parse_identity(domain, root, error) ||
        !parse_domain_level(domain, root, error) ||
        !parse_devices(domain, aavm_xml_child(root, "devices"), error) ||
        !aavm_parse_qemu_commandline(domain, root, error))
        return NULL;
    return g_steal_pointer(&domain);
}

AavmDomain *
aavm_domain_parse_string(const char *xml, gsize len, GError **error)
{
    xmlNode *root = NULL;
    g_autoptr(xmlDoc) doc = aavm_domain_xml_read(xml, len, FALSE, &root, error);

    return doc ? aavm_domain_parse_node(root, error) : NULL;
}
