/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "prune.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain.h"
#include "store-dir.h"
#include "template.h"

#define PROFILE_NAME_LEN 44 /* "libvirt-" and a UUID */

void
aavm_prune_vm_free(AavmPruneVm *vm)
{
    if (!vm)
        return;
    g_free(vm->uuid);
    g_free(vm->profile_name);
    g_ptr_array_unref(vm->files);
    g_ptr_array_unref(vm->cached);
    g_free(vm->lock);
    g_free(vm);
}

void
aavm_prune_entry_free(AavmPruneEntry *entry)
{
    if (!entry)
        return;
    g_free(entry->name);
    g_free(entry);
}

char *
aavm_prune_owner(const char *entry)
{
    if (strlen(entry) < PROFILE_NAME_LEN || !g_str_has_prefix(entry, "libvirt-"))
        return NULL;
    g_autofree char *name = g_strndup(entry, PROFILE_NAME_LEN);
    g_autofree char *files = g_strconcat(name, ".files", NULL);
    const char *rest = entry + PROFILE_NAME_LEN;

    if (!aavm_profile_name_check(name, NULL))
        return NULL;
    if (!*rest || strcmp(rest, ".files") == 0 || strcmp(rest, ".lock") == 0 ||
        strcmp(rest, ".aavm-old") == 0 || aavm_store_dir_is_temporary_of(entry, name) ||
        aavm_store_dir_is_temporary_of(entry, files))
        return g_steal_pointer(&name);
    return NULL;
}

/* Whether @text is what a template makes for @profile_name (with or
 * without the include of its .files). */
static gboolean
profile_is_generated(const AavmPruneFacts *facts, const char *profile_name, const char *text)
{
    g_autofree char *files_path = g_strconcat(facts->profile_dir, "/", profile_name, ".files",
                                              NULL);
    g_autofree char *include = aavm_template_include_line(files_path);

    for (guint i = 0; facts->templates && i < facts->templates->len; i++) {
        for (guint with = 0; with < 2; with++) {
            g_autofree char *made = aavm_template_fill(g_ptr_array_index(facts->templates, i),
                                                       profile_name, with ? include : NULL,
                                                       facts->profile_abi, NULL);
            if (made && strcmp(made, text) == 0)
                return TRUE;
        }
    }
    return FALSE;
}

static gint
compare_files(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *)a;
    const char *y = *(const char *const *)b;
    gboolean x_lock = g_str_has_suffix(x, ".lock");
    gboolean y_lock = g_str_has_suffix(y, ".lock");

    if (x_lock != y_lock) /* the lock last */
        return x_lock ? 1 : -1;
    return strcmp(x, y);
}

static gint
compare_vms(gconstpointer a, gconstpointer b)
{
    return strcmp((*(AavmPruneVm *const *)a)->uuid, (*(AavmPruneVm *const *)b)->uuid);
}

static AavmPruneVm *
vm_new(const char *profile_name)
{
    AavmPruneVm *vm = g_new0(AavmPruneVm, 1);

    vm->profile_name = g_strdup(profile_name);
    vm->uuid = g_strdup(profile_name + strlen("libvirt-"));
    vm->files = g_ptr_array_new_with_free_func(g_free);
    vm->cached = g_ptr_array_new_with_free_func(g_free);
    vm->action = AAVM_PRUNE_REMOVE;
    return vm;
}

static void
add_cached(const AavmPruneFacts *facts, AavmPruneVm *vm)
{
    for (guint i = 0; facts->cached && i < facts->cached->len; i++) {
        const AavmPruneEntry *entry = g_ptr_array_index(facts->cached, i);
        const char *slash = strchr(entry->name, '/');
        if (entry->kind == AAVM_PRUNE_ENTRY_REGULAR && slash && slash != entry->name &&
            !strchr(slash + 1, '/') && strcmp(slash + 1, vm->profile_name) == 0)
            g_ptr_array_add(vm->cached, g_strdup(entry->name));
    }
}

/* The VM's lock file in the lock directory: removed last; one store-dir
 * refuses keeps the VM. */
static void
add_lock(const AavmPruneFacts *facts, AavmPruneVm *vm)
{
    g_autofree char *name = g_strconcat(vm->profile_name, ".lock", NULL);

    for (guint i = 0; facts->locks && i < facts->locks->len; i++) {
        const AavmPruneEntry *entry = g_ptr_array_index(facts->locks, i);
        if (strcmp(entry->name, name) != 0)
            continue;
        if (entry->kind != AAVM_PRUNE_ENTRY_REGULAR)
            vm->action = AAVM_PRUNE_KEEP_LINK;
        vm->lock = g_steal_pointer(&name);
        return;
    }
}

static void
decide(const AavmPruneFacts *facts, const AavmKernelState *kernel, gboolean force,
       AavmPruneVm *vm)
{
    const char *text = g_hash_table_lookup(facts->profiles, vm->profile_name);
    gboolean has_profile = vm->files->len > 0 &&
                           strcmp(g_ptr_array_index(vm->files, 0), vm->profile_name) == 0;

    if (vm->action == AAVM_PRUNE_KEEP_LINK)
        return;
    if (aavm_kernel_state_mode(kernel, vm->profile_name))
        vm->action = AAVM_PRUNE_KEEP_LOADED;
    else if (!force && has_profile && !(text && profile_is_generated(facts, vm->profile_name, text)))
        vm->action = AAVM_PRUNE_KEEP_EDITED; /* a profile not read counts as edited */
}

GPtrArray *
aavm_prune_plan(const AavmPruneFacts *facts, const AavmKernelState *kernel, gboolean force,
                GError **error)
{
    g_autoptr(GHashTable) by_name = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) vms = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_vm_free);

    if (kernel->enabled && !kernel->list_known) {
        aavm_fail(error, AAVM_ERROR_FAILED,
                  _("Cannot tell which profiles the kernel has loaded (%s); nothing is pruned."),
                  kernel->reason ? kernel->reason : "?");
        return NULL;
    }
    for (guint i = 0; i < facts->entries->len; i++) {
        const AavmPruneEntry *entry = g_ptr_array_index(facts->entries, i);
        g_autofree char *owner = aavm_prune_owner(entry->name);
        if (!owner || g_hash_table_contains(facts->known, owner + strlen("libvirt-")))
            continue;
        AavmPruneVm *vm = g_hash_table_lookup(by_name, owner);
        if (!vm) {
            vm = vm_new(owner);
            g_hash_table_insert(by_name, vm->profile_name, vm);
            g_ptr_array_add(vms, vm);
        }
        g_ptr_array_add(vm->files, g_strdup(entry->name));
        if (entry->kind != AAVM_PRUNE_ENTRY_REGULAR)
            vm->action = AAVM_PRUNE_KEEP_LINK;
    }
    for (guint i = 0; i < vms->len; i++) {
        AavmPruneVm *vm = g_ptr_array_index(vms, i);
        g_ptr_array_sort(vm->files, compare_files);
        add_cached(facts, vm);
        add_lock(facts, vm);
        decide(facts, kernel, force, vm);
    }
    g_ptr_array_sort(vms, compare_vms);
    return g_steal_pointer(&vms);
}
