/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "vm-profile.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "loader.h"
#include "pipeline.h"
#include "render.h"
#include "rules.h"
#include "store.h"
#include "store-dir.h"
#include "template.h"

const char *
aavm_mode_to_string(AavmMode mode)
{
    switch (mode) {
    case AAVM_MODE_ADD: return "add";
    case AAVM_MODE_CREATE: return "create";
    case AAVM_MODE_REPLACE: return "replace";
    case AAVM_MODE_REMOVE: return "remove";
    case AAVM_MODE_DELETE: return "delete";
    default: return "none";
    }
}

void
aavm_outcome_init(AavmOutcome *outcome)
{
    outcome->dryrun_blocks = g_ptr_array_new_with_free_func(g_free);
    outcome->notes = g_ptr_array_new_with_free_func(g_free);
}

void
aavm_outcome_clear(AavmOutcome *outcome)
{
    g_clear_pointer(&outcome->dryrun_blocks, g_ptr_array_unref);
    g_clear_pointer(&outcome->notes, g_ptr_array_unref);
}

/* Everything one operation works on. */
typedef struct {
    const AavmConfig *config;
    const AavmHost *host;
    const AavmRequest *request;
    AavmOutcome *outcome;
    AavmStoreDir *dir;  /* the profile directory */
    char *profile_path;
    char *files_path;
    char *files_name;   /* libvirt-<uuid>.files, in dir */
    AavmDomain *domain;
    char *files_text; /* what .files should hold (NULL: LXC, none) */
    char *dry_body;   /* the rules a dry run shows */
    AavmAccessList *added; /* -F's rules, sorted (NULL without -F) */
    AavmStoreLock *lock; /* the per-VM lock, NULL until taken */
    gboolean append;  /* -r -F: the -F rules are merged into the .files on disk (under the lock) */
} Op;

/* Take the per-VM lock (not for dry runs: they change nothing).  Called
 * once the request is known to be valid, before the first read of a file
 * the operation may rewrite; op_clear() releases it. */
static gboolean
op_lock(Op *op, GError **error)
{
    if (op->request->dryrun || op->lock)
        return TRUE;
    op->lock = aavm_store_lock_take(op->config->lock_dir, op->request->profile_name, error);
    if (!op->lock)
        return FALSE;
    /* What a killed writer left; no one else writes while we hold the lock. */
    aavm_store_dir_clean_temporaries(op->dir, op->request->profile_name);
    aavm_store_dir_clean_temporaries(op->dir, op->files_name);
    g_autofree char *backup = g_strconcat(op->request->profile_name, AAVM_PROFILE_BACKUP_SUFFIX, NULL);
    aavm_store_dir_clean_temporaries(op->dir, backup);
    /* A load reads the cache entry: refuse a bad one before any write. */
    if (op->request->mode == AAVM_MODE_REMOVE || op->request->mode == AAVM_MODE_DELETE)
        return TRUE;
    return aavm_loader_check_cache(op->config->cache_dir, op->request->profile_name, error);
}

/* A file's bytes before we changed it, to put back on failure. */
typedef struct {
    gboolean existed;
    char *data;
    gsize len;
} Saved;

/* The bytes of @name in the profile directory, read from the descriptor
 * that was checked (never through a link). */
static gboolean
save_file(Op *op, const char *name, Saved *saved, GError **error)
{
    return aavm_store_dir_read(op->dir, name, AAVM_STORE_FILE_MAX, &saved->existed, &saved->data,
                               &saved->len, error);
}

static gboolean
restore_file(Op *op, const char *name, const Saved *saved, GError **error)
{
    gboolean changed;

    if (!saved->existed)
        return aavm_store_dir_remove(op->dir, name, error);
    return aavm_store_dir_write(op->dir, name, saved->data, saved->len, &changed, error);
}

/* Whether @name exists in the profile directory (refused when it is not a
 * file of ours). */
static gboolean
file_exists(Op *op, const char *name, gboolean *out_exists, GError **error)
{
    return aavm_store_dir_stat(op->dir, name, out_exists, NULL, error);
}

