/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-qemu-args: libFuzzer target for the readers of <qemu:commandline>
 * arguments and <qemu:env> pairs (qemu-args*.c, qemu-opts.c).  The input,
 * split at its NUL bytes, is the <qemu:arg> values: aavm_qemu_args_scan()
 * reads them all, aavm_qemu_env_scan() the first two as a name and a value;
 * the whole input (to its first NUL) goes through aavm_qemu_opts_split()
 * and aavm_qemu_json_flatten().  What is checked besides the sanitizers:
 * every item has a known kind, the option it came from and the index of an
 * argument that exists; a PATH item an absolute path (a VFIO host= a PCI
 * address) and permissions, a
 * NETWORK or UNPARSED item a note and none; a split or flattened parameter
 * a value, and a key wherever the syntax gives one; a refusal an
 * AAVM_ERROR.  See README.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aavm-error.h"
#include "access.h"
#include "fuzz-check.h"
#include "qemu-args.h"

static void
fuzz_check_items(const GPtrArray *items, guint n_args, gboolean from_env)
{
    for (guint i = 0; i < items->len; i++) {
        const AavmPassthrough *item = g_ptr_array_index(items, i);

        FUZZ_CHECK(item != NULL);
        FUZZ_CHECK(item->kind < AAVM_PASSTHROUGH_KIND_LAST);
        FUZZ_CHECK(item->from_env == from_env);
        FUZZ_CHECK(item->option != NULL && item->value != NULL);
        if (from_env)
            FUZZ_CHECK(item->index == 0);
        else
            FUZZ_CHECK(item->index < n_args);
        if (item->kind == AAVM_PASSTHROUGH_PATH) {
            AavmPciAddress addr;
            /* An absolute path, or the PCI address of a VFIO host=. */
            if (aavm_qemu_item_is_vfio(item) && strcmp(item->key, "host") == 0)
                FUZZ_CHECK(aavm_qemu_pci_address_parse(item->value, &addr));
            else
                FUZZ_CHECK(item->value[0] == '/');
            FUZZ_CHECK(item->perms != 0 && (item->perms & ~(guint)AAVM_PERM_ALL) == 0);
            FUZZ_CHECK(!g_str_has_prefix(item->value, "/dev/fdset/"));
            FUZZ_CHECK(item->note == NULL);
        } else {
            FUZZ_CHECK(item->perms == 0 && !item->tree);
            FUZZ_CHECK(item->note != NULL && *item->note);
        }
        /* Answers about an item hold for PATH items only. */
        if (aavm_qemu_item_is_vfio(item) || aavm_qemu_item_may_be_dir(item))
            FUZZ_CHECK(item->kind == AAVM_PASSTHROUGH_PATH);
    }
}

static void
fuzz_check_params(const GPtrArray *params, GError *error, gboolean keyed_first)
{
    if (!params) {
        FUZZ_CHECK(error != NULL && error->domain == AAVM_ERROR && error->message);
        return;
    }
    FUZZ_CHECK(error == NULL);
    FUZZ_CHECK(params->len <= AAVM_QEMU_MAX_PARAMS);
    for (guint i = 0; i < params->len; i++) {
        const AavmQemuParam *param = g_ptr_array_index(params, i);
        FUZZ_CHECK(param != NULL && param->value != NULL && !param->used);
        /* Only a bare first part without an implied key has no key. */
        FUZZ_CHECK(param->key || (i == 0 && !keyed_first));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The arguments: the input cut at each NUL (an input ending in a NUL
     * ends with an empty argument). */
    g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_passthrough_free);
    g_autoptr(GPtrArray) env_items = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_passthrough_free);
    g_autofree char *whole = NULL;

    for (size_t start = 0;;) {
        const char *nul = memchr(data + start, '\0', size - start);
        size_t end = nul ? (size_t)(nul - (const char *)data) : size;

        g_ptr_array_add(args, g_strndup((const char *)data + start, end - start));
        if (!nul)
            break;
        start = end + 1;
    }
    g_ptr_array_add(args, NULL);

    aavm_qemu_args_scan((const char *const *)args->pdata, args->len - 1, items);
    fuzz_check_items(items, args->len - 1, FALSE);

    if (args->len - 1 >= 2) {
        aavm_qemu_env_scan(g_ptr_array_index(args, 0), g_ptr_array_index(args, 1), 0, env_items);
        fuzz_check_items(env_items, 1, TRUE);
        FUZZ_CHECK(env_items->len <= 1);
    }

    whole = g_strndup((const char *)data, size);
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) params = aavm_qemu_opts_split(whole, NULL, &error);
        fuzz_check_params(params, error, FALSE);
    }
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) params = aavm_qemu_opts_split(whole, "driver", &error);
        fuzz_check_params(params, error, TRUE);
    }
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) params = aavm_qemu_json_flatten(whole, &error);
        fuzz_check_params(params, error, TRUE);
    }
    return 0;
}
