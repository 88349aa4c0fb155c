/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "denial.h"

#include <errno.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "aare.h"
#include "journal-json.h"
#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-xml.h"
#include "access.h"
#include "domain-parse-util.h"
#include "domain-parse.h"
#include "path-policy.h"
#include "pipeline.h"
#include "render.h"
#include "store-dir.h"
#include "store.h"
#include "vm-status.h"

const char *
aavm_denial_fix_kind_to_string(AavmDenialFixKind kind)
{
    switch (kind) {
    case AAVM_DENIAL_FIX_PERMISSION_MISSING: return "permission-missing";
    case AAVM_DENIAL_FIX_XML_ELEMENT: return "xml-element";
    case AAVM_DENIAL_FIX_NEAR_DEVICE: return "near-device";
    case AAVM_DENIAL_FIX_LOCAL_RULE: return "local-rule";
    case AAVM_DENIAL_FIX_DO_NOT_GRANT: return "do-not-grant";
    case AAVM_DENIAL_FIX_NON_FILE: return "non-file";
    case AAVM_DENIAL_FIX_OTHER_VM: return "other-vm";
    default: return "unknown";
    }
}

/* ---- grouping ---- */

static void
entry_free(gpointer p)
{
    AavmDenialEntry *e = p;

    g_free(e->operation);
    g_free(e->klass);
    g_free(e->object);
    g_free(e->denied_mask);
    g_free(e->child);
    g_free(e->comm);
    g_free(e->first);
    g_free(e->last);
    g_free(e->device);
    g_ptr_array_unref(e->fixes);
    g_ptr_array_unref(e->warnings);
    g_free(e->rule);
    g_ptr_array_unref(e->rule_in);
    g_free(e->xml);
    g_ptr_array_unref(e->other_vms);
    g_free(e);
}

static void
vm_free(gpointer p)
{
    AavmDenialVm *vm = p;

    g_free(vm->uuid);
    g_free(vm->profile_name);
    g_free(vm->vm_name);
    g_free(vm->xml_path);
    g_free(vm->problem);
    g_ptr_array_unref(vm->entries);
    g_hash_table_unref(vm->index);
    g_free(vm);
}

AavmDenialReport *
aavm_denial_report_new(void)
{
    AavmDenialReport *report = g_new0(AavmDenialReport, 1);

    report->vms = g_ptr_array_new_with_free_func(vm_free);
    report->by_uuid = g_hash_table_new(g_str_hash, g_str_equal);
    return report;
}

void
aavm_denial_report_free(AavmDenialReport *report)
{
    if (!report)
        return;
    g_hash_table_unref(report->by_uuid);
    g_ptr_array_unref(report->vms);
    g_free(report);
}

static gboolean
is_file_operation(const AavmAuditRecord *r)
{
    if (r->klass)
        return strcmp(r->klass, "file") == 0;
    /* Older kernels give no class: a name means a file. */
    return r->name != NULL && strcmp(r->operation, "capable") != 0;
}

/* What the denial was about: the path, the capability, the peer, ... */
static char *
object_of(const AavmAuditRecord *r)
{
    if (is_file_operation(r))
        return g_strdup(r->name);
    if (strcmp(r->operation, "capable") == 0 || (r->klass && strcmp(r->klass, "cap") == 0))
        return g_strdup(r->capname);
    if (r->klass && strcmp(r->klass, "net") == 0 && r->family)
        return g_strjoin(" ", r->family, r->sock_type ? r->sock_type : "", NULL);
    if (r->addr || (r->klass && strcmp(r->klass, "unix") == 0))
        return g_strdup(r->addr ? r->addr : r->peer);
    if (r->peer)
        return g_strdup(r->peer);
    return g_strdup(r->name);
}

static AavmDenialVm *
vm_for(AavmDenialReport *report, const char *uuid)
{
    AavmDenialVm *vm = g_hash_table_lookup(report->by_uuid, uuid);

    if (vm)
        return vm;
    vm = g_new0(AavmDenialVm, 1);
    vm->uuid = g_strdup(uuid);
    vm->profile_name = g_strconcat("libvirt-", uuid, NULL);
    vm->entries = g_ptr_array_new_with_free_func(entry_free);
    vm->index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_ptr_array_add(report->vms, vm);
    g_hash_table_insert(report->by_uuid, vm->uuid, vm);
    return vm;
}

/* A denial, or with @allowed an ALLOWED record of complain mode: the same
 * access logged both ways gives two entries. */
