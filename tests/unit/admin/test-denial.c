/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-denial.c: denials grouped per VM and explained (helper/admin/denial.h), on
 * fake VM manager directories and an empty host root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "denial.h"
#include "testutil.h"

#define U1 "5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d"
#define U2 "00000000-0000-4000-8000-000000000002"
#define U3 "00000000-0000-4000-8000-000000000003"
#define U4 "22222222-2222-4222-8222-222222222222"
#define U5 "55555555-5555-4555-8555-555555555555"
#define VM2_IMG "/var/lib/libvirt/images/vm2.qcow2"
#define PROFILE1 "/etc/apparmor.d/libvirt/libvirt-" U1
#define LOCAL "/etc/apparmor.d/local/abstractions/libvirt-qemu"

static const char domain_xml[] =
    "<domain type='kvm'><name>web1</name><uuid>" U1 "</uuid>"
    "<memory>1048576</memory><os><type arch='x86_64'>hvm</type></os><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/var/lib/libvirt/images/web1.qcow2'/><target dev='vda'/></disk>"
    "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
    "<source file='/var/lib/libvirt/images/web1-data.img'/><target dev='vdb'/><readonly/></disk>"
    "<serial type='file'><source path='/var/log/libvirt/qemu/web1-serial.log'/>"
    "<target port='0'/></serial>"
    "</devices></domain>";

/* Its rules cannot be built (a disk in /etc); its <kernel> still names a path. */
static const char refused_xml[] =
    "<domstatus state='running'><domain type='kvm'><name>bad</name><uuid>" U2 "</uuid>"
    "<memory>1048576</memory><os><type arch='x86_64'>hvm</type>"
    "<kernel>/srv/boot/vmlinuz-guest</kernel></os><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
    "<source file='/etc/passwd'/><target dev='vda'/></disk>"
    "</devices></domain></domstatus>";

typedef struct {
    char *dir;
    char *root;
    char *run_qemu;
    char *etc_qemu;
    const char *xml_dirs[3];
    AavmConfig *config;
    AavmHost *host;
    AavmDenialOptions options;
    AavmDenialReport *report;
    AavmSite *site;
} Fixture;

static void
put(const char *dir, const char *name, const char *text)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    assert_true(g_file_set_contents(path, text, -1, NULL));
}

static int
setup(void **state)
{
    Fixture *fx = g_new0(Fixture, 1);

    fx->dir = aavm_test_make_tmpdir();
    fx->root = g_build_filename(fx->dir, "root", NULL);
    fx->run_qemu = g_build_filename(fx->dir, "run", "qemu", NULL);
    fx->etc_qemu = g_build_filename(fx->dir, "etc", "qemu", NULL);
    for (const char *const *d = (const char *const[]){ fx->root, fx->run_qemu, fx->etc_qemu, NULL };
         *d; d++)
        assert_int_equal(g_mkdir_with_parents(*d, 0755), 0);
    put(fx->etc_qemu, "web1.xml", domain_xml);
    put(fx->run_qemu, "bad.xml", refused_xml);
    put(fx->etc_qemu, "junk.xml", "<domain><uuid>not a uuid");
    fx->xml_dirs[0] = fx->run_qemu;
    fx->xml_dirs[1] = fx->etc_qemu;
    fx->config = aavm_test_config();
    fx->host = aavm_host_new(fx->root, NULL);
    assert_non_null(fx->host);
    fx->options.config = fx->config;
    fx->options.host = fx->host;
    fx->options.domain_xml_dirs = fx->xml_dirs;
    fx->options.local_abstraction = LOCAL;
    fx->site = aavm_site_new();
    fx->options.site = fx->site;
    fx->report = aavm_denial_report_new();
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;

    aavm_test_rm_rf(fx->dir);
    aavm_denial_report_free(fx->report);
    aavm_site_free(fx->site);
    aavm_host_free(fx->host);
    aavm_config_free(fx->config);
    g_free(fx->dir);
    g_free(fx->root);
    g_free(fx->run_qemu);
    g_free(fx->etc_qemu);
    g_free(fx);
    return 0;
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static void
feed_file(Fixture *fx, const char *uuid, const char *name, const char *mask)
{
    g_autofree char *line = g_strdup_printf(
        "type=AVC msg=audit(1700000100.120:301): apparmor=\"DENIED\" operation=\"open\" "
        "class=\"file\" profile=\"libvirt-%s\" name=\"%s\" pid=2144 comm=\"qemu-system-x86\" "
        "requested_mask=\"%s\" denied_mask=\"%s\" fsuid=64055 ouid=64055",
        uuid, name, mask, mask);

    aavm_denial_report_add_line(fx->report, line, strlen(line));
}

static const AavmDenialEntry *
analysed_entry(Fixture *fx, const char *uuid, const char *object)
{
    aavm_denial_report_analyse(fx->report, &fx->options);
    const AavmDenialVm *vm = g_hash_table_lookup(fx->report->by_uuid, uuid);
    assert_non_null(vm);
    for (guint i = 0; i < vm->entries->len; i++) {
        const AavmDenialEntry *e = g_ptr_array_index(vm->entries, i);
        if (g_strcmp0(e->object, object) == 0)
            return e;
    }
    fail_msg("no entry for %s", object);
    return NULL;
}

/* Whether one of @items contains @needle. */
static gboolean
has(const GPtrArray *items, const char *needle)
{
    for (guint i = 0; i < items->len; i++)
        if (strstr(g_ptr_array_index(items, i), needle))
            return TRUE;
    return FALSE;
}

static void
test_permission_missing(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U1, "/var/lib/libvirt/images/web1-data.img", "w");
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/var/lib/libvirt/images/web1-data.img");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_PERMISSION_MISSING);
    assert_string_equal(e->device, "disk vdb");
    assert_true(has(e->fixes, "The rule for disk vdb grants 'rk'; the denial needs 'w' as well."));
    assert_true(has(e->fixes, "remove <readonly/>"));
    assert_int_equal(e->warnings->len, 0);
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    assert_string_equal(vm->vm_name, "web1");
    assert_null(vm->problem);
}

