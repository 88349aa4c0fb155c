/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "findings.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aavm-i18n.h"
#include "domain-parse-util.h"
#include "image-chain.h"
#include "render.h"

static const char *const severity_names[AAVM_SEVERITY_LAST] = {
    [AAVM_SEVERITY_WARNING] = "warning",
    [AAVM_SEVERITY_NOTE] = "note",
};

static const char *const kind_names[AAVM_FINDING_KIND_LAST] = {
    [AAVM_FINDING_NETWORK_STORAGE] = "network-storage",
    [AAVM_FINDING_NO_FORMAT] = "no-format",
    [AAVM_FINDING_SHARED_WRITABLE] = "shared-writable",
    [AAVM_FINDING_WORLD_WRITABLE_DIR] = "world-writable-dir",
    [AAVM_FINDING_BACKING_OUTSIDE_POOL] = "backing-outside-pool",
    [AAVM_FINDING_PASSTHROUGH_NETWORK] = "passthrough-network",
    [AAVM_FINDING_PASSTHROUGH_UNPARSED] = "passthrough-unparsed",
    [AAVM_FINDING_PASSTHROUGH_DISABLED] = "passthrough-disabled",
    [AAVM_FINDING_OTHER_VM] = "other-vm",
};

const char *
aavm_severity_to_string(AavmSeverity severity)
{
    return severity < AAVM_SEVERITY_LAST ? severity_names[severity] : "unknown";
}

const char *
aavm_finding_kind_to_string(AavmFindingKind kind)
{
    return kind < AAVM_FINDING_KIND_LAST ? kind_names[kind] : "unknown";
}

/* ---- findings ---- */

AavmFinding *
aavm_finding_new(AavmSeverity severity, AavmFindingKind kind, const char *subject,
                 const char *message, const char *advice)
{
    AavmFinding *finding = g_new0(AavmFinding, 1);

    finding->severity = severity;
    finding->kind = kind;
    finding->subject = g_strdup(subject);
    finding->message = g_strdup(message);
    finding->advice = g_strdup(advice);
    finding->other_vms = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_site_grant_free);
    return finding;
}

void
aavm_finding_free(AavmFinding *finding)
{
    if (!finding)
        return;
    g_free(finding->subject);
    g_free(finding->message);
    g_free(finding->advice);
    g_ptr_array_unref(finding->other_vms);
    g_free(finding);
}

typedef struct {
    const AavmDomain *domain;
    const AavmAccessList *list;
    const AavmSite *site;
    const AavmHost *host;
    const AavmConfig *config;
    GPtrArray *findings; /* AavmFinding* */
    GHashTable *shared;  /* the paths found shared-writable */
} Collect;

/* Takes @message and @advice; returns the finding (owned by @c). */
static AavmFinding *
add(Collect *c, AavmSeverity severity, AavmFindingKind kind, const char *subject,
    char *message, char *advice)
{
    AavmFinding *finding = aavm_finding_new(severity, kind, subject, message, advice);

    g_ptr_array_add(c->findings, finding);
    g_free(message);
    g_free(advice);
    return finding;
}

/* -- network storage -- */

/* What isolates a VM's volumes on a server of @protocol. */
static const char *
network_advice(const char *protocol)
{
    if (g_strcmp0(protocol, "rbd") == 0)
        return _("Give every VM its own Ceph client (<auth username=>) whose capabilities "
                 "allow only this VM's pool or RBD namespace (for example osd 'profile rbd "
                 "pool=vms namespace=NAME'), never client.admin.");
    if (g_strcmp0(protocol, "iscsi") == 0)
        return _("Give every VM its own iSCSI target or LUN mapping, protected by CHAP "
                 "credentials that only this VM's <auth> uses.");
    if (g_strcmp0(protocol, "nfs") == 0)
        return _("Export a directory per VM (or per tenant) and allow only the hosts that run "
                 "it; the VM's process can reach everything the export holds.");
    if (g_strcmp0(protocol, "gluster") == 0)
        return _("Use a Gluster volume per VM or per tenant, limited with auth.allow or TLS "
                 "client certificates to this VM's host.");
    if (g_strcmp0(protocol, "nbd") == 0)
        return _("Let the NBD server export only this VM's disks to it, with TLS client "
                 "certificates per VM, or serve it on a unix socket only this VM may use.");
    if (g_strcmp0(protocol, "ssh") == 0)
        return _("Use an SSH account per VM on the server whose key may read only this VM's "
                 "image.");
    if (aavm_in_list(protocol, (const char *const[]){ "http", "https", "ftp", "ftps", "tftp",
                                                       NULL }))
        return _("Make the disk read-only and serve it from a server that holds only images "
                 "any VM may read.");
    return _("Isolate the VM on the storage side: credentials per VM that reach only this "
             "VM's volumes.");
}

