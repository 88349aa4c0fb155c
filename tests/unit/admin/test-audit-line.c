/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-audit-line.c: one kernel log line -> one denial, or one ALLOWED
 * record of complain mode (helper/admin/audit-line.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "audit-line.h"
#include "testutil.h"

#define U "5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d"
#define P "profile=\"libvirt-" U "\""

static AavmAuditRecord *
parse_denied(const char *line)
{
    AavmAuditRecord *r = NULL;

    assert_int_equal(aavm_audit_line_parse(line, strlen(line), &r), AAVM_AUDIT_LINE_DENIED);
    assert_non_null(r);
    return r;
}

static AavmAuditLineKind
kind_of(const char *line)
{
    AavmAuditRecord *r = NULL;
    AavmAuditLineKind kind = aavm_audit_line_parse(line, strlen(line), &r);

    if (kind != AAVM_AUDIT_LINE_DENIED && kind != AAVM_AUDIT_LINE_ALLOWED)
        assert_null(r);
    else
        assert_non_null(r);
    aavm_audit_record_free(r);
    return kind;
}

static void
test_auditd(void **state)
{
    (void)state;
    g_autoptr(AavmAuditRecord) r = parse_denied(
        "type=AVC msg=audit(1700000000.123:456): apparmor=\"DENIED\" operation=\"open\" "
        "class=\"file\" " P " name=\"/x\" pid=1 comm=\"qemu-system-x86\" "
        "requested_mask=\"rw\" denied_mask=\"w\" fsuid=0 ouid=0\n");

    assert_string_equal(r->uuid, U);
    assert_string_equal(r->profile, "libvirt-" U);
    assert_null(r->child);
    assert_string_equal(r->timestamp, "1700000000.123:456");
    assert_true(r->time > 1700000000.12 && r->time < 1700000000.13);
    assert_string_equal(r->operation, "open");
    assert_string_equal(r->klass, "file");
    assert_string_equal(r->name, "/x");
    assert_string_equal(r->comm, "qemu-system-x86");
    assert_string_equal(r->requested_mask, "rw");
    assert_string_equal(r->denied_mask, "w");
}

static void
test_dmesg_and_journal(void **state)
{
    (void)state;
    g_autoptr(AavmAuditRecord) d = parse_denied(
        "[   12.345678] audit: type=1400 audit(1700000001.500:7): apparmor=\"DENIED\" "
        "operation=\"mknod\" class=\"file\" " P " name=\"/var/lib/x.lock\" pid=9 "
        "comm=\"qemu\" requested_mask=\"c\" denied_mask=\"c\" fsuid=1 ouid=1");
    g_autoptr(AavmAuditRecord) j = parse_denied(
        "Nov 23 12:00:00 host kernel: audit: type=1400 audit(1700000002.000:8): "
        "apparmor=\"DENIED\" operation=\"file_mmap\" class=\"file\" " P
        " name=\"/usr/lib/x.so\" requested_mask=\"m\" denied_mask=\"m\"");
    g_autoptr(AavmAuditRecord) k = parse_denied(
        "kernel: apparmor=\"DENIED\" operation=\"truncate\" " P " name=\"/t\" "
        "requested_mask=\"w\" denied_mask=\"w\"");

    assert_string_equal(d->timestamp, "1700000001.500:7");
    assert_string_equal(d->operation, "mknod");
    assert_string_equal(d->name, "/var/lib/x.lock");
    assert_string_equal(d->denied_mask, "c");
    assert_string_equal(j->timestamp, "1700000002.000:8");
    assert_string_equal(j->operation, "file_mmap");
    assert_string_equal(j->denied_mask, "m");
    /* No audit(...) stamp, no class: still a denial. */
    assert_null(k->timestamp);
    assert_null(k->klass);
    assert_string_equal(k->operation, "truncate");
}

static void
test_hex_values(void **state)
{
    (void)state;
    /* "/tmp/a b " and comm "qemu x" as auditd writes them. */
    g_autoptr(AavmAuditRecord) r = parse_denied(
        "type=AVC msg=audit(1.0:1): apparmor=\"DENIED\" operation=\"open\" " P
        " name=2F746D702F61206220 comm=71656D752078 requested_mask=\"r\" denied_mask=\"r\"");
    /* A quoted value is never decoded; a bare one that is not hex is kept. */
    g_autoptr(AavmAuditRecord) q = parse_denied(
        "apparmor=\"DENIED\" operation=\"open\" " P " name=\"2F78\" comm=qemu denied_mask=r");
    /* Odd length, lower case, or a NUL inside: not hex, kept as written. */
    g_autoptr(AavmAuditRecord) o = parse_denied(
        "apparmor=\"DENIED\" operation=\"open\" " P " name=2F7 comm=2f78 info=2F00 denied_mask=r");
    /* A hex profile name. */
    g_autoptr(AavmAuditRecord) h = parse_denied(
        "apparmor=\"DENIED\" operation=\"open\" profile=6C696276697274"
        "2D35623264386533612D376334312D346630652D396436612D336531663261346235633664"
        " name=\"/h\" denied_mask=\"r\"");

    assert_string_equal(r->name, "/tmp/a b ");
    assert_string_equal(r->comm, "qemu x");
    assert_string_equal(q->name, "2F78");
    assert_string_equal(q->comm, "qemu");
    assert_string_equal(q->denied_mask, "r");
    assert_string_equal(o->name, "2F7");
    assert_string_equal(o->comm, "2f78");
    assert_string_equal(o->info, "2F00");
    assert_string_equal(h->uuid, U);
}

static void
test_child_profiles(void **state)
{
    (void)state;
    g_autoptr(AavmAuditRecord) n = parse_denied(
        "apparmor=\"DENIED\" operation=\"exec\" profile=\"libvirt-" U "//null-/usr/bin/x\" "
        "name=\"/usr/bin/x\" requested_mask=\"x\" denied_mask=\"x\" target=\"/usr/bin/x\"");
    g_autoptr(AavmAuditRecord) s = parse_denied(
        "apparmor=\"DENIED\" operation=\"open\" profile=\"libvirt-" U "//swtpm\" "
        "name=\"/var/lib/libvirt/swtpm/x\" denied_mask=\"w\"");

    assert_string_equal(n->uuid, U);
    assert_string_equal(n->child, "null-/usr/bin/x");
    assert_string_equal(n->operation, "exec");
    assert_string_equal(s->child, "swtpm");
    assert_string_equal(s->profile, "libvirt-" U "//swtpm");
}

static void
test_operations(void **state)
{
    (void)state;
    g_autoptr(AavmAuditRecord) cap = parse_denied(
        "apparmor=\"DENIED\" operation=\"capable\" class=\"cap\" " P " pid=1 comm=\"qemu\" "
        "capability=21 capname=\"sys_admin\"");
    g_autoptr(AavmAuditRecord) sig = parse_denied(
        "apparmor=\"DENIED\" operation=\"signal\" class=\"signal\" " P " pid=1 comm=\"qemu\" "
        "requested_mask=\"receive\" denied_mask=\"receive\" signal=term peer=\"unconfined\"");
    g_autoptr(AavmAuditRecord) pt = parse_denied(
        "apparmor=\"DENIED\" operation=\"ptrace\" class=\"ptrace\" " P " pid=1 comm=\"ps\" "
        "requested_mask=\"read\" denied_mask=\"read\" peer=\"libvirtd\"");
    g_autoptr(AavmAuditRecord) ux = parse_denied(
        "apparmor=\"DENIED\" operation=\"connect\" class=\"unix\" " P " pid=1 comm=\"qemu\" "
        "family=\"unix\" sock_type=\"stream\" protocol=0 requested_mask=\"send receive connect\" "
        "denied_mask=\"send receive connect\" addr=\"@/tmp/.X11-unix/X0\"");
    g_autoptr(AavmAuditRecord) net = parse_denied(
        "apparmor=\"DENIED\" operation=\"create\" class=\"net\" " P " family=\"inet\" "
        "sock_type=\"raw\" protocol=1 requested_mask=\"create\" denied_mask=\"create\"");
    const char *const file_ops[] = { "mkdir", "rename_src", "link", "chmod", "exec", NULL };

    assert_string_equal(cap->capname, "sys_admin");
    assert_null(cap->denied_mask);
    assert_string_equal(sig->signal, "term");
    assert_string_equal(sig->peer, "unconfined");
    assert_string_equal(pt->peer, "libvirtd");
    assert_string_equal(pt->denied_mask, "read");
    assert_string_equal(ux->addr, "@/tmp/.X11-unix/X0");
    assert_string_equal(ux->denied_mask, "send receive connect");
    assert_string_equal(net->family, "inet");
    assert_string_equal(net->sock_type, "raw");
    for (guint i = 0; file_ops[i]; i++) {
        g_autofree char *line = g_strdup_printf(
            "apparmor=\"DENIED\" operation=\"%s\" " P " name=\"/a\" requested_mask=\"rwlkmxacd\"",
            file_ops[i]);
        g_autoptr(AavmAuditRecord) r = parse_denied(line);
        assert_string_equal(r->operation, file_ops[i]);
        /* Without denied_mask the requested one stands for it. */
        assert_string_equal(r->denied_mask, "rwlkmxacd");
    }
}

/* Complain mode: apparmor="ALLOWED" of a VM's profile is parsed like a
 * denial, with its own kind. */
static void
test_allowed(void **state)
{
    (void)state;
    const char *line =
        "type=AVC msg=audit(1700000000.123:456): apparmor=\"ALLOWED\" operation=\"open\" "
        "class=\"file\" profile=\"libvirt-" U "//swtpm\" name=2F746D702F612062 pid=1 "
        "comm=\"qemu-system-x86\" requested_mask=\"rw\" denied_mask=\"w\" fsuid=0 ouid=0\n";
    AavmAuditRecord *r = NULL;

    assert_int_equal(aavm_audit_line_parse(line, strlen(line), &r), AAVM_AUDIT_LINE_ALLOWED);
    assert_non_null(r);
    assert_string_equal(r->uuid, U);
    assert_string_equal(r->profile, "libvirt-" U "//swtpm");
    assert_string_equal(r->child, "swtpm");
    assert_string_equal(r->timestamp, "1700000000.123:456");
    assert_true(r->time > 1700000000.12 && r->time < 1700000000.13);
    assert_string_equal(r->operation, "open");
    assert_string_equal(r->klass, "file");
    assert_string_equal(r->name, "/tmp/a b");
    assert_string_equal(r->comm, "qemu-system-x86");
    assert_string_equal(r->requested_mask, "rw");
    assert_string_equal(r->denied_mask, "w");
    aavm_audit_record_free(r);

    /* A capability, dmesg form; without denied_mask the requested one stands for it. */
    g_autoptr(AavmAuditRecord) cap = NULL;
    const char *c = "[   12.3] audit: type=1400 audit(1.5:2): apparmor=\"ALLOWED\" "
                    "operation=\"capable\" class=\"cap\" " P " capability=21 capname=\"sys_admin\"";
    assert_int_equal(aavm_audit_line_parse(c, strlen(c), &cap), AAVM_AUDIT_LINE_ALLOWED);
    assert_string_equal(cap->capname, "sys_admin");
    assert_null(cap->denied_mask);
    g_autoptr(AavmAuditRecord) req = NULL;
    const char *q = "apparmor=\"ALLOWED\" operation=\"mknod\" " P " name=\"/l\" requested_mask=\"c\"";
    assert_int_equal(aavm_audit_line_parse(q, strlen(q), &req), AAVM_AUDIT_LINE_ALLOWED);
    assert_string_equal(req->denied_mask, "c");

    /* Without @out_record: the kind only. */
    assert_int_equal(aavm_audit_line_parse(line, strlen(line), NULL), AAVM_AUDIT_LINE_ALLOWED);
    /* The verdict is exact: "allowed", "ALLOWEDX" are not it. */
    assert_int_equal(kind_of("apparmor=\"allowed\" operation=\"open\" " P " name=\"/x\""),
                     AAVM_AUDIT_LINE_NOT_DENIED);
    assert_int_equal(kind_of("apparmor=\"ALLOWEDX\" operation=\"open\" " P " name=\"/x\""),
                     AAVM_AUDIT_LINE_NOT_DENIED);
    /* ALLOWED of another profile counts like a denial of it. */
    assert_int_equal(kind_of("apparmor=\"ALLOWED\" operation=\"open\" profile=\"/usr/sbin/cupsd\" "
                             "name=\"/x\" denied_mask=\"r\""),
                     AAVM_AUDIT_LINE_OTHER_PROFILE);
    assert_int_equal(kind_of("apparmor=\"ALLOWED\" operation=\"open\" profile=\"libvirt-" U "x\" "
                             "name=\"/x\""),
                     AAVM_AUDIT_LINE_OTHER_PROFILE);
    /* Broken like a denial: malformed. */
    assert_int_equal(kind_of("apparmor=\"ALLOWED\" operation=\"open\" name=\"/x\""),
                     AAVM_AUDIT_LINE_MALFORMED);
    assert_int_equal(kind_of("apparmor=\"ALLOWED\" " P " name=\"/x\""), AAVM_AUDIT_LINE_MALFORMED);
    assert_int_equal(kind_of("apparmor=\"ALLOWED\" operation=\"open\" " P " name=\"/var/li"),
                     AAVM_AUDIT_LINE_MALFORMED);
}

static void
test_ignored(void **state)
{
    (void)state;
    assert_int_equal(kind_of("apparmor=\"AUDIT\" operation=\"open\" " P " name=\"/x\""),
                     AAVM_AUDIT_LINE_NOT_DENIED);
    assert_int_equal(kind_of("audit: type=1400 audit(1.0:2): apparmor=\"STATUS\" "
                             "operation=\"profile_load\" profile=\"unconfined\" name=\"libvirt-" U "\""),
                     AAVM_AUDIT_LINE_NOT_DENIED);
    assert_int_equal(kind_of("Nov 23 12:00:00 host systemd[1]: Started libvirtd."),
                     AAVM_AUDIT_LINE_NOT_APPARMOR);
    assert_int_equal(kind_of(""), AAVM_AUDIT_LINE_NOT_APPARMOR);
    /* "apparmor=" inside another word is not the field. */
    assert_int_equal(kind_of("noapparmor=\"DENIED\" " P), AAVM_AUDIT_LINE_NOT_APPARMOR);
}

static void
test_other_profiles(void **state)
{
    (void)state;
    const char *const profiles[] = {
        "/usr/sbin/cupsd", "libvirtd", "libvirt-", "libvirt-" U "x", "libvirt-" U "/x",
        "libvirt-5b2d8e3a7c414f0e9d6a3e1f2a4b5c6d", "libvirt-5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6g",
        "xlibvirt-" U, "unconfined", NULL,
    };

    for (guint i = 0; profiles[i]; i++) {
        g_autofree char *line = g_strdup_printf(
            "apparmor=\"DENIED\" operation=\"open\" profile=\"%s\" name=\"/x\" denied_mask=\"r\"",
            profiles[i]);
        assert_int_equal(kind_of(line), AAVM_AUDIT_LINE_OTHER_PROFILE);
    }
    /* Upper-case hex digits: the same VM, its UUID in canonical form. */
    g_autoptr(AavmAuditRecord) r = parse_denied(
        "apparmor=\"DENIED\" operation=\"open\" profile=\"libvirt-5B2D8E3A-7C41-4F0E-9D6A-3E1F2A4B5C6D\" name=\"/x\"");
    assert_string_equal(r->uuid, U);
}

static void
test_malformed(void **state)
{
    (void)state;
    /* Cut in the middle of a quoted value. */
    assert_int_equal(kind_of("apparmor=\"DENIED\" operation=\"open\" " P " name=\"/var/li"),
                     AAVM_AUDIT_LINE_MALFORMED);
    /* No profile, an empty one, no operation. */
    assert_int_equal(kind_of("apparmor=\"DENIED\" operation=\"open\" name=\"/x\""),
                     AAVM_AUDIT_LINE_MALFORMED);
    assert_int_equal(kind_of("apparmor=\"DENIED\" profile=\"\" operation=\"open\""),
                     AAVM_AUDIT_LINE_MALFORMED);
    assert_int_equal(kind_of("apparmor=\"DENIED\" " P " name=\"/x\""), AAVM_AUDIT_LINE_MALFORMED);
    /* Cut right after the verdict. */
    assert_int_equal(kind_of("apparmor=\"DENIED\""), AAVM_AUDIT_LINE_MALFORMED);
    assert_int_equal(kind_of("apparmor=\"DENI"), AAVM_AUDIT_LINE_MALFORMED);
    /* A broken audit() stamp is dropped, the denial kept. */
    g_autoptr(AavmAuditRecord) r = parse_denied(
        "audit(17000x): apparmor=\"DENIED\" operation=\"open\" " P " name=\"/x\"");
    assert_null(r->timestamp);
}

static void
test_too_long(void **state)
{
    (void)state;
    g_autoptr(GString) line = g_string_new("apparmor=\"DENIED\" operation=\"open\" " P " name=\"/");
    AavmAuditRecord *r = NULL;

    while (line->len <= AAVM_AUDIT_LINE_MAX)
        g_string_append_c(line, 'a');
    g_string_append_c(line, '"');
    assert_int_equal(aavm_audit_line_parse(line->str, line->len, &r), AAVM_AUDIT_LINE_TOO_LONG);
    assert_null(r);
    /* Exactly at the limit is fine (the newline does not count). */
    g_string_truncate(line, AAVM_AUDIT_LINE_MAX - 1);
    g_string_append(line, "\"\n");
    assert_int_equal(aavm_audit_line_parse(line->str, line->len, &r), AAVM_AUDIT_LINE_DENIED);
    aavm_audit_record_free(r);
}

static void
test_hostile_bytes(void **state)
{
    (void)state;
    /* A NUL ends the line; the length is honoured without one. */
    const char with_nul[] = "apparmor=\"DENIED\" operation=\"open\" " P " name=\"/a\"\0 name=\"/b\"";
    AavmAuditRecord *r = NULL;
    assert_int_equal(aavm_audit_line_parse(with_nul, sizeof(with_nul) - 1, &r), AAVM_AUDIT_LINE_DENIED);
    assert_string_equal(r->name, "/a");
    aavm_audit_record_free(r);
    const char *cut = "apparmor=\"DENIED\" operation=\"open\" " P " name=\"/abc\"";
    assert_int_equal(aavm_audit_line_parse(cut, strlen(cut) - 3, &r), AAVM_AUDIT_LINE_MALFORMED);

    /* Control characters and a repeated key: the first value wins. */
    g_autoptr(AavmAuditRecord) c = parse_denied(
        "apparmor=\"DENIED\" operation=\"open\" " P " name=\"/x\x1b[2J\" name=\"/y\" ===== x= =y");
    assert_string_equal(c->name, "/x\x1b[2J");

    /* Random bytes around a denial never crash the parser. */
    GRand *rand = g_rand_new_with_seed(42);
    const char *base = "type=AVC msg=audit(1700000000.123:456): apparmor=\"DENIED\" operation=\"open\" "
                       "class=\"file\" " P " name=2F746D70 requested_mask=\"r\" denied_mask=\"r\"";
    for (guint i = 0; i < 20000; i++) {
        g_autofree char *line = g_strdup(base);
        gsize len = strlen(line);
        for (guint j = 0; j < 1 + i % 8; j++)
            line[g_rand_int_range(rand, 0, (gint32)len)] = (char)g_rand_int_range(rand, 0, 256);
        AavmAuditRecord *out = NULL;
        AavmAuditLineKind kind = aavm_audit_line_parse(line, g_rand_int_range(rand, 0, (gint32)len + 1), &out);
        assert_true(kind < AAVM_AUDIT_LINE_KIND_LAST);
        assert_true((kind == AAVM_AUDIT_LINE_DENIED || kind == AAVM_AUDIT_LINE_ALLOWED) ==
                    (out != NULL));
        aavm_audit_record_free(out);
    }
    g_rand_free(rand);
}

static void
test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(aavm_audit_line_kind_to_string(AAVM_AUDIT_LINE_DENIED), "denied");
    assert_string_equal(aavm_audit_line_kind_to_string(AAVM_AUDIT_LINE_ALLOWED), "allowed");
    assert_string_equal(aavm_audit_line_kind_to_string(AAVM_AUDIT_LINE_NOT_DENIED), "not-denied");
    assert_string_equal(aavm_audit_line_kind_to_string(AAVM_AUDIT_LINE_TOO_LONG), "too-long");
    assert_string_equal(aavm_audit_line_kind_to_string(AAVM_AUDIT_LINE_KIND_LAST), "unknown");
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auditd),
        cmocka_unit_test(test_dmesg_and_journal),
        cmocka_unit_test(test_hex_values),
        cmocka_unit_test(test_child_profiles),
        cmocka_unit_test(test_operations),
        cmocka_unit_test(test_allowed),
        cmocka_unit_test(test_ignored),
        cmocka_unit_test(test_other_profiles),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