static void
test_xml_element_stale_profile(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U1, "/var/log/libvirt/qemu/web1-serial.log", "ac");
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/var/log/libvirt/qemu/web1-serial.log");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_XML_ELEMENT);
    assert_string_equal(e->device, "serial0");
    assert_true(has(e->fixes, "older than the XML"));
}

static void
test_xml_element_not_granted(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U2, "/srv/boot/vmlinuz-guest", "r");
    const AavmDenialEntry *e = analysed_entry(fx, U2, "/srv/boot/vmlinuz-guest");
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    /* Read from the <domstatus> of the runtime directory. */
    assert_string_equal(vm->vm_name, "bad");
    assert_true(g_str_has_suffix(vm->xml_path, "/run/qemu/bad.xml"));
    assert_non_null(strstr(vm->problem, "cannot be built"));
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_XML_ELEMENT);
    assert_string_equal(e->device, "<kernel> of <os>");
    assert_true(has(e->fixes, "names it in <kernel> of <os>, but its rules do not grant it"));
}

static void
test_near_device_backing(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U1, "/var/lib/libvirt/images/debian-12-base.qcow2", "r");
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/var/lib/libvirt/images/debian-12-base.qcow2");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_NEAR_DEVICE);
    assert_non_null(strstr(e->device, "disk vda"));
    assert_true(has(e->fixes, "<backingStore type='file'><format type='FMT'/><source file='/var/lib/libvirt/images/debian-12-base.qcow2'/></backingStore>"));
    assert_true(has(e->fixes, "qemu-img rebase -u -F FMT -b '/var/lib/libvirt/images/debian-12-base.qcow2' '/var/lib/libvirt/images/web1.qcow2'"));
    assert_true(has(e->fixes, "\"/var/lib/libvirt/images/debian-12-base.qcow2\" r,"));
}

static void
test_near_device_companion(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U1, "/var/lib/libvirt/images/web1.qcow2.lock", "wc");
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/var/lib/libvirt/images/web1.qcow2.lock");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_NEAR_DEVICE);
    assert_non_null(strstr(e->device, "a file next to its image"));
    assert_true(has(e->fixes, "(.lock)"));
    assert_true(has(e->fixes, "\"/var/lib/libvirt/images/web1.qcow2.lock\" w,"));
}

static void
test_local_rule(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U1, "/srv/isos/virtio-win.iso", "r");
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/srv/isos/virtio-win.iso");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_LOCAL_RULE);
    assert_null(e->device);
    assert_int_equal(e->fixes->len, 2);
    assert_string_equal(g_ptr_array_index(e->fixes, 0),
                        "Add this line inside the profile " PROFILE1
                        " (the administrator's file; this VM only): "
                        "\"/srv/isos/virtio-win.iso\" r,  # added for an AppArmor denial");
    assert_string_equal(g_ptr_array_index(e->fixes, 1),
                        "Or, for every VM, add it to " LOCAL ".");
}

static void
test_local_rule_escaped(void **state)
{
    Fixture *fx = *state;
    /* name=/srv/a b/[x]*.iso in auditd's hexadecimal. */
    const char *line = "apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"libvirt-" U1
                       "\" name=2F7372762F6120622F5B785D2A2E69736F requested_mask=\"rm\" denied_mask=\"rm\"";

    aavm_denial_report_add_line(fx->report, line, strlen(line));
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/srv/a b/[x]*.iso");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_LOCAL_RULE);
    /* The rule matches only that file: no glob survives. */
    assert_true(has(e->fixes, "\"/srv/a b/\\[x\\]\\*.iso\" rm,"));
}

static void
test_restricted(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U1, "/etc/shadow", "r");
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/etc/shadow");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_DO_NOT_GRANT);
    assert_int_equal(e->warnings->len, 1);
    assert_string_equal(g_ptr_array_index(e->warnings, 0),
                        "/etc/shadow is under /etc (host configuration): do not grant it; find out why QEMU opens it.");
    /* No rule line is offered for it. */
    assert_false(has(e->fixes, "\"/etc/shadow\""));
    assert_false(has(e->fixes, "Add this line"));
}

static void
test_restricted_read_only(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U1, "/usr/share/OVMF/OVMF_CODE.fd", "w");
    feed_file(fx, U1, "/usr/share/OVMF/OVMF_VARS.fd", "r");
    const AavmDenialEntry *w = analysed_entry(fx, U1, "/usr/share/OVMF/OVMF_CODE.fd");
    assert_int_equal(w->kind, AAVM_DENIAL_FIX_DO_NOT_GRANT);
    assert_true(has(w->warnings, "which VMs may only read: do not grant 'w'"));
    /* Reading firmware is allowed: a rule is offered. */
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    const AavmDenialEntry *r = g_ptr_array_index(vm->entries, 1);
    assert_int_equal(r->kind, AAVM_DENIAL_FIX_LOCAL_RULE);
    assert_int_equal(r->warnings->len, 0);
}

static void
test_unknown_uuid(void **state)
{
    Fixture *fx = *state;

    feed_file(fx, U3, "/srv/data/x.img", "r");
    const AavmDenialEntry *e = analysed_entry(fx, U3, "/srv/data/x.img");
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    assert_null(vm->vm_name);
    /* The note names where it looked, in order. */
    g_autofree char *note = g_strdup_printf("No domain XML found for this UUID in %s, %s; the advice below is generic.",
                                            fx->run_qemu, fx->etc_qemu);
    assert_string_equal(vm->problem, note);
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_LOCAL_RULE);
    assert_true(has(e->fixes, "\"/srv/data/x.img\" r,"));

    g_autofree char *text = aavm_denial_report_to_text(fx->report);
    assert_non_null(strstr(text, "VM ? (libvirt-" U3 "): denials: 1; distinct: 1\n"));
    assert_non_null(strstr(text, "  note: No domain XML found for this UUID in "));
}

