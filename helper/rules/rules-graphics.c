/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rules-graphics.c: listen sockets, SDL xauth, render nodes and the fixed
 * OpenGL driver rules of <graphics> and <video>. */
#include "rules-private.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

/* Where the host's render nodes are. */
#define DRI_DIR "/dev/dri"
#define RENDER_NODE_PREFIX "renderD"

/* What Mesa/libglvnd read when QEMU renders with OpenGL: the reference's GL
 * block, text for text (without its deny line for the cache directory). */
static const struct {
    const char *pattern;
    AavmPerm perms;
} gl_block[] = {
    { "/usr/lib{,32,64}/dri/*.so*", AAVM_PERM_READ | AAVM_PERM_MMAP },
    { "/usr/lib/@{multiarch}/dri/*.so*", AAVM_PERM_READ | AAVM_PERM_MMAP },
    { "/usr/lib/fglrx/dri/*.so*", AAVM_PERM_READ | AAVM_PERM_MMAP },
    { "/etc/drirc", AAVM_PERM_READ },
    { "/usr/share/drirc.d/{,*.conf}", AAVM_PERM_READ },
    { "/etc/glvnd/egl_vendor.d/{,*}", AAVM_PERM_READ },
    { "/usr/share/glvnd/egl_vendor.d/{,*}", AAVM_PERM_READ },
    { "/usr/share/egl/egl_external_platform.d/", AAVM_PERM_READ },
    { "/usr/share/egl/egl_external_platform.d/*", AAVM_PERM_READ },
    { "/proc/modules", AAVM_PERM_READ },
    { "/proc/driver/nvidia/params", AAVM_PERM_READ },
    { "/dev/nvidiactl", AAVM_PERM_RW },
    /* Probing the DRI devices' attributes. */
    { "/dev/dri/", AAVM_PERM_READ },
    { "/sys/devices/**/{uevent,vendor,device,subsystem_vendor,subsystem_device,config,revision}",
      AAVM_PERM_READ },
};

/* "graphics0 (spice)" or "video1". */
static char *
graphics_name(const AavmGraphics *graphics)
{
    if (g_strcmp0(graphics->type, "video") == 0)
        return g_strdup_printf("video%u", graphics->index);
    return g_strdup_printf("graphics%u (%s)", graphics->index,
                           graphics->type ? graphics->type : "?");
}

/* The host's first render node (/dev/dri/renderD*, by name), or NULL. */
static char *
host_render_node(const AavmHost *host)
{
    g_auto(GStrv) names = aavm_host_list_dir(host, DRI_DIR);

    for (guint i = 0; names && names[i]; i++)
        if (g_str_has_prefix(names[i], RENDER_NODE_PREFIX) && !strchr(names[i], '/'))
            return g_strconcat(DRI_DIR "/", names[i], NULL);
    return NULL;
}

static gboolean
add_render_node(const AavmRulesCtx *ctx, const AavmGraphics *graphics, const char *name,
                GError **error)
{
    g_autofree char *reason = g_strdup_printf("%s render node", name);
    g_autofree char *node = NULL;

    if (graphics->rendernode)
        return aavm_rules_path(ctx, graphics->rendernode, AAVM_MATCH_EXACT, AAVM_PERM_RW,
                               reason, error);
    node = host_render_node(ctx->host);
    if (!node) {
        aavm_rules_warn(ctx, _("%s renders with OpenGL, but the host has no render node in "
                               "%s and the XML names none: no render node is granted."),
                        name, DRI_DIR);
        return TRUE;
    }
    return aavm_rules_path(ctx, node, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error);
}

static gboolean
add_one(const AavmRulesCtx *ctx, const AavmGraphics *graphics, GError **error)
{
    g_autofree char *name = graphics_name(graphics);

    if (graphics->gl && !add_render_node(ctx, graphics, name, error))
        return FALSE;
    for (guint i = 0; i < graphics->sockets->len; i++) {
        g_autofree char *reason = g_strdup_printf("%s socket", name);
        if (!aavm_rules_path(ctx, g_ptr_array_index(graphics->sockets, i), AAVM_MATCH_EXACT,
                             AAVM_PERM_RW, reason, error))
            return FALSE;
    }
    if (graphics->xauth) {
        g_autofree char *reason = g_strdup_printf("%s xauth", name);
        if (!aavm_rules_path(ctx, graphics->xauth, AAVM_MATCH_EXACT, AAVM_PERM_READ, reason,
                             error))
            return FALSE;
    }
    return TRUE;
}

gboolean
aavm_rules_add_graphics(const AavmRulesCtx *ctx, GError **error)
{
    const AavmGraphics *first_gl = NULL;

    for (guint i = 0; i < ctx->domain->graphics->len; i++) {
        const AavmGraphics *graphics = g_ptr_array_index(ctx->domain->graphics, i);
        if (!add_one(ctx, graphics, error))
            return FALSE;
        if (graphics->gl && !first_gl)
            first_gl = graphics;
    }
    if (first_gl) {
        g_autofree char *name = graphics_name(first_gl);
        g_autofree char *reason = g_strdup_printf("OpenGL drivers (%s)", name);
        for (guint i = 0; i < G_N_ELEMENTS(gl_block); i++)
            aavm_rules_pattern(ctx, gl_block[i].pattern, gl_block[i].perms, reason);
    }
    return TRUE;
}
