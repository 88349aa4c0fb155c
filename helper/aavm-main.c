/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm: the administrator's interface.
 *
 *   aavm generate [--profile] [--template-dir DIR] [--max-backing-depth N] DOMAIN.xml|-
 *   aavm image-check --format FMT [--max-virtual-size SIZE] [--allow-backing]
 *                    [--allow-data-file] [--json] FILE
 *   aavm status [--profile-dir DIR] [--cache-dir DIR] [--json]
 *   aavm complain|enforce [--profile-dir DIR] [--parser PATH] [--cache-dir DIR]
 *                         [--no-reload] UUID|libvirt-UUID
 *
 * Exit status of generate: 0 success, 1 failure, 2 usage error; of
 * image-check: 0 accepted, 1 refused, 2 usage error, 3 the file cannot be
 * opened or read; of status: 0 (also without AppArmor), 1 when the profile
 * directory cannot be listed, 2 usage error; of complain and enforce: 0
 * done (or already in that mode), 1 failure, 2 usage error. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aavm-config.h"
#include "aavm-error.h"
#include "aavm-i18n.h"
#include "domain-parse.h"
#include "generate.h"
#include "host.h"
#include "host-image.h"
#include "image-check.h"
#include "kernel-state.h"
#include "profile-flags.h"
#include "store.h"
#include "vm-status.h"

#define EXIT_USAGE 2

static int
fail(int status, const char *message)
{
    fprintf(stderr, "aavm: %s\n", message);
    return status;
}

static gboolean
read_input(const char *file, char **out_xml, gsize *out_len, GError **error)
{
    if (strcmp(file, "-") == 0)
        return aavm_store_read_fd(STDIN_FILENO, AAVM_DOMAIN_XML_MAX, out_xml, out_len, error);
    return aavm_store_read(file, AAVM_DOMAIN_XML_MAX, out_xml, out_len, error);
}

