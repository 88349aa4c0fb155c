/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-verb-util.c: what the verbs of aavm share. */
#include "aavm-verbs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aavm-i18n.h"
#include "aavm-text.h"
#include "config-file.h"
#include "domain-parse.h"
#include "store.h"

int
aavm_verb_fail(int status, const char *message)
{
    fprintf(stderr, "aavm: %s\n", message);
    return status;
}

void
aavm_verb_warn_each(const GPtrArray *warnings)
{
    for (guint i = 0; warnings && i < warnings->len; i++) {
        g_autofree char *line = aavm_text_printable(g_ptr_array_index(warnings, i));
        aavm_verb_fail(0, line);
    }
}

int
aavm_verb_print(const char *out)
{
    fputs(out, stdout);
    if (fflush(stdout) != 0)
        return aavm_verb_fail(EXIT_FAILURE, _("Cannot write the output."));
    return EXIT_SUCCESS;
}

gboolean
aavm_verb_read_input(const char *file, char **out_xml, gsize *out_len, GError **error)
{
    if (strcmp(file, "-") == 0)
        return aavm_store_read_fd(STDIN_FILENO, AAVM_DOMAIN_XML_MAX, out_xml, out_len, error);
    return aavm_store_read(file, AAVM_DOMAIN_XML_MAX, out_xml, out_len, error);
}

gboolean
aavm_verb_set_libvirt_dirs(AavmConfig *config, const char *run_dir, const char *config_dir,
                           GError **error)
{
    return (!run_dir || aavm_config_set(&config->libvirt_run_dir, run_dir,
                                        _("libvirt runtime directory"), error)) &&
           (!config_dir || aavm_config_set(&config->libvirt_config_dir, config_dir,
                                           _("libvirt configuration directory"), error));
}

int
aavm_verb_apply_state_dirs(AavmConfig *config, const char *opt_config, const char *profile_dir,
                           const char *cache_dir, const char *run_dir, const char *config_dir,
                           int config_status)
{
    g_autoptr(GError) error = NULL;

    if (!aavm_config_file_apply(config, opt_config, &error))
        return aavm_verb_fail(config_status, error->message);
    if (!aavm_config_set_dirs(config, profile_dir, NULL, cache_dir, &error) ||
        !aavm_verb_set_libvirt_dirs(config, run_dir, config_dir, &error))
        return aavm_verb_fail(EXIT_USAGE, error->message);
    return 0;
}

AavmVmMatch *
aavm_verb_lookup_vm(const AavmConfig *config, const char *arg, GError **error)
{
    AavmVmMatch *match = aavm_vm_lookup(arg, config->libvirt_config_dir, config->profile_dir,
                                        error);

    if (match && !aavm_vm_lookup_is_uuid(arg)) {
        g_autofree char *name = aavm_text_printable(match->name);
        g_autofree char *source = aavm_text_printable(match->source);
        g_autofree char *msg = g_strdup_printf(_("The VM '%s' is %s (found in '%s')."), name,
                                               match->uuid, source);
        aavm_verb_fail(0, msg);
    }
    return match;
}

gboolean
aavm_verb_arg_is_file(const char *arg)
{
    return strcmp(arg, "-") == 0 || strchr(arg, '/') || g_str_has_suffix(arg, ".xml");
}