static void
add_record(AavmDenialReport *report, AavmAuditRecord *r, gboolean allowed)
{
    g_autofree char *object = object_of(r);
    g_autofree char *key = g_strjoin("\x1f", allowed ? "allowed" : "denied", r->operation,
                                     object ? object : "",
                                     r->denied_mask ? r->denied_mask : "",
                                     r->child ? r->child : "", NULL);
    AavmDenialVm *vm = g_hash_table_lookup(report->by_uuid, r->uuid);
    AavmDenialEntry *e = vm ? g_hash_table_lookup(vm->index, key) : NULL;

    if (!e && report->distinct >= AAVM_DENIAL_DISTINCT_MAX) {
        report->dropped++;
        return;
    }
    vm = vm_for(report, r->uuid);
    vm->denials++;
    if (allowed)
        report->allowed++;
    else
        report->denials++;
    if (!e) {
        e = g_new0(AavmDenialEntry, 1);
        e->operation = g_strdup(r->operation);
        e->klass = g_strdup(r->klass);
        e->file = is_file_operation(r);
        e->object = g_steal_pointer(&object);
        e->denied_mask = g_strdup(r->denied_mask);
        e->child = g_strdup(r->child);
        e->allowed = allowed;
        e->comm = g_strdup(r->comm);
        e->fixes = g_ptr_array_new_with_free_func(g_free);
        e->warnings = g_ptr_array_new_with_free_func(g_free);
        e->rule_in = g_ptr_array_new_with_free_func(g_free);
        e->other_vms = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_site_grant_free);
        g_ptr_array_add(vm->entries, e);
        g_hash_table_insert(vm->index, g_steal_pointer(&key), e);
        report->distinct++;
    }
    e->count++;
    if (r->timestamp && (!e->first || r->time < e->first_time)) {
        g_free(e->first);
        e->first = g_strdup(r->timestamp);
        e->first_time = r->time;
    }
    if (r->timestamp && (!e->last || r->time >= e->last_time)) {
        g_free(e->last);
        e->last = g_strdup(r->timestamp);
        e->last_time = r->time;
    }
}

void
aavm_denial_report_add_line(AavmDenialReport *report, const char *line, gsize len)
{
    g_autoptr(AavmAuditRecord) record = NULL;
    g_autofree char *message = NULL;

    report->lines++;
    /* `journalctl -o json`: the record is the entry's MESSAGE. */
    if (aavm_journal_json_is_entry(line, len)) {
        if (!aavm_journal_json_message(line, len, &message, &len)) {
            report->malformed++;
            return;
        }
        line = message;
    }
    switch (aavm_audit_line_parse(line, len, &record)) {
    case AAVM_AUDIT_LINE_DENIED: add_record(report, record, FALSE); break;
    case AAVM_AUDIT_LINE_ALLOWED: add_record(report, record, TRUE); break;
    case AAVM_AUDIT_LINE_NOT_DENIED: report->not_denied++; break;
    case AAVM_AUDIT_LINE_OTHER_PROFILE: report->other_profiles++; break;
    case AAVM_AUDIT_LINE_MALFORMED: report->malformed++; break;
    case AAVM_AUDIT_LINE_TOO_LONG: report->too_long++; break;
    default: break;
    }
}

gboolean
aavm_denial_report_read(AavmDenialReport *report, FILE *stream, GError **error)
{
    return aavm_denial_report_read_max(report, stream, G_MAXUINT64, NULL, error);
}

gboolean
aavm_denial_report_read_max(AavmDenialReport *report, FILE *stream, guint64 max,
                            gboolean *out_cut, GError **error)
{
    g_autoptr(GString) line = g_string_sized_new(256);
    gboolean too_long = FALSE;
    guint64 n = 0;
    gboolean cut = FALSE;
    int c;

    if (out_cut)
        *out_cut = FALSE;
    while ((c = getc(stream)) != EOF) {
        if (n++ == max) {
            cut = TRUE;
            break;
        }
        if (c != '\n') {
            if (line->len <= AAVM_AUDIT_LINE_MAX)
                g_string_append_c(line, (char)c);
            else
                too_long = TRUE;
            continue;
        }
        if (too_long) {
            report->lines++;
            report->too_long++;
        } else {
            aavm_denial_report_add_line(report, line->str, line->len);
        }
        g_string_truncate(line, 0);
        too_long = FALSE;
    }
    if (ferror(stream))
        return aavm_fail(error, AAVM_ERROR_IO, _("Cannot read the log: %s."), g_strerror(errno));
    if (cut) { /* the line cut short is not looked at */
        if (out_cut)
            *out_cut = TRUE;
        return TRUE;
    }
    if (too_long) {
        report->lines++;
        report->too_long++;
    } else if (line->len > 0) {
        aavm_denial_report_add_line(report, line->str, line->len);
    }
    return TRUE;
}

