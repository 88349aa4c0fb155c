/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-chain.c: follow a disk's backing chain through its image headers. */
#include "image-chain.h"

#include <stdarg.h>
#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "host-image.h"
#include "image-format.h"

void
aavm_image_chain_free(AavmImageChain *chain)
{
    if (!chain)
        return;
    g_ptr_array_unref(chain->top_files);
    g_ptr_array_unref(chain->layers);
    g_free(chain);
}

/* QEMU's local-file protocol prefixes. */
static const char *const file_prefixes[] = { "file:", "host_device:", "host_cdrom:" };

char *
aavm_image_resolve_name(const char *name, const char *parent_path, char **out_protocol)
{
    gsize span = strcspn(name, ":/");
    g_autofree char *dir = NULL;

    *out_protocol = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(file_prefixes); i++)
        if (g_str_has_prefix(name, file_prefixes[i])) {
            name += strlen(file_prefixes[i]);
            span = strlen(name); /* what follows is a file name, colons and all */
            break;
        }
    if (name[span] == ':') {
        /* QEMU: a colon before any slash starts a protocol name. */
        *out_protocol = g_strndup(name, span);
        return NULL;
    }
    if (g_path_is_absolute(name))
        return g_strdup(name);
    dir = g_path_get_dirname(parent_path);
    return g_build_filename(dir, name, NULL);
}

/* Where the walk is: the image being read and where its findings go. */
typedef struct {
    const AavmHost *host;
    const char *name;       /* "disk vda" */
    GPtrArray *warnings;
    AavmImageChain *chain;
    GHashTable *seen;       /* "dev:ino" -> layer number + 1 */
    guint depth;            /* layer number: 0 the disk's own image */
    const char *path;       /* as written or resolved, not canonical */
    const char *format;     /* NULL: not recorded */
    GPtrArray *files;       /* where this image's further files go */
} Walk;

static char *
layer_label(const Walk *w)
{
    if (w->depth == 0)
        return g_strdup_printf(_("%s (%s)"), w->name, w->path);
    return g_strdup_printf(_("%s backing layer %u (%s)"), w->name, w->depth, w->path);
}

