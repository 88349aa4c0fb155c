/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vm-lookup.h: a VM as an administrator names it -> the VM.
 *
 * The argument is a UUID, a profile name libvirt-<uuid>, or the VM's name
 * as virsh shows it.  A name is looked up in the defined domains' XML
 * (<libvirt-config-dir>/qemu/ *.xml and lxc/ *.xml, read through the domain
 * XML parser, so a document type declaration is refused and the file
 * skipped), then in the pid file rule of the profile directory's
 * libvirt-<uuid>.files (a VM libvirt runs without a definition).  Symbolic
 * links are not followed. */
#pragma once

#include <glib.h>

/* Most files read in one directory. */
#define AAVM_VM_LOOKUP_FILES_MAX 4096

typedef struct {
    char *name;         /* the VM's name, or NULL when not known (a UUID was given) */
    char *uuid;         /* canonical */
    char *profile_name; /* libvirt-<uuid> */
    char *xml_path;     /* the defined domain's XML, or NULL */
    char *source;       /* the file the VM was found in, or NULL */
} AavmVmMatch;

/* TRUE when @arg is a UUID or libvirt-<uuid> (canonical or not). */
gboolean aavm_vm_lookup_is_uuid(const char *arg);

/* The VM @arg names.  A UUID always matches (name and XML filled in when
 * found); a name that matches no VM, or more than one, is an
 * AAVM_ERROR_INVALID_ARGUMENT naming them.  @libvirt_config_dir and
 * @profile_dir may be NULL. */
AavmVmMatch *aavm_vm_lookup(const char *arg, const char *libvirt_config_dir,
                            const char *profile_dir, GError **error);

void aavm_vm_match_free(AavmVmMatch *match);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AavmVmMatch, aavm_vm_match_free)
