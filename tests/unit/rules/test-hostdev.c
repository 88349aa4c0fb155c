/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-hostdev.c: the hostdev family: domain-parse-hostdev.c and rules-hostdev.c,
 * on the fake root's sysfs and /dev (tests/fakeroot, tests/fakeroot-links.txt). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "domain-parse-util.h"
#include "domain-parse.h"
#include "rules.h"
#include "testutil.h"

/* A PCI <hostdev> of address @addr (attributes) with @driver (may be "") inside. */
#define PCI_HOSTDEV(driver, addr) \
    "<hostdev mode='subsystem' type='pci' managed='yes'>" driver \
    "<source><address " addr "/></source></hostdev>"
#define PCI_1F0 "domain='0x0000' bus='0x00' slot='0x1f' function='0x0'"
#define PCI_02 "domain='0x0000' bus='0x00' slot='0x02' function='0x0'"
#define PCI_MULTI "domain='0x0021' bus='222' slot='31' function='1'"
#define PCI_ABSENT "domain='0x0000' bus='0x06' slot='0x12' function='0x1'"
#define PCI_PLATFORM "domain='0x0001' bus='0x00' slot='0x00' function='0x0'"
#define USB_HOSTDEV(source) \
    "<hostdev mode='subsystem' type='usb' managed='no'><source>" source "</source></hostdev>"
#define MDEV_HOSTDEV(model, uuid) \
    "<hostdev mode='subsystem' type='mdev' model='" model "'><source><address uuid='" uuid \
    "'/></source></hostdev>"
#define SCSI_HOSTDEV(adapter, addr) \
    "<hostdev mode='subsystem' type='scsi'><source><adapter name='" adapter "'/><address " \
    addr "/></source></hostdev>"
#define CAPS_HOSTDEV(type, element, path) \
    "<hostdev mode='capabilities' type='" type "'><source><" element ">" path "</" element \
    "></source></hostdev>"
#define MDEV_UUID "53764d0e-85a0-42b4-af5c-2046b460b1dc"

static const AavmHostdev *
hostdev_at(const AavmDomain *domain, guint i)
{
    return aavm_test_item(domain->hostdevs, i);
}

/* Whether @list has any entry whose path starts with @prefix. */
static gboolean
has_path_prefix(const AavmAccessList *list, const char *prefix)
{
    for (guint i = 0; i < list->entries->len; i++)
        if (g_str_has_prefix(((const AavmAccess *)g_ptr_array_index(list->entries, i))->path,
                             prefix))
            return TRUE;
    return FALSE;
}

/* A domain without devices of this family has none in its model. */
static void
test_hostdev_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->hostdevs->len, 0);
}

/* PCI addresses in hex, decimal and octal, as libvirt reads them. */
static void
test_parse_pci(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        PCI_HOSTDEV("<driver name='vfio'/>", PCI_1F0) PCI_HOSTDEV("", PCI_MULTI) PCI_HOSTDEV(
            "<driver name='kvm'/>",
            "bus='010' slot='017'") "<hostdev type='pci'><source><address domain='0xffff' "
                                    "bus='0xff' slot='0x1f' function='7'/></source></hostdev>");
    const AavmHostdev *a = hostdev_at(domain, 0);
    const AavmHostdev *b = hostdev_at(domain, 1);
    const AavmHostdev *c = hostdev_at(domain, 2);
    const AavmHostdev *d = hostdev_at(domain, 3);

    assert_string_equal(a->mode, "subsystem");
    assert_string_equal(a->driver, "vfio");
    assert_true(a->pci.set);
    assert_int_equal(a->pci.slot, 0x1f);
    assert_false(a->iommufd);
    assert_false(a->from_interface);
    assert_string_equal(a->label, "hostdev 0 (pci 0000:00:1f.0)");
    assert_null(b->driver);
    assert_int_equal(b->pci.domain, 0x21);
    assert_int_equal(b->pci.bus, 222);
    assert_int_equal(b->pci.slot, 31);
    assert_int_equal(b->pci.function, 1);
    assert_string_equal(b->label, "hostdev 1 (pci 0021:de:1f.1)");
    /* Octal, and left-out attributes are 0. */
    assert_int_equal(c->pci.bus, 8);
    assert_int_equal(c->pci.slot, 15);
    assert_int_equal(c->pci.domain, 0);
    assert_string_equal(c->label, "hostdev 2 (pci 0000:08:0f.0)");
    /* Mode left out is subsystem; the upper bounds are accepted. */
    assert_string_equal(d->mode, "subsystem");
    assert_string_equal(d->label, "hostdev 3 (pci ffff:ff:1f.7)");
}