/* Whether every server of @layer is a local unix socket (granted by its rule). */
static gboolean
only_unix_hosts(const AavmDiskSource *layer)
{
    if (layer->hosts->len == 0)
        return FALSE;
    for (guint i = 0; i < layer->hosts->len; i++)
        if (!g_str_has_prefix(g_ptr_array_index(layer->hosts, i), "unix:"))
            return FALSE;
    return TRUE;
}

/* The local files granted for @subject alone (ceph config, ssh keys). */
static char *
granted_files(const Collect *c, const char *subject)
{
    g_autoptr(GString) out = g_string_new(NULL);

    for (guint i = 0; i < aavm_access_list_length(c->list); i++) {
        const AavmAccess *access = aavm_access_list_get(c->list, i);
        g_auto(GStrv) reasons = g_strsplit(access->reason ? access->reason : "", "; ", -1);

        if (!g_strv_contains((const char *const *)reasons, subject))
            continue;
        g_string_append_printf(out, "%s%s", out->len ? ", " : "", access->path);
    }
    return out->len ? g_strdup(out->str) : NULL;
}

static void
check_network(Collect *c, const AavmDiskSource *layer, const char *subject)
{
    g_autofree char *hosts = NULL;
    g_autofree char *files = NULL;
    const char *protocol = layer->protocol ? layer->protocol : "network";
    GString *message;

    if (layer->type != AAVM_DISK_NETWORK || only_unix_hosts(layer))
        return;
    if (layer->hosts->len) {
        GString *joined = g_string_new(NULL);
        for (guint i = 0; i < layer->hosts->len; i++)
            g_string_append_printf(joined, "%s%s", i ? ", " : "",
                                   (const char *)g_ptr_array_index(layer->hosts, i));
        hosts = g_string_free(joined, FALSE);
    }
    message = g_string_new(NULL);
    if (hosts)
        g_string_append_printf(message,
                               _("The image is on the %s server %s ('%s'): QEMU talks to the "
                                 "server itself, so AppArmor cannot keep this VM away from other "
                                 "volumes on that server."),
                               protocol, hosts, layer->source_name ? layer->source_name : "");
    else
        g_string_append_printf(message,
                               _("The image is on the default %s server ('%s'): QEMU talks to "
                                 "the server itself, so AppArmor cannot keep this VM away from "
                                 "other volumes on that server."),
                               protocol, layer->source_name ? layer->source_name : "");
    g_string_append_c(message, ' ');
    if (layer->auth_username)
        g_string_append_printf(message,
                               _("It logs in as '%s': only what the storage side allows that "
                                 "user isolates it."),
                               layer->auth_username);
    else
        g_string_append(message, _("The XML names no user for it, so the server cannot tell "
                                   "this VM from any other client on this host."));
    if ((files = granted_files(c, subject))) {
        g_string_append_c(message, ' ');
        g_string_append_printf(message, _("The local files it needs are granted: %s."), files);
    }
    add(c, AAVM_SEVERITY_WARNING, AAVM_FINDING_NETWORK_STORAGE, subject,
        g_string_free(message, FALSE), g_strdup(network_advice(layer->protocol)));
}

/* -- images -- */