/* ---- the domain of a VM ---- */

typedef struct {
    const AavmDenialOptions *options;
    const AavmSite *site;  /* the other VMs' rules, or NULL */
    GHashTable *known;     /* uuid -> AavmKnownDomain* */
    const AavmDenialVm *vm;
    xmlDoc *doc;           /* the domain XML, or NULL */
    xmlNode *root;         /* its <domain> */
    AavmDomain *domain;    /* parsed, or NULL */
    AavmAccessList *list;  /* its rules, or NULL */
    GPtrArray *warnings;   /* the rules' warnings */
} VmContext;

static void
vm_context_clear(VmContext *ctx)
{
    g_clear_pointer(&ctx->doc, xmlFreeDoc);
    g_clear_pointer(&ctx->domain, aavm_domain_free);
    g_clear_pointer(&ctx->list, aavm_access_list_free);
    g_clear_pointer(&ctx->warnings, g_ptr_array_unref);
}

/* The <domain> of @path (a definition, or a running domain's <domstatus>)
 * read once: the document and its <domain> go into @ctx. */
static gboolean
load_domain(VmContext *ctx, const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;

    if (!aavm_store_dir_read_file(path, AAVM_VM_STATUS_XML_MAX, &text, &len, error))
        return FALSE;
    ctx->doc = aavm_domain_xml_read(text, len, TRUE, &ctx->root, error);
    if (!ctx->doc) {
        g_prefix_error(error, _("Cannot read the domain XML '%s': "), path);
        return FALSE;
    }
    return TRUE;
}

static void
vm_context_load(VmContext *ctx, AavmDenialVm *vm, GHashTable *known)
{
    const AavmKnownDomain *k = g_hash_table_lookup(known, vm->uuid);
    g_autoptr(GError) error = NULL;

    if (!k) {
        const char *const none[] = { NULL };
        const char *const *searched = ctx->options->domain_xml_dirs ? ctx->options->domain_xml_dirs
                                                                    : none;
        g_autofree char *dirs = g_strjoinv(", ", (char **)searched);
        vm->problem = g_strdup_printf(_("No domain XML found for this UUID in %s; the advice below is generic."),
                                      dirs);
        return;
    }
    vm->vm_name = g_strdup(k->name);
    vm->xml_path = g_strdup(k->path);
    if (!load_domain(ctx, k->path, &error)) {
        vm->problem = g_strdup(error->message);
        return;
    }
    /* The domain stays known (its disks, for the advice) even when its
     * rules cannot be built. */
    AavmPipeline p = { 0 };
    AavmDomain *domain = aavm_domain_parse_node(ctx->root, &error);
    if (domain)
        aavm_pipeline_run_domain(ctx->options->config, ctx->options->host, domain, NULL, &p,
                                 &error);
    ctx->domain = p.domain;
    ctx->list = p.list;
    ctx->warnings = p.warnings ? p.warnings : g_ptr_array_new_with_free_func(g_free);
    if (!ctx->list)
        vm->problem = g_strdup_printf(_("The domain's rules cannot be built: %s"), error->message);
}

/* ---- file denials ---- */

/* The permissions of a file mask ("rw", "wc", "x", ...); exec and unknown
 * letters are reported apart. */
static AavmPerm
mask_to_perms(const char *mask, gboolean *out_exec)
{
    AavmPerm perms = 0;

    *out_exec = FALSE;
    for (const char *c = mask ? mask : ""; *c; c++) {
        switch (*c) {
        case 'r': perms |= AAVM_PERM_READ; break;
        case 'w': case 'a': case 'c': case 'd': perms |= AAVM_PERM_WRITE; break;
        case 'l': perms |= AAVM_PERM_LINK; break;
        case 'k': perms |= AAVM_PERM_LOCK; break;
        case 'm': perms |= AAVM_PERM_MMAP; break;
        case 'x': *out_exec = TRUE; break;
        default: break;
        }
    }
    return perms;
}

