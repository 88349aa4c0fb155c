/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-helper: the VM manager's interface, a drop-in for virt-aa-helper.
 *
 *   aavm-helper MODE [-d] -u libvirt-<uuid> [-f FILE | -F FILE] [< domain.xml]
 *
 * Exit status 0 on success, 1 on any failure.  No environment variable
 * changes what it does; paths come from configure or from the options. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aavm-config.h"
#include "aavm-error.h"
#include "aavm-i18n.h"
#include "config-file.h"
#include "domain-parse.h"
#include "host.h"
#include "loader.h"
#include "store.h"
#include "vm-profile.h"

static AavmMode opt_mode = AAVM_MODE_NONE;
static gboolean opt_dryrun = FALSE;
static char *opt_uuid = NULL;
static char *opt_extra_file = NULL;
static gboolean opt_append = FALSE;
static char *opt_profile_dir = NULL;
static char *opt_parser = NULL;
static char *opt_max_depth = NULL;
static char *opt_config = NULL;
static char *opt_cache_dir = NULL;
static char *opt_lock_dir = NULL;
static gboolean opt_assume_apparmor = FALSE;
static gboolean opt_version = FALSE;

/* Mode letters and -f/-F overwrite each other: the last one given wins. */
static gboolean
set_mode(const char *name, const char *value, gpointer data, GError **error)
{
    static const struct {
        const char *option;
        AavmMode mode;
    } modes[] = {
        { "-a", AAVM_MODE_ADD },     { "--add", AAVM_MODE_ADD },
        { "-c", AAVM_MODE_CREATE },  { "--create", AAVM_MODE_CREATE },
        { "-r", AAVM_MODE_REPLACE }, { "--replace", AAVM_MODE_REPLACE },
        { "-R", AAVM_MODE_REMOVE },  { "--remove", AAVM_MODE_REMOVE },
        { "-D", AAVM_MODE_DELETE },  { "--delete", AAVM_MODE_DELETE },
    };

    for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
        if (strcmp(name, modes[i].option) == 0) {
            opt_mode = modes[i].mode;
            return TRUE;
        }
    }
    return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT, _("Unknown mode '%s'."), name);
}

static gboolean
set_extra_file(const char *name, const char *value, gpointer data, GError **error)
{
    g_free(opt_extra_file);
    opt_extra_file = g_strdup(value);
    opt_append = strcmp(name, "-F") == 0 || strcmp(name, "--append-file") == 0;
    return TRUE;
}

static const GOptionEntry entries[] = {
    { "add", 'a', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_mode,
      N_("Load the existing profile"), NULL },
    { "create", 'c', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_mode,
      N_("Create the profile from the domain XML on standard input and load it"), NULL },
    { "replace", 'r', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_mode,
      N_("Regenerate the rules from the domain XML on standard input and reload"), NULL },
    { "remove", 'R', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_mode,
      N_("Unload the profile"), NULL },
    { "delete", 'D', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, set_mode,
      N_("Unload the profile and remove its generated rules"), NULL },
    { "dryrun", 'd', 0, G_OPTION_ARG_NONE, &opt_dryrun,
      N_("Print what would be written to standard error; change nothing"), NULL },
    { "uuid", 'u', 0, G_OPTION_ARG_STRING, &opt_uuid,
      N_("The profile name, libvirt-<uuid>"), N_("NAME") },
    { "add-file", 'f', 0, G_OPTION_ARG_CALLBACK, set_extra_file,
      N_("Grant FILE in addition to the rules from the XML"), N_("FILE") },
    { "append-file", 'F', 0, G_OPTION_ARG_CALLBACK, set_extra_file,
      N_("Append a rule for FILE to the existing rules"), N_("FILE") },
    { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_dir,
      N_("Directory of the per-VM profiles and templates"), N_("DIR") },
    { "parser", 0, 0, G_OPTION_ARG_FILENAME, &opt_parser,
      N_("The apparmor_parser program to run"), N_("PATH") },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_cache_dir,
      N_("Directory of apparmor_parser's compile cache (-W -L)"), N_("DIR") },
    { "lock-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_lock_dir,
      N_("Directory of the per-VM lock files (made 0700)"), N_("DIR") },
    { "assume-apparmor", 0, 0, G_OPTION_ARG_NONE, &opt_assume_apparmor,
      N_("Do not ask the kernel whether AppArmor is enabled before loading (for chroots, image building and tests)"),
      NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt_config,
      N_("Read the settings from FILE instead of the installed aavm.conf"), N_("FILE") },
    { "max-backing-depth", 0, 0, G_OPTION_ARG_STRING, &opt_max_depth,
      N_("Refuse backing chains found in image headers deeper than N layers (default 200)"),
      N_("N") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
      N_("Print the version of aavm-helper and exit"), NULL },
    { NULL },
};

