/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "vm-profile.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain-parse.h"
#include "loader.h"
#include "path-policy.h"
#include "render.h"
#include "rules.h"
#include "store.h"
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
    char *profile_path;
    char *files_path;
    AavmDomain *domain;
    char *files_text; /* what .files should hold (NULL: LXC, none) */
    char *dry_body;   /* the rules a dry run shows */
} Op;

static void
op_clear(Op *op)
{
    g_free(op->profile_path);
    g_free(op->files_path);
    aavm_domain_free(op->domain);
    g_free(op->files_text);
    g_free(op->dry_body);
}

/* -F: the existing .files with the new rules appended, unless it has them. */
static gboolean
append_to_files(Op *op, const char *rules, GError **error)
{
    g_autofree char *old = NULL;
    gsize old_len = 0;

    if (aavm_store_size(op->files_path) < 0) {
        op->files_text = g_strconcat(AAVM_FILES_HEADER, rules, NULL);
        return TRUE;
    }
    if (!aavm_store_read(op->files_path, AAVM_STORE_FILE_MAX, &old, &old_len, error))
        return FALSE;
    /* @rules may be several lines (a directory and its contents): append
     * each one the file does not have yet. */
    g_auto(GStrv) have = g_strsplit(old, "\n", -1);
    g_auto(GStrv) wanted = g_strsplit(rules, "\n", -1);
    GString *text = g_string_new(old);
    if (old_len > 0 && old[old_len - 1] != '\n')
        g_string_append_c(text, '\n');
    for (guint i = 0; wanted[i]; i++) {
        if (*wanted[i] && !g_strv_contains((const char *const *)have, wanted[i]))
            g_string_append_printf(text, "%s\n", wanted[i]);
    }
    op->files_text = g_string_free(text, FALSE);
    return TRUE;
}

/* Parse the XML, check it against -u, and decide what .files holds. */
static gboolean
prepare_rules(Op *op, GError **error)
{
    const AavmRequest *req = op->request;
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    g_autofree char *expected = NULL;

    op->domain = aavm_domain_parse_string(req->xml ? req->xml : "", req->xml_len, error);
    if (!op->domain)
        return FALSE;
    expected = g_strconcat("libvirt-", op->domain->uuid, NULL);
    if (strcmp(expected, req->profile_name) != 0)
        return aavm_fail(error, AAVM_ERROR_UUID_MISMATCH,
                         _("The profile name '%s' does not match the domain's UUID '%s'."),
                         req->profile_name, op->domain->uuid);

    if (req->append && req->mode == AAVM_MODE_REPLACE) {
        g_autoptr(AavmAccessList) extra = aavm_access_list_new();
        if (!aavm_domain_name_check(op->domain->name, error) ||
            !aavm_rules_add_extra_file(extra, op->host, req->extra_file, "-F append-file", error))
            return FALSE;
        aavm_access_list_sort(extra);
        op->dry_body = aavm_render_body(extra);
        return !aavm_domain_uses_files(op->domain) || append_to_files(op, op->dry_body, error);
    }

    if (!aavm_rules_build(op->domain, op->host, op->config, list, error))
        return FALSE;
    for (guint i = 0; i < list->warnings->len; i++)
        g_ptr_array_add(op->outcome->notes, g_strdup(g_ptr_array_index(list->warnings, i)));
    /* -F with -c: there is no .files to append to yet, it joins the rest. */
    if (req->extra_file &&
        !aavm_rules_add_extra_file(list, op->host, req->extra_file,
                                   req->append ? "-F append-file" : "-f add-file", error))
        return FALSE;
    aavm_access_list_sort(list);
    op->dry_body = aavm_render_body(list);
    if (aavm_domain_uses_files(op->domain))
        op->files_text = aavm_render_files(list);
    return TRUE;
}