static void
saved_clear(Saved *saved)
{
    g_clear_pointer(&saved->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Saved, saved_clear)

static void
op_clear(Op *op)
{
    /* -D leaves no lock file behind (removed while held). */
    aavm_store_lock_release(op->lock, op->request->mode == AAVM_MODE_DELETE);
    op->lock = NULL;
    aavm_store_dir_free(op->dir);
    g_free(op->profile_path);
    g_free(op->files_path);
    g_free(op->files_name);
    aavm_domain_free(op->domain);
    g_free(op->files_text);
    g_free(op->dry_body);
    g_clear_pointer(&op->added, aavm_access_list_free);
}

/* -F, as the reference: each rule of @added that @kept (the rules .files
 * holds, in their order) does not grant yet joins it, after the others or,
 * for a path it holds with fewer permissions, into that rule.  A later
 * full -r writes what the XML grants, and so drops them again. */
static void
merge_added(AavmAccessList *kept, const AavmAccessList *added)
{
    for (guint i = 0; i < aavm_access_list_length(added); i++) {
        const AavmAccess *a = aavm_access_list_get(added, i);
        const AavmAccess *k = aavm_access_list_lookup(kept, a->path, a->match);

        if (!k || (k->perms & a->perms) != a->perms)
            aavm_access_list_add_from(kept, AAVM_ORIGIN_EXTRA, a->path, a->match, a->perms,
                                      a->reason);
    }
}

/* -r -F: .files as it should be, the rules of the one on disk (none
 * without one) with those of this -F merged in; @added is the -F's list.
 * Called under the lock. */
static gboolean
append_to_files(Op *op, const AavmAccessList *added, GError **error)
{
    g_autofree char *old = NULL;
    gsize old_len = 0;
    gboolean exists = FALSE;
    g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(AavmAccessList) as_written = aavm_access_list_new();

    if (!aavm_store_dir_read(op->dir, op->files_name, AAVM_STORE_FILE_MAX, &exists, &old,
                             &old_len, error))
        return FALSE;
    g_autoptr(AavmAccessList) kept = aavm_render_read_list(old, dropped);
    for (guint i = 0; i < dropped->len; i++)
        g_ptr_array_add(op->outcome->notes,
                        g_strdup_printf(_("The rule %s of '%s' has permissions aavm does not write and is not kept."),
                                        (const char *)g_ptr_array_index(dropped, i),
                                        op->files_path));
    /* The -F's rules as the rules on disk hold their paths. */
    for (guint i = 0; i < aavm_access_list_length(added); i++) {
        const AavmAccess *a = aavm_access_list_get(added, i);
        g_autofree char *aare = aavm_render_aare(a);
        aavm_access_list_add_from(as_written, AAVM_ORIGIN_EXTRA, aare, AAVM_MATCH_PATTERN,
                                  a->perms, a->reason);
    }
    merge_added(kept, as_written);
    op->files_text = aavm_render_files(kept, op->domain->name);
    return TRUE;
}

/* Parse the XML, check it against -u, and decide what .files holds. */
static gboolean
prepare_rules(Op *op, GError **error)
{
    const AavmRequest *req = op->request;
    const gboolean append_only = req->append && req->mode == AAVM_MODE_REPLACE;
    const char *const add_files[] = { req->append ? NULL : req->extra_file, NULL };
    const AavmPipelineOptions options = { .profile_name = req->profile_name,
                                          .add_files = add_files,
                                          .domain_only = append_only };
    g_auto(AavmPipeline) p = { 0 };
    gboolean ok = aavm_pipeline_run(op->config, op->host, req->xml, req->xml_len, &options, &p,
                                    error);

    op->domain = g_steal_pointer(&p.domain);
    for (guint i = 0; p.warnings && i < p.warnings->len; i++)
        g_ptr_array_add(op->outcome->notes, g_strdup(g_ptr_array_index(p.warnings, i)));
    if (!ok)
        return FALSE;

    /* -F: its rules, kept apart from the XML's. */
    if (req->extra_file && req->append) {
        op->added = aavm_access_list_new();
        if (!aavm_rules_add_extra_file(op->added, op->host, req->extra_file, "-F append-file",
                                       error))
            return FALSE;
        aavm_access_list_sort(op->added);
    }
    g_autofree char *appended = op->added ? aavm_render_body(op->added) : NULL;
    if (append_only) {
        op->dry_body = g_steal_pointer(&appended);
        op->append = aavm_domain_uses_files(op->domain);
        return TRUE;
    }

    /* -F with -c: there is no .files to append to yet; its rule follows the
     * XML's.  -f joins the XML's rules (in the pipeline).  Either is
     * dropped by the next -r without it, as in the reference. */
    g_autofree char *body = aavm_render_body(p.list);
    op->dry_body = g_strconcat(body, appended ? appended : "", NULL);
    if (op->added)
        merge_added(p.list, op->added);
    if (aavm_domain_uses_files(op->domain))
        op->files_text = aavm_render_files(p.list, op->domain->name);
    return TRUE;
}

static char *
profile_from_template(Op *op, GError **error)
{
    g_autofree char *include = aavm_domain_uses_files(op->domain)
                                   ? aavm_template_include_line(op->files_path)
                                   : NULL;

    return aavm_template_make(op->dir, aavm_domain_driver(op->domain),
                              op->request->profile_name, include, op->config->profile_abi,
                              error);
}

static void
add_profile_dry_blocks(Op *op)
{
    g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->profile_path));
    g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->request->profile_name));
    g_ptr_array_add(op->outcome->dryrun_blocks,
                    aavm_domain_uses_files(op->domain)
                        ? g_strstrip(aavm_template_include_line(op->files_path))
                        : g_strdup(""));
}