static void
add_fix(AavmDenialEntry *e, char *text)
{
    g_ptr_array_add(e->fixes, text);
}

/* The fix's rule line as data, and the files it may go in (@local may be
 * NULL). */
static void
set_fix_rule(AavmDenialEntry *e, const char *line, const char *profile, const char *local)
{
    g_free(e->rule);
    e->rule = g_strdup(line);
    g_ptr_array_set_size(e->rule_in, 0);
    g_ptr_array_add(e->rule_in, g_strdup(profile));
    if (local)
        g_ptr_array_add(e->rule_in, g_strdup(local));
}

/* The fix's XML element as data. */
static void
set_fix_xml(AavmDenialEntry *e, char *xml, const char *action)
{
    g_free(e->xml);
    e->xml = xml;
    e->xml_action = action;
}

/* The rule line for @path with @perms, as the profile would hold it. */
static char *
rule_line(const char *path, AavmPerm perms, const char *why)
{
    g_autoptr(AavmAccess) access = aavm_access_new(path, AAVM_MATCH_EXACT, perms, why);

    return aavm_render_rule_inline(access);
}

static void
add_rule_fixes(const VmContext *ctx, AavmDenialEntry *e, const char *path, AavmPerm perms)
{
    g_autofree char *profile = g_build_filename(ctx->options->config->profile_dir,
                                                ctx->vm->profile_name, NULL);
    g_autofree char *line = rule_line(path, perms, "added for an AppArmor denial");

    add_fix(e, g_strdup_printf(_("Add this line inside the profile %s (the administrator's file; this VM only): %s"),
                               profile, line));
    set_fix_rule(e, line, profile, ctx->options->local_abstraction);
    if (ctx->options->local_abstraction)
        add_fix(e, g_strdup_printf(_("Or, for every VM, add it to %s."),
                                   ctx->options->local_abstraction));
}

/* The rule of the list that covers @path, or NULL. */
static const AavmAccess *
covering_rule(const AavmAccessList *list, const char *path)
{
    const AavmAccess *found = aavm_access_list_lookup(list, path, AAVM_MATCH_EXACT);

    for (guint i = 0; !found && i < aavm_access_list_length(list); i++) {
        const AavmAccess *a = aavm_access_list_get(list, i);
        if (a->match == AAVM_MATCH_TREE && strcmp(a->path, path) != 0 &&
            aavm_path_is_under(path, a->path))
            found = a;
    }
    return found;
}

static const AavmDisk *
disk_by_target(const AavmDomain *domain, const char *reason)
{
    for (guint i = 0; domain && i < domain->disks->len; i++) {
        const AavmDisk *disk = g_ptr_array_index(domain->disks, i);
        g_autofree char *name = g_strdup_printf("disk %s", disk->target ? disk->target : "");
        if (g_str_has_prefix(reason, name) &&
            (reason[strlen(name)] == '\0' || reason[strlen(name)] == ';'))
            return disk;
    }
    return NULL;
}

/* (a): granted, but not all of @perms. */
static void
explain_missing(const VmContext *ctx, AavmDenialEntry *e, const AavmAccess *rule, AavmPerm perms)
{
    AavmPerm missing = perms & ~rule->perms;
    const AavmDisk *disk = disk_by_target(ctx->domain, rule->reason);

    e->kind = AAVM_DENIAL_FIX_PERMISSION_MISSING;
    e->device = g_strdup(rule->reason);
    add_fix(e, g_strdup_printf(_("The rule for %s grants '%s'; the denial needs '%s' as well."),
                               rule->reason, aavm_perm_to_string(rule->perms),
                               aavm_perm_to_string(missing)));
    if (disk && disk->readonly && (missing & AAVM_PERM_WRITE)) {
        add_fix(e, g_strdup_printf(_("Disk %s is <readonly/> in the domain XML: remove <readonly/> from that <disk> to allow writing."),
                                   disk->target));
        set_fix_xml(e, g_strdup("<readonly/>"), "remove");
    } else if (strstr(rule->reason, "backing layer") && (missing & AAVM_PERM_WRITE)) {
        add_fix(e, g_strdup(_("Backing layers are read-only on purpose. A block job that writes one (block-commit) is granted it by the VM manager while it runs (aavm-helper -F); outside such a job, find out why QEMU writes it.")));
    } else {
        add_fix(e, g_strdup(_("If the device really needs it, change its element in the domain XML; otherwise add the rule below.")));
        add_rule_fixes(ctx, e, e->object, rule->perms | missing);
    }
}