static void
walk_warn(const Walk *w, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
walk_warn(const Walk *w, const char *fmt, ...)
{
    va_list args;
    g_autofree char *label = layer_label(w);
    g_autofree char *text = NULL;

    va_start(args, fmt);
    text = g_strdup_vprintf(fmt, args);
    va_end(args);
    g_ptr_array_add(w->warnings, g_strdup_printf("%s: %s", label, text));
}

/* FALSE with @error when this image was met before in the chain. */
static gboolean
check_loop(Walk *w, const char *canonical, GError **error)
{
    guint64 dev, ino;
    g_autofree char *key = NULL;
    guint first;

    if (!aavm_host_identity(w->host, canonical, &dev, &ino))
        return TRUE;
    key = g_strdup_printf("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT, dev, ino);
    first = GPOINTER_TO_UINT(g_hash_table_lookup(w->seen, key));
    if (first) {
        g_autofree char *label = layer_label(w);

        if (first == 1)
            return aavm_fail(error, AAVM_ERROR_BACKING_CHAIN,
                             _("Refusing %s: it is the disk's own image again, so the backing chain loops."),
                             label);
        return aavm_fail(error, AAVM_ERROR_BACKING_CHAIN,
                         _("Refusing %s: it is backing layer %u again, so the backing chain loops."),
                         label, first - 1);
    }
    g_hash_table_insert(w->seen, g_steal_pointer(&key), GUINT_TO_POINTER(w->depth + 1));
    return TRUE;
}

/* The files an image's header names besides its backing file. */
static void
add_image_files(Walk *w, const AavmImageInfo *info, gboolean data_store_given)
{
    const char *names[1] = { info->data_file };

    if (info->data_file_needed && !info->data_file && !data_store_given)
        walk_warn(w, _("its data is in an external data file that its header does not name; "
                       "give it with <dataStore> in the domain XML."));
    for (guint i = 0; i < info->extents->len + 1; i++) {
        const char *file = i == 0 ? names[0] : g_ptr_array_index(info->extents, i - 1);
        g_autofree char *protocol = NULL;
        char *path;

        if (!file)
            continue;
        path = aavm_image_resolve_name(file, w->path, &protocol);
        if (path)
            g_ptr_array_add(w->files, path);
        else
            walk_warn(w, _("its header names the file '%s', which is not a local path; "
                           "nothing is granted for it."), file);
    }
}

/* The layer the current image's header names. */
static AavmDiskSource *
new_layer(Walk *w, const AavmImageInfo *info, const char *canonical)
{
    AavmDiskSource *layer = aavm_disk_source_new();
    g_autofree char *protocol = NULL;

    layer->named_by = g_strdup(canonical);
    layer->format = g_strdup(info->backing_format);
    layer->path = aavm_image_resolve_name(info->backing, w->path, &protocol);
    if (!layer->path) {
        layer->type = AAVM_DISK_NETWORK;
        layer->type_name = g_strdup("network");
        layer->protocol = g_steal_pointer(&protocol);
    } else if (aavm_host_query(w->host, layer->path, TRUE) == AAVM_HOST_BLOCK) {
        layer->type = AAVM_DISK_BLOCK;
        layer->type_name = g_strdup("block");
    } else {
        layer->type = AAVM_DISK_FILE;
        layer->type_name = g_strdup("file");
    }
    return layer;
}

/* Read the current image; *@out_next is the layer below it, or NULL at
 * the end of what can be followed. */
static gboolean
walk_one(Walk *w, guint max_depth, gboolean data_store_given, AavmDiskSource **out_next,
         GError **error)
{
    AavmImageFormat format = aavm_image_format_from_string(w->format);
    g_autofree char *canonical = NULL;
    g_autoptr(AavmHostImage) image = NULL;
    g_autoptr(AavmImageInfo) info = NULL;
    g_autoptr(GError) local = NULL;
    gboolean exists = FALSE;

    *out_next = NULL;
    if (!w->format) {
        if (w->depth > 0)
            walk_warn(w, _("the image that names it does not record its format, so it is "
                           "granted as a raw image and not read."));
        return TRUE;
    }
    if (format == AAVM_IMAGE_UNKNOWN) {
        walk_warn(w, _("aavm does not read images of format '%s'; a backing file it names "
                       "is not granted (give the chain with <backingStore> in the domain XML)."),
                  w->format);
        return TRUE;
    }
    if (!aavm_host_canonicalize(w->host, w->path, &canonical, &exists, error))
        return FALSE;
    if (!exists) {
        if (w->depth > 0)
            walk_warn(w, _("it does not exist."));
        return TRUE;
    }
    /* raw, luks, ...: never names another file; the disk's own raw image
     * cannot be "met before" either, so it is not even opened (bench/run:
     * three system calls a disk) */
    gboolean names_files = format == AAVM_IMAGE_QCOW2 || format == AAVM_IMAGE_QED ||
                           format == AAVM_IMAGE_VMDK;
    if ((names_files || w->depth > 0) && !check_loop(w, canonical, error))
        return FALSE;
    if (!names_files)
        return TRUE;

    if (!(image = aavm_host_image_open(w->host, canonical, &local)) ||
        !(info = aavm_image_read_header(&image->reader, format, &local))) {
        g_autofree char *label = layer_label(w);

        g_propagate_prefixed_error(error, g_steal_pointer(&local), _("Refusing %s: "), label);
        return FALSE;
    }
    add_image_files(w, info, data_store_given);
    if (!info->backing)
        return TRUE;
    if (w->chain->layers->len >= max_depth)
        return aavm_fail(error, AAVM_ERROR_BACKING_CHAIN,
                         _("Refusing %s: its backing chain has more layers than the limit of %u."), w->name,
                         max_depth);
    *out_next = new_layer(w, info, canonical);
    if ((*out_next)->type == AAVM_DISK_NETWORK && g_str_equal((*out_next)->protocol, "json"))
        walk_warn(w, _("its backing file is a 'json:' description, which aavm does not read; "
                       "nothing is granted for it."));
    return TRUE;
}

AavmImageChain *
aavm_image_chain_discover(const AavmHost *host, const AavmDiskSource *top, guint max_depth,
                          const char *name, GPtrArray *warnings, GError **error)
{
    g_autoptr(AavmImageChain) chain = g_new0(AavmImageChain, 1);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    Walk w = { .host = host, .name = name, .warnings = warnings, .seen = seen,
               .path = top->path, .format = top->format };

    chain->top_files = g_ptr_array_new_with_free_func(g_free);
    chain->layers = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_disk_source_free);
    w.chain = chain;
    w.files = chain->top_files;
    if (!top->path || (top->type != AAVM_DISK_FILE && top->type != AAVM_DISK_BLOCK))
        return g_steal_pointer(&chain);

    for (;;) {
        AavmDiskSource *next = NULL;

        if (!walk_one(&w, max_depth, w.depth == 0 && top->data_store, &next, error))
            return NULL;
        if (!next)
            return g_steal_pointer(&chain);
        g_ptr_array_add(chain->layers, next);
        if (next->type == AAVM_DISK_NETWORK)
            return g_steal_pointer(&chain);
        w.depth++;
        w.path = next->path;
        w.format = next->format;
        w.files = next->image_files;
    }
}