static gboolean
write_files(Op *op, GError **error)
{
    if (!op->files_text)
        return TRUE;
    gboolean changed;

    return aavm_store_dir_write(op->dir, op->files_name, op->files_text, strlen(op->files_text),
                                &changed, error);
}

/* Load the profile; when the parser refuses it, put @profile and @files
 * back and say so. */
static gboolean
load_or_roll_back(Op *op, AavmLoadOp load, const Saved *profile, const Saved *files,
                  GError **error)
{
    g_autoptr(GError) restore_error = NULL;

    if (aavm_loader_run(op->config->parser, load, op->config->cache_dir, op->profile_path, NULL,
                        error))
        return TRUE;
    if (restore_file(op, op->files_name, files, &restore_error) &&
        restore_file(op, op->request->profile_name, profile, &restore_error)) {
        g_prefix_error(error, "%s",
                       profile->existed
                           ? _("The new rules were not loaded and the previous files were put back: ")
                           : _("The new profile was not loaded and its files were removed: "));
    } else {
        g_prefix_error(error, _("The new rules were not loaded and putting the previous files back failed (%s): "),
                       restore_error->message);
    }
    return FALSE;
}

static gboolean
run_create(Op *op, GError **error)
{
    g_auto(Saved) old_files = { 0 };
    Saved no_profile = { 0 };
    const char *name = op->request->profile_name;
    gboolean exists = FALSE;

    if (!prepare_rules(op, error) || !file_exists(op, name, &exists, error))
        return FALSE;
    if (exists)
        return aavm_fail(error, AAVM_ERROR_PROFILE_EXISTS,
                         _("The profile '%s' already exists."), op->profile_path);

    g_autofree char *profile = profile_from_template(op, error);
    if (!profile)
        return FALSE;
    if (op->request->dryrun) {
        g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->files_path));
        g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->dry_body));
        add_profile_dry_blocks(op);
        return TRUE;
    }
    /* Again under the lock: another -c may have been quicker. */
    if (!op_lock(op, error) || !file_exists(op, name, &exists, error))
        return FALSE;
    if (exists)
        return aavm_fail(error, AAVM_ERROR_PROFILE_EXISTS,
                         _("The profile '%s' already exists."), op->profile_path);
    if (!save_file(op, op->files_name, &old_files, error))
        return FALSE;
    if (!write_files(op, error) ||
        !aavm_store_dir_write(op->dir, name, profile, strlen(profile), NULL, error)) {
        restore_file(op, op->files_name, &old_files, NULL);
        aavm_store_dir_remove(op->dir, name, NULL);
        return FALSE;
    }
    return load_or_roll_back(op, AAVM_LOAD_ADD, &no_profile, &old_files, error);
}

