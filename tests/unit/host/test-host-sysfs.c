/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-host-sysfs.c: helper/host/host-sysfs.c on the fake root (tests/fakeroot/sys,
 * tests/fakeroot/dev and the links in tests/fakeroot-links.txt), and on
 * small roots made here for the odd cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "host-sysfs.h"
#include "testutil.h"

static AavmPciAddress
pci(guint domain, guint bus, guint slot, guint function)
{
    AavmPciAddress addr = { TRUE, domain, bus, slot, function };
    return addr;
}

/* Check a string answer (NULL expected for "no"). */
static void
check_answer(char *actual, const char *expected)
{
    g_autofree char *owned = actual;

    if (!expected) {
        if (owned)
            fail_msg("expected no answer, got '%s'", owned);
        return;
    }
    assert_non_null(owned);
    assert_string_equal(owned, expected);
}

/* The fake root is a host. */
static void
test_host_sysfs_root(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();

    assert_non_null(host);
}

/* The sysfs directory is the canonical one behind /sys/bus/pci/devices. */
static void
test_pci_sysfs_dir(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    AavmPciAddress present = pci(0, 0, 0x1f, 0);
    AavmPciAddress multidomain = pci(0x21, 0xde, 0x1f, 1);
    AavmPciAddress absent = pci(0, 6, 0x12, 1);
    AavmPciAddress unset = pci(0, 0, 0x1f, 0);
    AavmPciAddress invalid = pci(0, 0, 0x20, 0);

    unset.set = FALSE;
    check_answer(aavm_host_pci_sysfs_dir(host, &present), "/sys/devices/pci0000:00/0000:00:1f.0");
    check_answer(aavm_host_pci_sysfs_dir(host, &multidomain),
                 "/sys/devices/pci0021:de/0021:de:1f.1");
    check_answer(aavm_host_pci_sysfs_dir(host, &absent), NULL);
    check_answer(aavm_host_pci_sysfs_dir(host, &unset), NULL);
    check_answer(aavm_host_pci_sysfs_dir(host, &invalid), NULL);
    check_answer(aavm_host_pci_sysfs_dir(host, NULL), NULL);
}

/* Only the files device assignment opens, regular files, sorted. */
static void
test_pci_sysfs_files(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    AavmPciAddress present = pci(0, 0, 0x1f, 0);
    AavmPciAddress absent = pci(0, 6, 0x12, 1);
    static const char *const expected[] = {
        "config", "device", "reset", "resource", "resource0", "resource2_wc", "rom", "vendor",
    };
    g_autoptr(GPtrArray) files = aavm_host_pci_sysfs_files(host, &present);

    assert_non_null(files);
    assert_int_equal(files->len, G_N_ELEMENTS(expected));
    for (guint i = 0; i < files->len; i++) {
        g_autofree char *want =
            g_strconcat("/sys/devices/pci0000:00/0000:00:1f.0/", expected[i], NULL);
        assert_string_equal(g_ptr_array_index(files, i), want);
    }
    assert_null(aavm_host_pci_sysfs_files(host, &absent));
}

static void
test_pci_vfio(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    AavmPciAddress grouped = pci(0, 0, 0x1f, 0);
    AavmPciAddress multidomain = pci(0x21, 0xde, 0x1f, 1);
    AavmPciAddress ungrouped = pci(0, 0, 2, 0);
    AavmPciAddress absent = pci(0, 6, 0x12, 1);

    check_answer(aavm_host_pci_vfio_group(host, &grouped), "/dev/vfio/12");
    check_answer(aavm_host_pci_vfio_group(host, &multidomain), "/dev/vfio/13");
    check_answer(aavm_host_pci_vfio_group(host, &ungrouped), NULL);
    check_answer(aavm_host_pci_vfio_group(host, &absent), NULL);
    check_answer(aavm_host_pci_vfio_cdev(host, &grouped), "/dev/vfio/devices/vfio3");
    check_answer(aavm_host_pci_vfio_cdev(host, &multidomain), NULL);
    check_answer(aavm_host_pci_vfio_cdev(host, &absent), NULL);
}

static void
test_mdev_group(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();

    check_answer(aavm_host_mdev_vfio_group(host, "53764d0e-85a0-42b4-af5c-2046b460b1dc"),
                 "/dev/vfio/14");
    check_answer(aavm_host_mdev_vfio_group(host, "90C6C135-AD44-41D0-B1B7-BAE47DE48627"),
                 "/dev/vfio/15");
    check_answer(aavm_host_mdev_vfio_group(host, "11111111-2222-3333-4444-555555555555"), NULL);
    check_answer(aavm_host_mdev_vfio_group(host, "../../../kernel/iommu_groups/12"), NULL);
    check_answer(aavm_host_mdev_vfio_group(host, NULL), NULL);
}

