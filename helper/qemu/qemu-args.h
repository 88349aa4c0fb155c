/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu-args.h: the host paths hidden in QEMU command-line arguments.
 *
 * Pure text processing (no host access): <qemu:arg> values and <qemu:env>
 * pairs in, AavmPassthrough items out.  QEMU's option syntax: "key=value"
 * lists with ",," for a literal comma and an implied first key
 * ("-chardev socket,id=c,path=/p"), JSON objects ("-blockdev '{...}'"), and
 * the legacy filename forms ("rbd:pool/img:conf=/p", "unix:/p,server").
 * Each option aavm knows has a table entry saying which of its keys are
 * host paths and with which permissions; what aavm cannot read becomes an
 * UNPARSED item with a note, never a guess.  See docs/devices/passthrough.md. */
#pragma once

#include <glib.h>

#include "domain.h"

/* One key=value of an option argument.  Keys of nested JSON objects and
 * arrays are joined with '.' ("file.filename", "server.0.path"). */
typedef struct {
    char *key;   /* NULL: a bare first value and no implied key */
    char *value; /* never NULL; JSON true/false become "on"/"off" */
    gboolean used; /* set by the scanner once a key is understood */
} AavmQemuParam;

void aavm_qemu_param_free(AavmQemuParam *param);

/* Most parameters one argument may have, and deepest JSON nesting. */
#define AAVM_QEMU_MAX_PARAMS 4096
#define AAVM_QEMU_MAX_JSON_DEPTH 32

/* Split a QemuOpts/keyval argument "a,k=v,k2=x,,y" into AavmQemuParam*:
 * ",," is a literal comma, a first part without '=' has the key @implied
 * (NULL key when @implied is NULL), a later part without '=' is "part=on".
 * Empty parts are skipped.  NULL with @error for an empty key ("=x") or
 * too many parts. */
GPtrArray *aavm_qemu_opts_split(const char *text, const char *implied, GError **error);

/* Flatten a JSON object into AavmQemuParam* (strings, numbers, booleans,
 * null as "", nested objects and arrays with joined keys).  NULL with
 * @error for anything else (not an object, bad escapes, trailing text,
 * too deep or too many members). */
GPtrArray *aavm_qemu_json_flatten(const char *text, GError **error);

/* The value of @key in @params (AavmQemuParam*), or NULL. */
const char *aavm_qemu_params_get(const GPtrArray *params, const char *key);

/* QEMU's booleans: on/yes/true/y. */
gboolean aavm_qemu_is_true(const char *value);

/* The whole command line: @args the <qemu:arg value=> strings in document
 * order (@n of them); append one AavmPassthrough* to @out for each host
 * path, network endpoint and unreadable argument, in order. */
void aavm_qemu_args_scan(const char *const *args, guint n, GPtrArray *out);

/* One <qemu:env name= value=> (the @index-th): append its items to @out. */
void aavm_qemu_env_scan(const char *name, const char *value, guint index, GPtrArray *out);

/* One <qemu:override> device property (the @index-th): a path-like value
 * is reported (UNPARSED), never granted. */
void aavm_qemu_override_scan(const char *name, const char *value, guint index, GPtrArray *out);

/* Whether @item is a VFIO device assignment ("-device vfio-pci,host=" or
 * ",sysfsdev="): its value is a PCI address or a sysfs device directory,
 * granted like a <hostdev> (rules-passthrough.c), not as a plain path. */
gboolean aavm_qemu_item_is_vfio(const AavmPassthrough *item);

/* A PCI address "[DDDD:]BB:SS.F" (hex), as QEMU's host= and sysfs names
 * write it; FALSE for anything else. */
gboolean aavm_qemu_pci_address_parse(const char *text, AavmPciAddress *out);

/* Whether @item's path may be a directory that QEMU creates files in
 * (-mem-path, memory-backend-file mem-path=): granted as a tree when the
 * host has a directory there. */
gboolean aavm_qemu_item_may_be_dir(const AavmPassthrough *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmQemuParam, aavm_qemu_param_free)
