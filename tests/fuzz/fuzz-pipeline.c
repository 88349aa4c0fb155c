/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-pipeline: libFuzzer target for the whole domain XML -> rules
 * pipeline, aavm_pipeline_run() as aavm-helper runs it: parse the input as
 * a domain XML, build the rules on a host rooted at an empty directory (made once,
 * removed at exit) with the default configuration, and render the .files
 * text.  Refusals are normal outcomes; what is checked besides the
 * sanitizers: a refusal sets an AAVM_ERROR, and every rendered line is a
 * well-formed rule whose quoted path no input byte can end early, after
 * the header line naming the VM (no profile text injection).  See README.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aavm-config.h"
#include "aavm-error.h"
#include "fuzz-check.h"
#include "pipeline.h"
#include "render.h"

/* One rendered rule: two spaces, a quoted absolute path in which a quote,
 * a backslash or a control character can only appear escaped (and control
 * characters not at all), the permission letters and the comma; the reason is a comment
 * line above it, without control characters. */
#define RULE_LINE \
    "^  \"/(?:[^\"\\\\\\x00-\\x1f\\x7f]|\\\\[^\\x00-\\x1f\\x7f])*\" [rwlkm]+,$"
/* A rule's reason, on the line above it. */
#define REASON_PREFIX "  # "

static char *fuzz_root;
static AavmHost *fuzz_host;
static AavmConfig *fuzz_config;
static GRegex *fuzz_rule_line;

static void
fuzz_cleanup(void)
{
    g_clear_pointer(&fuzz_host, aavm_host_free);
    g_clear_pointer(&fuzz_config, aavm_config_free);
    g_clear_pointer(&fuzz_rule_line, g_regex_unref);
    if (fuzz_root)
        rmdir(fuzz_root);
    g_clear_pointer(&fuzz_root, g_free);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_autoptr(GError) error = NULL;

    (void)argc;
    (void)argv;
    fuzz_root = g_build_filename(g_get_tmp_dir(), "aavm-fuzz-root-XXXXXX", NULL);
    if (!mkdtemp(fuzz_root)) {
        perror("mkdtemp");
        abort();
    }
    atexit(fuzz_cleanup);
    fuzz_host = aavm_host_new(fuzz_root, &error);
    FUZZ_CHECK(fuzz_host != NULL);
    fuzz_config = aavm_config_new_default();
    fuzz_rule_line = g_regex_new(RULE_LINE, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, &error);
    FUZZ_CHECK(fuzz_rule_line != NULL);
    return 0;
}

static void
fuzz_check_files(const char *text, guint rules, const char *vm_name)
{
    g_auto(GStrv) lines = NULL;
    g_autofree char *name_line = g_strconcat(AAVM_FILES_VM_PREFIX, vm_name, "\n", NULL);
    g_autofree char *read_name = aavm_render_files_vm_name(text);
    const char *body = text + strlen(AAVM_FILES_HEADER);
    guint n = 0;

    FUZZ_CHECK(g_str_has_prefix(text, AAVM_FILES_HEADER));
    FUZZ_CHECK(g_str_has_suffix(text, "\n"));
    /* The VM's name on its own header line, read back as it is. */
    FUZZ_CHECK(g_str_has_prefix(body, name_line));
    FUZZ_CHECK(read_name && strcmp(read_name, vm_name) == 0);
    lines = g_strsplit(body + strlen(name_line), "\n", -1);
    for (guint i = 0; lines[i] && lines[i + 1]; i++) {
        if (g_str_has_prefix(lines[i], REASON_PREFIX)) {
            /* A reason: printable, and a rule follows it. */
            for (const char *c = lines[i]; *c; c++)
                FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
            FUZZ_CHECK(lines[i + 1][0] && g_regex_match(fuzz_rule_line, lines[i + 1], 0, NULL));
            continue;
        }
        if (!g_regex_match(fuzz_rule_line, lines[i], 0, NULL)) {
            fprintf(stderr, "not a well-formed rule line: '%s'\n", lines[i]);
            abort();
        }
        n++;
    }
    /* One line a rule: no rule text broke a line. */
    FUZZ_CHECK(n == rules);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };
    g_autofree char *text = NULL;

    if (!aavm_pipeline_run(fuzz_config, fuzz_host, (const char *)data, size, NULL, &p, &error)) {
        FUZZ_CHECK(error != NULL && error->domain == AAVM_ERROR && error->message);
        return 0;
    }
    FUZZ_CHECK(error == NULL && p.domain && p.list);
    text = aavm_render_files(p.list, p.domain->name);
    fuzz_check_files(text, aavm_access_list_length(p.list), p.domain->name);
    return 0;
}
