/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-graphics.c: the graphics family: domain-parse-graphics.c and rules-graphics.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "access.h"
#include "domain-parse.h"
#include "testutil.h"

/* The GL block has this many fixed patterns. */
#define GL_PATTERNS 14

/* A domain without devices of this family has none in its model. */
static void
test_graphics_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->graphics->len, 0);
}

/* Every socket spelling is parsed; address listens and socket listens
 * without a path are not sockets. */
static void
test_graphics_parse_sockets(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain =
        aavm_test_parse("kvm", NULL, NULL,
                        "<graphics type='vnc' socket='/tmp/a.sock'>"
                        "<listen type='socket' socket='/tmp/b.sock'/>"
                        "<listen type='address' address='127.0.0.1'/>"
                        "<listen type='socket'/></graphics>"
                        "<graphics type='spice'><listen type='socket' socket=''/></graphics>");
    const AavmGraphics *vnc = g_ptr_array_index(domain->graphics, 0);
    const AavmGraphics *spice = g_ptr_array_index(domain->graphics, 1);

    assert_int_equal(domain->graphics->len, 2);
    assert_string_equal(vnc->type, "vnc");
    assert_int_equal(vnc->index, 0);
    assert_int_equal(vnc->sockets->len, 2);
    assert_string_equal(g_ptr_array_index(vnc->sockets, 0), "/tmp/a.sock");
    assert_string_equal(g_ptr_array_index(vnc->sockets, 1), "/tmp/b.sock");
    assert_false(vnc->gl);
    assert_int_equal(spice->index, 1);
    assert_int_equal(spice->sockets->len, 0);
}

static void
test_graphics_sockets_rw(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<graphics type='vnc' socket='/tmp/vnc.sock'/>"
        "<graphics type='spice'><listen type='socket' socket='/tmp/spice.sock'/></graphics>"
        "<graphics type='vnc'><listen type='socket'/></graphics>");

    assert_int_equal(aavm_access_list_length(list), 2);
    aavm_test_assert_entry(list, "/tmp/vnc.sock", AAVM_MATCH_EXACT, "rw", "graphics0 (vnc) socket");
    aavm_test_assert_entry(list, "/tmp/spice.sock", AAVM_MATCH_EXACT, "rw",
                           "graphics1 (spice) socket");
}

static void
test_graphics_sdl_xauth(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL, "<graphics type='sdl' display=':0.1' xauth='/root/.Xauthority'/>");
    g_autoptr(AavmAccessList) none =
        aavm_test_build_ok(NULL, "xen", NULL, NULL, "<graphics type='sdl' display=':0'/>");

    assert_int_equal(aavm_access_list_length(list), 1);
    aavm_test_assert_entry(list, "/root/.Xauthority", AAVM_MATCH_EXACT, "r",
                           "graphics0 (sdl) xauth");
    assert_int_equal(aavm_access_list_length(none), 0);
}

/* A render node from the XML, and the fixed GL block once. */
static void
test_graphics_gl_rendernode(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<graphics type='spice'><gl enable='yes' rendernode='/dev/dri/foo'/></graphics>"
        "<graphics type='egl-headless'><gl rendernode='/dev/dri/bar'/></graphics>");

    aavm_test_assert_entry(list, "/dev/dri/foo", AAVM_MATCH_EXACT, "rw",
                           "graphics0 (spice) render node");
    aavm_test_assert_entry(list, "/dev/dri/bar", AAVM_MATCH_EXACT, "rw",
                           "graphics1 (egl-headless) render node");
    assert_int_equal(aavm_test_count_match(list, AAVM_MATCH_PATTERN), GL_PATTERNS);
    assert_int_equal(aavm_access_list_length(list), GL_PATTERNS + 2);
    aavm_test_assert_entry(list, "/usr/lib{,32,64}/dri/*.so*", AAVM_MATCH_PATTERN, "rm",
                           "OpenGL drivers (graphics0 (spice))");
    aavm_test_assert_entry(list, "/usr/lib/@{multiarch}/dri/*.so*", AAVM_MATCH_PATTERN, "rm",
                           "OpenGL drivers (graphics0 (spice))");
    aavm_test_assert_entry(list, "/dev/nvidiactl", AAVM_MATCH_PATTERN, "rw",
                           "OpenGL drivers (graphics0 (spice))");
    aavm_test_assert_entry(list, "/dev/dri/", AAVM_MATCH_PATTERN, "r",
                           "OpenGL drivers (graphics0 (spice))");
    assert_null(aavm_access_list_lookup(list, "/var/lib/libvirt/.cache/", AAVM_MATCH_PATTERN));
}

