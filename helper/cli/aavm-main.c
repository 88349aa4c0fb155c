/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm: the administrator's interface.
 *
 *   aavm generate [--profile] [--template-dir DIR] [--max-backing-depth N] DOMAIN.xml|-
 *   aavm explain [--json] [--config FILE] [--profile-dir DIR] [--libvirt-config-dir DIR]
 *                [--max-backing-depth N] DOMAIN.xml|-
 *   aavm denial [--json] [--config FILE] [--profile-dir DIR] [--libvirt-config-dir DIR]
 *               [--libvirt-run-dir DIR] [LOGFILE|-]
 *   aavm image-check --format FMT [--max-virtual-size SIZE] [--allow-backing]
 *                    [--allow-data-file] [--json] FILE
 *   aavm status [--profile-dir DIR] [--cache-dir DIR] [--json]
 *   aavm complain|enforce [--profile-dir DIR] [--parser PATH] [--cache-dir DIR]
 *                         [--no-reload] UUID|libvirt-UUID
 *
 * Exit status of generate: 0 success, 1 failure, 2 usage error; of
 * explain: 0 the domain can be confined (findings or not), 1 refused or
 * unreadable, 2 usage error; of denial: 0 the log was read (denials or
 * not), 1 it cannot be read, 2 usage error; of
 * image-check: 0 accepted, 1 refused, 2 usage error, 3 the file cannot be
 * opened or read; of status: 0 (also without AppArmor), 1 when the profile
 * directory cannot be listed, 2 usage error; of complain and enforce: 0
 * done (or already in that mode), 1 failure, 2 usage error. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aavm-i18n.h"
#include "aavm-verbs.h"

static void
usage(FILE *to)
{
    fprintf(to, "%s\n\n%s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n\n%s\n  %s\n  %s\n\n%s\n",
            _("Usage: aavm VERB [OPTION...] [ARGUMENT...]"),
            _("Verbs:"),
            _("generate      print the generated rules (or, with --profile, the whole profile) of a domain"),
            _("explain       show every rule of a domain and why, then what confinement does not cover"),
            _("denial        explain the AppArmor denials of VMs in a kernel log, with the smallest fix"),
            _("image-check   check an uploaded disk image: its format, size, and the files it names"),
            _("status        show every per-VM profile: VM name, loaded, mode, stale .files"),
            _("complain      put a VM's profile in complain mode and reload it"),
            _("enforce       put a VM's profile in enforce mode and reload it"),
            _("prune         remove the profiles and files of VMs the VM manager no longer knows"),
            _("Options:"),
            _("-h, --help    print this help"),
            _("--version     print the version of aavm"),
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
    if (strcmp(argv[1], "--version") == 0) {
        printf("aavm %s\n", PACKAGE_VERSION);
        return EXIT_SUCCESS;
    }
    if (strcmp(argv[1], "generate") == 0)
        return aavm_verb_generate(argc - 1, argv + 1);
    if (strcmp(argv[1], "explain") == 0)
        return aavm_verb_explain(argc - 1, argv + 1);
    if (strcmp(argv[1], "denial") == 0)
        return aavm_verb_denial(argc - 1, argv + 1);
    if (strcmp(argv[1], "image-check") == 0)
        return aavm_verb_image_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "status") == 0)
        return aavm_verb_status(argc - 1, argv + 1);
    if (strcmp(argv[1], "complain") == 0)
        return aavm_verb_set_mode(argc - 1, argv + 1, AAVM_PROFILE_MODE_COMPLAIN);
    if (strcmp(argv[1], "enforce") == 0)
        return aavm_verb_set_mode(argc - 1, argv + 1, AAVM_PROFILE_MODE_ENFORCE);
    if (strcmp(argv[1], "prune") == 0)
        return aavm_verb_prune(argc - 1, argv + 1);

    usage(stderr);
    g_autofree char *msg = g_strdup_printf(_("Unknown verb '%s'."), argv[1]);
    return aavm_verb_fail(EXIT_USAGE, msg);
}