static void
test_non_file(void **state)
{
    Fixture *fx = *state;
    const char *cap = "apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"libvirt-" U1
                      "\" capability=21 capname=\"sys_admin\"";
    const char *cap2 = "apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"libvirt-" U1
                       "\" capname=\"sys admin\"";
    const char *pt = "apparmor=\"DENIED\" operation=\"ptrace\" class=\"ptrace\" profile=\"libvirt-" U1
                     "\" requested_mask=\"read\" denied_mask=\"read\" peer=\"libvirtd\"";
    const char *ux = "apparmor=\"DENIED\" operation=\"connect\" class=\"unix\" profile=\"libvirt-" U1
                     "\" addr=\"@/tmp/x\" denied_mask=\"connect\"";

    aavm_denial_report_add_line(fx->report, cap, strlen(cap));
    aavm_denial_report_add_line(fx->report, cap2, strlen(cap2));
    aavm_denial_report_add_line(fx->report, pt, strlen(pt));
    aavm_denial_report_add_line(fx->report, ux, strlen(ux));
    const AavmDenialEntry *c = analysed_entry(fx, U1, "sys_admin");
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    const AavmDenialEntry *bad = g_ptr_array_index(vm->entries, 1);
    const AavmDenialEntry *p = g_ptr_array_index(vm->entries, 2);
    const AavmDenialEntry *u = g_ptr_array_index(vm->entries, 3);

    assert_int_equal(c->kind, AAVM_DENIAL_FIX_NON_FILE);
    assert_string_equal(c->device, "capability sys_admin");
    assert_true(has(c->fixes, "'capability sys_admin,' inside the profile " PROFILE1));
    assert_true(has(c->warnings, "QEMU should not need most capabilities"));
    assert_true(has(c->warnings, "do not grant it to a VM"));
    /* A capability name that is not a word gets no rule. */
    assert_false(has(bad->fixes, "capability sys admin,"));
    assert_true(has(p->warnings, "ptrace (trace)"));
    assert_string_equal(p->device, "ptrace with libvirtd");
    assert_string_equal(u->device, "unix socket @/tmp/x");
}

/* The rule lines offered as fixes, from "...: <rule>" or "'capability x,'". */
static void
collect_rules(const AavmDenialEntry *e, GString *profile)
{
    for (guint i = 0; i < e->fixes->len; i++) {
        const char *fix = g_ptr_array_index(e->fixes, i);
        const char *rule = g_strrstr(fix, ": \"");
        const char *cap = strstr(fix, "'capability ");

        if (rule)
            g_string_append_printf(profile, "  %s\n", rule + 2);
        if (cap) {
            const char *end = strchr(cap + 1, '\'');
            g_string_append_printf(profile, "  %.*s\n", (int)(end - cap - 1), cap + 1);
        }
    }
}

/* Every rule line a fix offers is what an administrator may paste into a
 * profile: the real parser must accept it as written. */
static void
test_offered_rules_compile(void **state)
{
    Fixture *fx = *state;
    const char *hex = "apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"libvirt-" U1
                      "\" name=2F7372762F6120622F5B785D2A2E69736F requested_mask=\"rm\" denied_mask=\"rm\"";
    const char *cap = "apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"libvirt-" U1
                      "\" capname=\"sys_rawio\"";
    const char *exec = "apparmor=\"DENIED\" operation=\"exec\" class=\"file\" profile=\"libvirt-" U1
                       "\" name=\"/usr/lib/qemu/qemu-bridge-helper\" requested_mask=\"x\" denied_mask=\"x\"";
    g_autoptr(GString) profile = g_string_new("abi <abi/3.0>,\nprofile offered {\n");
    guint rules = 0;

    feed_file(fx, U1, "/srv/isos/virtio-win.iso", "r");            /* local-rule */
    feed_file(fx, U1, "/var/lib/libvirt/images/base.qcow2", "rk"); /* near-device */
    feed_file(fx, U1, "/var/lib/libvirt/images/web1-data.img", "w"); /* permission-missing */
    feed_file(fx, U1, "/srv/@{HOME}/x.img", "rw");                  /* variable syntax */
    aavm_denial_report_add_line(fx->report, hex, strlen(hex));
    aavm_denial_report_add_line(fx->report, cap, strlen(cap));
    aavm_denial_report_add_line(fx->report, exec, strlen(exec));
    aavm_denial_report_analyse(fx->report, &fx->options);
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    for (guint i = 0; i < vm->entries->len; i++)
        collect_rules(g_ptr_array_index(vm->entries, i), profile);
    g_string_append(profile, "}\n");
    for (const char *p = profile->str; (p = strstr(p, ",")); p++)
        rules++;
    /* The abi line, 4 file rules (the <readonly/> disk gets XML advice, not
     * a rule), the capability and the ix rule. */
    if (rules != 7)
        print_error("%u rules:\n%s", rules, profile->str);
    assert_int_equal(rules, 7);
    assert_non_null(strstr(profile->str, "\"/srv/\\@\\{HOME\\}/x.img\" rw,"));

    g_autofree char *path = g_build_filename(fx->dir, "offered", NULL);
    g_autofree char *output = NULL;
    assert_true(g_file_set_contents(path, profile->str, -1, NULL));
    if (!aavm_test_compile_profile(path, &output))
        print_error("apparmor_parser said:\n%s\nprofile:\n%s\n", output ? output : "", profile->str);
    assert_true(aavm_test_compile_profile(path, NULL));
}

