/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-chardev.c: the chardev family: domain-parse-chardev.c and rules-chardev.c. */
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

/* A domain without devices of this family has none in its model. */
static void
test_chardev_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->chardevs->len, 0);
}

/* Kinds, indexes, target names and log files land in the model. */
static void
test_chardev_parse(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain =
        aavm_test_parse("kvm", NULL, NULL,
                        "<serial type='file'><source path='/tmp/s0'/>"
                        "<log file='/tmp/s0.log' append='on'/></serial>"
                        "<serial><target port='1'/></serial>"
                        "<channel type='unix'><source mode='bind' path='/tmp/ch'/>"
                        "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"
                        "<serial type='tcp'><source mode='connect' host='h' service='1'/>"
                        "<log file=''/></serial>");
    const AavmChardev *s0 = g_ptr_array_index(domain->chardevs, 0);
    const AavmChardev *s1 = g_ptr_array_index(domain->chardevs, 1);
    const AavmChardev *ch = g_ptr_array_index(domain->chardevs, 2);
    const AavmChardev *s2 = g_ptr_array_index(domain->chardevs, 3);

    assert_int_equal(domain->chardevs->len, 4);
    assert_int_equal(s0->kind, AAVM_CHARDEV_SERIAL);
    assert_string_equal(s0->path, "/tmp/s0");
    assert_string_equal(s0->log_file, "/tmp/s0.log");
    assert_string_equal(s1->type, "pty");
    assert_int_equal(s1->index, 1);
    assert_null(s1->path);
    assert_int_equal(ch->kind, AAVM_CHARDEV_CHANNEL);
    assert_int_equal(ch->index, 0);
    assert_string_equal(ch->target_name, "org.qemu.guest_agent.0");
    assert_null(s2->log_file);
}

/* <log file=> is written by QEMU, whatever the device's own type. */
static void
test_chardev_log_file(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<serial type='file'><source path='/tmp/serial.log'/>"
        "<log file='/var/lib/libvirt/qemu/demo-serial.log' append='off'/></serial>"
        "<serial type='tcp'><source mode='connect' host='h' service='1'/>"
        "<log file='/tmp/tcp.log'/></serial>");

    assert_int_equal(aavm_access_list_length(list), 3);
    aavm_test_assert_entry(list, "/tmp/serial.log", AAVM_MATCH_EXACT, "rw", "serial0");
    aavm_test_assert_entry(list, "/var/lib/libvirt/qemu/demo-serial.log", AAVM_MATCH_EXACT, "w",
                           "serial0 log file");
    aavm_test_assert_entry(list, "/tmp/tcp.log", AAVM_MATCH_EXACT, "w", "serial1 log file");
}

/* The same path as device and log keeps the larger permissions. */
static void
test_chardev_log_same_path(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<serial type='file'><source path='/tmp/s.log'/><log file='/tmp/s.log'/></serial>");

    assert_int_equal(aavm_access_list_length(list), 1);
    aavm_test_assert_entry(list, "/tmp/s.log", AAVM_MATCH_EXACT, "rw", "serial0 log file; serial0");
}

/* redirdev, smartcard passthrough and rng egd unix sockets. */
static void
test_chardev_other_elements(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<redirdev bus='usb' type='unix'><source mode='connect' path='/tmp/redir.sock'/></redirdev>"
        "<redirdev bus='usb' type='spicevmc'/>"
        "<redirdev bus='usb' type='tcp'><source mode='connect' host='h' service='1'/></redirdev>"
        "<smartcard mode='host'/>"
        "<smartcard mode='passthrough' type='unix'><source mode='bind' path='/tmp/sc.sock'/>"
        "</smartcard>"
        "<rng model='virtio'><backend model='egd' type='unix'>"
        "<source mode='bind' path='/tmp/rng.sock'/></backend></rng>"
        "<rng model='virtio'><backend model='egd' type='tcp'>"
        "<source mode='connect' host='h' service='2'/></backend></rng>");

    aavm_test_assert_entry(list, "/tmp/redir.sock", AAVM_MATCH_EXACT, "rw", "redirdev0");
    aavm_test_assert_entry(list, "/tmp/sc.sock", AAVM_MATCH_EXACT, "rw", "smartcard1");
    aavm_test_assert_entry(list, "/tmp/rng.sock", AAVM_MATCH_EXACT, "rw", "rng0");
    /* plus the NSS database (dir and tree) of smartcard0 */
    assert_int_equal(aavm_access_list_length(list), 5);
}

/* Pipes are their .in and .out FIFOs, consoles and channels included. */
static void
test_chardev_pipe(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<channel type='pipe'><source path='/tmp/ch'/><target type='virtio' name='x.0'/></channel>"
        "<console type='pipe'><source path='/tmp/con'/></console>");

    assert_int_equal(aavm_access_list_length(list), 4);
    aavm_test_assert_entry(list, "/tmp/ch.in", AAVM_MATCH_EXACT, "rw", "channel0 (x.0) (pipe .in)");
    aavm_test_assert_entry(list, "/tmp/ch.out", AAVM_MATCH_EXACT, "rw",
                           "channel0 (x.0) (pipe .out)");
    aavm_test_assert_entry(list, "/tmp/con.in", AAVM_MATCH_EXACT, "rw", "console0 (pipe .in)");
    aavm_test_assert_entry(list, "/tmp/con.out", AAVM_MATCH_EXACT, "rw", "console0 (pipe .out)");
    assert_null(aavm_access_list_lookup(list, "/tmp/ch", AAVM_MATCH_EXACT));
}

/* Network and virtual chardevs reference no host path. */
static void
test_chardev_no_path(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<serial type='tcp'><source mode='bind' host='0.0.0.0' service='1' path='/tmp/x'/></serial>"
        "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
        "<channel type='unix'><source mode='bind'/><target type='virtio' name='a.0'/></channel>"
        "<serial type='pty'/><console type='null'/>");

    assert_int_equal(aavm_access_list_length(list), 0);
}

/* Every chardev path and log file goes through the path policy. */
static void
test_chardev_refused(void **state)
{
    (void)state;
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<serial type='file'><source path='/etc/passwd'/></serial>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<serial type='tcp'><source mode='connect' host='h' service='1'/>"
                             "<log file='/etc/cron.d/x'/></serial>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<serial type='file'><source path='/tmp/a'/><log file='rel.log'/></serial>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<redirdev bus='usb' type='unix'><source path='/proc/self/mem'/></redirdev>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<smartcard mode='passthrough' type='unix'><source path='/sys/x'/></smartcard>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<rng model='virtio'><backend model='egd' type='unix'>"
                             "<source path='/usr/lib/x'/></backend></rng>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<channel type='pipe'><source path='/boot/x'/></channel>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<serial type='file'><source path='/tmp/a'/>"
                             "<log file='/var/lib/libvirt/images/evil.img'/></serial>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chardev_none),
        cmocka_unit_test(test_chardev_parse),
        cmocka_unit_test(test_chardev_log_file),
        cmocka_unit_test(test_chardev_log_same_path),
        cmocka_unit_test(test_chardev_other_elements),
        cmocka_unit_test(test_chardev_pipe),
        cmocka_unit_test(test_chardev_no_path),
        cmocka_unit_test(test_chardev_refused),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
