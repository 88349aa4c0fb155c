/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <hostdev> and <interface type='hostdev'>: what each names on the host.
 * Numbers are checked the way libvirt reads them and bounded here, so the
 * rules only ever build sysfs paths from valid numbers. */
#include "domain-parse-util.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

typedef gboolean (*SourceParser)(AavmHostdev *hostdev, xmlNode *node, xmlNode *source,
                                 const char *what, GError **error);

/* A required child element's text of <source>, e.g. <block>. */
static gboolean
source_text(xmlNode *source, const char *element, const char *what, char **out, GError **error)
{
    *out = aavm_xml_text(aavm_xml_child(source, element));
    return *out || aavm_fail(error, AAVM_ERROR_INVALID_XML,
                             _("The source of %s has no <%s> element."), what, element);
}

/* <driver iommufd='yes|no'> of the device, else the domain's <iommufd enabled=>. */
static gboolean
parse_iommufd(xmlNode *node, xmlNode *driver, const char *what, gboolean *out, GError **error)
{
    g_autofree char *value = aavm_xml_prop(driver, "iommufd");

    if (!value) {
        xmlNode *domain_iommufd = aavm_xml_child(xmlDocGetRootElement(node->doc), "iommufd");
        g_autofree char *enabled = aavm_xml_prop(domain_iommufd, "enabled");
        *out = g_strcmp0(enabled, "yes") == 0;
        return TRUE;
    }
    if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The driver of %s has iommufd='%s'; it must be 'yes' or 'no'."),
                         what, value);
    *out = strcmp(value, "yes") == 0;
    return TRUE;
}

static gboolean
parse_pci(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
          GError **error)
{
    xmlNode *driver = aavm_xml_child(node, "driver");

    hostdev->driver = aavm_xml_prop(driver, "name");
    return parse_iommufd(node, driver, what, &hostdev->iommufd, error) &&
           aavm_parse_pci_address(aavm_xml_child(source, "address"), what, &hostdev->pci, error);
}

static gboolean
parse_usb(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
          GError **error)
{
    xmlNode *address = aavm_xml_child(source, "address");
    (void)node;

    if (!aavm_xml_number_prop(aavm_xml_child(source, "vendor"), "id", 0xffff, FALSE, what,
                     &hostdev->usb_vendor, NULL, error) ||
        !aavm_xml_number_prop(aavm_xml_child(source, "product"), "id", 0xffff, FALSE, what,
                     &hostdev->usb_product, NULL, error) ||
        !aavm_xml_number_prop(address, "bus", G_MAXUINT, address != NULL, what, &hostdev->usb_bus, NULL,
                     error) ||
        !aavm_xml_number_prop(address, "device", G_MAXUINT, address != NULL, what, &hostdev->usb_device,
                     NULL, error))
        return FALSE;
    if (!hostdev->usb_vendor != !hostdev->usb_product)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The source of %s needs both a <vendor id> and a <product id>."), what);
    if (!hostdev->usb_vendor && !address)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The source of %s names neither vendor and product ids nor a bus and device address."),
                         what);
    return TRUE;
}

static gboolean
parse_mdev(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
           GError **error)
{
    g_autofree char *uuid = aavm_xml_prop(aavm_xml_child(source, "address"), "uuid");
    g_autoptr(GError) bad = NULL;

    hostdev->model = aavm_xml_prop(node, "model");
    if (!uuid)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The source of %s has no <address uuid>."), what);
    if (!aavm_uuid_normalize(uuid, &hostdev->mdev_uuid, &bad))
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("The source of %s: %s"), what,
                         bad->message);
    return TRUE;
}

static gboolean
parse_scsi(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
           GError **error)
{
    xmlNode *address = aavm_xml_child(source, "address");
    (void)node;

    hostdev->scsi_protocol = aavm_xml_prop(source, "protocol");
    if (g_strcmp0(hostdev->scsi_protocol, "iscsi") == 0)
        return TRUE; /* QEMU talks to the iSCSI target over the network. */
    hostdev->scsi_adapter = aavm_xml_prop(aavm_xml_child(source, "adapter"), "name");
    if (!hostdev->scsi_adapter)
        return aavm_fail(error, AAVM_ERROR_INVALID_XML,
                         _("The source of %s has no <adapter name>."), what);
    return aavm_xml_number_prop(address, "bus", G_MAXUINT, TRUE, what, &hostdev->scsi_bus, NULL,
                       error) &&
           aavm_xml_number_prop(address, "target", G_MAXUINT, TRUE, what, &hostdev->scsi_target,
                       NULL, error) &&
           aavm_xml_number_prop(address, "unit", G_MAXUINT64, TRUE, what, &hostdev->scsi_unit,
                       NULL, error);
}

static gboolean
parse_scsi_host(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
                GError **error)
{
    (void)node;
    (void)what;
    (void)error;
    hostdev->scsi_protocol = aavm_xml_prop(source, "protocol");
    hostdev->wwpn = aavm_xml_prop(source, "wwpn");
    return TRUE;
}

static gboolean
parse_storage(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
              GError **error)
{
    (void)node;
    return source_text(source, "block", what, &hostdev->caps_path, error);
}

