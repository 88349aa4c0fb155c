/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verb-domain.c: aavm generate and aavm explain, the verbs on a domain XML. */
#include "aavm-verbs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-text.h"
#include "config-file.h"
#include "domain-parse.h"
#include "explain.h"
#include "findings.h"
#include "generate.h"
#include "host.h"
#include "pipeline.h"

int
aavm_verb_generate(int argc, char **argv)
{
    gboolean opt_profile = FALSE;
    g_autofree char *opt_template_dir = NULL;
    g_autofree char *opt_max_depth = NULL;
    g_autofree char *opt_config = NULL;
    const GOptionEntry entries[] = {
        { "profile", 'p', 0, G_OPTION_ARG_NONE, &opt_profile,
          N_("Print the whole per-VM profile, rules inlined, instead of the .files rules"), NULL },
        { "template-dir", 't', 0, G_OPTION_ARG_FILENAME, &opt_template_dir,
          N_("Where TEMPLATE.<driver> is (default: the profile directory)"), N_("DIR") },
        { "max-backing-depth", 0, 0, G_OPTION_ARG_STRING, &opt_max_depth,
          N_("Refuse backing chains found in image headers deeper than N layers (default 200)"),
          N_("N") },
        CONFIG_OPTION(opt_config),
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
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (argc != 2)
        return aavm_verb_fail(EXIT_USAGE, _("'aavm generate' takes exactly one domain XML file (or '-')."));
    if (!aavm_config_file_apply(config, opt_config, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);
    if (opt_max_depth && !aavm_config_set_max_backing_depth(config, opt_max_depth, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (!(host = aavm_host_new("/", &error)) || !aavm_verb_read_input(argv[1], &xml, &len, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);

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
        return aavm_verb_fail(EXIT_FAILURE, msg);
    }
    return aavm_verb_print(out);
}

int
aavm_verb_explain(int argc, char **argv)
{
    gboolean opt_json = FALSE;
    g_autofree char *opt_profile_dir = NULL;
    g_autofree char *opt_config_dir = NULL;
    g_autofree char *opt_max_depth = NULL;
    g_autofree char *opt_config = NULL;
    const GOptionEntry entries[] = {
        { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
          N_("Print the rules and findings as one JSON object on one line (schema version 1, its \"version\" key)"), NULL },
        { "profile-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_profile_dir,
          N_("Directory of the per-VM profiles (other VMs' .files are read from it)"),
          N_("DIR") },
        { "libvirt-config-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_config_dir,
          N_("The VM manager's configuration directory (storage pools in storage/, defined domains in qemu/ and lxc/; default from aavm.conf, else /etc/libvirt)"),
          N_("DIR") },
        { "max-backing-depth", 0, 0, G_OPTION_ARG_STRING, &opt_max_depth,
          N_("Refuse backing chains found in image headers deeper than N layers (default 200)"),
          N_("N") },
        CONFIG_OPTION(opt_config),
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new(_("DOMAIN.xml|-|VM - show every rule of a domain, why it is there, and what confinement does not cover"));
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmConfig) config = aavm_config_new_default();
    g_autoptr(AavmHost) host = NULL;
    g_auto(AavmPipeline) p = { 0 };
    g_autoptr(AavmSite) site = NULL;
    g_autoptr(GPtrArray) findings = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *out = NULL;
    gsize len = 0;

    g_option_context_add_main_entries(context, entries, GETTEXT_PACKAGE);
    g_option_context_set_description(context, _(
        "The table lists every rule the domain gets: its permissions (PERMS), the path it\n"
        "matches (PATH: a directory ends in '/', a whole tree in '/**'), where it comes from\n"
        "(FROM: device, base, extra or passthrough) and why (REASON). The findings that\n"
        "follow name what AppArmor does not isolate or what puts the images at risk:\n"
        "network-storage, no-format, shared-writable, world-writable-dir,\n"
        "backing-outside-pool, passthrough-network, passthrough-unparsed,\n"
        "passthrough-disabled and other-vm (a path another VM is granted), each with\n"
        "what to do.\n"
        "\n"
        "An argument that is not '-', holds no '/' and does not end in '.xml' names a\n"
        "defined VM (its name as virsh shows it, its UUID or libvirt-<uuid>): its XML in\n"
        "the VM manager's configuration directory is explained.\n"
        "\n"
        "Exit status: 0 the domain can be confined (with findings or not), 1 the domain\n"
        "is refused (the reason is printed) or cannot be read, 2 usage error.\n"));
    if (!g_option_context_parse(context, &argc, &argv, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (argc != 2)
        return aavm_verb_fail(EXIT_USAGE, _("'aavm explain' takes exactly one domain XML file, '-' or a VM."));
    if (!aavm_config_file_apply(config, opt_config, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);
    if (opt_max_depth && !aavm_config_set_max_backing_depth(config, opt_max_depth, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    if (!aavm_config_set_dirs(config, opt_profile_dir, NULL, NULL, &error) ||
        !aavm_verb_set_libvirt_dirs(config, NULL, opt_config_dir, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    const char *input = argv[1];
    g_autoptr(AavmVmMatch) vm = NULL;
    if (!aavm_verb_arg_is_file(input)) {
        if (!(vm = aavm_verb_lookup_vm(config, input, &error)))
            return aavm_verb_fail(EXIT_USAGE, error->message);
        if (!vm->xml_path) {
            g_autofree char *msg = g_strdup_printf(
                _("The VM %s has no domain XML in '%s/qemu' or '%s/lxc'; give its XML file."),
                vm->uuid, config->libvirt_config_dir, config->libvirt_config_dir);
            return aavm_verb_fail(EXIT_FAILURE, msg);
        }
        input = vm->xml_path;
    }
    if (!(host = aavm_host_new("/", &error)) || !aavm_verb_read_input(input, &xml, &len, &error))
        return aavm_verb_fail(EXIT_FAILURE, error->message);
    aavm_host_remember_paths(host);

    if (!aavm_pipeline_run(config, host, xml, len, NULL, &p, &error)) {
        g_autofree char *reason = aavm_text_printable(error->message);
        g_autofree char *msg = g_strdup_printf(_("%s: the domain is refused: %s"), input,
                                               reason);
        return aavm_verb_fail(EXIT_FAILURE, msg);
    }
    site = aavm_site_read(config, host, config->profile_dir, config->libvirt_config_dir,
                          p.domain->uuid);
    aavm_verb_warn_each(site->warnings);
    findings = aavm_findings_collect(p.domain, p.list, site, host, config);
    if (opt_json) {
        g_autofree char *json = aavm_explain_to_json(p.domain, p.list, findings, p.warnings);
        out = g_strconcat(json, "\n", NULL);
    } else {
        out = aavm_explain_to_text(p.domain, p.list, findings, p.warnings);
    }
    return aavm_verb_print(out);
}
