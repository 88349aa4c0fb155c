/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "vm-status.h"

#include <errno.h>
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-text.h"
#include "aavm-xml.h"
#include "domain-parse-util.h"
#include "domain-xml.h"
#include "domain.h"
#include "json-writer.h"
#include "render.h"
#include "store.h"
#include "store-dir.h"
#include "template.h"

const char *
aavm_files_state_to_string(AavmFilesState state)
{
    switch (state) {
    case AAVM_FILES_CURRENT: return "current";
    case AAVM_FILES_NONE: return "none";
    case AAVM_FILES_MISSING: return "missing";
    case AAVM_FILES_NOT_INCLUDED: return "not-included";
    case AAVM_FILES_CHANGED: return "changed";
    default: return "unknown";
    }
}

gboolean
aavm_files_state_is_stale(AavmFilesState state)
{
    return state == AAVM_FILES_MISSING || state == AAVM_FILES_NOT_INCLUDED ||
           state == AAVM_FILES_CHANGED;
}

void
aavm_vm_status_free(AavmVmStatus *status)
{
    if (!status)
        return;
    g_free(status->profile_name);
    g_free(status->uuid);
    g_free(status->vm_name);
    g_free(status->vm_name_source);
    g_free(status->kernel_mode);
    g_free(status->problem);
    g_free(status);
}

void
aavm_vm_status_report_free(AavmVmStatusReport *report)
{
    if (!report)
        return;
    g_free(report->apparmor_reason);
    g_free(report->profile_dir);
    g_clear_pointer(&report->vms, g_ptr_array_unref);
    g_clear_pointer(&report->warnings, g_ptr_array_unref);
    g_free(report);
}

/* ---- the VM manager's domain XML: UUID -> name ---- */

static void
known_free(gpointer p)
{
    AavmKnownDomain *k = p;

    g_free(k->name);
    g_free(k->path);
    g_free(k);
}

/* The <domain> of a persistent definition or of a running domain's
 * <domstatus>. */
static void
read_domain_xml(const char *name, const char *path, const char *text, gsize len, gpointer data)
{
    GHashTable *known = data;
    xmlNode *root = NULL;
    g_autoptr(xmlDoc) doc = aavm_domain_xml_read(text, len, TRUE, &root, NULL);

    (void)name;
    if (!doc)
        return;
    xmlNode *uuid_node = aavm_xml_child(root, "uuid");
    xmlNode *name_node = aavm_xml_child(root, "name");
    if (!uuid_node || !name_node)
        return;
    g_autofree char *raw_uuid = (char *)xmlNodeGetContent(uuid_node);
    g_autofree char *raw_name = (char *)xmlNodeGetContent(name_node);
    g_autofree char *uuid = NULL;
    if (!raw_uuid || !raw_name || !*raw_name ||
        !aavm_uuid_normalize(g_strstrip(raw_uuid), &uuid, NULL) ||
        g_hash_table_contains(known, uuid))
        return;
    AavmKnownDomain *k = g_new0(AavmKnownDomain, 1);
    k->name = g_strdup(raw_name);
    k->path = g_strdup(path);
    g_hash_table_insert(known, g_steal_pointer(&uuid), k);
}

GHashTable *
aavm_known_domains_read(const char *const *dirs, GPtrArray *warnings)
{
    GHashTable *known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, known_free);

    for (guint i = 0; dirs && dirs[i]; i++)
        aavm_store_dir_scan(dirs[i], ".xml", AAVM_VM_STATUS_XML_FILES_MAX, AAVM_VM_STATUS_XML_MAX,
                            NULL, read_domain_xml, known, warnings);
    return known;
}

/* ---- one profile ---- */

