/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "vm-lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A domain XML of @dir: a regular file, not through a symbolic link, at
 * most @max bytes. */
static gboolean
read_xml(const char *dir, const char *name, gsize max, char **out, gsize *out_len)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);

    if (fd < 0)
        return FALSE;
    gboolean ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                  aavm_store_read_fd(fd, max, out, out_len, NULL);
    close(fd);
    return ok;
}

/* The sorted names of @dir that end in @suffix (at most
 * AAVM_VM_LOOKUP_FILES_MAX). */
static GPtrArray *
list_dir(const char *dir, const char *suffix)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) d = dir ? g_dir_open(dir, 0, NULL) : NULL;
    const char *entry;

    while (d && (entry = g_dir_read_name(d)) && names->len < AAVM_VM_LOOKUP_FILES_MAX)
        if (g_str_has_suffix(entry, suffix))
            g_ptr_array_add(names, g_strdup(entry));
    g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
    return names;
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

/* The defined domains of @config_dir that @name (or @uuid) names. */
static void
search_xml(GPtrArray *matches, const char *config_dir, const char *name, const char *uuid)
{
    static const char *const drivers[] = { "qemu", "lxc" };

    for (guint d = 0; config_dir && d < G_N_ELEMENTS(drivers); d++) {
        g_autofree char *dir = g_build_filename(config_dir, drivers[d], NULL);
        g_autoptr(GPtrArray) names = list_dir(dir, ".xml");

        for (guint i = 0; i < names->len; i++) {
            const char *entry = g_ptr_array_index(names, i);
            g_autofree char *xml = NULL;
            gsize len = 0;
            if (!read_xml(dir, entry, AAVM_DOMAIN_XML_MAX, &xml, &len))
                continue;
            g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, len, NULL);
            if (!domain || find_uuid(matches, domain->uuid))
                continue;
            if (uuid ? strcmp(domain->uuid, uuid) == 0 : strcmp(domain->name, name) == 0) {
                g_autofree char *path = g_build_filename(dir, entry, NULL);
                g_ptr_array_add(matches, match_new(domain->name, domain->uuid, path, path));
            }
        }
    }
}

/* The profiles whose .files names @name (or, for @uuid, its name). */
static void
search_files(GPtrArray *matches, const char *profile_dir, const char *name, const char *uuid)
{
    g_autoptr(AavmStoreDir) dir = profile_dir ? aavm_store_dir_open(profile_dir, 0, NULL) : NULL;
    g_autoptr(GPtrArray) names = list_dir(dir ? profile_dir : NULL, ".files");

    for (guint i = 0; i < names->len; i++) {
        const char *entry = g_ptr_array_index(names, i);
        g_autofree char *profile_name = g_strndup(entry, strlen(entry) - strlen(".files"));
        g_autofree char *text = NULL;
        g_autofree char *vm_name = NULL;
        gsize len = 0;
        if (!aavm_profile_name_check(profile_name, NULL))
            continue;
        const char *entry_uuid = profile_name + strlen("libvirt-");
        if ((uuid && strcmp(uuid, entry_uuid) != 0) || find_uuid(matches, entry_uuid) ||
            !aavm_store_dir_read(dir, entry, AAVM_STORE_FILE_MAX, NULL, &text, &len, NULL) ||
            !(vm_name = aavm_vm_name_from_files(text)) || (!uuid && strcmp(vm_name, name) != 0))
            continue;
        g_autofree char *path = g_build_filename(profile_dir, entry, NULL);
        g_ptr_array_add(matches, match_new(vm_name, entry_uuid, NULL, path));
    }
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
    search_xml(matches, libvirt_config_dir, arg, uuid);
    search_files(matches, profile_dir, arg, uuid);
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
