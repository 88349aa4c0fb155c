/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* prune-store.c: the edge of prune.h: the facts from the profile
 * directory, the compile cache, the lock directory, the domain XMLs;
 * removal through store-dir.h. */
#include "prune.h"

#include <string.h>
#include <sys/stat.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "store-dir.h"
#include "store.h"
#include "vm-status.h"

static const char *const templates[] = { "TEMPLATE.qemu", "TEMPLATE.lxc" };

void
aavm_prune_facts_clear(AavmPruneFacts *facts)
{
    g_clear_pointer(&facts->entries, g_ptr_array_unref);
    g_clear_pointer(&facts->cached, g_ptr_array_unref);
    g_clear_pointer(&facts->locks, g_ptr_array_unref);
    g_clear_pointer(&facts->known, g_hash_table_unref);
    g_clear_pointer(&facts->profiles, g_hash_table_unref);
    g_clear_pointer(&facts->templates, g_ptr_array_unref);
}

static AavmPruneEntry *
entry_new(const AavmStoreDir *dir, const char *name, const char *prefix)
{
    AavmPruneEntry *entry = g_new0(AavmPruneEntry, 1);
    gboolean exists = FALSE;
    struct stat st;

    entry->name = prefix ? g_strconcat(prefix, "/", name, NULL) : g_strdup(name);
    entry->kind = aavm_store_dir_stat(dir, name, &exists, &st, NULL) && exists &&
                          S_ISREG(st.st_mode)
                      ? AAVM_PRUNE_ENTRY_REGULAR
                      : AAVM_PRUNE_ENTRY_OTHER;
    return entry;
}

static gint
compare_entries(gconstpointer a, gconstpointer b)
{
    return strcmp((*(AavmPruneEntry *const *)a)->name, (*(AavmPruneEntry *const *)b)->name);
}

/* The entries of @dir (at most AAVM_PRUNE_ENTRIES_MAX), each named
 * "@prefix/<name>" (or "<name>"), added to @to; FALSE with @error when
 * there are more. */
static gboolean
list_into(GPtrArray *to, const AavmStoreDir *dir, const char *prefix, GError **error)
{
    g_autoptr(GPtrArray) names = aavm_store_dir_list(dir);

    if (names->len > AAVM_PRUNE_ENTRIES_MAX)
        return aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                         _("The directory '%s' has more than %u entries."),
                         aavm_store_dir_path(dir), (guint)AAVM_PRUNE_ENTRIES_MAX);
    for (guint i = 0; i < names->len; i++)
        g_ptr_array_add(to, entry_new(dir, g_ptr_array_index(names, i), prefix));
    return TRUE;
}

/* "<features>/<name>" of every file one directory deep in the cache; what
 * cannot be opened or listed is skipped (nothing of it is removed). */
static GPtrArray *
read_cache(const char *cache_dir)
{
    GPtrArray *cached = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_entry_free);
    g_autoptr(AavmStoreDir) top = cache_dir ? aavm_store_dir_open(cache_dir, 0, NULL) : NULL;
    g_autoptr(GPtrArray) names = top ? aavm_store_dir_list(top) : NULL;

    for (guint i = 0; names && i < names->len && i < AAVM_PRUNE_ENTRIES_MAX; i++) {
        const char *features = g_ptr_array_index(names, i);
        g_autofree char *path = g_build_filename(cache_dir, features, NULL);
        g_autoptr(AavmStoreDir) sub = aavm_store_dir_open(path, 0, NULL);
        g_autoptr(GPtrArray) some = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_entry_free);
        if (sub && list_into(some, sub, features, NULL))
            for (guint j = 0; j < some->len; j++)
                g_ptr_array_add(cached, g_ptr_array_steal_index(some, j--));
    }
    g_ptr_array_sort(cached, compare_entries);
    return cached;
}