/* The element of @node, with the device's target when it has one:
 * "<source> of <disk> (target vda)". */
static char *
describe_node(xmlNode *node, xmlNode *root)
{
    xmlNode *device = node;

    while (device->parent && device->parent != root && device->parent->type == XML_ELEMENT_NODE &&
           strcmp((const char *)device->parent->name, "devices") != 0)
        device = device->parent;
    xmlNode *target = aavm_xml_child(device, "target");
    g_autofree char *dev = target ? (char *)xmlGetProp(target, (const xmlChar *)"dev") : NULL;
    if (device == node)
        return dev ? g_strdup_printf(_("<%s> (target %s)"), node->name, dev)
                   : g_strdup_printf("<%s>", node->name);
    return dev ? g_strdup_printf(_("<%s> of <%s> (target %s)"), node->name, device->name, dev)
               : g_strdup_printf(_("<%s> of <%s>"), node->name, device->name);
}

/* The element of the domain XML that names @path in an attribute or as its
 * text. */
static char *
find_in_xml(xmlNode *node, xmlNode *root, const char *path, guint depth)
{
    for (xmlNode *n = node; n && depth < 64; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttr *a = n->properties; a; a = a->next) {
            g_autofree char *value = (char *)xmlNodeGetContent((xmlNode *)a);
            if (value && strcmp(value, path) == 0)
                return describe_node(n, root);
        }
        if (n->children && n->children->type == XML_TEXT_NODE && !n->children->next) {
            g_autofree char *text = (char *)xmlNodeGetContent(n);
            if (text && strcmp(g_strstrip(text), path) == 0)
                return describe_node(n, root);
        }
        char *found = find_in_xml(n->children, root, path, depth + 1);
        if (found)
            return found;
    }
    return NULL;
}

/* (c): a disk whose image lies in the same directory, or whose image path
 * is a prefix of @path ("disk.qcow2.lock"). */
static gboolean
explain_near_disk(const VmContext *ctx, AavmDenialEntry *e, const char *path, AavmPerm perms)
{
    g_autofree char *dir = g_path_get_dirname(path);

    for (guint i = 0; ctx->domain && i < ctx->domain->disks->len; i++) {
        const AavmDisk *disk = g_ptr_array_index(ctx->domain->disks, i);
        const char *image = disk->top ? disk->top->path : NULL;
        g_autofree char *image_dir = image ? g_path_get_dirname(image) : NULL;
        const char *target = disk->target ? disk->target : "?";
        const char *format = disk->top && disk->top->format ? disk->top->format : "qcow2";

        if (!image)
            continue;
        e->kind = AAVM_DENIAL_FIX_NEAR_DEVICE;
        if (g_str_has_prefix(path, image) && path[strlen(image)] != '\0') {
            e->device = g_strdup_printf(_("disk %s (a file next to its image %s)"), target, image);
            add_fix(e, g_strdup_printf(_("QEMU does not open such a companion file of an image by itself; it is likely made by another program working on the image (%s). If QEMU must have it, add the rule below."),
                                       path + strlen(image)));
            add_rule_fixes(ctx, e, path, perms);
            return TRUE;
        }
        if (strcmp(dir, image_dir) != 0)
            continue;
        e->device = g_strdup_printf(_("disk %s (in the directory of its image %s)"), target, image);
        add_fix(e, g_strdup_printf(_("If it is a backing file of disk %s, declare the chain in that <disk>: <backingStore type='file'><format type='FMT'/><source file='%s'/></backingStore>."),
                                   target, path));
        g_autofree char *quoted = g_markup_escape_text(path, -1);
        set_fix_xml(e, g_strdup_printf("<backingStore type='file'><format type='FMT'/><source file='%s'/></backingStore>",
                                       quoted), "add");
        add_fix(e, g_strdup_printf(_("Or record the backing format in the image, so aavm follows the chain from its header: qemu-img rebase -u -F FMT -b '%s' '%s' (FMT: the backing file's format; the disk's own is %s)."),
                                   path, image, format));
        add_fix(e, g_strdup(_("If it is not a backing file, add the rule below.")));
        add_rule_fixes(ctx, e, path, perms);
        return TRUE;
    }
    e->kind = AAVM_DENIAL_FIX_UNKNOWN;
    return FALSE;
}