static gboolean
parse_misc(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
           GError **error)
{
    (void)node;
    return source_text(source, "char", what, &hostdev->caps_path, error);
}

static gboolean
parse_net(AavmHostdev *hostdev, xmlNode *node, xmlNode *source, const char *what,
          GError **error)
{
    (void)node;
    return source_text(source, "interface", what, &hostdev->caps_path, error);
}

static const struct {
    const char *mode;
    const char *type;
    SourceParser parse;
} hostdev_kinds[] = {
    { "subsystem", "usb", parse_usb },
    { "subsystem", "pci", parse_pci },
    { "subsystem", "scsi", parse_scsi },
    { "subsystem", "scsi_host", parse_scsi_host },
    { "subsystem", "mdev", parse_mdev },
    { "capabilities", "storage", parse_storage },
    { "capabilities", "misc", parse_misc },
    { "capabilities", "net", parse_net },
};

/* "hostdev 2 (usb 0x1234:0xbeef)": how warnings name a parsed device. */
static char *
describe(const AavmHostdev *h)
{
    g_autofree char *detail = NULL;
    const char *type = h->type;

    if (h->pci.set)
        detail = aavm_pci_address_format(&h->pci);
    else if (h->usb_vendor)
        detail = g_strdup_printf("%s:%s", h->usb_vendor, h->usb_product);
    else if (h->usb_bus)
        detail = g_strdup_printf("bus %s device %s", h->usb_bus, h->usb_device);
    else if (h->mdev_uuid)
        detail = g_strdup(h->mdev_uuid);
    else if (h->scsi_adapter)
        detail = g_strdup_printf("%s:%s:%s:%s", h->scsi_adapter, h->scsi_bus, h->scsi_target,
                                 h->scsi_unit);
    else if (h->scsi_protocol || h->wwpn)
        detail = g_strjoin(" ", h->scsi_protocol ? h->scsi_protocol : "",
                           h->wwpn ? h->wwpn : "", NULL);
    else if (h->caps_path)
        detail = g_strdup(h->caps_path);
    return g_strdup_printf("hostdev %u (%s%s%s%s)", h->index, h->from_interface ? "interface " : "",
                           type, detail ? " " : "", detail ? g_strstrip(detail) : "");
}

/* Fill @hostdev (mode, type, index set) from @node and add it to @domain. */
static gboolean
parse_kind(AavmDomain *domain, AavmHostdev *owned, xmlNode *node, GError **error)
{
    g_autoptr(AavmHostdev) hostdev = owned;
    g_autofree char *what = g_strdup_printf("hostdev %u (%s%s)", hostdev->index,
                                            hostdev->from_interface ? "interface " : "",
                                            hostdev->type);

    for (guint i = 0; i < G_N_ELEMENTS(hostdev_kinds); i++) {
        if (strcmp(hostdev->mode, hostdev_kinds[i].mode) != 0 ||
            strcmp(hostdev->type, hostdev_kinds[i].type) != 0)
            continue;
        if (!hostdev_kinds[i].parse(hostdev, node, aavm_xml_child(node, "source"), what, error))
            return FALSE;
        hostdev->label = describe(hostdev);
        g_ptr_array_add(domain->hostdevs, g_steal_pointer(&hostdev));
        return TRUE;
    }
    aavm_domain_warn(domain, _("%s has mode '%s' and type '%s', which aavm does not know: nothing is granted for it."),
                     what, hostdev->mode, hostdev->type);
    return TRUE;
}

gboolean
aavm_parse_hostdev(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmHostdev *hostdev = g_new0(AavmHostdev, 1);

    hostdev->index = domain->hostdevs->len;
    hostdev->mode = aavm_xml_prop(node, "mode");
    if (!hostdev->mode)
        hostdev->mode = g_strdup("subsystem");
    hostdev->type = aavm_xml_prop(node, "type");
    if (!hostdev->type) {
        aavm_hostdev_free(hostdev);
        return aavm_fail(error, AAVM_ERROR_INVALID_XML, _("hostdev %u has no type."),
                         domain->hostdevs->len);
    }
    return parse_kind(domain, hostdev, node, error);
}

gboolean
aavm_parse_interface_hostdev(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmHostdev *hostdev = g_new0(AavmHostdev, 1);
    g_autofree char *addr_type = aavm_xml_prop(aavm_xml_child(aavm_xml_child(node, "source"),
                                                              "address"), "type");

    hostdev->index = domain->hostdevs->len;
    hostdev->from_interface = TRUE;
    hostdev->mode = g_strdup("subsystem");
    /* libvirt: the source address is PCI unless it says type='usb'. */
    hostdev->type = g_strdup(g_strcmp0(addr_type, "usb") == 0 ? "usb" : "pci");
    if (addr_type && strcmp(addr_type, "pci") != 0 && strcmp(addr_type, "usb") != 0) {
        aavm_domain_warn(domain, _("hostdev %u (interface) has a source address of type '%s', which is not supported: nothing is granted for it."),
                         hostdev->index, addr_type);
        aavm_hostdev_free(hostdev);
        return TRUE;
    }
    return parse_kind(domain, hostdev, node, error);
}