static gboolean
is_image(const AavmDiskSource *layer)
{
    return layer->path && (layer->type == AAVM_DISK_FILE || layer->type == AAVM_DISK_BLOCK);
}

/* Whether @layer has a source QEMU opens with a format. */
static gboolean
has_source(const AavmDiskSource *layer)
{
    return is_image(layer) || layer->type == AAVM_DISK_NETWORK ||
           (layer->type == AAVM_DISK_VOLUME && layer->path);
}

/* A note for what the guest cannot write: a read-only disk, a backing layer. */
static void
check_format(Collect *c, const AavmDisk *disk, const AavmDiskSource *layer, const char *subject,
             gboolean is_top)
{
    gboolean writable = !disk->readonly && is_top;

    if (!has_source(layer) || layer->format)
        return;
    add(c, writable ? AAVM_SEVERITY_WARNING : AAVM_SEVERITY_NOTE, AAVM_FINDING_NO_FORMAT, subject,
        g_strdup(writable
                     ? _("The image has no explicit format and is writable: a guest that writes "
                         "an image header into a raw disk can make a later probe open files of "
                         "its choosing.")
                     : _("The image has no explicit format: the VM manager assumes raw or probes "
                         "the image, and a probed format can name further files.")),
        g_strdup(_("Add <driver type='raw'/> (or the image's real format) to the disk, "
                   "or <format type=> to its backing store.")));
}

/* "VM b (uuid), disk vda: "/x" rwk,; ..." for people. */
static char *
owners_of(const GPtrArray *grants)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < grants->len; i++) {
        const AavmSiteGrant *grant = g_ptr_array_index(grants, i);
        g_autofree char *owner = aavm_site_grant_owner(grant);
        g_autofree char *rule = aavm_site_grant_rule(grant);

        g_string_append(out, i ? "; " : "");
        /* TRANSLATORS: the other VM and its reason, then the rule itself. */
        g_string_append_printf(out, _("%s (rule %s)"), owner, rule);
    }
    return g_string_free(out, FALSE);
}

static void
take_grants(AavmFinding *finding, GPtrArray *grants)
{
    for (guint i = 0; i < grants->len; i++)
        g_ptr_array_add(finding->other_vms, aavm_site_grant_copy(g_ptr_array_index(grants, i)));
}

static void
check_shared(Collect *c, const AavmDisk *disk, const AavmDiskSource *layer, const char *subject,
             const char *path)
{
    g_autoptr(GPtrArray) grants = NULL;
    g_autoptr(GPtrArray) writers = NULL;
    g_autoptr(GString) others = NULL;

    if (disk->readonly || disk->shareable || !is_image(layer))
        return;
    grants = aavm_site_other_grants(c->site, c->domain->uuid, path, FALSE);
    writers = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_site_grant_free);
    others = g_string_new(NULL);
    for (guint i = 0; i < grants->len; i++) {
        AavmSiteGrant *grant = g_ptr_array_index(grants, i);
        if (!grant->certain || !aavm_site_grant_writes(grant))
            continue;
        g_string_append_printf(others, "%s%s", others->len ? ", " : "", grant->profile_name);
        g_ptr_array_add(writers, aavm_site_grant_copy(grant));
    }
    if (!others->len)
        return;
    g_hash_table_add(c->shared, g_strdup(path));
    AavmFinding *finding = add(
        c, AAVM_SEVERITY_WARNING, AAVM_FINDING_SHARED_WRITABLE, subject,
        g_strdup_printf(_("The image '%s' may also be written by the profiles %s, but the disk "
                          "is not marked <shareable/>: two VMs writing one image corrupt it, and "
                          "each can read what the other wrote."),
                        path, others->str),
        g_strdup(_("Give each VM its own image (an overlay on a shared read-only base), or mark "
                   "the disk <shareable/> in every VM when a cluster file system expects it.")));
    take_grants(finding, writers);
}

/* -- other VMs -- */

/* Whether a disk of this domain declares @path shared: its image, marked
 * <shareable/> or <readonly/>. */