gboolean
aavm_prune_facts_read(const AavmPruneOptions *options, AavmPruneFacts *facts, GError **error)
{
    g_autoptr(AavmStoreDir) dir = aavm_store_dir_open(options->config->profile_dir, 0, error);
    g_autoptr(AavmStoreDir) locks = options->config->lock_dir
                                        ? aavm_store_dir_open(options->config->lock_dir, 0, NULL)
                                        : NULL;

    memset(facts, 0, sizeof(*facts));
    if (!dir)
        return FALSE;
    facts->profile_dir = options->config->profile_dir;
    facts->profile_abi = options->config->profile_abi;
    facts->entries = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_entry_free);
    if (!list_into(facts->entries, dir, NULL, error)) {
        aavm_prune_facts_clear(facts);
        return FALSE;
    }
    g_ptr_array_sort(facts->entries, compare_entries);
    facts->cached = read_cache(options->config->cache_dir);
    facts->locks = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_entry_free);
    if (locks && !list_into(facts->locks, locks, NULL, NULL))
        g_ptr_array_set_size(facts->locks, 0);
    facts->known = aavm_known_domains_read(options->domain_xml_dirs, NULL);
    facts->profiles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    facts->templates = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < G_N_ELEMENTS(templates); i++) {
        char *text = NULL;
        gsize len = 0;
        gboolean exists = FALSE;
        if (aavm_store_dir_read(dir, templates[i], AAVM_STORE_FILE_MAX, &exists, &text, &len,
                                NULL) && exists)
            g_ptr_array_add(facts->templates, text);
    }
    for (guint i = 0; i < facts->entries->len; i++) {
        const AavmPruneEntry *entry = g_ptr_array_index(facts->entries, i);
        g_autofree char *owner = aavm_prune_owner(entry->name);
        char *text = NULL;
        gsize len = 0;
        if (!owner || strcmp(owner, entry->name) != 0 || entry->kind != AAVM_PRUNE_ENTRY_REGULAR ||
            g_hash_table_contains(facts->known, owner + strlen("libvirt-")))
            continue;
        /* Unreadable: no text, and so not known to be edited; a profile
         * that cannot be read is then not removable either. */
        if (aavm_store_dir_read(dir, entry->name, AAVM_STORE_FILE_MAX, NULL, &text, &len, NULL))
            g_hash_table_insert(facts->profiles, g_steal_pointer(&owner), text);
    }
    return TRUE;
}

/* Remove "<features>/<name>" of the cache. */
static gboolean
remove_cached(const char *cache_dir, const char *rel, GError **error)
{
    g_autofree char *features = g_path_get_dirname(rel);
    g_autofree char *name = g_path_get_basename(rel);
    g_autofree char *path = g_build_filename(cache_dir, features, NULL);
    g_autoptr(AavmStoreDir) dir = aavm_store_dir_open(path, 0, error);

    return dir && aavm_store_dir_remove(dir, name, error);
}

gboolean
aavm_prune_apply(const AavmPruneOptions *options, const AavmPruneVm *vm, GPtrArray *removed,
                 GError **error)
{
    g_autoptr(GHashTable) known = NULL;
    g_autoptr(AavmStoreDir) dir = aavm_store_dir_open(options->config->profile_dir, 0, error);
    /* as every writer of its files */
    AavmStoreLock *lock = dir ? aavm_store_lock_take(options->config->lock_dir, vm->profile_name,
                                                     error)
                              : NULL;
    gboolean ok = lock != NULL;

    if (ok && g_hash_table_contains((known = aavm_known_domains_read(options->domain_xml_dirs, NULL)),
                                    vm->uuid))
        ok = aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                       _("The VM manager now has a domain with the UUID %s; nothing of it was removed."),
                       vm->uuid);
    for (guint i = 0; ok && i < vm->cached->len; i++) {
        const char *rel = g_ptr_array_index(vm->cached, i);
        ok = remove_cached(options->config->cache_dir, rel, error);
        if (ok)
            g_ptr_array_add(removed, g_build_filename(options->config->cache_dir, rel, NULL));
    }
    for (guint i = 0; ok && i < vm->files->len; i++) {
        const char *name = g_ptr_array_index(vm->files, i);
        ok = aavm_store_dir_remove(dir, name, error);
        if (ok)
            g_ptr_array_add(removed, g_build_filename(options->config->profile_dir, name, NULL));
    }
    /* The lock file goes last, while held (it is made by taking the lock
     * when the VM had none). */
    aavm_store_lock_release(lock, ok);
    if (ok && vm->lock)
        g_ptr_array_add(removed, g_build_filename(options->config->lock_dir, vm->lock, NULL));
    return ok;
}
