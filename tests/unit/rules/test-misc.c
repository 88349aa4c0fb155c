/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-misc.c: inputs, interfaces, rng, smartcards and launchSecurity:
 * domain-parse-misc.c and rules-misc.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "access.h"
#include "domain-parse.h"
#include "testutil.h"

#define VHOST_NET "/dev/vhost-net"

static gboolean
has_vhost_net(const char *type, const char *devices)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, type, NULL, NULL, devices);

    return aavm_access_list_lookup(list, VHOST_NET, AAVM_MATCH_EXACT) != NULL;
}

/* A domain without devices of this family has none in its model. */
static void
test_misc_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->inputs->len, 0);
    assert_int_equal(domain->interfaces->len, 0);
    assert_int_equal(domain->rngs->len, 0);
    assert_int_equal(domain->smartcards->len, 0);
    assert_null(domain->launch_security);
}

static void
test_misc_parse(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, "<launchSecurity type='sev-snp'><policy>0x30000</policy></launchSecurity>",
        "<input type='tablet' bus='usb'/>"
        "<input type='passthrough' bus='virtio'><source evdev='/dev/input/event1'/></input>"
        "<interface type='vhostuser'><source type='unix' path='/tmp/v.sock' mode='server'/>"
        "<model type='virtio'/><driver name='vhost'/></interface>"
        "<rng model='virtio'><backend model='random'/></rng>"
        "<smartcard mode='host-certificates'><certificate>a</certificate>"
        "<database>/tmp/db</database></smartcard>");
    const AavmInput *tablet = g_ptr_array_index(domain->inputs, 0);
    const AavmInput *pass = g_ptr_array_index(domain->inputs, 1);
    const AavmInterface *iface = g_ptr_array_index(domain->interfaces, 0);
    const AavmRng *rng = g_ptr_array_index(domain->rngs, 0);
    const AavmSmartcard *card = g_ptr_array_index(domain->smartcards, 0);

    assert_null(tablet->evdev);
    assert_int_equal(pass->index, 1);
    assert_string_equal(pass->evdev, "/dev/input/event1");
    assert_string_equal(iface->socket, "/tmp/v.sock");
    assert_string_equal(iface->model, "virtio");
    assert_string_equal(iface->driver_name, "vhost");
    assert_string_equal(rng->backend_model, "random");
    assert_string_equal(rng->device, "/dev/random");
    assert_string_equal(card->database, "/tmp/db");
    assert_string_equal(domain->launch_security, "sev-snp");
}

/* <interface type='hostdev'> is also a host device (domain-parse-hostdev.c). */
static void
test_misc_interface_hostdev(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL,
        "<interface type='hostdev' managed='yes'><source><address type='pci' domain='0x0000' "
        "bus='0x03' slot='0x00' function='0x1'/></source><model type='virtio'/></interface>");
    const AavmHostdev *hostdev = g_ptr_array_index(domain->hostdevs, 0);

    assert_int_equal(domain->interfaces->len, 1);
    assert_int_equal(domain->hostdevs->len, 1);
    assert_string_equal(hostdev->type, "pci");
    assert_int_equal(hostdev->pci.bus, 3);
    assert_int_equal(hostdev->pci.function, 1);
}

/* Input passthrough (virtio-input-host) and evdev (input-linux) open the
 * event device read-write; emulated inputs reference nothing. */
static void
test_misc_inputs(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "xen", NULL, NULL,
        "<input type='passthrough' bus='virtio'><source evdev='/dev/input/event1234'/></input>"
        "<input type='evdev'><source dev='/dev/input/event5' grab='all' repeat='on'/></input>"
        "<input type='mouse' bus='ps2'/><input type='keyboard' bus='usb'/>");

    assert_int_equal(aavm_access_list_length(list), 2);
    aavm_test_assert_entry(list, "/dev/input/event1234", AAVM_MATCH_EXACT, "rw",
                           "input0 (passthrough)");
    aavm_test_assert_entry(list, "/dev/input/event5", AAVM_MATCH_EXACT, "rw", "input1 (evdev)");
}