/* egl-headless always renders with GL; without a node and without one on
 * the host (the fake root has no /dev/dri) it warns and grants the block. */
static void
test_graphics_gl_no_host_node(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(NULL, "xen", NULL, NULL, "<graphics type='egl-headless'/>");

    assert_int_equal(aavm_access_list_length(list), GL_PATTERNS);
    assert_true(aavm_test_has_warning(list->warnings, "graphics0 (egl-headless)"));
    assert_true(aavm_test_has_warning(list->warnings, "/dev/dri"));
}

/* GL without a render node takes the host's first render node by name. */
static void
test_graphics_gl_host_node(void **state)
{
    (void)state;
    g_autofree char *root = aavm_test_make_tmpdir();
    g_autofree char *dri = g_build_filename(root, "dev", "dri", NULL);
    static const char *const names[] = { "card0", "renderD129", "renderD128", "by-path" };
    g_autoptr(AavmHost) host = NULL;
    g_autoptr(AavmAccessList) list = NULL;
    g_autoptr(GError) error = NULL;

    assert_int_equal(g_mkdir_with_parents(dri, 0700), 0);
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *path = g_build_filename(dri, names[i], NULL);
        assert_true(g_file_set_contents(path, "", 0, NULL));
    }
    host = aavm_host_new(root, &error);
    assert_non_null(host);
    list = aavm_test_build_ok(&(AavmTestFixture){.host = host}, "xen", NULL, NULL,
                              "<graphics type='spice'><gl enable='yes'/></graphics>"
                              "<graphics type='dbus'><gl enable='yes'/></graphics>");
    assert_non_null(list);
    aavm_test_assert_entry(list, "/dev/dri/renderD128", AAVM_MATCH_EXACT, "rw",
                           "graphics0 (spice) render node; graphics1 (dbus) render node");
    assert_null(aavm_access_list_lookup(list, "/dev/dri/renderD129", AAVM_MATCH_EXACT));
    assert_int_equal(aavm_access_list_length(list), GL_PATTERNS + 1);
    assert_int_equal(list->warnings->len, 0);
    aavm_test_rm_rf(root);
}

/* GL that is off, or on a display without GL, grants nothing. */
static void
test_graphics_gl_off(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<graphics type='spice'><gl enable='no' rendernode='/dev/dri/foo'/></graphics>"
        "<graphics type='vnc'><gl enable='yes' rendernode='/dev/dri/bar'/></graphics>"
        "<graphics type='dbus'/>");

    assert_int_equal(aavm_access_list_length(list), 0);
}

/* SDL with GL gets the GL block; its <gl> has no render node attribute. */
static void
test_graphics_sdl_gl(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        "<graphics type='sdl'><gl enable='yes' rendernode='/dev/dri/x'/></graphics>");
    const AavmGraphics *sdl = g_ptr_array_index(domain->graphics, 0);

    assert_true(sdl->gl);
    assert_null(sdl->rendernode);
}

/* <video> acceleration with a render node counts as GL on that node. */
static void
test_graphics_video_rendernode(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL,
        "<video><model type='vga'/></video>"
        "<video><model type='virtio'><acceleration accel3d='yes' rendernode='/dev/dri/x'/>"
        "</model></video>"
        "<video><model type='virtio'><acceleration accel3d='no' rendernode='/dev/dri/y'/>"
        "</model></video>"
        "<video><model type='virtio'><acceleration accel3d='yes'/></model></video>");

    aavm_test_assert_entry(list, "/dev/dri/x", AAVM_MATCH_EXACT, "rw", "video1 render node");
    aavm_test_assert_entry(list, "/dev/dri/", AAVM_MATCH_PATTERN, "r", "OpenGL drivers (video1)");
    assert_int_equal(aavm_access_list_length(list), GL_PATTERNS + 1);
}

