/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-host-block.c: helper/host/host-block.c on the fake root and, where the
 * machine has a block device, on the real host. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <glib.h>

#include "host-block.h"
#include "testutil.h"

/* The first block device node directly in the real /dev, or NULL. */
static char *
real_block_device(dev_t *out_devno)
{
    g_autoptr(GDir) dir = g_dir_open("/dev", 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename("/dev", name, NULL);
        struct stat st;

        if (lstat(path, &st) == 0 && S_ISBLK(st.st_mode)) {
            *out_devno = st.st_rdev;
            return g_steal_pointer(&path);
        }
    }
    return NULL;
}

/* A fake root's /dev is not the kernel's: no kernel names from it. */
static void
test_host_block_fakeroot(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();
    dev_t devno = 0;
    g_autofree char *real = real_block_device(&devno);

    assert_null(aavm_host_block_node(host, "/var/lib/libvirt/images/disk.qcow2"));
    assert_null(aavm_host_block_node(host, "/dev/sda"));
    assert_null(aavm_host_block_node(host, "relative"));
    assert_null(aavm_host_block_node(host, NULL));
    if (real)
        assert_null(aavm_host_block_devno_node(host, devno));
}

/* On the real host: not a block device, or missing -> NULL. */
static void
test_host_block_real_not_block(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_host_new(NULL, NULL);
    g_autofree char *srcfile = aavm_test_srcdir_path("unit/test-host-block.c");

    assert_non_null(host);
    assert_null(aavm_host_block_node(host, srcfile));
    assert_null(aavm_host_block_node(host, "/nonexistent/aavm/block"));
    assert_null(aavm_host_block_node(host, "/dev/null")); /* a character device */
    assert_null(aavm_host_block_devno_node(host, 0));
    /* A device number the machine does not have. */
    assert_null(aavm_host_block_devno_node(host, makedev(4095, 1048575)));
}

/* A block device and a symlink to it both name the kernel's node. */
static void
test_host_block_real_device(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_host_new(NULL, NULL);
    dev_t devno = 0;
    g_autofree char *dev = real_block_device(&devno);
    g_autofree char *tmp = NULL;
    g_autofree char *link = NULL;
    g_autofree char *node = NULL;
    g_autofree char *via_link = NULL;
    g_autofree char *by_devno = NULL;
    struct stat st;

    if (!dev) {
        skip();
        return;
    }
    node = aavm_host_block_node(host, dev);
    if (!node) {
        /* The kernel may name it otherwise (no sysfs in a container): no answer. */
        skip();
        return;
    }
    assert_int_equal(stat(node, &st), 0);
    assert_true(S_ISBLK(st.st_mode));
    assert_true(st.st_rdev == devno);
    by_devno = aavm_host_block_devno_node(host, devno);
    assert_string_equal(by_devno, node);

    tmp = aavm_test_make_tmpdir();
    link = g_build_filename(tmp, "by-id-link", NULL);
    assert_int_equal(symlink(dev, link), 0);
    via_link = aavm_host_block_node(host, link);
    assert_string_equal(via_link, node);
    aavm_test_rm_rf(tmp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_block_fakeroot),
        cmocka_unit_test(test_host_block_real_not_block),
        cmocka_unit_test(test_host_block_real_device),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
