/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* site.c: what lies beyond one domain: storage pools and other VMs' rules. */
#include "site.h"

#include <string.h>

#include "aare.h"
#include "aavm-i18n.h"
#include "aavm-text.h"
#include "aavm-xml.h"
#include "domain-parse-util.h"
#include "domain-xml.h"
#include "domain.h"
#include "generate.h"
#include "render.h"
#include "store-dir.h"
#include "store.h"
#include "vm-status.h"

void
aavm_site_grant_free(AavmSiteGrant *grant)
{
    if (!grant)
        return;
    g_free(grant->profile_name);
    g_free(grant->vm_name);
    g_free(grant->aare);
    g_free(grant->perms);
    g_free(grant->reason);
    g_free(grant);
}

AavmSiteGrant *
aavm_site_grant_copy(const AavmSiteGrant *grant)
{
    AavmSiteGrant *copy = g_new0(AavmSiteGrant, 1);

    copy->profile_name = g_strdup(grant->profile_name);
    copy->vm_name = g_strdup(grant->vm_name);
    copy->aare = g_strdup(grant->aare);
    copy->perms = g_strdup(grant->perms);
    copy->reason = g_strdup(grant->reason);
    copy->certain = grant->certain;
    return copy;
}

AavmSite *
aavm_site_new(void)
{
    AavmSite *site = g_new0(AavmSite, 1);

    site->pools = g_ptr_array_new_with_free_func(g_free);
    site->grants = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_site_grant_free);
    site->warnings = g_ptr_array_new_with_free_func(g_free);
    return site;
}

void
aavm_site_free(AavmSite *site)
{
    if (!site)
        return;
    g_ptr_array_unref(site->pools);
    g_ptr_array_unref(site->grants);
    g_ptr_array_unref(site->warnings);
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
aavm_site_add_files(AavmSite *site, const char *profile_name, const char *vm_name,
                    const char *text)
{
    g_autoptr(GPtrArray) rules = aavm_render_read_rules(text);

    for (guint i = 0; i < rules->len; i++) {
        AavmRenderedRule *rule = g_ptr_array_index(rules, i);
        AavmSiteGrant *grant = g_new0(AavmSiteGrant, 1);

        grant->profile_name = g_strdup(profile_name);
        grant->vm_name = g_strdup(vm_name);
        grant->aare = g_steal_pointer(&rule->aare);
        grant->perms = g_steal_pointer(&rule->perms);
        grant->reason = g_steal_pointer(&rule->reason);
        grant->certain = TRUE;
        g_ptr_array_add(site->grants, grant);
    }
}

const char *
aavm_site_grant_uuid(const AavmSiteGrant *grant)
{
    return grant->profile_name + strlen("libvirt-");
}

char *
aavm_site_grant_owner(const AavmSiteGrant *grant)
{
    return g_strdup_printf(_("VM %s (%s), %s"), grant->vm_name ? grant->vm_name : "?",
                           aavm_site_grant_uuid(grant),
                           grant->reason ? grant->reason : _("no reason given"));
}

char *
aavm_site_grant_rule(const AavmSiteGrant *grant)
{
    return g_strdup_printf("\"%s\" %s,", grant->aare, grant->perms);
}

gboolean
aavm_site_grant_writes(const AavmSiteGrant *grant)
{
    return strpbrk(grant->perms, "wa") != NULL;
}

void
aavm_site_grants_to_json(AavmJson *json, const char *key, const GPtrArray *grants)
{
    aavm_json_array_begin(json, key);
    for (guint i = 0; i < grants->len; i++) {
        const AavmSiteGrant *grant = g_ptr_array_index(grants, i);
        g_autofree char *rule = aavm_site_grant_rule(grant);

        aavm_json_object_begin(json, NULL);
        aavm_json_string(json, "profile", grant->profile_name);
        aavm_json_string(json, "uuid", aavm_site_grant_uuid(grant));
        aavm_json_string(json, "name", grant->vm_name);
        aavm_json_string(json, "rule", rule);
        aavm_json_string(json, "reason", grant->reason);
        aavm_json_bool(json, "certain", grant->certain);
        aavm_json_object_end(json);
    }
    aavm_json_array_end(json);
}

GPtrArray *
aavm_site_other_grants(const AavmSite *site, const char *self_uuid, const char *path,
                       gboolean below)
{
    GPtrArray *found = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_site_grant_free);
    g_autoptr(GPtrArray) maybe = g_ptr_array_new();

    for (guint i = 0; i < site->grants->len; i++) {
        const AavmSiteGrant *grant = g_ptr_array_index(site->grants, i);
        AavmAareMatch match;

        if (self_uuid && g_ascii_strcasecmp(aavm_site_grant_uuid(grant), self_uuid) == 0)
            continue;
        match = aavm_aare_match(grant->aare, path, below);
        if (match == AAVM_AARE_NO_MATCH)
            continue;
        AavmSiteGrant *copy = aavm_site_grant_copy(grant);
        copy->certain = match == AAVM_AARE_MATCH;
        g_ptr_array_add(copy->certain ? found : maybe, copy);
    }
    /* The sure ones first. */
    for (guint i = 0; i < maybe->len; i++)
        g_ptr_array_add(found, g_ptr_array_index(maybe, i));
    return found;
}