/* A vhost-user GPU with 3D but no node gets the host's (here: a warning). */
static void
test_graphics_video_vhostuser(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(NULL, "xen", NULL, NULL,
                           "<video><driver name='vhostuser'/><model type='virtio'>"
                           "<acceleration accel3d='yes'/></model></video>"
                           "<video><driver name='vhostuser'/><model type='virtio'/></video>");

    assert_int_equal(aavm_access_list_length(list), GL_PATTERNS);
    assert_true(aavm_test_has_warning(list->warnings, "video0 renders with OpenGL"));
}

/* dbus: a unix:path= address is a socket (percent-escaped); others warn. */
static void
test_graphics_dbus_address(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(NULL, "xen", NULL, NULL,
                           "<graphics type='dbus' address='unix:path=/tmp/my%20bus,guid=1234'/>"
                           "<graphics type='dbus' address='unix:abstract=/tmp/x'/>");

    aavm_test_assert_entry(list, "/tmp/my bus", AAVM_MATCH_EXACT, "rw", "graphics0 (dbus) socket");
    assert_int_equal(aavm_access_list_length(list), 1);
    assert_true(aavm_test_has_warning(list->warnings, "graphics1 (dbus)"));
    assert_true(aavm_test_has_warning(list->warnings, "unix:abstract=/tmp/x"));
}

/* Every path from the XML goes through the path policy. */
static void
test_graphics_refused(void **state)
{
    (void)state;
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<graphics type='vnc' socket='/etc/vnc.sock'/>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<graphics type='spice'><listen type='socket' socket='/proc/1/x'/></graphics>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<graphics type='vnc' socket='relative.sock'/>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL, "<graphics type='sdl' xauth='/etc/shadow'/>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<graphics type='spice'><gl enable='yes' rendernode='/dev/mem'/></graphics>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<graphics type='egl-headless'><gl rendernode='/dev/dri/a&quot;b'/></graphics>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        NULL, "xen", NULL, NULL,
        "<graphics type='egl-headless'><gl rendernode='/dev/dri/a&#10;b'/></graphics>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<video><model type='virtio'><acceleration accel3d='yes' "
                             "rendernode='/sys/kernel/x'/></model></video>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<graphics type='dbus' address='unix:path=/usr/lib/x'/>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(NULL, "xen", NULL, NULL,
                             "<graphics type='vnc' socket='/var/lib/libvirt/images/etc-link/x'/>",
                             AAVM_ERROR_UNSAFE_PATH, NULL);
}

/* Glob characters in a socket path are escaped, not live. */
static void
test_graphics_escaped(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "xen", NULL, NULL, "<graphics type='vnc' socket='/tmp/v*{a,b}.sock'/>");

    aavm_test_assert_entry(list, "/tmp/v*{a,b}.sock", AAVM_MATCH_EXACT, "rw",
                           "graphics0 (vnc) socket");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphics_none),
        cmocka_unit_test(test_graphics_parse_sockets),
        cmocka_unit_test(test_graphics_sockets_rw),
        cmocka_unit_test(test_graphics_sdl_xauth),
        cmocka_unit_test(test_graphics_gl_rendernode),
        cmocka_unit_test(test_graphics_gl_no_host_node),
        cmocka_unit_test(test_graphics_gl_host_node),
        cmocka_unit_test(test_graphics_gl_off),
        cmocka_unit_test(test_graphics_sdl_gl),
        cmocka_unit_test(test_graphics_video_rendernode),
        cmocka_unit_test(test_graphics_video_vhostuser),
        cmocka_unit_test(test_graphics_dbus_address),
        cmocka_unit_test(test_graphics_refused),
        cmocka_unit_test(test_graphics_escaped),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
