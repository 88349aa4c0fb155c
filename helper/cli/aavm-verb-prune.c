/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verb-prune.c: aavm prune, the files of VMs the VM manager no longer knows. */
#include "aavm-verbs.h"

#include <stdio.h>
#include <stdlib.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-text.h"
#include "kernel-state.h"
#include "prune.h"

/* A line "  would remove PATH" for each of @names in @dir. */
static void
list_file(GString *out, const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *shown = aavm_text_printable(path);

    g_string_append_printf(out, _("  would remove %s\n"), shown);
}

static void
list_files(GString *out, const char *dir, const GPtrArray *names)
{
    for (guint i = 0; i < names->len; i++)
        list_file(out, dir, g_ptr_array_index(names, i));
}

int
aavm_verb_prune(int argc, char **argv)
{
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_cache_dir = NULL;
    g_autofree char *opt_run_dir = NULL;
    g_autofree char *opt_config_dir = NULL;
    g_autofree char *opt_config = NULL;
    g_autofree char *opt_apparmor_dir = NULL;
    g_autofree char *opt_lock_dir = NULL;
    gboolean opt_dry_run = FALSE;
    gboolean opt_force = FALSE;
    const GOptionEntry entries[] = {
        { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &opt_dry_run,
          N_("List what would be removed; remove nothing"), NULL },
        { "force", 'f', 0, G_OPTION_ARG_NONE, &opt_force,
          N_("Remove edited profiles too"), NULL },
        STATE_DIR_OPTIONS(opt_profile_dir, opt_cache_dir),
        { "lock-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_lock_dir,
          N_("Directory of the per-VM lock files (made 0700)"), N_("DIR") },
        LIBVIRT_DIR_OPTIONS(opt_run_dir, opt_config_dir),
        APPARMOR_DIR_OPTION(opt_apparmor_dir),
        CONFIG_OPTION(opt_config),
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new(_("- remove the profiles of VMs the VM manager no longer knows"));
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(AavmKernelState) kernel = NULL;
    g_autoptr(GPtrArray) vms = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    guint n_removed = 0;
    int status = EXIT_SUCCESS;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_description(context, _(
        "A VM is gone when no domain XML of the VM manager (defined domains in the\n"
        "configuration directory, running ones in the runtime directory) has its UUID\n"
        "and the kernel has no profile libvirt-<uuid> loaded. Its profile, .files,\n"
        ".lock, temporary files of interrupted writes and compile cache entries are\n"
        "removed, each named. A profile that differs from what TEMPLATE.qemu or\n"
        "TEMPLATE.lxc makes for it was edited: it is kept with the VM's other files\n"
        "unless --force is given. Files are never removed through a symbolic link.\n"
        "\n"
        "Exit status: 0 done (or nothing to remove), 1 failure, 2 usage error.\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (argc != 1)
        return aavm_verb_fail(EXIT_USAGE, _("'aavm prune' takes no arguments."));
    if ((status = aavm_verb_apply_state_dirs(config, opt_config, opt_profile_dir, opt_cache_dir,
                                             opt_run_dir, opt_config_dir, EXIT_FAILURE)))
        return status;
    if (opt_lock_dir && !aavm_config_set(&config->lock_dir, opt_lock_dir, _("lock directory"), &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);

    g_auto(GStrv) xml_dirs = aavm_config_domain_xml_dirs(config);
    AavmPruneOptions options = {
        .config = config,
        .domain_xml_dirs = (const char *const *)xml_dirs,
    };
    AavmPruneFacts facts;
    kernel = aavm_kernel_state_read_any(opt_apparmor_dir, 0);
    if (!aavm_prune_facts_read(&options, &facts, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);
    vms = aavm_prune_plan(&facts, kernel, opt_force, &error);
    aavm_prune_facts_clear(&facts);
    if (!vms)
        return aavm_verb_fail(EXIT_FAILURE, error->message);

    for (guint i = 0; i < vms->len; i++) {
        const AavmPruneVm *vm = g_ptr_array_index(vms, i);
        g_string_append_printf(out, _("%s: no VM has this UUID.\n"), vm->profile_name);
        if (vm->action == AAVM_PRUNE_KEEP_EDITED) {
            g_string_append(out, _("  kept: the profile was edited (it is not what the template makes); --force removes it\n"));
            continue;
        }
        if (vm->action == AAVM_PRUNE_KEEP_LINK) {
            g_string_append(out, _("  kept: one of its files is a symbolic link or not a regular file\n"));
            continue;
        }
        if (vm->action == AAVM_PRUNE_KEEP_LOADED) {
            g_string_append(out, _("  kept: the kernel has its profile loaded\n"));
            continue;
        }
        if (opt_dry_run) {
            list_files(out, config->cache_dir, vm->cached);
            list_files(out, config->profile_dir, vm->files);
            if (vm->lock)
                list_file(out, config->lock_dir, vm->lock);
            continue;
        }
        g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GError) apply_error = NULL;
        gboolean ok = aavm_prune_apply(&options, vm, removed, &apply_error);
        for (guint j = 0; j < removed->len; j++) {
            g_autofree char *shown = aavm_text_printable(g_ptr_array_index(removed, j));
            g_string_append_printf(out, _("  removed %s\n"), shown);
        }
        n_removed += removed->len;
        if (!ok) {
            g_autofree char *msg = aavm_text_printable(apply_error->message);
            g_string_append_printf(out, _("  not removed: %s\n"), msg);
            status = EXIT_FAILURE;
        }
    }
    if (vms->len == 0)
        g_string_append(out, _("Nothing to prune: every per-VM profile belongs to a VM the VM manager knows.\n"));
    else if (!opt_dry_run)
        g_string_append_printf(out, NG_("Removed %u file of VMs the VM manager no longer knows.\n",
                                        "Removed %u files of VMs the VM manager no longer knows.\n",
                                        n_removed),
                               n_removed);
    if (aavm_verb_print(out->str) != EXIT_SUCCESS)
        return EXIT_FAILURE;
    return status;
}