/* The warning for a path the path policy restricts. */
static void
warn_restricted(AavmDenialEntry *e, const char *path, AavmPerm perms, const GError *why)
{
    const AavmPathRule *rule = aavm_path_policy_match(path);

    if (rule && rule->kind == AAVM_PATH_RULE_READ_ONLY && (perms & AAVM_PERM_MODIFYING))
        g_ptr_array_add(e->warnings,
                        g_strdup_printf(_("%s is under %s (%s), which VMs may only read: do not grant '%s'; find out why QEMU wants to change it."),
                                        path, rule->prefix, _(rule->why), aavm_perm_to_string(perms)));
    else if (rule)
        g_ptr_array_add(e->warnings,
                        g_strdup_printf(_("%s is under %s (%s): do not grant it; find out why QEMU opens it."),
                                        path, rule->prefix, _(rule->why)));
    else
        g_ptr_array_add(e->warnings,
                        g_strdup_printf(_("%s cannot be granted: %s"), path, why->message));
}

static void
explain_restricted(AavmDenialEntry *e, const char *path, AavmPerm perms, const GError *why)
{
    e->kind = AAVM_DENIAL_FIX_DO_NOT_GRANT;
    g_ptr_array_set_size(e->fixes, 0);
    g_clear_pointer(&e->rule, g_free);
    g_ptr_array_set_size(e->rule_in, 0);
    set_fix_xml(e, NULL, NULL);
    warn_restricted(e, path, perms, why);
    add_fix(e, g_strdup(_("No rule: look at the VM's QEMU command line (ps -o args -p PID), its <qemu:commandline> and devices for what names this path.")));
}

/* The rules of the other VMs that match @path, named from the domain XML
 * the VM manager keeps when their .files does not say. */
static GPtrArray *
other_grants(const VmContext *ctx, const char *path)
{
    GPtrArray *grants = aavm_site_other_grants(ctx->site, ctx->vm->uuid, path, FALSE);

    for (guint i = 0; i < grants->len; i++) {
        AavmSiteGrant *grant = g_ptr_array_index(grants, i);
        const AavmKnownDomain *k = g_hash_table_lookup(ctx->known, aavm_site_grant_uuid(grant));
        if (!grant->vm_name && k)
            grant->vm_name = g_strdup(k->name);
    }
    return grants;
}

/* (f): another VM is granted @path.  No rule, whatever else is true of it. */
static void
explain_other_vm(AavmDenialEntry *e, const char *path, GPtrArray *grants)
{
    e->kind = AAVM_DENIAL_FIX_OTHER_VM;
    g_ptr_array_set_size(e->fixes, 0);
    for (guint i = 0; i < grants->len; i++) {
        AavmSiteGrant *grant = g_ptr_array_index(grants, i);
        g_autofree char *owner = aavm_site_grant_owner(grant);
        g_autofree char *rule = aavm_site_grant_rule(grant);

        if (!e->device)
            e->device = g_strdup(owner);
        if (grant->certain)
            g_ptr_array_add(e->warnings,
                            g_strdup_printf(_("%s belongs to %s (its rule %s): do not grant it to this VM; a rule for it would hand this VM another VM's file."),
                                            path, owner, rule));
        else
            g_ptr_array_add(e->warnings,
                            g_strdup_printf(_("%s may belong to %s: its rule %s may match it, and aavm cannot tell (a variable, a character class or an escape it does not write); no rule is offered."),
                                            path, owner, rule));
        g_ptr_array_add(e->other_vms, aavm_site_grant_copy(grant));
    }
    add_fix(e, g_strdup(_("No rule: find out why this VM opens another VM's file (its domain XML, a backing file named in one of its images, its <qemu:commandline>).")));
    add_fix(e, g_strdup(_("If both VMs are really meant to share it, name it as a disk in both domain XMLs, with <readonly/> in both (neither can write it) or <shareable/> in both (both may write it: no exclusive lock on the image protects it then, and the guests' file system must be cluster-aware).")));
}

static void
explain_exec(const VmContext *ctx, AavmDenialEntry *e, const char *path)
{
    GString *rule = g_string_new("\"");
    g_autofree char *profile = g_build_filename(ctx->options->config->profile_dir,
                                                ctx->vm->profile_name, NULL);

    aavm_aare_append_escaped(rule, path);
    g_string_append(rule, "\" ix,");
    e->kind = AAVM_DENIAL_FIX_LOCAL_RULE;
    g_ptr_array_add(e->warnings,
                    g_strdup(_("QEMU runs no programs for most devices; a denied execution can be an attack. Grant it only for a helper you know a device needs.")));
    add_fix(e, g_strdup_printf(_("If it is such a helper, add this line inside the profile %s: %s"),
                               profile, rule->str));
    set_fix_rule(e, rule->str, profile, NULL);
    g_string_free(rule, TRUE);
}