static void
test_grouping(void **state)
{
    Fixture *fx = *state;
    const char *a = "type=AVC msg=audit(1700000200.000:2): apparmor=\"DENIED\" operation=\"open\" "
                    "class=\"file\" profile=\"libvirt-" U1 "\" name=\"/srv/x\" denied_mask=\"r\"";
    const char *b = "type=AVC msg=audit(1700000100.000:1): apparmor=\"DENIED\" operation=\"open\" "
                    "class=\"file\" profile=\"libvirt-" U1 "\" name=\"/srv/x\" denied_mask=\"r\"";
    const char *c = "type=AVC msg=audit(1700000300.000:3): apparmor=\"DENIED\" operation=\"open\" "
                    "class=\"file\" profile=\"libvirt-" U1 "\" name=\"/srv/x\" denied_mask=\"w\"";
    const char *allowed = "apparmor=\"ALLOWED\" operation=\"open\" profile=\"libvirt-" U1 "\" name=\"/x\"";
    const char *audit = "apparmor=\"AUDIT\" operation=\"open\" profile=\"libvirt-" U1 "\" name=\"/y\"";
    const char *other = "apparmor=\"DENIED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/x\"";
    const char *other_allowed = "apparmor=\"ALLOWED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" name=\"/z\"";

    aavm_denial_report_add_line(fx->report, a, strlen(a));
    aavm_denial_report_add_line(fx->report, b, strlen(b));
    aavm_denial_report_add_line(fx->report, c, strlen(c));
    aavm_denial_report_add_line(fx->report, allowed, strlen(allowed));
    aavm_denial_report_add_line(fx->report, audit, strlen(audit));
    aavm_denial_report_add_line(fx->report, other, strlen(other));
    aavm_denial_report_add_line(fx->report, other_allowed, strlen(other_allowed));
    aavm_denial_report_add_line(fx->report, "noise", 5);
    aavm_denial_report_add_line(fx->report, "apparmor=\"DENIED\" name=\"", 24);
    assert_int_equal(fx->report->lines, 9);
    assert_int_equal(fx->report->denials, 3);
    assert_int_equal(fx->report->allowed, 1);
    assert_int_equal(fx->report->not_denied, 1);
    assert_int_equal(fx->report->other_profiles, 2);
    assert_int_equal(fx->report->malformed, 1);
    assert_int_equal(fx->report->distinct, 3);

    const AavmDenialEntry *e = analysed_entry(fx, U1, "/srv/x");
    assert_int_equal(e->count, 2);
    assert_string_equal(e->first, "1700000100.000:1");
    assert_string_equal(e->last, "1700000200.000:2");

    g_autofree char *text = aavm_denial_report_to_text(fx->report);
    assert_true(g_str_has_prefix(text, "Lines read: 9; denials of VMs: 3; allowed in complain mode: 1; other AppArmor records: 1; denials of other profiles: 2; malformed: 1; too long: 0.\n"));
    /* The VM's count holds its denials and its ALLOWED record. */
    assert_non_null(strstr(text, "\nVM web1 (libvirt-" U1 "): denials: 4; distinct: 3\n"));
    assert_non_null(strstr(text, "  2x open \"/srv/x\" denied r\n"));
    assert_non_null(strstr(text, "      seen: 1700000100.000:1 .. 1700000200.000:2\n"));
    /* No class, no mask: still marked. */
    assert_non_null(strstr(text, "  1x open \"/x\" allowed (complain mode)\n"));

    g_autofree char *json = aavm_denial_report_to_json(fx->report);
    assert_true(g_str_has_prefix(json, "{\"version\":1,\"lines\":9,\"denials\":3,\"allowed\":1,\"not_denied\":1,\"other_profiles\":2,\"malformed\":1,\"too_long\":0,\"dropped\":0,\"vms\":[{\"uuid\":\"" U1 "\",\"profile\":\"libvirt-" U1 "\",\"name\":\"web1\""));
    assert_non_null(strstr(json, "\"denials\":4,\"distinct\":3,\"entries\":["));
    assert_non_null(strstr(json, "{\"count\":2,\"operation\":\"open\",\"class\":\"file\",\"object\":\"/srv/x\",\"denied_mask\":\"r\",\"child\":null,\"allowed\":false,"));
    assert_non_null(strstr(json, "{\"count\":1,\"operation\":\"open\",\"class\":null,\"object\":\"/x\",\"denied_mask\":null,\"child\":null,\"allowed\":true,"));
    assert_null(strchr(json, '\n'));
}

/* Complain mode: the same access ALLOWED and DENIED is two entries,
 * counted apart, explained alike, marked in text and JSON. */