static gboolean
declared_shared(const Collect *c, const char *path)
{
    for (guint i = 0; c->domain->disks && i < c->domain->disks->len; i++) {
        const AavmDisk *disk = g_ptr_array_index(c->domain->disks, i);
        g_autofree char *top = NULL;

        if (!disk->top || !is_image(disk->top) || !(disk->shareable || disk->readonly))
            continue;
        top = aavm_site_canonical(c->host, disk->top->path);
        if (strcmp(top, path) == 0)
            return TRUE;
    }
    return FALSE;
}

/* A rule of this domain (not a base rule) that another VM is granted too:
 * a warning when that is sure and either may write, unless this domain
 * declares the disk shared. */
static void
check_other_vm(Collect *c, const AavmAccess *access)
{
    g_autofree char *query = NULL;
    g_autoptr(GPtrArray) grants = NULL;
    g_autofree char *owners = NULL;
    gboolean certain = FALSE;
    gboolean writes = (access->perms & AAVM_PERM_WRITE) != 0;

    if (access->match == AAVM_MATCH_PATTERN || access->origins == AAVM_ORIGIN_BASE ||
        g_hash_table_contains(c->shared, access->path))
        return;
    /* A directory as the kernel names it ("/dir/"); a tree: that and below. */
    query = g_strconcat(access->path,
                        aavm_match_suffix(access->match == AAVM_MATCH_EXACT ? AAVM_MATCH_EXACT
                                                                            : AAVM_MATCH_DIR,
                                          access->path),
                        NULL);
    grants = aavm_site_other_grants(c->site, c->domain->uuid, query,
                                    access->match == AAVM_MATCH_TREE);
    if (grants->len == 0)
        return;
    for (guint i = 0; i < grants->len; i++) {
        const AavmSiteGrant *grant = g_ptr_array_index(grants, i);
        certain = certain || grant->certain;
        writes = writes || aavm_site_grant_writes(grant);
    }
    owners = owners_of(grants);
    AavmFinding *finding = add(
        c, certain && writes && !declared_shared(c, access->path) ? AAVM_SEVERITY_WARNING
                                                                  : AAVM_SEVERITY_NOTE,
        AAVM_FINDING_OTHER_VM,
        access->reason && *access->reason ? access->reason : access->path,
        certain ? g_strdup_printf(_("'%s' is also granted to another VM: %s. What one VM writes "
                                    "there the other can read, and a VM given another's "
                                    "file can read or change that VM's data."),
                                  query, owners)
                : g_strdup_printf(_("'%s' may also be granted to another VM: %s. aavm cannot "
                                    "read that rule (a variable, a character class or an "
                                    "escape it does not write), so it may match."),
                                  query, owners),
        g_strdup(_("If the VMs are meant to share it, name it as a disk in every domain XML "
                   "that uses it, with <readonly/> (no VM can write it) or <shareable/> "
                   "(every VM may write it: no exclusive lock on the image protects it then, "
                   "and the guests' file system must be cluster-aware). Otherwise give each "
                   "VM its own file.")));
    take_grants(finding, grants);
}

static void
check_world_writable(Collect *c, const AavmDiskSource *layer, const char *subject,
                     const char *path)
{
    g_autofree char *dir = NULL;
    struct stat st;
    int fd;

    if (!(is_image(layer) || layer->type == AAVM_DISK_DIR) || !path || path[0] != '/')
        return;
    dir = g_path_get_dirname(path);
    fd = aavm_host_open(c->host, dir, O_PATH | O_DIRECTORY);
    if (fd < 0)
        return;
    if (fstat(fd, &st) < 0 || !(st.st_mode & S_IWOTH)) {
        close(fd);
        return;
    }
    close(fd);
    add(c, AAVM_SEVERITY_WARNING, AAVM_FINDING_WORLD_WRITABLE_DIR, subject,
        g_strdup_printf(_("The image is in the directory '%s', which every user of the host may "
                          "write to: anyone can put files there that the image's name or its "
                          "backing chain may come to point at."),
                        dir),
        g_strdup(_("Move the image to a directory only the VM manager may write to, such as a "
                   "storage pool directory.")));
}