/* iommufd: the device's <driver iommufd>, else the domain's <iommufd enabled>. */
static void
test_parse_iommufd(void **state)
{
    (void)state;
    const char *devices =
        PCI_HOSTDEV("<driver name='vfio' iommufd='yes'/>", PCI_1F0)
        PCI_HOSTDEV("<driver iommufd='no'/>", PCI_1F0)
        PCI_HOSTDEV("", PCI_1F0);
    g_autoptr(AavmDomain) plain = aavm_test_parse("kvm", NULL, NULL, devices);
    g_autoptr(AavmDomain) enabled =
        aavm_test_parse("kvm", NULL, "<iommufd enabled='yes'/>", devices);
    g_autoptr(AavmDomain) disabled =
        aavm_test_parse("kvm", NULL, "<iommufd enabled='no'/>", devices);

    assert_true(hostdev_at(plain, 0)->iommufd);
    assert_false(hostdev_at(plain, 1)->iommufd);
    assert_false(hostdev_at(plain, 2)->iommufd);
    assert_true(hostdev_at(enabled, 0)->iommufd);
    assert_false(hostdev_at(enabled, 1)->iommufd);
    assert_true(hostdev_at(enabled, 2)->iommufd);
    assert_false(hostdev_at(disabled, 2)->iommufd);
}

static void
test_parse_usb(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        USB_HOSTDEV("<vendor id='0x1234'/><product id='0xbeef'/>") USB_HOSTDEV(
            "<address bus='1' device='3'/>") "<hostdev mode='subsystem' type='usb'><source "
                                             "startupPolicy='optional'>"
                                             "<vendor id='0x1234'/><product id='0xbeef'/><address "
                                             "bus='0x1' device='4'/></source></hostdev>");
    const AavmHostdev *a = hostdev_at(domain, 0);
    const AavmHostdev *b = hostdev_at(domain, 1);
    const AavmHostdev *c = hostdev_at(domain, 2);

    assert_string_equal(a->usb_vendor, "0x1234");
    assert_string_equal(a->usb_product, "0xbeef");
    assert_null(a->usb_bus);
    assert_string_equal(a->label, "hostdev 0 (usb 0x1234:0xbeef)");
    assert_null(b->usb_vendor);
    assert_string_equal(b->usb_bus, "1");
    assert_string_equal(b->usb_device, "3");
    assert_string_equal(b->label, "hostdev 1 (usb bus 1 device 3)");
    assert_string_equal(c->usb_bus, "0x1");
    assert_string_equal(c->usb_device, "4");
}

static void
test_parse_others(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        MDEV_HOSTDEV("vfio-pci", "53764D0E-85A0-42B4-AF5C-2046B460B1DC") SCSI_HOSTDEV(
            "scsi_host0",
            "bus='0' target='1' unit='2'") "<hostdev mode='subsystem' type='scsi'><source "
                                           "protocol='iscsi' name='iqn.x'>"
                                           "<host name='example.org'/></source></hostdev>"
                                           "<hostdev mode='subsystem' type='scsi_host'><source "
                                           "protocol='vhost' "
                                           "wwpn='naa.5001'/></hostdev>" CAPS_HOSTDEV(
                                               "storage", "block", "/dev/sdf1")
                                               CAPS_HOSTDEV("misc", "char", "/dev/input/event3")
                                                   CAPS_HOSTDEV("net", "interface", "eth0"));
    static const char *const labels[] = {
        "hostdev 0 (mdev " MDEV_UUID ")",
        "hostdev 1 (scsi scsi_host0:0:1:2)",
        "hostdev 2 (scsi iscsi)",
        "hostdev 3 (scsi_host vhost naa.5001)",
        "hostdev 4 (storage /dev/sdf1)",
        "hostdev 5 (misc /dev/input/event3)",
        "hostdev 6 (net eth0)",
    };

    assert_int_equal(domain->hostdevs->len, G_N_ELEMENTS(labels));
    for (guint i = 0; i < G_N_ELEMENTS(labels); i++)
        assert_string_equal(hostdev_at(domain, i)->label, labels[i]);
    assert_string_equal(hostdev_at(domain, 0)->model, "vfio-pci");
    assert_string_equal(hostdev_at(domain, 0)->mdev_uuid, MDEV_UUID);
    assert_string_equal(hostdev_at(domain, 1)->scsi_adapter, "scsi_host0");
    assert_string_equal(hostdev_at(domain, 1)->scsi_unit, "2");
    assert_string_equal(hostdev_at(domain, 2)->scsi_protocol, "iscsi");
    assert_null(hostdev_at(domain, 2)->scsi_adapter);
    assert_string_equal(hostdev_at(domain, 3)->wwpn, "naa.5001");
    assert_string_equal(hostdev_at(domain, 4)->mode, "capabilities");
    assert_string_equal(hostdev_at(domain, 4)->caps_path, "/dev/sdf1");
    assert_string_equal(hostdev_at(domain, 6)->caps_path, "eth0");
}

