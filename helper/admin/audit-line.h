/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* audit-line.h: one line of a kernel log -> one AppArmor denial of a VM,
 * or one access a VM's profile in complain mode would have denied.
 *
 * Pure: no filesystem.  Accepts the forms the kernel's AppArmor audit
 * records take on their way to an administrator:
 *   auditd's audit.log   type=AVC msg=audit(1700000000.123:456): apparmor="DENIED" ...
 *   dmesg / kmsg         [   12.345678] audit: type=1400 audit(...): apparmor="DENIED" ...
 *   journalctl / syslog  Nov 23 12:00:00 host kernel: audit: type=1400 audit(...): ...
 * Values are "quoted", bare words, or (auditd's form for a value with a
 * space, a quote or a control character) bare upper-case hexadecimal, which
 * is decoded for the fields that hold text.  Every line is untrusted: it is
 * bounded, and a value is kept as bytes; print it through
 * aavm_text_printable().
 *
 * In complain mode the kernel allows what the profile would deny and logs
 * it as apparmor="ALLOWED" with the same fields as a denial: such a record
 * of a VM's profile is AAVM_AUDIT_LINE_ALLOWED, parsed exactly like a
 * denial.  An ALLOWED record of another profile is
 * AAVM_AUDIT_LINE_OTHER_PROFILE, like a denial of it. */
#pragma once

#include <glib.h>

/* Longest line looked at; a longer one is AAVM_AUDIT_LINE_TOO_LONG. */
#define AAVM_AUDIT_LINE_MAX (64 * 1024)

typedef enum {
    AAVM_AUDIT_LINE_DENIED,        /* apparmor="DENIED" by a profile libvirt-<uuid>[//child] */
    AAVM_AUDIT_LINE_ALLOWED,       /* apparmor="ALLOWED" (complain mode) by a profile
                                    * libvirt-<uuid>[//child]: what enforce mode would deny */
    AAVM_AUDIT_LINE_NOT_APPARMOR,  /* no apparmor= field: any other log line */
    AAVM_AUDIT_LINE_NOT_DENIED,    /* apparmor="AUDIT", "STATUS", ... */
    AAVM_AUDIT_LINE_OTHER_PROFILE, /* a denial or ALLOWED record, not of a VM's profile */
    AAVM_AUDIT_LINE_MALFORMED,     /* a denial or ALLOWED record without a profile, or with
                                    * a broken value */
    AAVM_AUDIT_LINE_TOO_LONG,
    AAVM_AUDIT_LINE_KIND_LAST
} AavmAuditLineKind;

const char *aavm_audit_line_kind_to_string(AavmAuditLineKind kind);

typedef struct {
    char *uuid;           /* canonical lower-case UUID of libvirt-<uuid> */
    char *profile;        /* the whole profile name, e.g. "libvirt-<uuid>//null-/usr/bin/x" */
    char *child;          /* what follows "//", or NULL */
    char *timestamp;      /* "1700000000.123:456" from audit(...), or NULL */
    double time;          /* its seconds, 0 when unknown */
    char *operation;      /* "open", "capable", "connect", ... */
    char *klass;          /* class= ("file", "net", "cap", ...), or NULL */
    char *name;           /* the path (decoded), or NULL */
    char *requested_mask; /* or NULL */
    char *denied_mask;    /* or NULL */
    char *comm;           /* decoded, or NULL */
    char *capname;        /* capable: capname=, or NULL */
    char *peer;           /* signal / ptrace / unix: peer=, or NULL */
    char *signal;         /* signal: signal=, or NULL */
    char *addr;           /* unix: addr= (or peer_addr=), or NULL */
    char *family;         /* network: family=, or NULL */
    char *sock_type;      /* network: sock_type=, or NULL */
    char *info;           /* info=, or NULL */
} AavmAuditRecord;

void aavm_audit_record_free(AavmAuditRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmAuditRecord, aavm_audit_record_free)

/* Look at one line (@len bytes, no need for a NUL; a trailing newline is
 * ignored).  Only for AAVM_AUDIT_LINE_DENIED and AAVM_AUDIT_LINE_ALLOWED is
 * *@out_record set (when @out_record is not NULL); for ALLOWED its
 * denied_mask is what enforce mode would have denied. */
AavmAuditLineKind aavm_audit_line_parse(const char *line, gsize len,
                                        AavmAuditRecord **out_record);