static void
test_allowed_and_denied(void **state)
{
    Fixture *fx = *state;
#define ISO_LINE "type=AVC msg=audit(%s): apparmor=\"%s\" operation=\"open\" class=\"file\" " \
                 "profile=\"libvirt-" U1 "\" name=\"/srv/isos/virtio-win.iso\" " \
                 "comm=\"qemu-system-x86\" requested_mask=\"r\" denied_mask=\"r\""
    const char *const records[][2] = {
        { "1700000100.150:305", "DENIED" },
        { "1700000100.180:308", "ALLOWED" },
        { "1700000100.190:309", "ALLOWED" },
        { "1700000100.200:310", "DENIED" },
        { "1700000100.210:311", "ALLOWED" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(records); i++) {
        g_autofree char *line = g_strdup_printf(ISO_LINE, records[i][0], records[i][1]);
        aavm_denial_report_add_line(fx->report, line, strlen(line));
    }
#undef ISO_LINE
    aavm_denial_report_analyse(fx->report, &fx->options);
    assert_int_equal(fx->report->lines, 5);
    assert_int_equal(fx->report->denials, 2);
    assert_int_equal(fx->report->allowed, 3);
    assert_int_equal(fx->report->not_denied, 0);
    assert_int_equal(fx->report->distinct, 2);

    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    assert_int_equal(fx->report->vms->len, 1);
    assert_int_equal(vm->denials, 5);
    assert_int_equal(vm->entries->len, 2);
    const AavmDenialEntry *d = g_ptr_array_index(vm->entries, 0);
    const AavmDenialEntry *a = g_ptr_array_index(vm->entries, 1);
    assert_false(d->allowed);
    assert_true(a->allowed);
    assert_int_equal(d->count, 2);
    assert_int_equal(a->count, 3);
    assert_string_equal(d->first, "1700000100.150:305");
    assert_string_equal(d->last, "1700000100.200:310");
    assert_string_equal(a->first, "1700000100.180:308");
    assert_string_equal(a->last, "1700000100.210:311");
    /* The same analysis for both. */
    assert_int_equal(d->kind, AAVM_DENIAL_FIX_LOCAL_RULE);
    assert_int_equal(a->kind, AAVM_DENIAL_FIX_LOCAL_RULE);
    assert_int_equal(a->fixes->len, d->fixes->len);
    for (guint i = 0; i < d->fixes->len; i++)
        assert_string_equal(g_ptr_array_index(a->fixes, i), g_ptr_array_index(d->fixes, i));

    g_autofree char *text = aavm_denial_report_to_text(fx->report);
    assert_true(g_str_has_prefix(text, "Lines read: 5; denials of VMs: 2; allowed in complain mode: 3; other AppArmor records: 0; denials of other profiles: 0; malformed: 0; too long: 0.\n"));
    assert_non_null(strstr(text, "\nVM web1 (libvirt-" U1 "): denials: 5; distinct: 2\n"));
    const char *denied_line = strstr(text, "\n  2x open \"/srv/isos/virtio-win.iso\" denied r\n");
    const char *allowed_line = strstr(text, "\n  3x open \"/srv/isos/virtio-win.iso\" allowed (complain mode) r\n");
    assert_non_null(denied_line);
    assert_non_null(allowed_line);
    /* In the order first seen. */
    assert_true(denied_line < allowed_line);
    assert_null(strstr(text, "allowed (complain mode) r\n      command: qemu-system-x86\n      seen: 1700000100.150"));

    g_autofree char *json = aavm_denial_report_to_json(fx->report);
    assert_true(g_str_has_prefix(json, "{\"version\":1,\"lines\":5,\"denials\":2,\"allowed\":3,\"not_denied\":0,"));
    assert_non_null(strstr(json, "{\"count\":2,\"operation\":\"open\",\"class\":\"file\",\"object\":\"/srv/isos/virtio-win.iso\",\"denied_mask\":\"r\",\"child\":null,\"allowed\":false,\"comm\":\"qemu-system-x86\",\"first\":\"1700000100.150:305\""));
    assert_non_null(strstr(json, "{\"count\":3,\"operation\":\"open\",\"class\":\"file\",\"object\":\"/srv/isos/virtio-win.iso\",\"denied_mask\":\"r\",\"child\":null,\"allowed\":true,\"comm\":\"qemu-system-x86\",\"first\":\"1700000100.180:308\""));
    assert_null(strchr(json, '\n'));
}

/* An ALLOWED capability has no mask: the entry line is marked all the same,
 * a denied one is not. */
static void
test_allowed_without_mask(void **state)
{
    Fixture *fx = *state;
    const char *allowed = "apparmor=\"ALLOWED\" operation=\"capable\" class=\"cap\" profile=\"libvirt-" U1
                          "\" capability=12 capname=\"net_admin\"";
    const char *denied = "apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" profile=\"libvirt-" U1
                         "\" capability=12 capname=\"net_admin\"";

    aavm_denial_report_add_line(fx->report, allowed, strlen(allowed));
    aavm_denial_report_add_line(fx->report, denied, strlen(denied));
    aavm_denial_report_analyse(fx->report, &fx->options);
    g_autofree char *text = aavm_denial_report_to_text(fx->report);
    assert_non_null(strstr(text, "\n  1x capable \"net_admin\" allowed (complain mode)\n"));
    assert_non_null(strstr(text, "\n  1x capable \"net_admin\"\n"));
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    const AavmDenialEntry *a = g_ptr_array_index(vm->entries, 0);
    assert_true(a->allowed);
    assert_int_equal(a->kind, AAVM_DENIAL_FIX_NON_FILE);
    assert_true(has(a->warnings, "do not grant it to a VM"));
}

static void
test_distinct_limit(void **state)
{
    Fixture *fx = *state;

    for (guint i = 0; i < AAVM_DENIAL_DISTINCT_MAX + 10; i++) {
        g_autofree char *name = g_strdup_printf("/srv/f%u", i);
        feed_file(fx, U3, name, "r");
    }
    feed_file(fx, U3, "/srv/f0", "r");
    /* The ALLOWED record of a kept denial is a new entry: dropped too. */
    const char *allowed = "apparmor=\"ALLOWED\" operation=\"open\" class=\"file\" profile=\"libvirt-" U3
                          "\" name=\"/srv/f0\" requested_mask=\"r\" denied_mask=\"r\"";
    aavm_denial_report_add_line(fx->report, allowed, strlen(allowed));
    assert_int_equal(fx->report->distinct, AAVM_DENIAL_DISTINCT_MAX);
    assert_int_equal(fx->report->dropped, 11);
    assert_int_equal(fx->report->denials, AAVM_DENIAL_DISTINCT_MAX + 1);
    assert_int_equal(fx->report->allowed, 0);
}

static void
test_hostile_text(void **state)
{
    Fixture *fx = *state;
    /* An escape sequence and a newline in a hexadecimal name. */
    const char *line = "apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"libvirt-" U3
                       "\" name=2F781B5B324A0A79 denied_mask=\"r\"";

    aavm_denial_report_add_line(fx->report, line, strlen(line));
    aavm_denial_report_analyse(fx->report, &fx->options);
    g_autofree char *text = aavm_denial_report_to_text(fx->report);
    assert_null(strchr(text, '\x1b'));
    assert_non_null(strstr(text, "\"/x\\x1b[2J\\x0ay\""));
    g_autofree char *json = aavm_denial_report_to_json(fx->report);
    assert_null(strchr(json, '\n'));
    assert_null(strchr(json, '\x1b'));
}

static void
test_read_stream(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = g_build_filename(fx->dir, "log", NULL);
    g_autoptr(GString) text = g_string_new(NULL);

    g_string_append(text, "apparmor=\"DENIED\" operation=\"open\" profile=\"libvirt-" U1 "\" name=\"/srv/a\"\n");
    g_string_append(text, "apparmor=\"DENIED\" operation=\"open\" profile=\"libvirt-" U1 "\" name=\"/srv/");
    for (guint i = 0; i < AAVM_AUDIT_LINE_MAX; i++)
        g_string_append_c(text, 'b');
    g_string_append(text, "\"\n");
    g_string_append(text, "apparmor=\"DENIED\" operation=\"open\" profile=\"libvirt-" U1 "\" name=\"/srv/c\"");
    assert_true(g_file_set_contents(path, text->str, (gssize)text->len, NULL));

    FILE *stream = fopen(path, "r");
    assert_non_null(stream);
    assert_true(aavm_denial_report_read(fx->report, stream, NULL));
    fclose(stream);
    assert_int_equal(fx->report->lines, 3);
    assert_int_equal(fx->report->too_long, 1);
    assert_int_equal(fx->report->denials, 2);
}

/* ---- other VMs ---- */

/* VM 2's .files, as aavm writes it. */
static const char vm2_files[] =
    "# DO NOT EDIT THIS FILE DIRECTLY. IT IS GENERATED BY AAVM FROM THE DOMAIN XML.\n"
    "  \"/run/libvirt/**/vm2.pid\" rwk,  # pid file\n"
    "  \"/srv/a\\*b.img\" rw,  # disk vdc\n"
    "  \"/srv/vm2/\" r,  # filesystem0 (share)\n"
    "  \"/srv/vm2/**\" rw,  # filesystem0 (share)\n"
    "  \"/srv/@{X}/d.img\" r,  # an admin's pattern\n"
    "  \"" VM2_IMG "\" rwk,  # disk vda\n"
    "  \"/var/lib/libvirt/images/web1-data.img\" rwk,  # disk vdb\n";

/* No advice may grant it: no rule line, not for this VM, not for every VM. */
static void
assert_no_rule(const AavmDenialEntry *e)
{
    assert_false(has(e->fixes, "Add this line"));
    assert_false(has(e->fixes, LOCAL));
    assert_false(has(e->fixes, "\" r"));
    assert_false(has(e->fixes, "\" w"));
    assert_false(has(e->fixes, "remove <readonly/>"));
    assert_false(has(e->fixes, "<backingStore"));
    assert_false(has(e->fixes, "abstractions"));
}

/* The case: VM 1 reads and writes VM 2's disk, in the directory of
 * its own image (without the check: near-device and a rule). */
static void
test_other_vm_disk(void **state)
{
    Fixture *fx = *state;

    aavm_site_add_files(fx->site, "libvirt-" U4, "vm2", vm2_files);
    feed_file(fx, U1, VM2_IMG, "rw");
    const AavmDenialEntry *e = analysed_entry(fx, U1, VM2_IMG);
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_OTHER_VM);
    assert_string_equal(e->device, "VM vm2 (" U4 "), disk vda");
    assert_int_equal(e->warnings->len, 1);
    assert_string_equal(g_ptr_array_index(e->warnings, 0),
                        VM2_IMG " belongs to VM vm2 (" U4 "), disk vda (its rule \"" VM2_IMG
                        "\" rwk,): do not grant it to this VM; a rule for it would hand this VM another VM's file.");
    assert_no_rule(e);
    assert_true(has(e->fixes, "<readonly/> in both"));
    assert_true(has(e->fixes, "<shareable/> in both"));
    assert_true(has(e->fixes, "cluster-aware"));
    assert_int_equal(e->other_vms->len, 1);

    g_autofree char *text = aavm_denial_report_to_text(fx->report);
    assert_non_null(strstr(text, "      kind: other-vm\n      likely: VM vm2 (" U4 "), disk vda\n"));
    g_autofree char *json = aavm_denial_report_to_json(fx->report);
    assert_non_null(strstr(json, "\"kind\":\"other-vm\""));
    assert_non_null(strstr(json, "\"other_vms\":[{\"profile\":\"libvirt-" U4 "\",\"uuid\":\"" U4
                                 "\",\"name\":\"vm2\",\"rule\":\"\\\"" VM2_IMG "\\\" rwk,\","
                                 "\"reason\":\"disk vda\",\"certain\":true}]"));
}

