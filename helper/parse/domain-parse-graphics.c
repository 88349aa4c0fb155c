/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse-graphics.c: <graphics> (listen sockets, SDL xauth, OpenGL and
 * render nodes) and <video> 3D acceleration with a render node. */
#include "domain-parse-util.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

/* Display types whose <gl> libvirt knows; egl-headless always renders with GL. */
static const char *const gl_types[] = { "spice", "egl-headless", "dbus", "sdl", NULL };

/* How many elements named like @node come before it among its siblings. */
static guint
element_position(xmlNode *node)
{
    guint n = 0;

    for (xmlNode *prev = node->prev; prev; prev = prev->prev)
        if (aavm_xml_is(prev, (const char *)node->name))
            n++;
    return n;
}

static AavmGraphics *
graphics_new(guint index, const char *type)
{
    AavmGraphics *graphics = g_new0(AavmGraphics, 1);

    graphics->index = index;
    graphics->type = g_strdup(type);
    graphics->sockets = g_ptr_array_new_with_free_func(g_free);
    return graphics;
}

/* The path attribute @attr of @node as a socket, unless absent or empty. */
static void
add_socket(AavmGraphics *graphics, xmlNode *node, const char *attr)
{
    char *path = aavm_xml_path_prop(node, attr);

    if (path)
        g_ptr_array_add(graphics->sockets, path);
}

/* A D-Bus address "unix:path=/p[,guid=...]": the socket path (values are
 * percent-escaped), or NULL for any other transport. */
static char *
dbus_unix_path(const char *address)
{
    g_auto(GStrv) keys = NULL;

    if (!g_str_has_prefix(address, "unix:"))
        return NULL;
    keys = g_strsplit(address + strlen("unix:"), ",", -1);
    for (guint i = 0; keys[i]; i++)
        if (g_str_has_prefix(keys[i], "path="))
            return g_uri_unescape_string(keys[i] + strlen("path="), NULL);
    return NULL;
}

static void
parse_dbus_address(AavmDomain *domain, AavmGraphics *graphics, xmlNode *node)
{
    g_autofree char *address = aavm_xml_prop(node, "address");
    char *path;

    if (!address)
        return;
    path = dbus_unix_path(address);
    if (path && *path)
        g_ptr_array_add(graphics->sockets, path);
    else {
        g_free(path);
        aavm_domain_warn(domain, _("graphics%u (dbus) uses the D-Bus address '%s', which is not "
                                   "a unix socket path: nothing is granted for it."),
                         graphics->index, address);
    }
}

/* <gl enable='yes' rendernode=.../>; egl-headless has GL without enable=. */
static void
parse_gl(AavmGraphics *graphics, xmlNode *node)
{
    xmlNode *gl = aavm_xml_child(node, "gl");
    g_autofree char *enable = aavm_xml_prop(gl, "enable");

    if (!aavm_in_list(graphics->type, gl_types))
        return;
    graphics->gl = g_strcmp0(graphics->type, "egl-headless") == 0 ||
                   g_strcmp0(enable, "yes") == 0;
    if (graphics->gl && g_strcmp0(graphics->type, "sdl") != 0)
        graphics->rendernode = aavm_xml_path_prop(gl, "rendernode");
}

gboolean
aavm_parse_graphics(AavmDomain *domain, xmlNode *node, GError **error)
{
    g_autofree char *type = aavm_xml_prop(node, "type");
    AavmGraphics *graphics = graphics_new(element_position(node), type);

    g_ptr_array_add(domain->graphics, graphics);
    /* vnc socket='/p' and <listen type='socket' socket='/p'/> (vnc, spice). */
    add_socket(graphics, node, "socket");
    for (xmlNode *l = aavm_xml_child(node, "listen"); l; l = aavm_xml_next(l, "listen")) {
        g_autofree char *listen_type = aavm_xml_prop(l, "type");
        if (g_strcmp0(listen_type, "socket") == 0)
            add_socket(graphics, l, "socket");
    }
    if (g_strcmp0(type, "sdl") == 0)
        graphics->xauth = aavm_xml_path_prop(node, "xauth");
    if (g_strcmp0(type, "dbus") == 0)
        parse_dbus_address(domain, graphics, node);
    parse_gl(graphics, node);
    return TRUE;
}

/* <video><model><acceleration accel3d='yes' rendernode='/dev/dri/x'/></model>:
 * the render node the GPU (or its vhost-user-gpu helper, which runs under
 * the same profile) renders on.  A vhost-user GPU without one gets the host's. */
gboolean
aavm_parse_video(AavmDomain *domain, xmlNode *node, GError **error)
{
    xmlNode *accel = aavm_xml_child(aavm_xml_child(node, "model"), "acceleration");
    g_autofree char *accel3d = aavm_xml_prop(accel, "accel3d");
    g_autofree char *rendernode = aavm_xml_path_prop(accel, "rendernode");
    g_autofree char *driver = aavm_xml_prop(aavm_xml_child(node, "driver"), "name");
    AavmGraphics *video;

    if (g_strcmp0(accel3d, "yes") != 0)
        return TRUE;
    if (!rendernode && g_strcmp0(driver, "vhostuser") != 0)
        return TRUE; /* QEMU renders through the display's GL: the <graphics> grant it */
    video = graphics_new(element_position(node), "video");
    video->gl = TRUE;
    video->rendernode = g_steal_pointer(&rendernode);
    g_ptr_array_add(domain->graphics, video);
    return TRUE;
}
