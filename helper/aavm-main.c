/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm: the administrator's interface.
 *
 *   aavm generate [--profile] [--template-dir DIR] DOMAIN.xml|-
 *
 * Exit status: 0 success, 1 failure, 2 usage error. */
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
    const GOptionEntry entries[] = {
        { "profile", 'p', 0, G_OPTION_ARG_NONE, &opt_profile,
          N_("Print the whole per-VM profile, rules inlined, instead of the .files rules"), NULL },
        { "template-dir", 't', 0, G_OPTION_ARG_FILENAME, &opt_template_dir,
          N_("Where TEMPLATE.<driver> is (default: the profile directory)"), N_("DIR") },
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

static void
usage(FILE *to)
{
    fprintf(to, "%s\n\n%s\n  %s\n\n%s\n",
            _("Usage: aavm VERB [OPTION...] [ARGUMENT...]"),
            _("Verbs:"),
            _("generate   print the generated rules (or, with --profile, the whole profile) of a domain"),
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

    usage(stderr);
    g_autofree char *msg = g_strdup_printf(_("Unknown verb '%s'."), argv[1]);
    return fail(EXIT_USAGE, msg);
}