/* Keep only the locale settings, so nothing from the caller's environment
 * reaches the parser or changes behaviour. */
static void
reset_environment(void)
{
    static const char *const keep[] = { "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE" };
    char *saved[G_N_ELEMENTS(keep)];

    for (guint i = 0; i < G_N_ELEMENTS(keep); i++)
        saved[i] = g_strdup(g_getenv(keep[i]));
    clearenv();
    for (guint i = 0; i < G_N_ELEMENTS(keep); i++) {
        if (saved[i])
            g_setenv(keep[i], saved[i], TRUE);
        g_free(saved[i]);
    }
    g_setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", TRUE);
}

static int
fail(const char *message)
{
    fprintf(stderr, _("%s: error: %s\n"), g_get_prgname(), message);
    return EXIT_FAILURE;
}

static gboolean
build_config(AavmConfig *config, GError **error)
{
    return aavm_config_file_apply(config, opt_config, error) &&
           aavm_config_set_dirs(config, opt_profile_dir, opt_parser, opt_cache_dir, error) &&
           (!opt_lock_dir ||
            aavm_config_set(&config->lock_dir, opt_lock_dir, _("lock directory"), error)) &&
           (!opt_max_depth || aavm_config_set_max_backing_depth(config, opt_max_depth, error));
}

int
main(int argc, char **argv)
{
    g_autoptr(GOptionContext) context = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(AavmHost) host = NULL;
    g_autofree char *xml = NULL;
    gsize xml_len = 0;
    AavmOutcome outcome;

    reset_environment();
    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    context = g_option_context_new(_("- generate and load the AppArmor profile of a VM"));
    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_summary(context,
        _("Modes: -a, -c, -r, -R, -D. The domain XML is read from standard input for -c and -r."));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return fail(error->message);
    if (opt_version) {
        printf("aavm-helper (aavm) %s\n", PACKAGE_VERSION);
        return EXIT_SUCCESS;
    }
    if (argc > 1) {
        g_autofree char *msg = g_strdup_printf(_("Unexpected argument '%s'."), argv[1]);
        return fail(msg);
    }
    if (!opt_uuid)
        return fail(_("No profile name was given (-u libvirt-<uuid>)."));
    if (opt_mode == AAVM_MODE_NONE) {
        g_autofree char *help = g_option_context_get_help(context, TRUE, NULL);
        fputs(help, stderr);
        return fail(_("No mode was given."));
    }
    if (!build_config(config, &error) || !(host = aavm_host_new("/", &error)))
        return fail(error->message);
    /* one run, one answer per path (bench/run: 1000 disks) */
    aavm_host_remember_paths(host);

    /* Every mode but a dry run ends in a load: fail early, before any
     * file changes, when the kernel cannot take it. */
    if (!opt_dryrun && !opt_assume_apparmor && !aavm_loader_check_enabled(&error))
        return fail(error->message);

    if (opt_mode == AAVM_MODE_CREATE || opt_mode == AAVM_MODE_REPLACE) {
        if (!aavm_store_read_fd(STDIN_FILENO, AAVM_DOMAIN_XML_MAX, &xml, &xml_len, &error))
            return fail(error->message);
    }

    AavmRequest request = {
        .mode = opt_mode,
        .dryrun = opt_dryrun,
        .profile_name = opt_uuid,
        .xml = xml,
        .xml_len = xml_len,
        .extra_file = opt_extra_file,
        .append = opt_append,
    };
    aavm_outcome_init(&outcome);
    gboolean ok = aavm_vm_profile_run(config, host, &request, &outcome, &error);
    for (guint i = 0; i < outcome.notes->len; i++)
        fprintf(stderr, _("%s: warning: %s\n"), g_get_prgname(),
                (const char *)g_ptr_array_index(outcome.notes, i));
    if (ok) {
        for (guint i = 0; i < outcome.dryrun_blocks->len; i++)
            fprintf(stderr, "%s:\n%s\n", g_get_prgname(),
                    (const char *)g_ptr_array_index(outcome.dryrun_blocks, i));
    }
    aavm_outcome_clear(&outcome);
    g_free(opt_uuid);
    g_free(opt_extra_file);
    g_free(opt_profile_dir);
    g_free(opt_parser);
    g_free(opt_max_depth);
    g_free(opt_config);
    g_free(opt_cache_dir);
    g_free(opt_lock_dir);
    return ok ? EXIT_SUCCESS : fail(error->message);
}