/* The VM's own .files granting the path is not another VM's (must fail:
 * the advice stays near-device with its rule). */
static void
test_other_vm_not_itself(void **state)
{
    Fixture *fx = *state;

    aavm_site_add_files(fx->site, "libvirt-" U1, "web1", vm2_files);
    feed_file(fx, U1, VM2_IMG, "r");
    const AavmDenialEntry *e = analysed_entry(fx, U1, VM2_IMG);
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_NEAR_DEVICE);
    assert_true(has(e->fixes, "\"" VM2_IMG "\" r,"));
    assert_int_equal(e->other_vms->len, 0);
}

/* A tree, an escaped path, a base rule's pattern, a pattern aavm cannot
 * read; and the near misses of each, which keep their rule. */
static void
test_other_vm_forms(void **state)
{
    Fixture *fx = *state;
    static const struct {
        const char *path;
        gboolean other;
        gboolean certain;
    } cases[] = {
        { "/srv/vm2/sub/disk.img", TRUE, TRUE },   /* in its tree */
        { "/srv/vm2/", TRUE, TRUE },               /* its directory */
        { "/srv/vm2x/disk.img", FALSE, FALSE },    /* next to the tree */
        { "/srv/a*b.img", TRUE, TRUE },            /* the escaped rule's file */
        { "/srv/axb.img", FALSE, FALSE },          /* not matched by it */
        { "/run/libvirt/qemu/vm2.pid", TRUE, TRUE }, /* its pid file */
        { "/run/libvirt/qemu/vm3.pid", FALSE, FALSE },
        { "/srv/anything/d.img", TRUE, FALSE },    /* may match: no rule either */
    };

    aavm_site_add_files(fx->site, "libvirt-" U4, NULL, vm2_files);
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
        feed_file(fx, U1, cases[i].path, "r");
    aavm_denial_report_analyse(fx->report, &fx->options);
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    assert_int_equal(vm->entries->len, G_N_ELEMENTS(cases));
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        const AavmDenialEntry *e = g_ptr_array_index(vm->entries, i);
        assert_string_equal(e->object, cases[i].path);
        if (!cases[i].other) {
            if (e->kind == AAVM_DENIAL_FIX_OTHER_VM)
                fail_msg("%s: other-vm", cases[i].path);
            assert_true(has(e->fixes, "Add this line"));
            continue;
        }
        if (e->kind != AAVM_DENIAL_FIX_OTHER_VM)
            fail_msg("%s: %s, not other-vm", cases[i].path, aavm_denial_fix_kind_to_string(e->kind));
        assert_no_rule(e);
        /* Unnamed in its .files and unknown to the VM manager: "?". */
        assert_true(has(e->warnings, cases[i].certain ? "belongs to VM ? (" U4 ")"
                                                       : "may belong to VM ? (" U4 ")"));
    }
}