/* XML libvirt would refuse: a clear INVALID_XML naming the device. */
static void
test_parse_fail(void **state)
{
    (void)state;
    static const struct {
        const char *devices;
        const char *message;
    } cases[] = {
        { PCI_HOSTDEV("", "domain='0x10000'"), "domain='0x10000'" },
        { PCI_HOSTDEV("", "bus='0x100'"), "bus='0x100'" },
        { PCI_HOSTDEV("", "bus='256'"), "bus='256'" },
        { PCI_HOSTDEV("", "slot='32'"), "slot='32'" },
        { PCI_HOSTDEV("", "function='0x8'"), "function='0x8'" },
        { PCI_HOSTDEV("", "bus='-1'"), "bus='-1'" },
        { PCI_HOSTDEV("", "bus=''"), "bus=''" },
        { PCI_HOSTDEV("", "bus=' 1'"), "bus=' 1'" },
        { PCI_HOSTDEV("", "bus='1/../2'"), "bus='1/../2'" },
        { PCI_HOSTDEV("<driver iommufd='maybe'/>", PCI_1F0), "iommufd='maybe'" },
        { "<hostdev type='pci'/>", "hostdev 0 (pci) has no PCI <address>" },
        { "<hostdev mode='subsystem'><source/></hostdev>", "hostdev 0 has no type" },
        { USB_HOSTDEV("<vendor id='0x1234'/>"), "both a <vendor id> and a <product id>" },
        { USB_HOSTDEV("<product id='0x1234'/>"), "both a <vendor id> and a <product id>" },
        { USB_HOSTDEV("<vendor id='0x0'/><product id='0x1'/><address bus='1'/>"), "'device'" },
        { USB_HOSTDEV("<vendor id='0x12345'/><product id='0x1'/>"), "id='0x12345'" },
        { USB_HOSTDEV("<address bus='x' device='1'/>"), "bus='x'" },
        { USB_HOSTDEV(""), "neither vendor and product ids nor a bus and device" },
        { MDEV_HOSTDEV("vfio-pci", "not-a-uuid"), "not a valid UUID" },
        { "<hostdev type='mdev'><source/></hostdev>", "no <address uuid>" },
        { SCSI_HOSTDEV("scsi_host0", "bus='0' target='0'"), "no 'unit'" },
        { SCSI_HOSTDEV("scsi_host0", "bus='0' target='0x' unit='0'"), "target='0x'" },
        { "<hostdev type='scsi'><source><address bus='0' target='0' unit='0'/></source></hostdev>",
          "no <adapter name>" },
        { "<hostdev mode='capabilities' type='storage'><source/></hostdev>", "no <block>" },
        { "<hostdev mode='capabilities' type='misc'/>", "no <char>" },
        { "<hostdev mode='capabilities' type='net'><source/></hostdev>", "no <interface>" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL, cases[i].devices);
        g_autoptr(GError) error = NULL;
        g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, strlen(xml), &error);
        if (domain)
            fail_msg("parsed %s, expected a failure", cases[i].devices);
        if (!g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_XML) ||
            !strstr(error->message, cases[i].message))
            fail_msg("%s: got '%s', expected INVALID_XML with '%s'", cases[i].devices,
                     error->message, cases[i].message);
    }
}

/* Unknown modes and types are warned about and skipped, never fatal;
 * unknown elements inside a hostdev are ignored. */
