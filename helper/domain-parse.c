/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse.h"

#include <stdlib.h>
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-xml.h"

/* Domain types libvirt knows; anything else is refused. */
static const char *const known_virt_types[] = {
    "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware",
    "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "ch", NULL,
};
/* OS types libvirt knows. */
static const char *const known_os_types[] = {
    "hvm", "xen", "linux", "exe", "uml", "xenpvh", NULL,
};

static char *
prop(xmlNode *node, const char *name)
{
    xmlChar *value = node ? xmlGetNoNsProp(node, (const xmlChar *)name) : NULL;
    char *copy = value ? g_strdup((const char *)value) : NULL;

    xmlFree(value);
    return copy;
}

/* The text content of @node, NULL when empty or only white space. */
static char *
text(xmlNode *node)
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

static gboolean
is_element(xmlNode *node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns == NULL &&
           strcmp((const char *)node->name, name) == 0;
}

/* The first child element called @name (no namespace). */
static xmlNode *
child(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

static gboolean
in_list(const char *value, const char *const *list)
{
    for (guint i = 0; list[i]; i++)
        if (g_strcmp0(value, list[i]) == 0)
            return TRUE;
    return FALSE;
}

static void
parse_disk(AavmDomain *domain, xmlNode *node)
{
    g_autoptr(AavmDisk) disk = aavm_disk_new();
    xmlNode *source = child(node, "source");

    disk->type_name = prop(node, "type");
    disk->type = disk->type_name ? aavm_disk_type_from_string(disk->type_name)
                                 : AAVM_DISK_FILE;
    disk->device = prop(node, "device");
    if (!disk->device)
        disk->device = g_strdup("disk");
    disk->target = prop(child(node, "target"), "dev");
    disk->format = prop(child(node, "driver"), "type");
    disk->readonly = child(node, "readonly") != NULL;
    disk->shareable = child(node, "shareable") != NULL;
    switch (disk->type) {
    case AAVM_DISK_FILE: disk->source = prop(source, "file"); break;
    case AAVM_DISK_BLOCK: disk->source = prop(source, "dev"); break;
    case AAVM_DISK_DIR: disk->source = prop(source, "dir"); break;
    default: break;
    }
    /* libvirt reads an empty source path as "no medium". */
    if (disk->source && !*disk->source)
        g_clear_pointer(&disk->source, g_free);
    g_ptr_array_add(domain->disks, g_steal_pointer(&disk));
}

static void
parse_chardev(AavmDomain *domain, xmlNode *node, AavmChardevKind kind, guint index)
{
    g_autoptr(AavmChardev) chardev = aavm_chardev_new(kind, index);

    chardev->type = prop(node, "type");
    if (!chardev->type)
        chardev->type = g_strdup("pty");
    /* udp has two sources (bind, connect); the path is on the first that has one. */
    for (xmlNode *c = node->children; c && !chardev->path; c = c->next)
        if (is_element(c, "source"))
            chardev->path = prop(c, "path");
    chardev->target_name = prop(child(node, "target"), "name");
    g_ptr_array_add(domain->chardevs, g_steal_pointer(&chardev));
}

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
        if (is_element(node, "disk")) {
            parse_disk(domain, node);
            continue;
        }
        for (int k = 0; k < AAVM_CHARDEV_KIND_LAST; k++) {
            if (is_element(node, aavm_chardev_kind_to_string(k))) {
                parse_chardev(domain, node, k, counts[k]++);
                break;
            }
        }
        /* Every other element is not this module's business (yet): ignored. */
    }
    return TRUE;
}

static void
parse_os(AavmDomain *domain, xmlNode *os)
{
    xmlNode *loader = child(os, "loader");
    xmlNode *nvram = child(os, "nvram");

    domain->kernel = text(child(os, "kernel"));
    domain->initrd = text(child(os, "initrd"));
    domain->dtb = text(child(os, "dtb"));
    if (loader) {
        g_autofree char *readonly = prop(loader, "readonly");
        domain->loader = text(loader);
        domain->loader_type = prop(loader, "type");
        domain->loader_readonly = !readonly ? AAVM_TRISTATE_ABSENT
                                  : g_strcmp0(readonly, "yes") == 0 ? AAVM_TRISTATE_YES
                                                                    : AAVM_TRISTATE_NO;
    }
    if (nvram) {
        g_autofree char *type = prop(nvram, "type");
        if (!type)
            domain->nvram = text(nvram);
        else if (g_strcmp0(type, "file") == 0)
            domain->nvram = prop(child(nvram, "source"), "file");
        else if (g_strcmp0(type, "block") == 0)
            domain->nvram = prop(child(nvram, "source"), "dev");
    }
}

static gboolean
parse_identity(AavmDomain *domain, xmlNode *root, GError **error)
{
    g_autofree char *uuid = NULL;
    g_autofree char *id = NULL;
    xmlNode *os = child(root, "os");
    xmlNode *os_type = child(os, "type");

    domain->virt_type = prop(root, "type");
    if (!domain->virt_type)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain type is not defined."));
    if (!in_list(domain->virt_type, known_virt_types))
        return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                         _("The virtualization type '%s' is unknown."), domain->virt_type);

    domain->name = text(child(root, "name"));
    if (!domain->name)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain has no <name>."));

    uuid = text(child(root, "uuid"));
    if (!uuid)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain has no <uuid>."));
    if (!aavm_uuid_normalize(uuid, &domain->uuid, error))
        return FALSE;

    domain->os_type = text(os_type);
    if (!domain->os_type)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain has no <os><type>."));
    if (!in_list(domain->os_type, known_os_types))
        return aavm_fail(error, AAVM_ERROR_UNSUPPORTED, _("The OS type '%s' is unknown."),
                         domain->os_type);
    domain->arch = prop(os_type, "arch");

    id = prop(root, "id");
    if (id) {
        char *end = NULL;
        long value = strtol(id, &end, 10);
        if (!*id || *end || value < -1 || value > G_MAXINT)
            return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The domain id '%s' is not a number."), id);
        domain->id = (int)value;
    }
    parse_os(domain, os);
    return TRUE;
}

static xmlDoc *
read_document(const char *xml, gsize len, GError **error)
{
    g_autoptr(xmlParserCtxt) ctxt = xmlNewParserCtxt();

    if (!ctxt)
        abort(); /* out of memory, as GLib does */
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "domain.xml", NULL,
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

AavmDomain *
aavm_domain_parse_string(const char *xml, gsize len, GError **error)
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

    g_autoptr(xmlDoc) doc = read_document(xml, len, error);
    if (!doc)
        return NULL;

    xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_element(root, "domain")) {
        aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The root element is not <domain>."));
        return NULL;
    }

    g_autoptr(AavmDomain) domain = aavm_domain_new();
    if (!parse_identity(domain, root, error) ||
        !parse_devices(domain, child(root, "devices"), error))
        return NULL;
    return g_steal_pointer(&domain);
}