/* USB: by ids, by bus/device, by all four; ambiguity and odd sysfs values. */
static void
test_usb_node(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    static const struct {
        const char *vendor, *product, *bus, *device;
        const char *node;
        guint matches;
    } cases[] = {
        { "0x0781", "0x5567", NULL, NULL, "/dev/bus/usb/002/005", 1 },
        { NULL, NULL, "1", "3", "/dev/bus/usb/001/003", 1 },
        { NULL, NULL, "0x1", "0x3", "/dev/bus/usb/001/003", 1 },
        { NULL, NULL, "1", "1", "/dev/bus/usb/001/001", 1 },
        { "0x1234", "0xbeef", NULL, NULL, NULL, 2 },
        { "0x1234", "0xbeef", "1", "4", "/dev/bus/usb/001/004", 1 },
        { "0x1234", "0xbeef", "2", "5", NULL, 0 },
        /* 2-2 says devnum 1000: not a device node name, skipped. */
        { "0xdead", "0x0001", NULL, NULL, NULL, 0 },
        { NULL, NULL, "2", "1000", NULL, 0 },
        { NULL, NULL, "14", "6", NULL, 0 },
        /* 1234 is decimal for libvirt: 0x04d2, not 0x1234. */
        { "1234", "0xbeef", NULL, NULL, NULL, 0 },
        { "0x1234", NULL, NULL, NULL, NULL, 0 },
        { NULL, NULL, "1", NULL, NULL, 0 },
        { NULL, NULL, NULL, NULL, NULL, 0 },
        { "0x1234/..", "0xbeef", NULL, NULL, NULL, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint matches = 99;
        g_autofree char *node = aavm_host_usb_node(host, cases[i].vendor, cases[i].product,
                                                   cases[i].bus, cases[i].device, &matches);
        if (g_strcmp0(node, cases[i].node) != 0 || matches != cases[i].matches)
            fail_msg("case %u: got '%s' (%u matches), expected '%s' (%u)", i,
                     node ? node : "(none)", matches, cases[i].node ? cases[i].node : "(none)",
                     cases[i].matches);
    }
    check_answer(aavm_host_usb_node(host, "0x0781", "0x5567", NULL, NULL, NULL),
                 "/dev/bus/usb/002/005");
}

static void
test_scsi_generic(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();

    check_answer(aavm_host_scsi_generic_node(host, "scsi_host0", "0", "0", "0"), "/dev/sg0");
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host0", "0x0", "00", "0"), "/dev/sg0");
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host0", "0", "1", "0"), NULL);
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host7", "0", "0", "0"), NULL);
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host", "0", "0", "0"), NULL);
    check_answer(aavm_host_scsi_generic_node(host, "host0", "0", "0", "0"), NULL);
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host0/..", "0", "0", "0"), NULL);
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host0", "0:0", "0", "0"), NULL);
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host0", "0", "0", "-1"), NULL);
    check_answer(aavm_host_scsi_generic_node(host, NULL, "0", "0", "0"), NULL);
}

/* Write @rel under @root (directories made). */
static void
put_file(const char *root, const char *rel, const char *text)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    assert_int_equal(g_mkdir_with_parents(dir, 0755), 0);
    assert_true(g_file_set_contents(path, text, -1, NULL));
}

static void
put_link(const char *root, const char *rel, const char *target)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);
    g_autofree char *dir = g_path_get_dirname(path);

    assert_int_equal(g_mkdir_with_parents(dir, 0755), 0);
    assert_int_equal(symlink(target, path), 0);
}

/* A host without sysfs answers nothing; iommu_group links that do not end
 * in /sys/kernel/iommu_groups/<number> are not groups; an interface that
 * has ids but no numbers is skipped. */
static void
test_odd_hosts(void **state)
{
    (void)state;
    g_autofree char *root = aavm_test_make_tmpdir();
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) host = aavm_host_new(root, &error);
    AavmPciAddress a = pci(0, 0, 1, 0);
    AavmPciAddress b = pci(0, 0, 2, 0);

    assert_non_null(host);
    check_answer(aavm_host_pci_sysfs_dir(host, &a), NULL);
    check_answer(aavm_host_usb_node(host, NULL, NULL, "1", "1", NULL), NULL);
    check_answer(aavm_host_scsi_generic_node(host, "scsi_host0", "0", "0", "0"), NULL);

    put_file(root, "sys/devices/pci0000:00/0000:00:01.0/config", "");
    put_file(root, "sys/devices/pci0000:00/0000:00:02.0/config", "");
    put_file(root, "sys/kernel/iommu_groups/abc/type", "DMA");
    put_file(root, "etc/x", "");
    put_link(root, "sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0");
    put_link(root, "sys/bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
    put_link(root, "sys/devices/pci0000:00/0000:00:01.0/iommu_group", "../../../../etc");
    put_link(root, "sys/devices/pci0000:00/0000:00:02.0/iommu_group",
             "../../../kernel/iommu_groups/abc");
    put_file(root, "sys/devices/pci0000:00/0000:00:02.0/vfio-dev/vfioX/dev", "");
    put_file(root, "sys/bus/usb/devices/1-1:1.0/idVendor", "1234");
    put_file(root, "sys/bus/usb/devices/1-1:1.0/idProduct", "beef");
    put_file(root, "sys/bus/usb/devices/3-1/idVendor", "1234");
    put_file(root, "sys/bus/usb/devices/3-1/idProduct", "beef");
    put_file(root, "sys/bus/usb/devices/3-1/busnum", " 3");
    put_file(root, "sys/bus/usb/devices/3-1/devnum", "-2");

    check_answer(aavm_host_pci_sysfs_dir(host, &a), "/sys/devices/pci0000:00/0000:00:01.0");
    check_answer(aavm_host_pci_vfio_group(host, &a), NULL);
    check_answer(aavm_host_pci_vfio_group(host, &b), NULL);
    check_answer(aavm_host_pci_vfio_cdev(host, &b), NULL);
    check_answer(aavm_host_usb_node(host, "0x1234", "0xbeef", NULL, NULL, NULL), NULL);
    aavm_test_rm_rf(root);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_sysfs_root),
        cmocka_unit_test(test_pci_sysfs_dir),
        cmocka_unit_test(test_pci_sysfs_files),
        cmocka_unit_test(test_pci_vfio),
        cmocka_unit_test(test_mdev_group),
        cmocka_unit_test(test_usb_node),
        cmocka_unit_test(test_scsi_generic),
        cmocka_unit_test(test_odd_hosts),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