static void
test_parse_unknown(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL,
        "<hostdev mode='subsystem' type='ccw'><source/></hostdev>"
        "<hostdev mode='other' type='pci'><source/></hostdev>"
        "<hostdev type='pci'><rom bar='on'/><frobnicate/><source><address " PCI_1F0
        "/><extra/></source><boot order='1'/></hostdev>");
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(&(AavmTestFixture){.host = host}, "kvm", NULL, NULL,
                           "<hostdev mode='subsystem' type='ccw'><source/></hostdev>");

    assert_int_equal(domain->hostdevs->len, 1);
    assert_int_equal(domain->warnings->len, 2);
    assert_non_null(strstr(g_ptr_array_index(domain->warnings, 0), "type 'ccw'"));
    assert_non_null(strstr(g_ptr_array_index(domain->warnings, 1), "mode 'other'"));
    assert_true(
        aavm_test_has_warning_all(list->warnings, "hostdev 0 (ccw)", "nothing is granted", NULL));
}

/* Parse the <interface> of a small document with aavm_parse_interface_hostdev()
 * into @domain. */
static gboolean
parse_interface(AavmDomain *domain, const char *domain_level, const char *iface, GError **error)
{
    g_autofree char *xml = g_strdup_printf("<domain>%s<devices>%s</devices></domain>",
                                           domain_level ? domain_level : "", iface);
    g_autoptr(xmlDoc) doc =
        xmlReadMemory(xml, (int)strlen(xml), "iface.xml", NULL, XML_PARSE_NONET);
    xmlNode *devices = aavm_xml_child(xmlDocGetRootElement(doc), "devices");

    assert_non_null(doc);
    return aavm_parse_interface_hostdev(domain, aavm_xml_child(devices, "interface"), error);
}

