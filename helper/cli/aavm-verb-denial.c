/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verb-denial.c: aavm denial. */
#include "aavm-verbs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "config-file.h"
#include "denial.h"
#include "host.h"
#include "log-source.h"

/* Standard input holds something given to it: a pipe or a file. */
static gboolean
stdin_is_given(void)
{
    struct stat st;

    return fstat(STDIN_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode));
}

/* The log: @file, standard input for "-" or (without @file) when it is
 * given, else the system's log, said on standard error. */
static gboolean
read_log(AavmDenialReport *report, const char *file, const char *audit_log, GError **error)
{
    gboolean ok;

    if ((file && strcmp(file, "-") == 0) || (!file && stdin_is_given())) {
        if (isatty(STDIN_FILENO))
            aavm_verb_fail(0, _("Reading log lines from the terminal; end with Ctrl-D."));
        ok = aavm_denial_report_read(report, stdin, error);
        if (!ok)
            g_prefix_error(error, "%s: ", "-");
        return ok;
    }
    if (file) {
        FILE *stream = fopen(file, "re");
        if (!stream)
            return aavm_fail(error, AAVM_ERROR_IO, _("Cannot open the log '%s': %s."), file,
                             g_strerror(errno));
        ok = aavm_denial_report_read(report, stream, error);
        fclose(stream);
        if (!ok)
            g_prefix_error(error, "%s: ", file);
        return ok;
    }

    AavmLogSource *source = aavm_log_source_open_system(audit_log, error);
    gboolean cut = FALSE;
    if (!source)
        return FALSE;
    g_autofree char *said = g_strdup_printf(_("Reading the kernel's records from '%s'."),
                                            source->description);
    aavm_verb_fail(0, said);
    g_autofree char *description = g_strdup(source->description);
    ok = aavm_denial_report_read_max(report, source->stream, AAVM_LOG_SOURCE_OUTPUT_MAX, &cut,
                                     error);
    if (!aavm_log_source_close(source, cut || !ok, ok ? error : NULL))
        return FALSE;
    if (!ok)
        g_prefix_error(error, "%s: ", description);
    else if (cut) {
        g_autofree char *msg = g_strdup_printf(
            _("Only the first %llu bytes of '%s' were read; give a shorter log as LOGFILE."),
            (unsigned long long)AAVM_LOG_SOURCE_OUTPUT_MAX, description);
        aavm_verb_fail(0, msg);
    }
    return ok;
}

int
aavm_verb_denial(int argc, char **argv)
{
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_run_dir = NULL;
    g_autofree char *opt_config_dir = NULL;
    g_autofree char *opt_config = NULL;
    g_autofree char *opt_audit_log = NULL;
    gboolean opt_json = FALSE;
    const GOptionEntry entries[] = {
        { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_dir,
          N_("Directory of the per-VM profiles"), N_("DIR") },
        LIBVIRT_DIR_OPTIONS(opt_run_dir, opt_config_dir),
        { "audit-log", 0, 0, G_OPTION_ARG_FILENAME, &opt_audit_log,
          N_("auditd's log, read when no LOGFILE is given and it exists (default /var/log/audit/audit.log)"),
          N_("FILE") },
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
        "Reads kernel log lines (audit.log, dmesg, journalctl, journalctl -o json) from\n"
        "LOGFILE, or standard input when it is '-'. Without LOGFILE it reads standard\n"
        "input when that is a pipe or a file, else the system's log: auditd's log when\n"
        "it exists, else the journal (journalctl -k -o json), saying which.\n"
        "It keeps the apparmor=\"DENIED\" records of the per-VM profiles libvirt-<uuid>,\n"
        "and their apparmor=\"ALLOWED\" records (what a profile in complain mode would\n"
        "have denied, shown apart as \"allowed (complain mode)\"). For each VM (named\n"
        "from the VM manager's domain XML) every distinct denial is shown once with its\n"
        "count, the device it most likely belongs to, and the smallest fix: the\n"
        "permission or XML element missing, or the rule line for the VM's profile or\n"
        "local/abstractions/libvirt-qemu.\n"
        "A path the path policy restricts gets a warning instead of a rule, and so does\n"
        "a path another VM is granted (its .files in the profile directory, or the rules\n"
        "of its domain XML in the configuration directory). With --json, each fix's\n"
        "rule line and XML element are also given untranslated (rule, rule_in, xml,\n"
        "xml_action).\n"
        "\n"
        "Exit status: 0 the log was read (denials or not), 1 it cannot be read (or no\n"
        "log exists, or journalctl failed), 2 usage error.\n"));
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

    if (!read_log(report, argc == 2 ? argv[1] : NULL,
                  opt_audit_log ? opt_audit_log : AAVM_LOG_SOURCE_AUDIT_LOG, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);

    g_auto(GStrv) xml_dirs = aavm_config_domain_xml_dirs(config);
    /* Every VM's rules: no advice may hand one VM another's file. */
    g_autoptr(AavmSite) site = aavm_site_read(config, host, config->profile_dir,
                                              config->libvirt_config_dir, NULL);
    aavm_verb_warn_each(site->warnings);
    g_autofree char *apparmor_dir = g_path_get_dirname(config->profile_dir);
    g_autofree char *local = g_build_filename(apparmor_dir, "local", "abstractions",
                                              "libvirt-qemu", NULL);
    AavmDenialOptions options = {
        .config = config,
        .host = host,
        .domain_xml_dirs = (const char *const *)xml_dirs,
        .local_abstraction = local,
        .site = site,
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