static void
test_misc_input_without_source(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "xen", NULL, NULL,
        "<input type='passthrough' bus='virtio'/>");

    assert_int_equal(aavm_access_list_length(list), 0);
    assert_int_equal(list->warnings->len, 1);
    assert_non_null(strstr(g_ptr_array_index(list->warnings, 0), "input0 (passthrough)"));
}

static void
test_misc_vhostuser(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "kvm", NULL, NULL,
        "<interface type='vhostuser'><source type='unix' path='/tmp/vhost0.sock' mode='server'/>"
        "<model type='virtio'/></interface>"
        "<interface type='vhostuser'><source type='unix' path='/tmp/vhost1.sock' mode='client'/>"
        "<model type='virtio'/><driver queues='4'/></interface>");

    aavm_test_assert_entry(list, "/tmp/vhost0.sock", AAVM_MATCH_EXACT, "rw",
                           "interface0 (vhostuser) socket");
    aavm_test_assert_entry(list, "/tmp/vhost1.sock", AAVM_MATCH_EXACT, "rw",
                           "interface1 (vhostuser) socket");
    /* vhost-user is not vhost-net */
    assert_null(aavm_access_list_lookup(list, VHOST_NET, AAVM_MATCH_EXACT));
}

/* libvirt's rule for /dev/vhost-net. */
static void
test_misc_vhost_net(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "kvm", NULL, NULL,
        "<interface type='user'><model type='virtio'/></interface>"
        "<interface type='network'><source network='default'/></interface>");

    aavm_test_assert_entry(list, VHOST_NET, AAVM_MATCH_EXACT, "rw",
                           "interface0 (user); interface1 (network)");
    assert_true(has_vhost_net("kvm", "<interface type='bridge'><source bridge='br0'/>"
                                     "<model type='virtio-non-transitional'/></interface>"));
    assert_true(has_vhost_net("kvm", "<interface type='network'><model type='virtio'/>"
                                     "<driver name='vhost'/></interface>"));
    assert_false(has_vhost_net("kvm", "<interface type='network'><model type='virtio'/>"
                                      "<driver name='qemu'/></interface>"));
    assert_false(has_vhost_net("kvm", "<interface type='network'><model type='rtl8139'/>"
                                      "</interface>"));
    assert_false(has_vhost_net("kvm", "<interface type='network'><model type='virtio-net-pci'/>"
                                      "</interface>"));
    assert_false(has_vhost_net("qemu",
                               "<interface type='user'><model type='virtio'/></interface>"));
    assert_false(has_vhost_net("xen", "<interface type='bridge'/>"));
    assert_false(has_vhost_net("kvm", "<interface type='hostdev'><source><address type='pci' "
                                      "domain='0' bus='1' slot='0' function='0'/></source>"
                                      "</interface>"));
    assert_false(has_vhost_net("kvm", NULL));
}

/* rng-random reads its device; builtin and egd tcp reference nothing. */
static void
test_misc_rng(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(NULL, "xen", NULL, NULL,
        "<rng model='virtio'><backend model='random'>/dev/hwrng</backend></rng>"
        "<rng model='virtio'><backend model='random'/></rng>"
        "<rng model='virtio'><backend model='builtin'/></rng>"
        "<rng model='virtio'><backend model='egd' type='tcp'>"
        "<source mode='connect' host='h' service='1'/></backend></rng>");

    assert_int_equal(aavm_access_list_length(list), 2);
    aavm_test_assert_entry(list, "/dev/hwrng", AAVM_MATCH_EXACT, "r", "rng0 (random)");
    aavm_test_assert_entry(list, "/dev/random", AAVM_MATCH_EXACT, "r", "rng1 (random)");
}