/* <interface type='hostdev'> is a hostdev: PCI by default, USB when it says so. */
static void
test_interface_hostdev(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmConfig) config = aavm_test_config();
    g_autoptr(AavmDomain) domain =
        aavm_test_parse("kvm", NULL, NULL, USB_HOSTDEV("<address bus='1' device='3'/>"));
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    g_autoptr(GError) error = NULL;

    assert_true(parse_interface(domain, NULL,
        "<interface type='hostdev' managed='yes'><mac address='00:11:22:33:44:55'/>"
        "<driver name='vfio'/><source><address type='pci' " PCI_1F0 "/></source>"
        "<vlan><tag id='42'/></vlan></interface>", &error));
    assert_true(parse_interface(domain, "<iommufd enabled='yes'/>",
        "<interface type='hostdev'><source><address " PCI_MULTI "/></source></interface>",
        &error));
    assert_true(parse_interface(domain, NULL,
                                "<interface type='hostdev'><source><address type='usb' bus='2' "
                                "device='5'/></source></interface>",
                                &error));
    assert_true(parse_interface(domain, NULL,
        "<interface type='hostdev'><source><address type='ccw' cssid='0xfe'/></source></interface>",
        &error));
    assert_int_equal(domain->hostdevs->len, 4);
    assert_int_equal(domain->warnings->len, 1);
    assert_non_null(strstr(g_ptr_array_index(domain->warnings, 0), "type 'ccw'"));

    const AavmHostdev *pci = hostdev_at(domain, 1);
    assert_true(pci->from_interface);
    assert_string_equal(pci->type, "pci");
    assert_string_equal(pci->driver, "vfio");
    assert_string_equal(pci->label, "hostdev 1 (interface pci 0000:00:1f.0)");
    assert_true(hostdev_at(domain, 2)->iommufd);
    assert_string_equal(hostdev_at(domain, 3)->label, "hostdev 3 (interface usb bus 2 device 5)");

    assert_true(aavm_rules_build(domain, host, config, list, &error));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/12", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/vfio", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/devices/vfio3", AAVM_MATCH_EXACT, "rwm") ==
                FALSE);
    assert_true(aavm_test_has_rule(list, "/dev/iommu", AAVM_MATCH_EXACT, "rwm"));
    assert_true(aavm_test_has_rule(list, "/dev/bus/usb/001/003", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/bus/usb/002/005", AAVM_MATCH_EXACT, "rw"));
    /* 0021:de:1f.1 has no vfio-dev: warned. */
    assert_true(aavm_test_has_warning_all(list->warnings, "hostdev 2 (interface pci 0021:de:1f.1)",
                                          "VFIO device node", NULL));

    /* A bad address is as fatal as on a <hostdev>. */
    g_autoptr(AavmDomain) bad = aavm_domain_new();
    assert_false(parse_interface(bad, NULL,
        "<interface type='hostdev'><source><address type='pci' slot='0x20'/></source></interface>",
        &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_XML));
    assert_non_null(strstr(error->message, "hostdev 0 (interface pci)"));
}

/* PCI with vfio: the function's sysfs files, the container and the device's
 * own group, never any group. */
static void
test_rules_pci_vfio(void **state)
{
    (void)state;
    static const char *const files[] = {
        "config", "device", "reset", "resource", "resource0", "resource2_wc", "rom", "vendor",
    };
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        &(AavmTestFixture){.host = host}, "kvm", NULL, NULL,
        PCI_HOSTDEV("<driver name='vfio'/>", PCI_1F0) PCI_HOSTDEV("", PCI_MULTI));

    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        g_autofree char *path =
            g_strconcat("/sys/devices/pci0000:00/0000:00:1f.0/", files[i], NULL);
        assert_true(aavm_test_has_rule(list, path, AAVM_MATCH_EXACT, "rw"));
    }
    assert_false(has_path_prefix(list, "/sys/devices/pci0000:00/0000:00:1f.0/irq"));
    assert_false(has_path_prefix(list, "/sys/devices/pci0000:00/0000:00:1f.0/uevent"));
    assert_true(aavm_test_has_rule(list, "/sys/devices/pci0021:de/0021:de:1f.1/config",
                                   AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/vfio", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/12", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/13", AAVM_MATCH_EXACT, "rw"));
    assert_false(has_path_prefix(list, "/dev/vfio/14"));
    assert_false(has_path_prefix(list, "/dev/vfio/[0-9]"));
    assert_false(has_path_prefix(list, "/dev/iommu"));
    assert_int_equal(list->warnings->len, 0);
}

/* iommufd: /dev/iommu and the device's cdev, mmap-able; no container or group. */
static void
test_rules_pci_iommufd(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(&(AavmTestFixture){.host = host}, "kvm", NULL,
                           "<iommufd enabled='yes'/>", PCI_HOSTDEV("", PCI_1F0));

    assert_true(aavm_test_has_rule(list, "/dev/iommu", AAVM_MATCH_EXACT, "rwm"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/devices/vfio3", AAVM_MATCH_EXACT, "rwm"));
    assert_true(aavm_test_has_rule(list, "/sys/devices/pci0000:00/0000:00:1f.0/config",
                                   AAVM_MATCH_EXACT, "rw"));
    assert_false(has_path_prefix(list, "/dev/vfio/vfio"));
    assert_false(has_path_prefix(list, "/dev/vfio/12"));
    assert_int_equal(list->warnings->len, 0);
}

/* kvm and xen assignment: sysfs files only. */
static void
test_rules_pci_legacy(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(&(AavmTestFixture){.host = host}, "kvm", NULL, NULL,
                           PCI_HOSTDEV("<driver name='kvm'/>", PCI_1F0)
                               PCI_HOSTDEV("<driver name='xen'/>", PCI_MULTI));

    assert_true(aavm_test_has_rule(list, "/sys/devices/pci0000:00/0000:00:1f.0/rom",
                                   AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/sys/devices/pci0021:de/0021:de:1f.1/resource0",
                                   AAVM_MATCH_EXACT, "rw"));
    assert_false(has_path_prefix(list, "/dev/vfio"));
    assert_int_equal(list->warnings->len, 0);
}

/* What the host lacks is warned about, naming the device, and not granted. */
static void
test_rules_warnings(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        &(AavmTestFixture){.host = host}, "kvm", NULL, NULL,
        PCI_HOSTDEV("", PCI_ABSENT) PCI_HOSTDEV("", PCI_02) PCI_HOSTDEV(
            "", PCI_PLATFORM) PCI_HOSTDEV("<driver name='magic'/>",
                                          PCI_1F0) PCI_HOSTDEV("<driver name='kvm'/>", PCI_ABSENT)
            PCI_HOSTDEV("<driver iommufd='yes'/>",
                        PCI_ABSENT) USB_HOSTDEV("<vendor id='0x1234'/><product id='0xbeef'/>")
                USB_HOSTDEV("<vendor id='0xdead'/><product id='0x0001'/>")
                    MDEV_HOSTDEV("vfio-ccw", "11111111-2222-3333-4444-555555555555") SCSI_HOSTDEV(
                        "scsi_host0",
                        "bus='0' target='1' unit='0'") "<hostdev mode='subsystem' "
                                                       "type='scsi_host'><source protocol='fc' "
                                                       "wwpn='naa.1'/></hostdev>"
                                                       "<hostdev mode='subsystem' "
                                                       "type='scsi_host'><source/></hostdev>");

    assert_true(aavm_test_has_warning_all(
        list->warnings, "hostdev 0 (pci 0000:06:12.1) is not on this host", "VFIO group", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings,
                                          "hostdev 1 (pci 0000:00:02.0) has no VFIO group", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings, "hostdev 2 (pci 0001:00:00.0)",
                                          "/sys/devices/platform/soc/pci0001:00/0001:00:00.0",
                                          "not under /sys/devices/pci*", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings, "hostdev 3 (pci 0000:00:1f.0)",
                                          "driver 'magic'", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings,
                                          "hostdev 4 (pci 0000:06:12.1) is not on this host",
                                          "its sysfs files are not granted", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings,
                                          "hostdev 5 (pci 0000:06:12.1) is not on this host",
                                          "VFIO device node", NULL));
    assert_true(aavm_test_has_warning_all(
        list->warnings, "hostdev 6 (usb 0x1234:0xbeef) matches 2 USB devices", NULL));
    assert_true(aavm_test_has_warning_all(
        list->warnings, "hostdev 7 (usb 0xdead:0x0001) is not on this host", NULL));
    assert_true(
        aavm_test_has_warning_all(list->warnings, "hostdev 8 (mdev 11111111-", "VFIO group", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings, "hostdev 9 (scsi scsi_host0:0:1:0)",
                                          "SCSI generic", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings, "hostdev 10 (scsi_host fc naa.1)",
                                          "protocol 'fc'", NULL));
    assert_true(
        aavm_test_has_warning_all(list->warnings, "hostdev 11 (scsi_host)", "protocol ''", NULL));
    assert_true(aavm_test_has_warning_all(list->warnings,
                                          "hostdev 2 (pci 0001:00:00.0) has no VFIO group", NULL));
    assert_int_equal(list->warnings->len, 13);
    /* Every message is a sentence. */
    for (guint i = 0; i < list->warnings->len; i++)
        assert_true(g_str_has_suffix(g_ptr_array_index(list->warnings, i), "."));
    /* Nothing for the platform function's sysfs, the ambiguous USB device... */
    assert_false(has_path_prefix(list, "/sys/devices/platform"));
    assert_false(has_path_prefix(list, "/dev/bus/usb"));
    assert_false(has_path_prefix(list, "/dev/vhost-scsi"));
    /* ...but the 02.0 function's own files and the container. */
    assert_true(aavm_test_has_rule(list, "/sys/devices/pci0000:00/0000:00:02.0/config",
                                   AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/vfio", AAVM_MATCH_EXACT, "rw"));
}

/* USB, mdev, SCSI, vhost-scsi and capabilities nodes. */
static void
test_rules_nodes(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        &(AavmTestFixture){.host = host}, "kvm", NULL, NULL,
        USB_HOSTDEV("<vendor id='0x0781'/><product id='0x5567'/>") USB_HOSTDEV(
            "<vendor id='0x1234'/><product id='0xbeef'/><address bus='1' device='4'/>")
            MDEV_HOSTDEV("vfio-pci", MDEV_UUID)
                MDEV_HOSTDEV("vfio-ap", "90c6c135-ad44-41d0-b1b7-bae47de48627") SCSI_HOSTDEV(
                    "scsi_host0",
                    "bus='0' target='0' unit='0'") "<hostdev mode='subsystem' type='scsi'><source "
                                                   "protocol='iscsi' name='iqn.x'/></hostdev>"
                                                   "<hostdev mode='subsystem' "
                                                   "type='scsi_host'><source protocol='vhost' "
                                                   "wwpn='naa.1'/></hostdev>" CAPS_HOSTDEV(
                                                       "storage", "block", "/dev/sdf1")
                                                       CAPS_HOSTDEV("misc", "char",
                                                                    "/dev/input/event3")
                                                           CAPS_HOSTDEV("net", "interface",
                                                                        "eth0"));
    static const char *const nodes[] = {
        "/dev/bus/usb/002/005", "/dev/bus/usb/001/004", "/dev/vfio/vfio", "/dev/vfio/14",
        "/dev/vfio/15", "/dev/sg0", "/dev/vhost-scsi", "/dev/sdf1", "/dev/input/event3",
    };

    for (guint i = 0; i < G_N_ELEMENTS(nodes); i++)
        if (!aavm_test_has_rule(list, nodes[i], AAVM_MATCH_EXACT, "rw"))
            fail_msg("no rw rule for %s", nodes[i]);
    assert_false(has_path_prefix(list, "/dev/bus/usb/001/003"));
    assert_false(has_path_prefix(list, "eth0"));
    assert_int_equal(list->warnings->len, 0);
}

/* Paths from the XML (capabilities) go through the path policy. */
static void
test_rules_caps_policy(void **state)
{
    (void)state;
    static const char *const refused[] = {
        CAPS_HOSTDEV("misc", "char", "/dev/mem"),
        CAPS_HOSTDEV("storage", "block", "/var/lib/libvirt/images/evil.img"),
        CAPS_HOSTDEV("storage", "block", "/etc/shadow"),
        CAPS_HOSTDEV("storage", "block", "/sys/devices/pci0000:00/../../../etc/shadow"),
        CAPS_HOSTDEV("misc", "char", "dev/tty0"),
        CAPS_HOSTDEV("misc", "char", "/dev/tty\"0"),
    };
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    g_autoptr(AavmAccessList) glob =
        aavm_test_build_ok(&(AavmTestFixture){.host = host}, "kvm", NULL, NULL,
                           CAPS_HOSTDEV("misc", "char", "/dev/tty*"));

    for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
        g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL, refused[i]);
        g_autoptr(GError) error = aavm_test_build_error(NULL, xml);

        if (!g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH) ||
            !strstr(error->message, "hostdev 0"))
            fail_msg("%s: got '%s', expected UNSAFE_PATH naming hostdev 0", refused[i],
                     error->message);
    }
    /* Glob characters are a literal path (escaped when rendered), not a pattern. */
    assert_true(aavm_test_has_rule(glob, "/dev/tty*", AAVM_MATCH_EXACT, "rw"));
}