static int
cmd_generate(int argc, char **argv)
{
    gboolean opt_profile = FALSE;
    g_autofree char *opt_template_dir = NULL;
    g_autofree char *opt_max_depth = NULL;
    const GOptionEntry entries[] = {
        { "profile", 'p', 0, G_OPTION_ARG_NONE, &opt_profile,
          N_("Print the whole per-VM profile, rules inlined, instead of the .files rules"), NULL },
        { "template-dir", 't', 0, G_OPTION_ARG_FILENAME, &opt_template_dir,
          N_("Where TEMPLATE.<driver> is (default: the profile directory)"), N_("DIR") },
        { "max-backing-depth", 0, 0, G_OPTION_ARG_STRING, &opt_max_depth,
          N_("Refuse backing chains found in image headers deeper than N layers (default 200)"),
          N_("N") },
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new(_("DOMAIN.xml|- - print the rules of a domain"));
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(AavmHost) host = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *out = NULL;
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    gsize len = 0;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return fail(EXIT_USAGE, error->message);
    if (argc != 2)
        return fail(EXIT_USAGE, _("'aavm generate' takes exactly one domain XML file (or '-')."));
    if (opt_max_depth && !aavm_config_set_max_backing_depth(config, opt_max_depth, &error))
        return fail(EXIT_USAGE, error->message);
    if (!(host = aavm_host_new("/", &error)) || !read_input(argv[1], &xml, &len, &error))
        return fail(EXIT_FAILURE, error->message);

    if (opt_profile)
        out = aavm_generate_profile(config, host, xml, len,
                                    opt_template_dir ? opt_template_dir : config->profile_dir,
                                    warnings, &error);
    else
        out = aavm_generate_files(config, host, xml, len, warnings, &error);
    for (guint i = 0; i < warnings->len; i++)
        fprintf(stderr, _("%s: warning: %s\n"), g_get_prgname(),
                (const char *)g_ptr_array_index(warnings, i));
    if (!out) {
        g_autofree char *msg = g_strdup_printf(_("%s: %s"), argv[1], error->message);
        return fail(EXIT_FAILURE, msg);
    }
    fputs(out, stdout);
    return fflush(stdout) == 0 ? EXIT_SUCCESS : fail(EXIT_FAILURE, _("Cannot write the output."));
}

#define EXIT_IMAGE_UNREADABLE 3

static int
cmd_image_check(int argc, char **argv)
{
    g_autofree char *opt_format = NULL;
    g_autofree char *opt_max_size = NULL;
    gboolean opt_allow_backing = FALSE;
    gboolean opt_allow_data_file = FALSE;
    gboolean opt_json = FALSE;
    const GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format,
          N_("The format the image is declared to have: raw, qcow2, qed, vmdk or luks (required)"),
          N_("FMT") },
        { "max-virtual-size", 0, 0, G_OPTION_ARG_STRING, &opt_max_size,
          N_("Refuse an image whose guest would see more than SIZE bytes (suffixes K, M, G, T, P, E or KiB, MiB, ...: powers of 1024)"),
          N_("SIZE") },
        { "allow-backing", 0, 0, G_OPTION_ARG_NONE, &opt_allow_backing,
          N_("Accept an image that names a backing file"), NULL },
        { "allow-data-file", 0, 0, G_OPTION_ARG_NONE, &opt_allow_data_file,
          N_("Accept a qcow2 image with an external data file, or VMDK extents in other files"),
          NULL },
        { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
          N_("Print the verdict as one JSON object on one line"), NULL },
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new(_("FILE - check an uploaded disk image before a VM uses it"));
    g_autoptr(GError) error = NULL;
    AavmImageCheckOptions options = { 0 };
    g_autoptr(AavmHostImage) image = NULL;
    g_autoptr(AavmImageVerdict) verdict = NULL;
    g_autofree char *out = NULL;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_description(context, _(
        "The header must be valid for the declared format; a raw image must not carry another\n"
        "format's header; the image must name no backing file, external data file or extent\n"
        "file unless allowed; its virtual size must be within --max-virtual-size. The first\n"
        "line printed is the verdict, every problem found follows.\n"
        "\n"
        "Exit status:\n"
        "  0  the image is accepted\n"
        "  1  the image is refused\n"
        "  2  usage error: no or an unknown --format, a bad size, not exactly one FILE\n"
        "  3  the file cannot be opened or read (or the verdict cannot be written)\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return fail(EXIT_USAGE, error->message);
    if (argc != 2)
        return fail(EXIT_USAGE, _("'aavm image-check' takes exactly one image file."));
    if (!opt_format)
        return fail(EXIT_USAGE, _("'aavm image-check' needs the declared format of the image: --format raw, qcow2, qed, vmdk or luks."));
    if (!aavm_image_check_format_from_string(opt_format, &options.format, &error))
        return fail(EXIT_USAGE, error->message);
    if (opt_max_size && !aavm_parse_size(opt_max_size, &options.max_virtual_size, &error))
        return fail(EXIT_USAGE, error->message);
    if (opt_max_size && options.max_virtual_size == 0)
        return fail(EXIT_USAGE, _("The limit of --max-virtual-size must be more than 0 bytes."));
    options.allow_backing = opt_allow_backing;
    options.allow_data_file = opt_allow_data_file;

    if (!(image = aavm_host_image_open_file(argv[1], &error)))
        return fail(EXIT_IMAGE_UNREADABLE, error->message);
    if (!(verdict = aavm_image_check(&image->reader, &options, &error))) {
        g_autofree char *msg = g_strdup_printf(_("%s: %s"), argv[1], error->message);
        return fail(EXIT_IMAGE_UNREADABLE, msg);
    }
    if (opt_json) {
        g_autofree char *json = aavm_image_verdict_to_json(verdict, argv[1]);

        out = g_strconcat(json, "\n", NULL);
    } else {
        out = aavm_image_verdict_to_text(verdict, argv[1]);
    }
    fputs(out, stdout);
    if (fflush(stdout) != 0)
        return fail(EXIT_IMAGE_UNREADABLE, _("Cannot write the output."));
    return verdict->accepted ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int
cmd_status(int argc, char **argv)
{
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_cache_dir = NULL;
    g_autofree char *opt_run_dir = NULL;
    g_autofree char *opt_config_dir = NULL;
    gboolean opt_json = FALSE;
    const GOptionEntry entries[] = {
        { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_dir,
          N_("Directory of the per-VM profiles"), N_("DIR") },
        { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_cache_dir,
          N_("apparmor_parser's compile cache of the per-VM profiles"), N_("DIR") },
        { "libvirt-run-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_run_dir,
          N_("The VM manager's runtime directory (running domains' XML in qemu/ and lxc/)"),
          N_("DIR") },
        { "libvirt-config-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_config_dir,
          N_("The VM manager's configuration directory (defined domains' XML in qemu/ and lxc/; default /etc/libvirt)"),
          N_("DIR") },
        { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
          N_("Print the status as one JSON object on one line"), NULL },
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
        "Exit status: 0 shown, 1 the profile directory cannot be listed, 2 usage error.\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return fail(EXIT_USAGE, error->message);
    if (argc != 1)
        return fail(EXIT_USAGE, _("'aavm status' takes no arguments."));
    if (!aavm_config_set_dirs(config, opt_profile_dir, NULL, opt_cache_dir, &error) ||
        (opt_run_dir &&
         !aavm_config_set(&config->libvirt_run_dir, opt_run_dir, _("libvirt runtime directory"), &error)))
        return fail(EXIT_USAGE, error->message);

    g_autofree char *config_dir = g_strdup(opt_config_dir ? opt_config_dir : "/etc/libvirt");
    g_autofree char *run_qemu = g_build_filename(config->libvirt_run_dir, "qemu", NULL);
    g_autofree char *run_lxc = g_build_filename(config->libvirt_run_dir, "lxc", NULL);
    g_autofree char *etc_qemu = g_build_filename(config_dir, "qemu", NULL);
    g_autofree char *etc_lxc = g_build_filename(config_dir, "lxc", NULL);
    const char *const xml_dirs[] = { run_qemu, run_lxc, etc_qemu, etc_lxc, NULL };
    AavmVmStatusOptions options = {
        .profile_dir = config->profile_dir,
        .cache_dir = config->cache_dir,
        .domain_xml_dirs = xml_dirs,
    };

    kernel = aavm_kernel_state_read(NULL, 0, &error);
    if (!kernel) {
        /* The list cannot be read: show the files, the kernel side unknown. */
        kernel = aavm_kernel_state_new_unreadable(error->message);
        g_clear_error(&error);
    }
    if (!(report = aavm_vm_status_collect(&options, kernel, &error)))
        return fail(EXIT_FAILURE, error->message);
    if (opt_json) {
        g_autofree char *json = aavm_vm_status_to_json(report);
        out = g_strconcat(json, "\n", NULL);
    } else {
        out = aavm_vm_status_to_text(report);
    }
    fputs(out, stdout);
    return fflush(stdout) == 0 ? EXIT_SUCCESS : fail(EXIT_FAILURE, _("Cannot write the output."));
}

/* aavm complain / aavm enforce */
static int
cmd_set_mode(int argc, char **argv, AavmProfileMode mode)
{
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_parser = NULL;
    g_autofree char *opt_cache_dir = NULL;
    gboolean opt_no_reload = FALSE;
    const GOptionEntry entries[] = {
        { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_dir,
          N_("Directory of the per-VM profiles"), N_("DIR") },
        { "parser", 0, 0, G_OPTION_ARG_FILENAME, &opt_parser,
          N_("The apparmor_parser program to run"), N_("PATH") },
        { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_cache_dir,
          N_("apparmor_parser's compile cache of the per-VM profiles"), N_("DIR") },
        { "no-reload", 0, 0, G_OPTION_ARG_NONE, &opt_no_reload,
          N_("Only change the flag; it takes effect when the profile is next loaded"), NULL },
        { NULL },
    };
    const char *verb = aavm_profile_mode_to_string(mode);
    g_autofree char *summary = g_strdup(
        mode == AAVM_PROFILE_MODE_COMPLAIN
            ? _("UUID|libvirt-UUID - put a VM's profile in complain mode (log, do not deny)")
            : _("UUID|libvirt-UUID - put a VM's profile back in enforce mode"));
    g_autoptr(GOptionContext) context = g_option_context_new(summary);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autofree char *name = NULL;
    gboolean changed = FALSE;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_description(context, _(
        "Changes the complain flag on the 'profile libvirt-<uuid>' line of the VM's profile\n"
        "and nothing else, then reloads it with apparmor_parser -r. The profile is the\n"
        "administrator's: aavm-helper never rewrites it, so the mode stays across restarts\n"
        "of the VM. When the parser fails, the old profile is put back.\n"
        "\n"
        "Exit status: 0 done (or already in that mode), 1 failure, 2 usage error.\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return fail(EXIT_USAGE, error->message);
    if (argc != 2) {
        g_autofree char *msg = g_strdup_printf(_("'aavm %s' takes exactly one UUID or profile name."), verb);
        return fail(EXIT_USAGE, msg);
    }
    name = g_str_has_prefix(argv[1], "libvirt-") ? g_strdup(argv[1])
                                                  : g_strconcat("libvirt-", argv[1], NULL);
    if (!aavm_profile_name_check(name, &error) ||
        !aavm_config_set_dirs(config, opt_profile_dir, opt_parser, opt_cache_dir, &error))
        return fail(EXIT_USAGE, error->message);

    if (!aavm_profile_flags_switch(config, name, mode, !opt_no_reload, &changed, &error)) {
        if (g_error_matches(error, AAVM_ERROR, AAVM_ERROR_PARSER_FAILED)) {
            g_autoptr(AavmKernelState) kernel = aavm_kernel_state_read(NULL, 0, NULL);
            if (kernel && !kernel->enabled) {
                g_autofree char *msg = g_strdup_printf(
                    _("%s (AppArmor not enabled: %s) The profile is unchanged; --no-reload changes only the flag."),
                    error->message, kernel->reason);
                return fail(EXIT_FAILURE, msg);
            }
        }
        return fail(EXIT_FAILURE, error->message);
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
    return fflush(stdout) == 0 ? EXIT_SUCCESS : fail(EXIT_FAILURE, _("Cannot write the output."));
}

static void
usage(FILE *to)
{
    fprintf(to, "%s\n\n%s\n  %s\n  %s\n  %s\n  %s\n  %s\n\n%s\n",
            _("Usage: aavm VERB [OPTION...] [ARGUMENT...]"),
            _("Verbs:"),
            _("generate      print the generated rules (or, with --profile, the whole profile) of a domain"),
            _("image-check   check an uploaded disk image: its format, size, and the files it names"),
            _("status        show every per-VM profile: VM name, loaded, mode, stale .files"),
            _("complain      put a VM's profile in complain mode and reload it"),
            _("enforce       put a VM's profile in enforce mode and reload it"),
            _("Run 'aavm VERB --help' for the options of a verb."));
}

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);
    g_set_prgname("aavm");

    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    if (strcmp(argv[1], "generate") == 0)
        return cmd_generate(argc - 1, argv + 1);
    if (strcmp(argv[1], "image-check") == 0)
        return cmd_image_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "status") == 0)
        return cmd_status(argc - 1, argv + 1);
    if (strcmp(argv[1], "complain") == 0)
        return cmd_set_mode(argc - 1, argv + 1, AAVM_PROFILE_MODE_COMPLAIN);
    if (strcmp(argv[1], "enforce") == 0)
        return cmd_set_mode(argc - 1, argv + 1, AAVM_PROFILE_MODE_ENFORCE);

    usage(stderr);
    g_autofree char *msg = g_strdup_printf(_("Unknown verb '%s'."), argv[1]);
    return fail(EXIT_USAGE, msg);
}
