/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* site.c: what lies beyond one domain: storage pools and other VMs' rules. */
#include "site.h"

#include <string.h>
#include <sys/stat.h>

#include "aavm-xml.h"
#include "domain-parse-util.h"
#include "domain.h"
#include "store.h"

static void
site_files_free(AavmSiteFiles *files)
{
    if (!files)
        return;
    g_free(files->profile_name);
    g_free(files->text);
    g_free(files);
}

AavmSite *
aavm_site_new(void)
{
    AavmSite *site = g_new0(AavmSite, 1);

    site->pools = g_ptr_array_new_with_free_func(g_free);
    site->other_files = g_ptr_array_new_with_free_func((GDestroyNotify)site_files_free);
    return site;
}

void
aavm_site_free(AavmSite *site)
{
    if (!site)
        return;
    g_ptr_array_unref(site->pools);
    g_ptr_array_unref(site->other_files);
    g_free(site);
}

char *
aavm_site_canonical(const AavmHost *host, const char *path)
{
    char *out = NULL;

    if (path && path[0] == '/' && aavm_host_canonicalize(host, path, &out, NULL, NULL))
        return out;
    return g_strdup(path);
}

void
aavm_site_add_pool(AavmSite *site, const AavmHost *host, const char *dir)
{
    if (dir && dir[0] == '/')
        g_ptr_array_add(site->pools, aavm_site_canonical(host, dir));
}

void
aavm_site_add_files(AavmSite *site, const char *profile_name, const char *text)
{
    AavmSiteFiles *files = g_new0(AavmSiteFiles, 1);

    files->profile_name = g_strdup(profile_name);
    files->text = g_strdup(text);
    g_ptr_array_add(site->other_files, files);
}

/* The regular files of @dir whose names pass @want, sorted, at most
 * AAVM_SITE_FILES_MAX. */
static GPtrArray *
list_files(const char *dir, gboolean (*want)(const char *name, gpointer data), gpointer data)
{
    g_autoptr(GDir) handle = dir ? g_dir_open(dir, 0, NULL) : NULL;
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    const char *entry;

    while (handle && (entry = g_dir_read_name(handle)) && paths->len < AAVM_SITE_FILES_MAX) {
        g_autofree char *path = NULL;
        struct stat st;

        if (!want(entry, data))
            continue;
        path = g_build_filename(dir, entry, NULL);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            g_ptr_array_add(paths, g_steal_pointer(&path));
    }
    g_ptr_array_sort(paths, (GCompareFunc)g_strcmp0);
    return paths;
}

static gboolean
want_xml(const char *name, gpointer data)
{
    (void)data;
    return g_str_has_suffix(name, ".xml");
}

/* libvirt-<uuid>.files of another VM than @data (the excluded uuid). */
static gboolean
want_other_files(const char *name, gpointer data)
{
    const char *exclude = data;
    g_autofree char *profile = NULL;

    if (!g_str_has_suffix(name, ".files"))
        return FALSE;
    profile = g_strndup(name, strlen(name) - strlen(".files"));
    if (!aavm_profile_name_check(profile, NULL))
        return FALSE;
    return !exclude || strcmp(profile + strlen("libvirt-"), exclude) != 0;
}

/* <pool><target><path> of one pool definition, or NULL. */
static char *
read_pool_path(const char *file)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!aavm_store_read(file, AAVM_SITE_POOL_XML_MAX, &text, &len, NULL) || len > G_MAXINT)
        return NULL;
    g_autoptr(xmlDoc) doc = xmlReadMemory(text, (int)len, NULL, "UTF-8",
                                          XML_PARSE_NONET | XML_PARSE_NOERROR |
                                          XML_PARSE_NOWARNING);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !aavm_xml_is(root, "pool"))
        return NULL;
    g_autofree char *path = aavm_xml_text(aavm_xml_child(aavm_xml_child(root, "target"), "path"));
    return path ? g_strdup(g_strstrip(path)) : NULL;
}

AavmSite *
aavm_site_read(const AavmHost *host, const char *profile_dir, const char *libvirt_config_dir,
               const char *exclude_uuid)
{
    AavmSite *site = aavm_site_new();
    g_autofree char *storage = libvirt_config_dir
                                   ? g_build_filename(libvirt_config_dir, "storage", NULL)
                                   : NULL;
    g_autoptr(GPtrArray) pools = list_files(storage, want_xml, NULL);
    g_autoptr(GPtrArray) files = list_files(profile_dir, want_other_files, (gpointer)exclude_uuid);

    for (guint i = 0; i < pools->len; i++) {
        g_autofree char *dir = read_pool_path(g_ptr_array_index(pools, i));
        aavm_site_add_pool(site, host, dir);
    }
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        g_autofree char *base = g_path_get_basename(path);
        g_autofree char *text = NULL;
        gsize len = 0;

        if (!aavm_store_read(path, AAVM_STORE_FILE_MAX, &text, &len, NULL))
            continue;
        base[strlen(base) - strlen(".files")] = '\0';
        aavm_site_add_files(site, base, text);
    }
    return site;
}