static char *
profile_from_template(Op *op, GError **error)
{
    g_autofree char *template_path =
        aavm_config_template_path(op->config, aavm_domain_driver(op->domain));
    g_autofree char *template_text = NULL;
    g_autofree char *include = NULL;
    gsize len = 0;

    if (aavm_store_size(template_path) < 0) {
        aavm_fail(error, AAVM_ERROR_TEMPLATE, _("The template '%s' does not exist."),
                  template_path);
        return NULL;
    }
    if (!aavm_store_read(template_path, AAVM_STORE_FILE_MAX, &template_text, &len, error))
        return NULL;
    if (aavm_domain_uses_files(op->domain))
        include = aavm_template_include_line(op->files_path);
    char *text = aavm_template_fill(template_text, op->request->profile_name, include, error);
    if (!text)
        g_prefix_error(error, "%s: ", template_path);
    return text;
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
    return aavm_store_write_if_changed(op->files_path, op->files_text,
                                       strlen(op->files_text), NULL, error);
}

static gboolean
run_create(Op *op, GError **error)
{
    if (!prepare_rules(op, error))
        return FALSE;
    if (aavm_store_size(op->profile_path) >= 0)
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
    if (!write_files(op, error))
        return FALSE;
    if (!aavm_store_write_atomic(op->profile_path, profile, strlen(profile), error) ||
        !aavm_loader_run(op->config->parser, AAVM_LOAD_ADD, op->profile_path, NULL, error)) {
        aavm_store_remove(op->files_path, NULL);
        aavm_store_remove(op->profile_path, NULL);
        return FALSE;
    }
    return TRUE;
}

static gboolean
run_replace(Op *op, GError **error)
{
    gssize size;

    if (!prepare_rules(op, error))
        return FALSE;
    size = aavm_store_size(op->profile_path);
    /* A dry run only shows the rules; it needs no profile on disk. */
    if (size < 0 && !op->request->dryrun)
        return aavm_fail(error, AAVM_ERROR_NO_PROFILE,
                         _("The profile '%s' does not exist; create it first."),
                         op->profile_path);

    g_autofree char *profile = NULL;
    if (size == 0) {
        /* A crash left an empty profile: make it again from the template. */
        profile = profile_from_template(op, error);
        if (!profile)
            return FALSE;
        g_ptr_array_add(op->outcome->notes,
                        g_strdup_printf(_("The profile '%s' was empty and is made again from the template."),
                                        op->profile_path));
    }
    if (op->request->dryrun) {
        g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->files_path));
        g_ptr_array_add(op->outcome->dryrun_blocks, g_strdup(op->dry_body));
        if (profile)
            add_profile_dry_blocks(op);
        return TRUE;
    }
    if (!write_files(op, error))
        return FALSE;
    if (profile && !aavm_store_write_atomic(op->profile_path, profile, strlen(profile), error))
        return FALSE;
    if (!aavm_loader_run(op->config->parser, AAVM_LOAD_REPLACE, op->profile_path, NULL, error)) {
        aavm_store_remove(op->files_path, NULL);
        return FALSE;
    }
    return TRUE;
}

static gboolean
run_load_only(Op *op, AavmLoadOp load, GError **error)
{
    gboolean not_loaded = FALSE;

    if (aavm_store_size(op->profile_path) < 0)
        return aavm_fail(error, AAVM_ERROR_NO_PROFILE, _("The profile '%s' does not exist."),
                         op->profile_path);
    if (op->request->dryrun)
        return TRUE;
    gboolean ok = aavm_loader_run(op->config->parser, load, op->profile_path, &not_loaded, error);
    if (ok && not_loaded)
        g_ptr_array_add(op->outcome->notes,
                        g_strdup_printf(_("The profile '%s' was not loaded."),
                                        op->request->profile_name));
    if (op->request->mode == AAVM_MODE_DELETE) {
        g_autoptr(GError) remove_error = NULL;
        if (!aavm_store_remove(op->files_path, ok ? error : &remove_error))
            return FALSE;
    }
    return ok;
}

gboolean
aavm_vm_profile_run(const AavmConfig *config, const AavmHost *host, const AavmRequest *request,
                    AavmOutcome *outcome, GError **error)
{
    Op op = { config, host, request, outcome, NULL, NULL, NULL, NULL, NULL };
    gboolean ok = FALSE;

    if (!aavm_profile_name_check(request->profile_name, error))
        return FALSE;
    if (request->append && !request->extra_file)
        return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT, _("Appending needs a file."));
    op.profile_path = aavm_config_profile_path(config, request->profile_name);
    op.files_path = aavm_config_files_path(config, request->profile_name);

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