char *
aavm_vm_name_from_files(const char *text)
{
    char *named = aavm_render_files_vm_name(text);

    if (named)
        return named;
    /* A .files of aavm before its header named the VM: the pid file rule. */
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (guint i = 1; lines[i]; i++) {
        g_autofree char *path = NULL;
        g_autofree char *perms = NULL;
        const char *comment = lines[i - 1] + strspn(lines[i - 1], " \t");

        if (strcmp(comment, "# pid file") != 0 ||
            !aavm_render_split_rule(lines[i], &path, &perms))
            continue;
        const char *stars = g_strrstr(path, "/**/");
        const char *end = g_str_has_suffix(path, ".pid\"") ? path + strlen(path) - 5 : NULL;
        if (!stars || !end || end < stars + 4)
            continue;
        GString *name = g_string_new(NULL);
        for (const char *p = stars + 4; p < end; p++) {
            if (*p == '\\' && p + 1 < end)
                p++;
            g_string_append_c(name, *p);
        }
        if (name->len > 0)
            return g_string_free(name, FALSE);
        g_string_free(name, TRUE);
    }
    return NULL;
}

/* Whether @name is in @dir, and its mtime; a file store-dir refuses sets
 * *@problem (the first one found is kept). */
static gboolean
mtime_in(const AavmStoreDir *dir, const char *name, struct timespec *out, char **problem)
{
    g_autoptr(GError) error = NULL;
    gboolean exists = FALSE;
    struct stat st;

    if (!aavm_store_dir_stat(dir, name, &exists, &st, &error)) {
        if (!*problem)
            *problem = g_strdup(error->message);
        return FALSE;
    }
    if (exists)
        *out = st.st_mtim;
    return exists;
}

static int
timespec_cmp(const struct timespec *a, const struct timespec *b)
{
    if (a->tv_sec != b->tv_sec)
        return a->tv_sec < b->tv_sec ? -1 : 1;
    if (a->tv_nsec != b->tv_nsec)
        return a->tv_nsec < b->tv_nsec ? -1 : 1;
    return 0;
}

static AavmVmStatus *
collect_one(const AavmVmStatusOptions *options, const AavmStoreDir *dir,
            const AavmKernelState *kernel, GHashTable *known, const char *profile_name)
{
    AavmVmStatus *status = g_new0(AavmVmStatus, 1);
    g_autofree char *profile_path = g_build_filename(options->profile_dir, profile_name, NULL);
    g_autofree char *files_path = g_strconcat(profile_path, ".files", NULL);
    g_autofree char *files_name = g_strconcat(profile_name, ".files", NULL);
    g_autoptr(GError) cache_error = NULL;
    gboolean cached = FALSE;
    g_autofree char *text = NULL;
    g_autofree char *files_text = NULL;
    g_autoptr(GError) error = NULL;
    gsize len = 0;
    gsize files_len = 0;
    struct timespec profile_time = { 0 };
    struct timespec files_time = { 0 };
    struct timespec cache_time = { 0 };

    status->profile_name = g_strdup(profile_name);
    status->uuid = g_strdup(profile_name + strlen("libvirt-"));
    status->kernel_known = kernel->list_known;
    if (kernel->list_known) {
        const char *mode = aavm_kernel_state_mode(kernel, profile_name);
        status->loaded = mode != NULL;
        status->kernel_mode = g_strdup(mode);
    }

    /* A refused profile is the problem to show; a refused .files the next. */
    mtime_in(dir, profile_name, &profile_time, &status->problem);
    gboolean have_files = mtime_in(dir, files_name, &files_time, &status->problem);
    if (have_files && !aavm_store_dir_read(dir, files_name, AAVM_STORE_FILE_MAX, NULL, &files_text,
                                           &files_len, NULL))
        g_clear_pointer(&files_text, g_free);

    const AavmKnownDomain *k = g_hash_table_lookup(known, status->uuid);
    if (k) {
        status->vm_name = g_strdup(k->name);
        status->vm_name_source = g_strdup(k->path);
    } else if (files_text && (status->vm_name = aavm_vm_name_from_files(files_text))) {
        status->vm_name_source = g_strdup(files_path);
    }

    gboolean included = FALSE;
    if (!aavm_store_dir_read(dir, profile_name, AAVM_STORE_FILE_MAX, NULL, &text, &len, &error)) {
        if (!status->problem)
            status->problem = g_strdup(error->message);
    } else if (status->problem) {
        included = aavm_template_includes_files(text, files_path);
    } else if (len == 0) {
        status->problem = g_strdup_printf(_("The profile '%s' is empty."), profile_path);
    } else if (!aavm_profile_flags_mode(text, profile_name, &status->file_mode, &error)) {
        status->problem = g_strdup(error->message);
        included = aavm_template_includes_files(text, files_path);
    } else {
        status->file_mode_known = TRUE;
        included = aavm_template_includes_files(text, files_path);
    }

    if (included && !have_files)
        status->files_state = AAVM_FILES_MISSING;
    else if (!included && have_files)
        status->files_state = AAVM_FILES_NOT_INCLUDED;
    else if (!included)
        status->files_state = AAVM_FILES_NONE;
    else if (options->cache_dir &&
             !aavm_store_cache_entries(options->cache_dir, profile_name, FALSE, &cached,
                                       &cache_time, &cache_error)) {
        status->files_state = AAVM_FILES_CHANGED; /* cannot tell: say stale */
        if (!status->problem)
            status->problem = g_strdup(cache_error->message);
    } else if (cached &&
             (timespec_cmp(&profile_time, &cache_time) > 0 ||
              timespec_cmp(&files_time, &cache_time) > 0))
        status->files_state = AAVM_FILES_CHANGED;
    else
        status->files_state = AAVM_FILES_CURRENT;
    return status;
}

