/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "vm-lookup.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain-parse.h"
#include "domain.h"
#include "store-dir.h"
#include "store.h"
#include "vm-status.h"

void
aavm_vm_match_free(AavmVmMatch *match)
{
    if (!match)
        return;
    g_free(match->name);
    g_free(match->uuid);
    g_free(match->profile_name);
    g_free(match->xml_path);
    g_free(match->source);
    g_free(match);
}

static char *
uuid_of(const char *arg)
{
    char *uuid = NULL;
    const char *text = g_str_has_prefix(arg, "libvirt-") ? arg + strlen("libvirt-") : arg;

    return aavm_uuid_normalize(text, &uuid, NULL) ? uuid : NULL;
}

gboolean
aavm_vm_lookup_is_uuid(const char *arg)
{
    g_autofree char *uuid = uuid_of(arg);

    return uuid != NULL;
}

static AavmVmMatch *
match_new(const char *name, const char *uuid, const char *xml_path, const char *source)
{
    AavmVmMatch *m = g_new0(AavmVmMatch, 1);

    m->name = g_strdup(name);
    m->uuid = g_strdup(uuid);
    m->profile_name = g_strconcat("libvirt-", uuid, NULL);
    m->xml_path = g_strdup(xml_path);
    m->source = g_strdup(source);
    return m;
}

static AavmVmMatch *
find_uuid(GPtrArray *matches, const char *uuid)
{
    for (guint i = 0; i < matches->len; i++) {
        AavmVmMatch *m = g_ptr_array_index(matches, i);
        if (strcmp(m->uuid, uuid) == 0)
            return m;
    }
    return NULL;
}

/* What one search looks for, and what it found. */
typedef struct {
    GPtrArray *matches;
    const char *name;
    const char *uuid; /* or NULL: look for @name */
} Search;

/* A defined domain that the search names. */
static void
match_xml(const char *entry, const char *path, const char *xml, gsize len, gpointer data)
{
    Search *search = data;
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, len, NULL);

    (void)entry;
    if (!domain || find_uuid(search->matches, domain->uuid))
        return;
    if (search->uuid ? strcmp(domain->uuid, search->uuid) == 0
                     : strcmp(domain->name, search->name) == 0)
        g_ptr_array_add(search->matches, match_new(domain->name, domain->uuid, path, path));
}

/* libvirt-<uuid>.files of the uuid searched for (any without one) not
 * found yet. */
static gboolean
want_files(const char *entry, gpointer data)
{
    Search *search = data;
    g_autofree char *profile_name = g_strndup(entry, strlen(entry) - strlen(".files"));

    if (!aavm_profile_name_check(profile_name, NULL))
        return FALSE;
    const char *entry_uuid = profile_name + strlen("libvirt-");
    return (!search->uuid || strcmp(search->uuid, entry_uuid) == 0) &&
           !find_uuid(search->matches, entry_uuid);
}

/* A profile whose .files names the VM searched for (or, for a uuid, its
 * name). */
static void
match_files(const char *entry, const char *path, const char *text, gsize len, gpointer data)
{
    Search *search = data;
    g_autofree char *profile_name = g_strndup(entry, strlen(entry) - strlen(".files"));
    g_autofree char *vm_name = aavm_vm_name_from_files(text);

    (void)len;
    if (vm_name && (search->uuid || strcmp(vm_name, search->name) == 0))
        g_ptr_array_add(search->matches, match_new(vm_name, profile_name + strlen("libvirt-"),
                                                   NULL, path));
}

AavmVmMatch *
aavm_vm_lookup(const char *arg, const char *libvirt_config_dir, const char *profile_dir,
               GError **error)
{
    g_autofree char *uuid = uuid_of(arg);
    g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_vm_match_free);

    if (!uuid && g_str_has_prefix(arg, "libvirt-") && !aavm_profile_name_check(arg, error))
        return NULL;
    if (!*arg) {
        aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT, _("The VM name is empty."));
        return NULL;
    }
    Search search = { matches, arg, uuid };
    static const char *const drivers[] = { "qemu", "lxc" };
    for (guint d = 0; libvirt_config_dir && d < G_N_ELEMENTS(drivers); d++) {
        g_autofree char *dir = g_build_filename(libvirt_config_dir, drivers[d], NULL);
        aavm_store_dir_scan(dir, ".xml", AAVM_VM_LOOKUP_FILES_MAX, AAVM_DOMAIN_XML_MAX, NULL,
                            match_xml, &search, NULL);
    }
    aavm_store_dir_scan(profile_dir, ".files", AAVM_VM_LOOKUP_FILES_MAX, AAVM_STORE_FILE_MAX,
                        want_files, match_files, &search, NULL);
    if (uuid && matches->len == 0)
        return match_new(NULL, uuid, NULL, NULL);
    if (matches->len == 1)
        return g_steal_pointer(&g_ptr_array_index(matches, 0));
    if (matches->len == 0) {
        aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                  _("No VM is named '%s': no domain XML in '%s/qemu' or '%s/lxc', and no .files "
                    "in '%s' names it."),
                  arg, libvirt_config_dir ? libvirt_config_dir : "-",
                  libvirt_config_dir ? libvirt_config_dir : "-", profile_dir ? profile_dir : "-");
        return NULL;
    }
    const AavmVmMatch *a = g_ptr_array_index(matches, 0);
    const AavmVmMatch *b = g_ptr_array_index(matches, 1);
    aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
              _("More than one VM is named '%s': %s (in '%s') and %s (in '%s'); give the UUID."),
              arg, a->uuid, a->source, b->uuid, b->source);
    return NULL;
}
