/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm: the administrator's interface.
 *
 *   aavm generate [--profile] [--template-dir DIR] [--max-backing-depth N] DOMAIN.xml|-
 *   aavm image-check --format FMT [--max-virtual-size SIZE] [--allow-backing]
 *                    [--allow-data-file] [--json] FILE
 *
 * Exit status of generate: 0 success, 1 failure, 2 usage error; of
 * image-check: 0 accepted, 1 refused, 2 usage error, 3 the file cannot be
 * opened or read. */
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
#include "store.h"

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

static void
usage(FILE *to)
{
    fprintf(to, "%s\n\n%s\n  %s\n  %s\n\n%s\n",
            _("Usage: aavm VERB [OPTION...] [ARGUMENT...]"),
            _("Verbs:"),
            _("generate      print the generated rules (or, with --profile, the whole profile) of a domain"),
            _("image-check   check an uploaded disk image: its format, size, and the files it names"),
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

    usage(stderr);
    g_autofree char *msg = g_strdup_printf(_("Unknown verb '%s'."), argv[1]);
    return fail(EXIT_USAGE, msg);
}