/* Whether @path is @dir or below it. */
static gboolean
path_in(const char *path, const char *dir)
{
    gsize n = strlen(dir);

    if (strcmp(dir, "/") == 0)
        return TRUE;
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The pool of the image @top_path: the deepest pool directory holding it,
 * else its own directory. */
static char *
pool_of(const Collect *c, const char *top_path)
{
    const char *best = NULL;

    for (guint i = 0; i < c->site->pools->len; i++) {
        const char *pool = g_ptr_array_index(c->site->pools, i);
        if (path_in(top_path, pool) && (!best || strlen(pool) > strlen(best)))
            best = pool;
    }
    return best ? g_strdup(best) : g_path_get_dirname(top_path);
}

static void
check_pool(Collect *c, const AavmDiskSource *layer, const char *subject, const char *path,
           const char *pool)
{
    if (!pool || !is_image(layer) || path_in(path, pool))
        return;
    add(c, AAVM_SEVERITY_WARNING, AAVM_FINDING_BACKING_OUTSIDE_POOL, subject,
        g_strdup_printf(_("The backing file '%s' is outside '%s', where the disk's own image "
                          "is: the chain reaches into files its pool does not manage, which may "
                          "belong to another VM or be changed by others."),
                        path, pool),
        g_strdup(_("Keep the whole chain in the disk's pool (copy the backing file into it "
                   "and rebase the image), or define a storage pool for the backing file's "
                   "directory so that the VM manager accounts for it.")));
}

/* Every check of one layer; @pool is the pool of the disk's top image
 * (NULL for the top itself, or when the top is not a local image). */
static void
check_layer(Collect *c, const AavmDisk *disk, const AavmDiskSource *layer, const char *subject,
            const char *pool, gboolean is_top, gboolean from_xml)
{
    g_autofree char *path = layer->path ? aavm_site_canonical(c->host, layer->path) : NULL;

    check_network(c, layer, subject);
    if (from_xml)
        check_format(c, disk, layer, subject, is_top);
    if (is_top && path)
        check_shared(c, disk, layer, subject, path);
    check_world_writable(c, layer, subject, path);
    if (!is_top && path)
        check_pool(c, layer, subject, path, pool);
}

static void
check_disk(Collect *c, const AavmDisk *disk)
{
    const char *target = disk->target ? disk->target : _("(no target)");
    g_autofree char *subject = g_strdup_printf("disk %s", target);
    g_autofree char *top_path = NULL;
    g_autofree char *pool = NULL;
    g_autoptr(AavmImageChain) chain = NULL;
    const GPtrArray *backing = disk->backing;

    if (!disk->top)
        return;
    if (is_image(disk->top)) {
        top_path = aavm_site_canonical(c->host, disk->top->path);
        pool = pool_of(c, top_path);
    }
    check_layer(c, disk, disk->top, subject, NULL, TRUE, TRUE);
    if (!disk->backing_given && is_image(disk->top)) {
        /* The chain the build followed through the image headers. */
        g_autoptr(GPtrArray) ignored = g_ptr_array_new_with_free_func(g_free);
        chain = aavm_image_chain_discover(c->host, disk->top, c->config->max_backing_depth,
                                          subject, ignored, NULL);
        backing = chain ? chain->layers : NULL;
    }
    for (guint i = 0; backing && i < backing->len; i++) {
        g_autofree char *layer_subject = g_strdup_printf("disk %s backing layer %u", target,
                                                         i + 1);
        check_layer(c, disk, g_ptr_array_index(backing, i), layer_subject, pool, FALSE,
                    backing == disk->backing);
    }
}

/* -- passthrough -- */

static char *
passthrough_subject(const AavmPassthrough *item)
{
    if (item->from_env)
        return g_strdup_printf("qemu:env %s", item->option ? item->option : "");
    return g_strdup_printf("qemu:arg %u", item->index);
}

/* "-drive file=" or "-drive" or the variable's name. */
static char *
passthrough_what(const AavmPassthrough *item)
{
    if (item->key)
        return g_strdup_printf("%s %s=", item->option ? item->option : "", item->key);
    return g_strdup(item->option ? item->option : "");
}

static void
check_passthrough(Collect *c, const AavmPassthrough *item)
{
    g_autofree char *subject = passthrough_subject(item);
    g_autofree char *what = passthrough_what(item);
    const char *value = item->value ? item->value : "";

    switch (item->kind) {
    case AAVM_PASSTHROUGH_NETWORK:
        add(c, AAVM_SEVERITY_WARNING, AAVM_FINDING_PASSTHROUGH_NETWORK, subject,
            g_strdup_printf(item->from_env
                                ? _("The environment variable %s makes QEMU open the network "
                                    "endpoint '%s': AppArmor cannot keep this VM away from "
                                    "other volumes on that server.")
                                : _("The option %s makes QEMU open the network endpoint '%s': "
                                    "AppArmor cannot keep this VM away from other volumes on "
                                    "that server."),
                            what, value),
            g_strdup(_("Express the disk as a <disk type='network'> element, and give the VM "
                       "credentials on the storage side that reach only its own volumes.")));
        break;
    case AAVM_PASSTHROUGH_UNPARSED:
        add(c, AAVM_SEVERITY_WARNING, AAVM_FINDING_PASSTHROUGH_UNPARSED, subject,
            g_strdup_printf(item->from_env
                                ? _("Nothing is granted for the value '%2$s' of the "
                                    "environment variable %1$s, so QEMU may be denied what it "
                                    "names; what to do below says why.")
                                : _("Nothing is granted for the argument '%2$s' of %1$s, so "
                                    "QEMU may be denied what it names; what to do below says "
                                    "why."),
                            what, value),
            g_strdup(item->note ? item->note
                                : _("Express it as an element of the domain XML, or add the "
                                    "rule it needs to the VM's profile libvirt-<uuid>.")));
        break;
    case AAVM_PASSTHROUGH_PATH:
        if (c->config->grant_passthrough)
            break;
        add(c, AAVM_SEVERITY_WARNING, AAVM_FINDING_PASSTHROUGH_DISABLED, subject,
            g_strdup_printf(item->from_env
                                ? _("The environment variable %s names the host path '%s', "
                                    "which is not granted because passthrough-paths is false "
                                    "in aavm.conf.")
                                : _("The option %s names the host path '%s', which is not "
                                    "granted because passthrough-paths is false in aavm.conf."),
                            what, value),
            g_strdup(_("Express it as an element of the domain XML, set passthrough-paths = "
                       "true in aavm.conf, or add the rule to the VM's profile "
                       "libvirt-<uuid>.")));
        break;
    default:
        break;
    }
}

static gint
by_severity(gconstpointer a, gconstpointer b)
{
    const AavmFinding *fa = *(AavmFinding *const *)a;
    const AavmFinding *fb = *(AavmFinding *const *)b;

    return (gint)fa->severity - (gint)fb->severity;
}

GPtrArray *
aavm_findings_collect(const AavmDomain *domain, const AavmAccessList *list,
                      const AavmSite *site, const AavmHost *host, const AavmConfig *config)
{
    g_autoptr(GHashTable) shared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    Collect c = {
        .domain = domain, .list = list, .site = site, .host = host, .config = config,
        .findings = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_finding_free),
        .shared = shared,
    };

    for (guint i = 0; domain->disks && i < domain->disks->len; i++)
        check_disk(&c, g_ptr_array_index(domain->disks, i));
    for (guint i = 0; i < aavm_access_list_length(list); i++)
        check_other_vm(&c, aavm_access_list_get(list, i));
    for (guint i = 0; domain->passthrough && i < domain->passthrough->len; i++)
        check_passthrough(&c, g_ptr_array_index(domain->passthrough, i));
    /* A stable sort (GLib 2.32 and later): the XML's order within a severity. */
    g_ptr_array_sort(c.findings, by_severity);
    return c.findings;
}