/* Host smartcards read (and lock) the NSS database, the default or named. */
static void
test_misc_smartcard(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) host =
        aavm_test_build_ok(NULL, "xen", NULL, NULL, "<smartcard mode='host'/>");
    g_autoptr(AavmAccessList) certs = aavm_test_build_ok(NULL, "xen", NULL, NULL,
        "<smartcard mode='host-certificates'><certificate>cert1</certificate>"
        "<certificate>cert2</certificate><certificate>cert3</certificate></smartcard>");
    g_autoptr(AavmAccessList) db = aavm_test_build_ok(NULL, "xen", NULL, NULL,
        "<smartcard mode='host-certificates'><certificate>cert1</certificate>"
        "<database>/tmp/foo</database></smartcard>");
    g_autoptr(AavmAccessList) pass = aavm_test_build_ok(NULL, "xen", NULL, NULL,
        "<smartcard mode='passthrough' type='spicevmc'/>");

    assert_int_equal(aavm_access_list_length(host), 2);
    aavm_test_assert_entry(host, "/etc/pki/nssdb", AAVM_MATCH_DIR, "rk",
                           "smartcard0 (host) NSS database");
    aavm_test_assert_entry(host, "/etc/pki/nssdb", AAVM_MATCH_TREE, "rk",
                           "smartcard0 (host) NSS database");
    assert_int_equal(aavm_access_list_length(certs), 2);
    aavm_test_assert_entry(certs, "/etc/pki/nssdb", AAVM_MATCH_TREE, "rk",
                           "smartcard0 (host-certificates) NSS database");
    assert_int_equal(aavm_access_list_length(db), 2);
    aavm_test_assert_entry(db, "/tmp/foo", AAVM_MATCH_DIR, "rk",
                           "smartcard0 (host-certificates) NSS database");
    aavm_test_assert_entry(db, "/tmp/foo", AAVM_MATCH_TREE, "rk",
                           "smartcard0 (host-certificates) NSS database");
    assert_int_equal(aavm_access_list_length(pass), 0);
}

static void
test_misc_launch_security(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) sev = aavm_test_build_ok(NULL, "kvm", NULL,
        "<launchSecurity type='sev'><policy>0x0003</policy></launchSecurity>", NULL);
    g_autoptr(AavmAccessList) snp =
        aavm_test_build_ok(NULL, "kvm", NULL, "<launchSecurity type='sev-snp'/>", NULL);
    g_autoptr(AavmAccessList) tdx =
        aavm_test_build_ok(NULL, "xen", NULL, "<launchSecurity type='tdx'/>", NULL);
    g_autoptr(AavmAccessList) pv =
        aavm_test_build_ok(NULL, "xen", NULL, "<launchSecurity type='s390-pv'/>", NULL);

    aavm_test_assert_entry(sev, "/dev/sev", AAVM_MATCH_EXACT, "rw", "launchSecurity (sev)");
    aavm_test_assert_entry(snp, "/dev/sev", AAVM_MATCH_EXACT, "rw", "launchSecurity (sev-snp)");
    assert_int_equal(aavm_access_list_length(tdx), 0);
    assert_int_equal(aavm_access_list_length(pv), 0);
}

/* Every path from the XML goes through the path policy. */
static void
test_misc_refused(void **state)
{
    (void)state;
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<input type='passthrough'><source evdev='/etc/shadow'/></input>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<input type='evdev'><source dev='/dev/mem'/></input>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<input type='evdev'><source dev='input/event1'/></input>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<interface type='vhostuser'><source type='unix' path='/run/apparmor/x' "
        "mode='server'/></interface>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<rng model='virtio'><backend model='random'>/proc/kcore</backend></rng>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<rng model='virtio'><backend model='random'>/dev/port</backend></rng>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<smartcard mode='host-certificates'><database>/etc</database></smartcard>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<smartcard mode='host-certificates'><database>/</database></smartcard>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<smartcard mode='host-certificates'><database>/var</database></smartcard>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<smartcard mode='host-certificates'>"
                             "<database>/var/lib/libvirt/images/etc-link</database></smartcard>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_misc_none),
        cmocka_unit_test(test_misc_parse),
        cmocka_unit_test(test_misc_interface_hostdev),
        cmocka_unit_test(test_misc_inputs),
        cmocka_unit_test(test_misc_input_without_source),
        cmocka_unit_test(test_misc_vhostuser),
        cmocka_unit_test(test_misc_vhost_net),
        cmocka_unit_test(test_misc_rng),
        cmocka_unit_test(test_misc_smartcard),
        cmocka_unit_test(test_misc_launch_security),
        cmocka_unit_test(test_misc_refused),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
