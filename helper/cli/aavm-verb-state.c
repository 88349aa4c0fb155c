/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verb-state.c: aavm status, complain and enforce: the per-VM profiles on disk
 * and in the kernel. */
#include "aavm-verbs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "config-file.h"
#include "domain.h"
#include "kernel-state.h"
#include "profile-flags.h"
#include "vm-status.h"

/* As aa-status(8): 0 AppArmor enabled and its list of loaded profiles read,
 * 1 not enabled, 3 its control files are not there, 4 not permitted to
 * read them, 42 anything else. */
static int
status_exit(const AavmKernelState *kernel)
{
    if (kernel->enabled && kernel->list_known)
        return EXIT_SUCCESS;
    if (kernel->errnum == EPERM || kernel->errnum == EACCES)
        return EXIT_STATUS_NOT_PERMITTED;
    if (kernel->errnum == ENOENT)
        return EXIT_STATUS_NO_CONTROL_FILES;
    return kernel->enabled ? EXIT_STATUS_INTERNAL : EXIT_STATUS_NOT_ENABLED;
}

int
aavm_verb_status(int argc, char **argv)
{
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_cache_dir = NULL;
    g_autofree char *opt_run_dir = NULL;
    g_autofree char *opt_config_dir = NULL;
    g_autofree char *opt_config = NULL;
    g_autofree char *opt_apparmor_dir = NULL;
    gboolean opt_json = FALSE;
    const GOptionEntry entries[] = {
        STATE_DIR_OPTIONS(opt_profile_dir, opt_cache_dir),
        LIBVIRT_DIR_OPTIONS(opt_run_dir, opt_config_dir),
        APPARMOR_DIR_OPTION(opt_apparmor_dir),
        { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
          N_("Print the status as one JSON object on one line (schema version 1, its \"version\" key)"), NULL },
        CONFIG_OPTION(opt_config),
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new(_("- show the state of every per-VM profile"));
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(AavmKernelState) kernel = NULL;
    g_autoptr(AavmVmStatusReport) report = NULL;
    g_autofree char *out = NULL;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_description(context, _(
        "For every libvirt-<uuid> profile of the profile directory: the VM's name (from the\n"
        "domain XML with that UUID, else from the pid file rule of .files, else '-'),\n"
        "whether the kernel has it loaded (LOADED) and in which mode (MODE), the mode its\n"
        "flags give (FLAGS), and whether its .files is stale (FILES):\n"
        "  stale (missing)       the profile includes .files but it does not exist\n"
        "  stale (not-included)  .files exists but the profile does not include it\n"
        "  stale (changed)       the profile or .files is newer than the parser's compile\n"
        "                        cache entry: what was last compiled is not what is on disk\n"
        "  current               none of these; none: no .files and no include (LXC)\n"
        "Without AppArmor in the kernel, LOADED and MODE are 'unknown'.\n"
        "\n"
        "Exit status (as aa-status, the profiles are listed in every case but 2 and 42):\n"
        "0 AppArmor is enabled and its list of loaded profiles was read, 1 AppArmor is\n"
        "not enabled (not in the kernel, disabled at boot), 2 usage error, 3 AppArmor's\n"
        "control files are not available (securityfs not mounted), 4 not permitted to\n"
        "read them, 42 the profile directory cannot be listed or another error.\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (argc != 1)
        return aavm_verb_fail(EXIT_USAGE, _("'aavm status' takes no arguments."));
    int status = aavm_verb_apply_state_dirs(config, opt_config, opt_profile_dir, opt_cache_dir,
                                            opt_run_dir, opt_config_dir, EXIT_STATUS_INTERNAL);
    if (status)
        return status;

    g_auto(GStrv) xml_dirs = aavm_config_domain_xml_dirs(config);
    AavmVmStatusOptions options = {
        .profile_dir = config->profile_dir,
        .cache_dir = config->cache_dir,
        .domain_xml_dirs = (const char *const *)xml_dirs,
    };

    /* A list that cannot be read: show the files, the kernel side unknown. */
    kernel = aavm_kernel_state_read_any(opt_apparmor_dir, 0);
    if (!(report = aavm_vm_status_collect(&options, kernel, &error)))
        return aavm_verb_fail(EXIT_STATUS_INTERNAL, error->message);
    aavm_verb_warn_each(report->warnings);
    if (opt_json) {
        g_autofree char *json = aavm_vm_status_to_json(report);
        out = g_strconcat(json, "\n", NULL);
    } else {
        out = aavm_vm_status_to_text(report);
    }
    return aavm_verb_print(out) == EXIT_SUCCESS ? status_exit(kernel) : EXIT_STATUS_INTERNAL;
}

/* aavm complain / aavm enforce */
int
aavm_verb_set_mode(int argc, char **argv, AavmProfileMode mode)
{
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_parser = NULL;
    g_autofree char *opt_cache_dir = NULL;
    g_autofree char *opt_config_dir = NULL;
    g_autofree char *opt_config = NULL;
    g_autofree char *opt_lock_dir = NULL;
    gboolean opt_no_reload = FALSE;
    const GOptionEntry entries[] = {
        { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_dir,
          N_("Directory of the per-VM profiles"), N_("DIR") },
        { "parser", 0, 0, G_OPTION_ARG_FILENAME, &opt_parser,
          N_("The apparmor_parser program to run"), N_("PATH") },
        { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_cache_dir,
          N_("apparmor_parser's compile cache of the per-VM profiles"), N_("DIR") },
        { "lock-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_lock_dir,
          N_("Directory of the per-VM lock files (made 0700)"), N_("DIR") },
        { "no-reload", 0, 0, G_OPTION_ARG_NONE, &opt_no_reload,
          N_("Only change the flag; it takes effect when the profile is next loaded"), NULL },
        { "libvirt-config-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_config_dir,
          N_("The VM manager's configuration directory, where a VM name is looked up (defined "
             "domains' XML in qemu/ and lxc/; default from aavm.conf, else /etc/libvirt)"),
          N_("DIR") },
        CONFIG_OPTION(opt_config),
        { NULL },
    };
    const char *verb = aavm_profile_mode_to_string(mode);
    g_autofree char *summary = g_strdup(
        mode == AAVM_PROFILE_MODE_COMPLAIN
            ? _("VM|UUID|libvirt-UUID - put a VM's profile in complain mode (log, do not deny)")
            : _("VM|UUID|libvirt-UUID - put a VM's profile back in enforce mode"));
    g_autoptr(GOptionContext) context = g_option_context_new(summary);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(AavmVmMatch) vm = NULL;
    const char *name = NULL;
    gboolean changed = FALSE;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_description(context, _(
        "Changes the complain flag on the 'profile libvirt-<uuid>' line of the VM's profile\n"
        "and nothing else, then reloads it with apparmor_parser -r. The profile is the\n"
        "administrator's: aavm-helper never rewrites it, so the mode stays across restarts\n"
        "of the VM. When the parser fails, the old profile is put back.\n"
        "The VM is named by its UUID, its profile name, or its name as virsh shows it\n"
        "(looked up in the defined domains' XML, then in the .files of the profile\n"
        "directory); a name two VMs share is refused, naming both.\n"
        "\n"
        "Exit status: 0 done (or already in that mode), 1 failure, 2 usage error.\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (argc != 2) {
        g_autofree char *msg = g_strdup_printf(_("'aavm %s' takes exactly one VM name, UUID or profile name."), verb);
        return aavm_verb_fail(EXIT_USAGE, msg);
    }
    if (!aavm_config_file_apply(config, opt_config, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);
    if (!aavm_config_set_dirs(config, opt_profile_dir, opt_parser, opt_cache_dir, &error) ||
        (opt_lock_dir &&
         !aavm_config_set(&config->lock_dir, opt_lock_dir, _("lock directory"), &error)) ||
        !aavm_verb_set_libvirt_dirs(config, NULL, opt_config_dir, &error) ||
        !(vm = aavm_verb_lookup_vm(config, argv[1], &error)))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    name = vm->profile_name;

    if (!aavm_profile_flags_switch(config, name, mode, !opt_no_reload, &changed, &error)) {
        if (g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED)) {
            g_autoptr(AavmKernelState) kernel = aavm_kernel_state_read(NULL, 0, NULL);
            if (kernel && !kernel->enabled) {
                g_autofree char *msg = g_strdup_printf(
                    _("%s (AppArmor not enabled: %s) The profile is unchanged; --no-reload changes only the flag."),
                    error->message, kernel->reason);
                return aavm_verb_fail(EXIT_FAILURE, msg);
            }
        }
        return aavm_verb_fail(EXIT_FAILURE, error->message);
    }
    if (!changed)
        printf(mode == AAVM_PROFILE_MODE_COMPLAIN
                   ? _("The profile '%s' is already in complain mode.\n")
                   : _("The profile '%s' is already in enforce mode.\n"), name);
    else if (opt_no_reload)
        printf(mode == AAVM_PROFILE_MODE_COMPLAIN
                   ? _("The profile '%s' is now in complain mode; it was not reloaded.\n")
                   : _("The profile '%s' is now in enforce mode; it was not reloaded.\n"), name);
    else
        printf(mode == AAVM_PROFILE_MODE_COMPLAIN
                   ? _("The profile '%s' is now in complain mode and reloaded.\n")
                   : _("The profile '%s' is now in enforce mode and reloaded.\n"), name);
    return fflush(stdout) == 0 ? EXIT_SUCCESS : aavm_verb_fail(EXIT_FAILURE, _("Cannot write the output."));
}