/* Granted to this VM without write (a <readonly/> disk) and to another VM:
 * not "remove <readonly/>"; the other VM is named from the domain XML the
 * VM manager keeps. */
static void
test_other_vm_over_permission_missing(void **state)
{
    Fixture *fx = *state;

    aavm_site_add_files(fx->site, "libvirt-" U2, NULL,
                        "  \"/var/lib/libvirt/images/web1-data.img\" rwk,  # disk vdb\n");
    feed_file(fx, U1, "/var/lib/libvirt/images/web1-data.img", "w");
    const AavmDenialEntry *e = analysed_entry(fx, U1, "/var/lib/libvirt/images/web1-data.img");
    assert_int_equal(e->kind, AAVM_DENIAL_FIX_OTHER_VM);
    assert_string_equal(e->device, "VM bad (" U2 "), disk vdb");
    assert_no_rule(e);
}

/* aavm_site_read(): the other VMs' .files, and the rules of a VM only
 * defined (no .files) from its domain XML; a restricted path of another VM
 * keeps its policy warning. */
static void
test_other_vm_site_read(void **state)
{
    Fixture *fx = *state;
    g_autofree char *profiles = g_build_filename(fx->dir, "profiles", NULL);
    g_autofree char *libvirt = g_build_filename(fx->dir, "libvirt", NULL);
    g_autofree char *defined = g_build_filename(libvirt, "qemu", NULL);
    g_autofree char *vm5 = g_strdup_printf(
        "<domain type='kvm'><name>vm5</name><uuid>" U5 "</uuid><memory>1048576</memory>"
        "<os><type arch='x86_64'>hvm</type></os><devices>"
        "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
        "<source file='/srv/vm5/disk.img'/><target dev='vdb'/></disk></devices></domain>");

    assert_int_equal(g_mkdir_with_parents(profiles, 0755), 0);
    assert_int_equal(g_mkdir_with_parents(defined, 0755), 0);
    put(profiles, "libvirt-" U4 ".files", vm2_files);
    put(profiles, "libvirt-" U1 ".files", "  \"/srv/own.img\" r,  # disk vdz\n  \"/etc/vm2.conf\" r,  # x\n");
    put(profiles, "libvirt-" U3 ".files", "  \"/etc/vm2.conf\" r,  # passthrough\n");
    put(defined, "vm5.xml", vm5);
    aavm_site_free(fx->site);
    fx->site = aavm_site_read(fx->config, fx->host, profiles, libvirt, NULL);
    fx->options.site = fx->site;
    feed_file(fx, U1, VM2_IMG, "r");
    feed_file(fx, U1, "/srv/vm5/disk.img", "rw");
    feed_file(fx, U1, "/srv/own.img", "r");
    feed_file(fx, U1, "/etc/vm2.conf", "r");
    aavm_denial_report_analyse(fx->report, &fx->options);
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    const AavmDenialEntry *disk2 = g_ptr_array_index(vm->entries, 0);
    const AavmDenialEntry *disk5 = g_ptr_array_index(vm->entries, 1);
    const AavmDenialEntry *own = g_ptr_array_index(vm->entries, 2);
    const AavmDenialEntry *etc = g_ptr_array_index(vm->entries, 3);
    assert_int_equal(disk2->kind, AAVM_DENIAL_FIX_OTHER_VM);
    assert_int_equal(disk5->kind, AAVM_DENIAL_FIX_OTHER_VM);
    assert_string_equal(disk5->device, "VM vm5 (" U5 "), disk vdb");
    assert_no_rule(disk5);
    /* Its own .files is not another VM's. */
    assert_int_equal(own->kind, AAVM_DENIAL_FIX_LOCAL_RULE);
    assert_int_equal(etc->kind, AAVM_DENIAL_FIX_OTHER_VM);
    assert_true(has(etc->warnings, "belongs to VM ? (" U3 "), passthrough"));
    assert_true(has(etc->warnings, "is under /etc (host configuration)"));
    assert_no_rule(etc);
}

/* The running domain's status XML comes before the definition. */
static void
test_status_xml_first(void **state)
{
    Fixture *fx = *state;

    put(fx->run_qemu, "web1.xml", "<domstatus state='running'><domain type='kvm'><name>web1-running</name><uuid>" U1
                                  "</uuid><memory>1048576</memory><os><type arch='x86_64'>hvm</type></os>"
                                  "<devices/></domain></domstatus>");
    feed_file(fx, U1, "/srv/x.img", "r");
    analysed_entry(fx, U1, "/srv/x.img");
    const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
    assert_string_equal(vm->vm_name, "web1-running");
    assert_true(g_str_has_suffix(vm->xml_path, "/run/qemu/web1.xml"));
}

/* The directories aavm_site_read() is given, made: <dir>/profiles with
 * VM 4's .files, and <dir>/libvirt with its qemu/ (returned). */
static char *
site_dirs(Fixture *fx, char **out_profiles, char **out_libvirt)
{
    *out_profiles = g_build_filename(fx->dir, "profiles", NULL);
    *out_libvirt = g_build_filename(fx->dir, "libvirt", NULL);
    char *defined = g_build_filename(*out_libvirt, "qemu", NULL);

    assert_int_equal(g_mkdir_with_parents(*out_profiles, 0755), 0);
    assert_int_equal(g_mkdir_with_parents(defined, 0755), 0);
    put(*out_profiles, "libvirt-" U4 ".files", "  \"/srv/vm4.img\" rw,  # disk vda\n");
    return defined;
}