/* What aavm_site_read() is reading. */
typedef struct {
    AavmSite *site;
    const AavmHost *host;
    GHashTable *known;   /* uuid -> AavmKnownDomain* */
    const char *exclude; /* the uuid left out, or NULL */
} SiteScan;

/* libvirt-<uuid>.files of another VM than the one excluded. */
static gboolean
want_other_files(const char *name, gpointer data)
{
    const SiteScan *scan = data;
    g_autofree char *profile = g_strndup(name, strlen(name) - strlen(".files"));

    if (!aavm_profile_name_check(profile, NULL))
        return FALSE;
    return !scan->exclude || g_ascii_strcasecmp(profile + strlen("libvirt-"), scan->exclude) != 0;
}

/* The <pool><target><path> of one pool definition. */
static void
add_pool(const char *name, const char *path, const char *text, gsize len, gpointer data)
{
    const SiteScan *scan = data;
    g_autoptr(xmlDoc) doc = aavm_domain_xml_document(text, len, NULL);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

    (void)name;
    (void)path;
    if (!root || !aavm_xml_is(root, "pool"))
        return;
    g_autofree char *dir = aavm_xml_text(aavm_xml_child(aavm_xml_child(root, "target"), "path"));
    if (dir)
        aavm_site_add_pool(scan->site, scan->host, g_strstrip(dir));
}

/* The rules of another VM's .files, named when its domain XML is known. */
static void
add_other_files(const char *name, const char *path, const char *text, gsize len, gpointer data)
{
    const SiteScan *scan = data;
    g_autofree char *profile = g_strndup(name, strlen(name) - strlen(".files"));
    const AavmKnownDomain *k = g_hash_table_lookup(scan->known, profile + strlen("libvirt-"));

    (void)path;
    (void)len;
    aavm_site_add_files(scan->site, profile, k ? k->name : NULL, text);
}

/* The rules aavm makes from every domain XML of @libvirt_config_dir/qemu
 * and /lxc but @exclude_uuid's, as their .files would hold them. */
static void
add_defined_domains(AavmSite *site, const AavmConfig *config, const AavmHost *host,
                    GHashTable *known, const char *exclude_uuid)
{
    GHashTableIter iter;
    gpointer key, value;
    g_autoptr(GPtrArray) uuids = g_ptr_array_new();

    g_hash_table_iter_init(&iter, known);
    while (g_hash_table_iter_next(&iter, &key, &value))
        if (!exclude_uuid || g_ascii_strcasecmp(key, exclude_uuid) != 0)
            g_ptr_array_add(uuids, key);
    g_ptr_array_sort(uuids, aavm_text_compare_indirect);
    for (guint i = 0; i < uuids->len; i++) {
        const char *uuid = g_ptr_array_index(uuids, i);
        const AavmKnownDomain *k = g_hash_table_lookup(known, uuid);
        g_autofree char *xml = NULL;
        g_autofree char *text = NULL;
        g_autofree char *profile = g_strconcat("libvirt-", uuid, NULL);
        gsize len = 0;

        if (!aavm_store_dir_read_file(k->path, AAVM_VM_STATUS_XML_MAX, &xml, &len, NULL))
            continue;
        text = aavm_generate_files(config, host, xml, len, NULL, NULL);
        if (text)
            aavm_site_add_files(site, profile, k->name, text);
    }
}

AavmSite *
aavm_site_read(const AavmConfig *config, const AavmHost *host, const char *profile_dir,
               const char *libvirt_config_dir, const char *exclude_uuid)
{
    AavmSite *site = aavm_site_new();
    g_autofree char *storage = libvirt_config_dir
                                   ? g_build_filename(libvirt_config_dir, "storage", NULL)
                                   : NULL;
    g_autofree char *qemu = libvirt_config_dir
                                ? g_build_filename(libvirt_config_dir, "qemu", NULL)
                                : NULL;
    g_autofree char *lxc = libvirt_config_dir
                               ? g_build_filename(libvirt_config_dir, "lxc", NULL)
                               : NULL;
    const char *const xml_dirs[] = { qemu, lxc, NULL };
    g_autoptr(GHashTable) known = aavm_known_domains_read(libvirt_config_dir ? xml_dirs : NULL,
                                                          site->warnings);
    SiteScan scan = { site, host, known, exclude_uuid };

    aavm_store_dir_scan(storage, ".xml", AAVM_SITE_FILES_MAX, AAVM_SITE_POOL_XML_MAX, NULL,
                        add_pool, &scan, site->warnings);
    aavm_store_dir_scan(profile_dir, ".files", AAVM_SITE_FILES_MAX, AAVM_STORE_FILE_MAX,
                        want_other_files, add_other_files, &scan, site->warnings);
    add_defined_domains(site, config, host, known, exclude_uuid);
    return site;
}
