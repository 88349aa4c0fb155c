/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verb-denial.c: aavm denial. */
#include "aavm-verbs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aavm-i18n.h"
#include "config-file.h"
#include "denial.h"
#include "host.h"

int
aavm_verb_denial(int argc, char **argv)
{
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_run_dir = NULL;
    g_autofree char *opt_config_dir = NULL;
    g_autofree char *opt_config = NULL;
    gboolean opt_json = FALSE;
    const GOptionEntry entries[] = {
        { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_dir,
          N_("Directory of the per-VM profiles"), N_("DIR") },
        LIBVIRT_DIR_OPTIONS(opt_run_dir, opt_config_dir),
        { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
          N_("Print the denials as one JSON object on one line (schema version 1, its \"version\" key)"), NULL },
        CONFIG_OPTION(opt_config),
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new(_("[LOGFILE|-] - explain the AppArmor denials of VMs and how to fix them"));
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(AavmHost) host = NULL;
    g_autoptr(AavmDenialReport) report = aavm_denial_report_new();
    g_autofree char *out = NULL;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_description(context, _(
        "Reads kernel log lines (audit.log, dmesg, journalctl) from LOGFILE, or standard\n"
        "input when it is '-' or not given, and keeps the apparmor=\"DENIED\" records of\n"
        "the per-VM profiles libvirt-<uuid>, and their apparmor=\"ALLOWED\" records (what\n"
        "a profile in complain mode would have denied, shown apart as \"allowed\n"
        "(complain mode)\"). For each VM (named from the VM manager's domain XML) every\n"
        "distinct denial is shown once with its count, the device it most likely\n"
        "belongs to, and the smallest fix: the permission or XML element missing, or\n"
        "the rule line for the VM's profile or local/abstractions/libvirt-qemu.\n"
        "A path the path policy restricts gets a warning instead of a rule. With --json,\n"
        "each fix's rule line and XML element are also given untranslated (rule,\n"
        "rule_in, xml, xml_action).\n"
        "\n"
        "Exit status: 0 the log was read (denials or not), 1 it cannot be read, 2 usage error.\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (argc > 2)
        return aavm_verb_fail(EXIT_USAGE, _("'aavm denial' takes at most one log file (or '-')."));
    if (!aavm_config_file_apply(config, opt_config, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);
    if (!aavm_config_set_dirs(config, opt_profile_dir, NULL, NULL, &error) ||
        !aavm_verb_set_libvirt_dirs(config, opt_run_dir, opt_config_dir, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (!(host = aavm_host_new("/", &error)))
        return aavm_verb_fail(EXIT_FAILURE, error->message);

    const char *file = argc == 2 ? argv[1] : "-";
    FILE *stream = strcmp(file, "-") == 0 ? stdin : fopen(file, "re");
    if (!stream) {
        g_autofree char *msg = g_strdup_printf(_("Cannot open the log '%s': %s."), file,
                                               g_strerror(errno));
        return aavm_verb_fail(EXIT_FAILURE, msg);
    }
    gboolean read_ok = aavm_denial_report_read(report, stream, &error);
    if (stream != stdin)
        fclose(stream);
    if (!read_ok) {
        g_autofree char *msg = g_strdup_printf(_("%s: %s"), file, error->message);
        return aavm_verb_fail(EXIT_FAILURE, msg);
    }

    g_auto(GStrv) xml_dirs = aavm_config_domain_xml_dirs(config);
    g_autofree char *apparmor_dir = g_path_get_dirname(config->profile_dir);
    g_autofree char *local = g_build_filename(apparmor_dir, "local", "abstractions",
                                              "libvirt-qemu", NULL);
    AavmDenialOptions options = {
        .config = config,
        .host = host,
        .domain_xml_dirs = (const char *const *)xml_dirs,
        .local_abstraction = local,
    };
    aavm_denial_report_analyse(report, &options);
    if (opt_json) {
        g_autofree char *json = aavm_denial_report_to_json(report);
        out = g_strconcat(json, "\n", NULL);
    } else {
        out = aavm_denial_report_to_text(report);
    }
    return aavm_verb_print(out);
}