typedef enum {
    DAMAGE_NONE,
    DAMAGE_EMPTY,
    DAMAGE_CUT,        /* no profile line, or its braces do not balance */
    DAMAGE_NO_INCLUDE, /* the include of .files is gone */
} Damage;

/* Whether the profile on disk can be used as it is: every profile that is
 * whole and includes its .files, in aavm's spelling or in virt-aa-helper's
 * (#include <libvirt/libvirt-<uuid>.files>), is the admin's and used byte
 * for byte; only .files is written. */
static Damage
profile_damage(Op *op, const char *text, gsize len)
{
    g_autofree char *line = g_strconcat("profile ", op->request->profile_name, NULL);
    g_autoptr(GError) fill_error = NULL;

    if (len == 0)
        return DAMAGE_EMPTY;
    if (strlen(text) != len)
        return DAMAGE_CUT;
    /* template.c's checks, on the text with its name put back. */
    const char *at = strstr(text, line);
    if (!at)
        return DAMAGE_CUT;
    GString *t = g_string_new_len(text, at - text);
    g_string_append(t, "profile " AAVM_TEMPLATE_PLACEHOLDER);
    g_string_append(t, at + strlen(line));
    g_autofree char *as_template = g_string_free(t, FALSE);
    g_autofree char *filled =
        aavm_template_fill(as_template, op->request->profile_name, NULL, NULL, &fill_error);
    if (!filled)
        return DAMAGE_CUT;
    if (aavm_domain_uses_files(op->domain) && !aavm_template_includes_files(text, op->files_path))
        return DAMAGE_NO_INCLUDE;
    return DAMAGE_NONE;
}

/* @backup: where the old profile was kept (NULL for a dry run). */
static char *
damage_note(Damage damage, const char *path, const char *backup)
{
    switch (damage) {
    case DAMAGE_EMPTY:
        return !backup ? g_strdup_printf(_("The profile '%s' is empty; without -d it would be made again from the template."), path)
                       : g_strdup_printf(_("The profile '%s' is empty and is made again from the template; the old one is kept as '%s'."), path, backup);
    case DAMAGE_CUT:
        return !backup ? g_strdup_printf(_("The profile '%s' is cut short (its profile line or closing brace is missing); without -d it would be made again from the template."), path)
                       : g_strdup_printf(_("The profile '%s' is cut short (its profile line or closing brace is missing) and is made again from the template; the old one is kept as '%s'."), path, backup);
    case DAMAGE_NO_INCLUDE:
        return !backup ? g_strdup_printf(_("The profile '%s' does not include its .files; without -d it would be made again from the template."), path)
                       : g_strdup_printf(_("The profile '%s' does not include its .files and is made again from the template; the old one is kept as '%s'."), path, backup);
    default:
        return NULL;
    }
}

static gboolean
run_replace(Op *op, GError **error)
{
    g_auto(Saved) old_profile = { 0 };
    g_auto(Saved) old_files = { 0 };
    const char *name = op->request->profile_name;
    gboolean exists = FALSE;

    if (!prepare_rules(op, error) || !file_exists(op, name, &exists, error))
        return FALSE;
    /* Checked before the lock is taken (and again under it). */
    if (!op->request->dryrun && !exists)
        return aavm_fail(error, AAVM_ERROR_NO_PROFILE,
                         _("The profile '%s' does not exist; create it first."),
                         op->profile_path);
    /* From here to the load, no other call for this VM reads or writes. */
    if (!op_lock(op, error) || (op->append && !append_to_files(op, op->added, error)) ||
        !save_file(op, name, &old_profile, error))
        return FALSE;
    /* A dry run only shows the rules; it needs no profile on disk. */
    if (!old_profile.existed && !op->request->dryrun)
        return aavm_fail(error, AAVM_ERROR_NO_PROFILE,
                         _("The profile '%s' does not exist; create it first."),
                         op->profile_path);

    g_autofree char *profile = NULL;
    g_autofree char *backup = NULL;
    Damage damage = old_profile.existed
                        ? profile_damage(op, old_profile.data, old_profile.len)
                        : DAMAGE_NONE;
    if (damage != DAMAGE_NONE) {
        /* A crash or a bad edit left it unusable: make it again, keeping
         * the old one (the admin's work) next to it first. */
        profile = profile_from_template(op, error);
        if (!profile)
            return FALSE;
        if (!op->request->dryrun) {
            /* The bytes read from the checked descriptor, never the path. */
            g_autofree char *backup_name = g_strconcat(name, AAVM_PROFILE_BACKUP_SUFFIX, NULL);
            struct stat st;
            gboolean there = FALSE;
            if (!aavm_store_dir_stat(op->dir, name, &there, &st, error) ||
                !aavm_store_dir_write_mode(op->dir, backup_name, old_profile.data,
                                           old_profile.len, there ? st.st_mode : 0644, NULL,
                                           error))
                return FALSE;
            backup = g_strconcat(op->profile_path, AAVM_PROFILE_BACKUP_SUFFIX, NULL);
        }
        g_ptr_array_add(op->outcome->notes, damage_note(damage, op->profile_path, backup));
    }
    if (op->request->dryrun) {
        g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->files_path));
        g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->dry_body));
        if (profile)
            add_profile_dry_blocks(op);
        return TRUE;
    }
    if (!save_file(op, op->files_name, &old_files, error))
        return FALSE;
    if (!write_files(op, error) ||
        (profile && !aavm_store_dir_write(op->dir, name, profile, strlen(profile), NULL, error))) {
        restore_file(op, op->files_name, &old_files, NULL);
        return FALSE;
    }
    return load_or_roll_back(op, AAVM_LOAD_REPLACE, &old_profile, &old_files, error);
}

