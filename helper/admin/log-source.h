/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log-source.h: the kernel's AppArmor records when aavm denial is given no
 * log: auditd's log when it exists, else the journal's kernel messages,
 * read from `journalctl -k -o json --no-pager` (found on PATH).  The edge
 * that spawns: fixed argv, standard input /dev/null, output read through
 * a pipe by the caller, bounded by AAVM_LOG_SOURCE_OUTPUT_MAX. */
#pragma once

#include <stdio.h>

#include <glib.h>

/* Most bytes of journalctl's output read. */
#define AAVM_LOG_SOURCE_OUTPUT_MAX ((guint64)512 * 1024 * 1024)
/* Where auditd writes, the default of --audit-log. */
#define AAVM_LOG_SOURCE_AUDIT_LOG "/var/log/audit/audit.log"

typedef struct {
    FILE *stream;      /* the records, line by line */
    char *description; /* what is read, for people: a path or a command line */
    gboolean spawned;  /* stream is journalctl's output */
    GPid pid;
} AavmLogSource;

/* @audit_log when it is a regular file, else journalctl when it is on
 * PATH; AAVM_ERROR_IO when neither. */
AavmLogSource *aavm_log_source_open_system(const char *audit_log, GError **error);

/* Close; for journalctl, stop it first when @stop (its output was not read
 * to the end), then wait for it: an exit status other than 0 (unless
 * stopped) is AAVM_ERROR_IO.  Frees @source. */
gboolean aavm_log_source_close(AavmLogSource *source, gboolean stop, GError **error);
