/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-host-sysfs.c: helper/host-sysfs.c on the fake root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glib.h>

#include "host-sysfs.h"
#include "testutil.h"

/* The fake root is a host. */
static void
test_host_sysfs_root(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_test_fakeroot_host();

    assert_non_null(host);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_sysfs_root),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
