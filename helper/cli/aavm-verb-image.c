/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verb-image.c: aavm image-check. */
#include "aavm-verbs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "host-image.h"
#include "image-check.h"

#define EXIT_IMAGE_UNREADABLE 3

int
aavm_verb_image_check(int argc, char **argv)
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
          N_("Print the verdict as one JSON object on one line (schema version 1, its \"version\" key)"), NULL },
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
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (argc != 2)
        return aavm_verb_fail(EXIT_USAGE, _("'aavm image-check' takes exactly one image file."));
    if (!opt_format)
        return aavm_verb_fail(EXIT_USAGE, _("'aavm image-check' needs the declared format of the image: --format raw, qcow2, qed, vmdk or luks."));
    if (!aavm_image_check_format_from_string(opt_format, &options.format, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (opt_max_size && !aavm_parse_size(opt_max_size, &options.max_virtual_size, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (opt_max_size && options.max_virtual_size == 0)
        return aavm_verb_fail(EXIT_USAGE, _("The limit of --max-virtual-size must be more than 0 bytes."));
    options.allow_backing = opt_allow_backing;
    options.allow_data_file = opt_allow_data_file;

    if (!(image = aavm_host_image_open_file(argv[1], &error)))
        return aavm_verb_fail(EXIT_IMAGE_UNREADABLE, error->message);
    if (!(verdict = aavm_image_check(&image->reader, &options, &error))) {
        g_autofree char *msg = g_strdup_printf(_("%s: %s"), argv[1], error->message);
        return aavm_verb_fail(EXIT_IMAGE_UNREADABLE, msg);
    }
    if (opt_json) {
        g_autofree char *json = aavm_image_verdict_to_json(verdict, argv[1]);

        out = g_strconcat(json, "\n", NULL);
    } else {
        out = aavm_image_verdict_to_text(verdict, argv[1]);
    }
    fputs(out, stdout);
    if (fflush(stdout) != 0)
        return aavm_verb_fail(EXIT_IMAGE_UNREADABLE, _("Cannot write the output."));
    return verdict->accepted ? EXIT_SUCCESS : EXIT_FAILURE;
}