static gint
compare_status(gconstpointer a, gconstpointer b)
{
    const AavmVmStatus *x = *(AavmVmStatus *const *)a;
    const AavmVmStatus *y = *(AavmVmStatus *const *)b;

    return strcmp(x->profile_name, y->profile_name);
}

AavmVmStatusReport *
aavm_vm_status_collect(const AavmVmStatusOptions *options, const AavmKernelState *kernel,
                       GError **error)
{
    g_autoptr(GError) dir_error = NULL;
    g_autoptr(AavmStoreDir) dir = aavm_store_dir_open(options->profile_dir, 0, &dir_error);
    g_autoptr(GHashTable) known = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);

    if (!dir) {
        aavm_fail(error, AAVM_ERROR_IO, _("Cannot list the profile directory '%s': %s"),
                  options->profile_dir, dir_error->message);
        return NULL;
    }
    /* Every libvirt-<uuid>, whatever it is: one that is not a file of ours
     * is listed with the reason as its problem. */
    entries = aavm_store_dir_list(dir);
    for (guint i = 0; i < entries->len; i++) {
        const char *entry = g_ptr_array_index(entries, i);
        if (aavm_profile_name_check(entry, NULL))
            g_ptr_array_add(names, g_strdup(entry));
    }

    AavmVmStatusReport *report = g_new0(AavmVmStatusReport, 1);
    report->apparmor_enabled = kernel->enabled;
    report->kernel_known = kernel->list_known;
    report->apparmor_reason = g_strdup(kernel->reason);
    report->profile_dir = g_strdup(options->profile_dir);
    report->vms = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_vm_status_free);
    report->warnings = g_ptr_array_new_with_free_func(g_free);
    known = names->len ? aavm_known_domains_read(options->domain_xml_dirs, report->warnings)
                       : g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < names->len; i++)
        g_ptr_array_add(report->vms,
                        collect_one(options, dir, kernel, known, g_ptr_array_index(names, i)));
    g_ptr_array_sort(report->vms, compare_status);
    return report;
}

/* ---- rendering ---- */

static const char *
loaded_text(const AavmVmStatus *vm)
{
    if (!vm->kernel_known)
        return _("unknown");
    return vm->loaded ? _("yes") : _("no");
}

static const char *
kernel_mode_text(const AavmVmStatus *vm)
{
    if (!vm->kernel_known)
        return _("unknown");
    return vm->kernel_mode ? vm->kernel_mode : "-";
}

static char *
files_text(const AavmVmStatus *vm)
{
    const char *word = aavm_files_state_to_string(vm->files_state);

    if (aavm_files_state_is_stale(vm->files_state))
        return g_strdup_printf(_("stale (%s)"), word);
    return g_strdup(word);
}

#define N_COLUMNS 6