static gboolean
run_load_only(Op *op, AavmLoadOp load, GError **error)
{
    gboolean not_loaded = FALSE;
    gboolean exists = FALSE;
    gboolean files_exist = FALSE;

    if (!file_exists(op, op->request->profile_name, &exists, error))
        return FALSE;
    if (!exists)
        return aavm_fail(error, AAVM_ERROR_NO_PROFILE, _("The profile '%s' does not exist."),
                         op->profile_path);
    if (op->request->dryrun)
        return TRUE;
    /* The parser reads both files: refuse before it runs. */
    if (!op_lock(op, error) || !file_exists(op, op->request->profile_name, &exists, error) ||
        !file_exists(op, op->files_name, &files_exist, error))
        return FALSE;
    gboolean ok = aavm_loader_run(op->config->parser, load, op->config->cache_dir,
                                  op->profile_path, &not_loaded, error);
    if (ok && not_loaded)
        g_ptr_array_add(op->outcome->notes,
                        g_strdup_printf(_("The profile '%s' was not loaded."),
                                        op->request->profile_name));
    if (op->request->mode == AAVM_MODE_DELETE) {
        g_autoptr(GError) remove_error = NULL;
        if (!aavm_store_dir_remove(op->dir, op->files_name, ok ? error : &remove_error))
            return FALSE;
    }
    return ok;
}

gboolean
aavm_vm_profile_run(const AavmConfig *config, const AavmHost *host, const AavmRequest *request,
                    AavmOutcome *outcome, GError **error)
{
    Op op = { .config = config, .host = host, .request = request, .outcome = outcome };
    gboolean ok = FALSE;

    if (!aavm_profile_name_check(request->profile_name, error))
        return FALSE;
    if (request->append && !request->extra_file)
        return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT, _("Appending needs a file."));
    op.profile_path = aavm_config_profile_path(config, request->profile_name);
    op.files_path = aavm_config_files_path(config, request->profile_name);
    op.files_name = g_path_get_basename(op.files_path);
    if (!(op.dir = aavm_store_dir_open(config->profile_dir, 0, error))) {
        op_clear(&op);
        return FALSE;
    }
    switch (request->mode) {
    case AAVM_MODE_ADD: ok = run_load_only(&op, AAVM_LOAD_ADD, error); break;
    case AAVM_MODE_REMOVE:
    case AAVM_MODE_DELETE: ok = run_load_only(&op, AAVM_LOAD_REMOVE, error); break;
    case AAVM_MODE_CREATE: ok = run_create(&op, error); break;
    case AAVM_MODE_REPLACE: ok = run_replace(&op, error); break;
    default:
        ok = aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT, _("No mode was given."));
        break;
    }
    op_clear(&op);
    return ok;
}