/* On a host without sysfs (like the corpus run on a machine without the
 * devices): the VFIO container only, and a warning per device. */
static void
test_rules_empty_host(void **state)
{
    (void)state;
    g_autofree char *root = aavm_test_make_tmpdir();
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) host = aavm_host_new(root, &error);
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        &(AavmTestFixture){.host = host}, "kvm", NULL, NULL,
        PCI_HOSTDEV("<driver name='vfio'/>", PCI_1F0) MDEV_HOSTDEV("vfio-pci", MDEV_UUID)
            USB_HOSTDEV("<address bus='14' device='6'/>")
                SCSI_HOSTDEV("scsi_host0", "bus='0' target='0' unit='0'"));

    assert_true(aavm_test_has_rule(list, "/dev/vfio/vfio", AAVM_MATCH_EXACT, "rw"));
    assert_false(has_path_prefix(list, "/sys"));
    assert_false(has_path_prefix(list, "/dev/vfio/1"));
    assert_false(has_path_prefix(list, "/dev/bus"));
    assert_false(has_path_prefix(list, "/dev/sg"));
    assert_int_equal(list->warnings->len, 4);
    aavm_test_rm_rf(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostdev_none),
        cmocka_unit_test(test_parse_pci),
        cmocka_unit_test(test_parse_iommufd),
        cmocka_unit_test(test_parse_usb),
        cmocka_unit_test(test_parse_others),
        cmocka_unit_test(test_parse_fail),
        cmocka_unit_test(test_parse_unknown),
        cmocka_unit_test(test_interface_hostdev),
        cmocka_unit_test(test_rules_pci_vfio),
        cmocka_unit_test(test_rules_pci_iommufd),
        cmocka_unit_test(test_rules_pci_legacy),
        cmocka_unit_test(test_rules_warnings),
        cmocka_unit_test(test_rules_nodes),
        cmocka_unit_test(test_rules_caps_policy),
        cmocka_unit_test(test_rules_empty_host),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