char *
aavm_vm_status_to_text(const AavmVmStatusReport *report)
{
    GString *out = g_string_new(NULL);
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);

    if (report->apparmor_enabled && report->kernel_known)
        g_string_append_printf(out, "%s\n", _("AppArmor enabled"));
    else if (report->apparmor_enabled)
        g_string_append_printf(out, _("AppArmor enabled, but the loaded profiles are not known (%s)\n"),
                               report->apparmor_reason ? report->apparmor_reason : _("unknown"));
    else
        g_string_append_printf(out, _("AppArmor not enabled (%s)\n"),
                               report->apparmor_reason ? report->apparmor_reason : _("unknown"));
    if (report->vms->len == 0) {
        g_autofree char *dir = aavm_text_printable(report->profile_dir);
        g_string_append_printf(out, _("No per-VM profiles in '%s'.\n"), dir);
        return g_string_free(out, FALSE);
    }

    g_ptr_array_add(cells, g_strdup(_("UUID")));
    g_ptr_array_add(cells, g_strdup(C_("status column", "NAME")));
    g_ptr_array_add(cells, g_strdup(_("LOADED")));
    g_ptr_array_add(cells, g_strdup(_("MODE")));
    g_ptr_array_add(cells, g_strdup(_("FLAGS")));
    g_ptr_array_add(cells, g_strdup(_("FILES")));
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmVmStatus *vm = g_ptr_array_index(report->vms, i);
        g_ptr_array_add(cells, g_strdup(vm->uuid));
        g_ptr_array_add(cells, vm->vm_name ? aavm_text_printable(vm->vm_name) : g_strdup("-"));
        g_ptr_array_add(cells, g_strdup(loaded_text(vm)));
        g_ptr_array_add(cells, aavm_text_printable(kernel_mode_text(vm)));
        g_ptr_array_add(cells, g_strdup(vm->file_mode_known
                                            ? aavm_profile_mode_to_string(vm->file_mode)
                                            : _("unknown")));
        g_ptr_array_add(cells, files_text(vm));
    }
    aavm_text_append_table(out, cells, N_COLUMNS);
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmVmStatus *vm = g_ptr_array_index(report->vms, i);
        if (vm->problem) {
            g_autofree char *problem = aavm_text_printable(vm->problem);
            g_string_append_printf(out, "%s: %s\n", vm->profile_name, problem);
        }
    }
    return g_string_free(out, FALSE);
}

char *
aavm_vm_status_to_json(const AavmVmStatusReport *report)
{
    g_autoptr(AavmJson) json = aavm_json_new();

    aavm_json_object_begin(json, NULL);
    aavm_json_uint(json, "version", AAVM_JSON_VERSION);
    aavm_json_bool(json, "apparmor_enabled", report->apparmor_enabled);
    aavm_json_string(json, "apparmor_reason", report->apparmor_reason);
    aavm_json_string(json, "profile_dir", report->profile_dir);
    aavm_json_array_begin(json, "vms");
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmVmStatus *vm = g_ptr_array_index(report->vms, i);

        aavm_json_object_begin(json, NULL);
        aavm_json_string(json, "profile", vm->profile_name);
        aavm_json_string(json, "uuid", vm->uuid);
        aavm_json_string(json, "name", vm->vm_name);
        aavm_json_string(json, "name_source", vm->vm_name_source);
        aavm_json_known_bool(json, "loaded", vm->kernel_known, vm->loaded);
        aavm_json_string(json, "mode", vm->kernel_known ? vm->kernel_mode : NULL);
        aavm_json_string(json, "profile_mode",
                         vm->file_mode_known ? aavm_profile_mode_to_string(vm->file_mode) : NULL);
        aavm_json_string(json, "files", aavm_files_state_to_string(vm->files_state));
        aavm_json_bool(json, "files_stale", aavm_files_state_is_stale(vm->files_state));
        aavm_json_string(json, "problem", vm->problem);
        aavm_json_object_end(json);
    }
    aavm_json_array_end(json);
    aavm_json_object_end(json);
    return aavm_json_to_string(json);
}