/* A status file with a document type declaration is not read (the
 * definition is); a definition with one names no VM and gives no rules. */
static void
test_doctype_refused(void **state)
{
    Fixture *fx = *state;
    g_auto(GStrv) doctypes = aavm_test_hostile_doctypes("domstatus");
    g_auto(GStrv) domain_doctypes = aavm_test_hostile_doctypes("domain");
    g_autofree char *profiles = NULL;
    g_autofree char *libvirt = NULL;
    g_autofree char *defined = site_dirs(fx, &profiles, &libvirt);

    for (guint i = 0; doctypes[i]; i++) {
        g_autofree char *status = g_strconcat(
            doctypes[i], "<domstatus state='running'><domain type='kvm'><name>&n;</name><uuid>" U1
            "</uuid><memory>1048576</memory><os><type arch='x86_64'>hvm</type></os>"
            "<devices/></domain></domstatus>", NULL);
        g_autofree char *vm4 = g_strconcat(
            domain_doctypes[i], "<domain type='kvm'><name>&n;</name><uuid>" U4 "</uuid>"
            "<memory>1048576</memory><os><type arch='x86_64'>hvm</type></os><devices>"
            "<disk type='file' device='disk'><source file='/srv/&n;.img'/><target dev='vdb'/>"
            "</disk></devices></domain>", NULL);
        put(fx->run_qemu, "web1.xml", status);
        put(defined, "vm4.xml", vm4);

        /* The site scan: vm4 keeps no name and gives no rules of its own. */
        aavm_site_free(fx->site);
        fx->site = aavm_site_read(fx->config, fx->host, profiles, libvirt, NULL);
        fx->options.site = fx->site;
        assert_int_equal(fx->site->grants->len, 1);
        const AavmSiteGrant *grant = g_ptr_array_index(fx->site->grants, 0);
        assert_null(grant->vm_name);
        assert_string_equal(grant->aare, "/srv/vm4.img");

        /* The denial: web1's definition, not its status file. */
        aavm_denial_report_free(fx->report);
        fx->report = aavm_denial_report_new();
        feed_file(fx, U1, "/srv/x.img", "r");
        analysed_entry(fx, U1, "/srv/x.img");
        const AavmDenialVm *vm = g_ptr_array_index(fx->report->vms, 0);
        assert_string_equal(vm->vm_name, "web1");
        assert_true(g_str_has_suffix(vm->xml_path, "/etc/qemu/web1.xml"));
    }
}

/* aavm_site_read() follows no link in the VM manager's configuration
 * directory nor in the profile directory, opens no FIFO, and names each
 * file it skipped. */
static void
test_site_scan_no_links(void **state)
{
    Fixture *fx = *state;
    g_autofree char *profiles = NULL;
    g_autofree char *libvirt = NULL;
    g_autofree char *defined = site_dirs(fx, &profiles, &libvirt);
    g_autofree char *elsewhere = g_build_filename(fx->dir, "elsewhere", NULL);
    g_autofree char *xml_link = g_build_filename(defined, "vm4.xml", NULL);
    g_autofree char *files_link = g_build_filename(profiles, "libvirt-" U5 ".files", NULL);
    g_autofree char *fifo = g_build_filename(defined, "fifo.xml", NULL);
    g_autofree char *target_xml = g_build_filename(elsewhere, "vm4.xml", NULL);
    g_autofree char *target_files = g_build_filename(elsewhere, "vm5.files", NULL);

    assert_int_equal(g_mkdir_with_parents(elsewhere, 0755), 0);
    put(elsewhere, "vm4.xml", "<domain type='kvm'><name>linked</name><uuid>" U4 "</uuid>"
                              "<memory>1048576</memory><os><type arch='x86_64'>hvm</type></os>"
                              "<devices/></domain>");
    put(elsewhere, "vm5.files", "  \"/srv/linked.img\" rw,  # disk vda\n");
    assert_int_equal(symlink(target_xml, xml_link), 0);
    assert_int_equal(symlink(target_files, files_link), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);

    aavm_site_free(fx->site);
    fx->site = aavm_site_read(fx->config, fx->host, profiles, libvirt, NULL);
    assert_int_equal(fx->site->grants->len, 1);
    const AavmSiteGrant *grant = g_ptr_array_index(fx->site->grants, 0);
    assert_null(grant->vm_name);
    assert_string_equal(grant->aare, "/srv/vm4.img");
    assert_int_equal(fx->site->warnings->len, 3);
    assert_true(aavm_test_has_warning_all(fx->site->warnings, xml_link, "symbolic link", NULL));
    assert_true(aavm_test_has_warning_all(fx->site->warnings, files_link, "symbolic link", NULL));
    assert_true(aavm_test_has_warning_all(fx->site->warnings, fifo, "FIFO", NULL));
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        CASE(test_permission_missing),
        CASE(test_doctype_refused),
        CASE(test_site_scan_no_links),
        CASE(test_xml_element_stale_profile),
        CASE(test_xml_element_not_granted),
        CASE(test_near_device_backing),
        CASE(test_near_device_companion),
        CASE(test_local_rule),
        CASE(test_local_rule_escaped),
        CASE(test_restricted),
        CASE(test_restricted_read_only),
        CASE(test_unknown_uuid),
        CASE(test_non_file),
        CASE(test_grouping),
        CASE(test_allowed_and_denied),
        CASE(test_allowed_without_mask),
        CASE(test_distinct_limit),
        CASE(test_hostile_text),
        CASE(test_read_stream),
        CASE(test_offered_rules_compile),
        CASE(test_other_vm_disk),
        CASE(test_other_vm_not_itself),
        CASE(test_other_vm_forms),
        CASE(test_other_vm_over_permission_missing),
        CASE(test_other_vm_site_read),
        CASE(test_status_xml_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