static void
explain_file(const VmContext *ctx, AavmDenialEntry *e)
{
    const char *path = e->object;
    gboolean exec = FALSE;
    AavmPerm perms = mask_to_perms(e->denied_mask, &exec);
    g_autoptr(GError) policy_error = NULL;

    if (!path || !g_path_is_absolute(path) || strchr(path, '\n')) {
        e->kind = AAVM_DENIAL_FIX_NON_FILE;
        add_fix(e, g_strdup(_("The denial names no absolute path: no rule can be offered.")));
        return;
    }
    /* Programs live where devices may not (/usr): the table does not judge
     * an execution, the warning of explain_exec() does.  A name no quoting
     * makes safe (a '"' would end the rule's string) gets no rule at all. */
    gboolean allowed = aavm_aare_check_literal(path, _("path"), &policy_error) &&
                       (exec && !perms
                            ? TRUE
                            : aavm_path_policy_check(path, perms ? perms : AAVM_PERM_READ,
                                                     &policy_error));
    g_autoptr(GPtrArray) others = ctx->site ? other_grants(ctx, path) : NULL;
    const AavmAccess *rule = ctx->list ? covering_rule(ctx->list, path) : NULL;
    g_autofree char *element = ctx->root ? find_in_xml(ctx->root->children, ctx->root, path, 0)
                                         : NULL;

    if (others && others->len) {
        explain_other_vm(e, path, others);
        if (!allowed)
            warn_restricted(e, path, perms, policy_error);
        return;
    }
    if (rule && (perms & ~rule->perms)) {
        explain_missing(ctx, e, rule, perms);
    } else if (rule && !exec) {
        e->kind = AAVM_DENIAL_FIX_XML_ELEMENT;
        e->device = g_strdup(rule->reason);
        add_fix(e, g_strdup_printf(_("The domain XML grants it (%s), but the loaded profile does not: it is older than the XML. Check with 'aavm status'; restarting the VM (or aavm-helper -r) brings the rules up to date."),
                                   rule->reason));
    } else if (element && !exec) {
        e->kind = AAVM_DENIAL_FIX_XML_ELEMENT;
        e->device = g_strdup(element);
        add_fix(e, g_strdup_printf(_("The domain XML names it in %s, but its rules do not grant it."),
                                   element));
        for (guint i = 0; ctx->warnings && i < ctx->warnings->len; i++)
            if (strstr(g_ptr_array_index(ctx->warnings, i), path))
                add_fix(e, g_strdup_printf(_("Why: %s"),
                                           (const char *)g_ptr_array_index(ctx->warnings, i)));
        if (ctx->vm->problem)
            add_fix(e, g_strdup(ctx->vm->problem));
    } else if (exec) {
        explain_exec(ctx, e, path);
    } else if (!explain_near_disk(ctx, e, path, perms)) {
        e->kind = AAVM_DENIAL_FIX_LOCAL_RULE;
        add_rule_fixes(ctx, e, path, perms ? perms : AAVM_PERM_READ);
    }
    if (!allowed)
        explain_restricted(e, path, perms, policy_error);
}

/* ---- other denials ---- */

static gboolean
is_word(const char *text)
{
    if (!text || !*text || strlen(text) > 64)
        return FALSE;
    for (const char *c = text; *c; c++)
        if (!g_ascii_isalnum(*c) && *c != '_')
            return FALSE;
    return TRUE;
}

/* Capabilities that give a process the host. */
static const char *const strong_capabilities[] = {
    "sys_admin", "sys_module", "sys_rawio", "sys_ptrace", "mac_admin", "mac_override",
    "dac_override", "dac_read_search", "setuid", "setgid", "setpcap", "bpf", "perfmon",
    "sys_boot", "net_admin", "chown", "fowner", NULL,
};

