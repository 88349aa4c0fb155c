/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* prune-store.c: the edge of prune.h: the facts from the profile
 * directory, the compile cache, the domain XMLs; removal through store.h. */
#include "prune.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "store.h"
#include "vm-status.h"

static const char *const templates[] = { "TEMPLATE.qemu", "TEMPLATE.lxc" };

void
aavm_prune_facts_clear(AavmPruneFacts *facts)
{
    g_clear_pointer(&facts->entries, g_ptr_array_unref);
    g_clear_pointer(&facts->cached, g_ptr_array_unref);
    g_clear_pointer(&facts->known, g_hash_table_unref);
    g_clear_pointer(&facts->profiles, g_hash_table_unref);
    g_clear_pointer(&facts->templates, g_ptr_array_unref);
}

/* "<features>/<name>" of every regular file one directory deep in the
 * cache; what cannot be listed is skipped (nothing of it is removed). */
static GPtrArray *
read_cache(const char *cache_dir)
{
    GPtrArray *cached = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_store_entry_free);
    g_autoptr(GPtrArray) top = cache_dir ? aavm_store_list(cache_dir, NULL,
                                                           AAVM_PRUNE_ENTRIES_MAX, NULL)
                                         : NULL;

    for (guint i = 0; top && i < top->len; i++) {
        const AavmStoreEntry *dir = g_ptr_array_index(top, i);
        if (dir->kind != AAVM_STORE_DIRECTORY)
            continue;
        g_autoptr(GPtrArray) sub = aavm_store_list(cache_dir, dir->name, AAVM_PRUNE_ENTRIES_MAX,
                                                   NULL);
        for (guint j = 0; sub && j < sub->len; j++)
            g_ptr_array_add(cached, g_ptr_array_steal_index(sub, j--));
    }
    return cached;
}

gboolean
aavm_prune_facts_read(const AavmPruneOptions *options, AavmPruneFacts *facts, GError **error)
{
    memset(facts, 0, sizeof(*facts));
    facts->profile_dir = options->config->profile_dir;
    facts->entries = aavm_store_list(options->config->profile_dir, NULL, AAVM_PRUNE_ENTRIES_MAX, error);
    if (!facts->entries)
        return FALSE;
    facts->cached = read_cache(options->config->cache_dir);
    facts->known = aavm_known_domains_read(options->domain_xml_dirs);
    facts->profiles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    facts->templates = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < G_N_ELEMENTS(templates); i++) {
        char *text = NULL;
        gsize len = 0;
        if (aavm_store_read_nofollow(options->config->profile_dir, templates[i], AAVM_STORE_FILE_MAX,
                                     &text, &len, NULL))
            g_ptr_array_add(facts->templates, text);
    }
    for (guint i = 0; i < facts->entries->len; i++) {
        const AavmStoreEntry *entry = g_ptr_array_index(facts->entries, i);
        g_autofree char *owner = aavm_prune_owner(entry->name);
        char *text = NULL;
        gsize len = 0;
        if (!owner || strcmp(owner, entry->name) != 0 || entry->kind != AAVM_STORE_REGULAR ||
            g_hash_table_contains(facts->known, owner + strlen("libvirt-")))
            continue;
        /* Unreadable: no text, and so not known to be edited; a profile
         * that cannot be read is then not removable either. */
        if (aavm_store_read_nofollow(options->config->profile_dir, entry->name, AAVM_STORE_FILE_MAX,
                                     &text, &len, NULL))
            g_hash_table_insert(facts->profiles, g_steal_pointer(&owner), text);
    }
    return TRUE;
}

gboolean
aavm_prune_apply(const AavmPruneOptions *options, const AavmPruneVm *vm, GPtrArray *removed,
                 GError **error)
{
    g_autofree char *lock_path = aavm_config_lock_path(options->config, vm->profile_name);
    g_autofree char *lock_dir = g_path_get_dirname(lock_path);
    g_autofree char *lock_name = g_path_get_basename(lock_path);
    g_autoptr(GHashTable) known = NULL;
    int lock = aavm_store_lock(lock_path, error); /* as every writer of its files */
    gboolean ok = lock >= 0;

    if (ok && g_hash_table_contains((known = aavm_known_domains_read(options->domain_xml_dirs)),
                                    vm->uuid))
        ok = aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                       _("The VM manager now has a domain with the UUID %s; nothing of it was removed."),
                       vm->uuid);
    for (guint i = 0; ok && i < vm->cached->len; i++) {
        const char *rel = g_ptr_array_index(vm->cached, i);
        ok = aavm_store_remove_regular(options->config->cache_dir, rel, error);
        if (ok)
            g_ptr_array_add(removed, g_build_filename(options->config->cache_dir, rel, NULL));
    }
    for (guint i = 0; ok && i < vm->files->len; i++) {
        const char *name = g_ptr_array_index(vm->files, i);
        ok = aavm_store_remove_regular(options->config->profile_dir, name, error);
        if (ok)
            g_ptr_array_add(removed, g_build_filename(options->config->profile_dir, name, NULL));
    }
    if (ok) /* the lock file, made by aavm_store_lock() when the VM had none */
        ok = aavm_store_remove_regular(lock_dir, lock_name, error);
    aavm_store_unlock(lock);
    return ok;
}