static void
explain_other(const VmContext *ctx, AavmDenialEntry *e)
{
    g_autofree char *profile = g_build_filename(ctx->options->config->profile_dir,
                                                ctx->vm->profile_name, NULL);
    const char *op = e->operation;

    e->kind = AAVM_DENIAL_FIX_NON_FILE;
    if (strcmp(op, "capable") == 0 || (e->klass && strcmp(e->klass, "cap") == 0)) {
        if (!is_word(e->object)) {
            add_fix(e, g_strdup(_("The denial names no capability: no rule can be offered.")));
            return;
        }
        e->device = g_strdup_printf(_("capability %s"), e->object);
        add_fix(e, g_strdup_printf(_("Find the device or option that makes QEMU ask for capability %s. If it must have it, add 'capability %s,' inside the profile %s, or for every VM to %s."),
                                   e->object, e->object, profile,
                                   ctx->options->local_abstraction ? ctx->options->local_abstraction
                                                                   : "local/abstractions/libvirt-qemu"));
        g_autofree char *line = g_strdup_printf("capability %s,", e->object);
        set_fix_rule(e, line, profile, ctx->options->local_abstraction);
        if (strcmp(e->object, "sys_rawio") == 0)
            add_fix(e, g_strdup(_("A SCSI pass-through disk (<disk device='lun'>) needs rawio='yes' on that <disk> for raw SCSI commands.")));
        g_ptr_array_add(e->warnings,
                        g_strdup(_("QEMU should not need most capabilities: each one granted widens what a compromised VM process can do on the host.")));
        for (guint i = 0; strong_capabilities[i]; i++)
            if (strcmp(e->object, strong_capabilities[i]) == 0)
                g_ptr_array_add(e->warnings,
                                g_strdup_printf(_("Capability %s lets a process get around the host's access control: do not grant it to a VM."),
                                                e->object));
    } else if (strcmp(op, "signal") == 0 || strcmp(op, "ptrace") == 0) {
        gboolean is_signal = strcmp(op, "signal") == 0;
        e->device = g_strdup_printf(is_signal ? _("signal with %s") : _("ptrace with %s"),
                                    e->object ? e->object : "?");
        add_fix(e, g_strdup(is_signal
            ? _("Signals between QEMU and the VM manager are in the abstraction; find out which program this peer is and whether it should signal the VM. If so, add a 'signal' rule naming that peer inside the VM's profile.")
            : _("A ptrace denial is often a tool reading /proc of the QEMU process; it is harmless to leave denied. Add a 'ptrace (read)' rule naming the peer only if something must work that needs it.")));
        if (!is_signal)
            g_ptr_array_add(e->warnings,
                            g_strdup(_("ptrace (trace) gives full control of the other process: never grant it to a VM.")));
    } else if (e->klass && strcmp(e->klass, "net") == 0) {
        e->device = g_strdup_printf(_("network %s"), e->object ? e->object : "?");
        add_fix(e, g_strdup_printf(_("QEMU's own networking goes through file descriptors the VM manager passes; a denied socket (%s) is usually a <qemu:commandline> option or a user-mode network. Add a 'network' rule for that family inside %s only if that is wanted."),
                                   e->object ? e->object : "?", profile));
    } else if ((e->klass && strcmp(e->klass, "unix") == 0) || strcmp(op, "connect") == 0) {
        e->device = g_strdup_printf(_("unix socket %s"), e->object ? e->object : "?");
        add_fix(e, g_strdup(_("Name a socket QEMU must use in the domain XML (the device's <source path=...>), so aavm grants it; otherwise add a 'unix' rule for it inside the VM's profile.")));
    } else {
        add_fix(e, g_strdup_printf(_("aavm has no advice for the operation '%s'; see apparmor.d(5) for the rule that allows it."),
                                   op));
    }
}

void
aavm_denial_report_analyse(AavmDenialReport *report, const AavmDenialOptions *options)
{
    g_autoptr(GHashTable) known = NULL;

    if (report->vms->len == 0)
        return;
    known = aavm_known_domains_read(options->domain_xml_dirs, NULL);
    for (guint i = 0; i < report->vms->len; i++) {
        AavmDenialVm *vm = g_ptr_array_index(report->vms, i);
        VmContext ctx = { .options = options, .site = options->site, .known = known, .vm = vm };

        vm_context_load(&ctx, vm, known);
        for (guint j = 0; j < vm->entries->len; j++) {
            AavmDenialEntry *e = g_ptr_array_index(vm->entries, j);
            if (e->file)
                explain_file(&ctx, e);
            else
                explain_other(&ctx, e);
        }
        vm_context_clear(&ctx);
    }
}
