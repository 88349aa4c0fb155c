/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-chardev.c: the chardev family: domain-parse-chardev.c and rules-chardev.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "domain-parse.h"
#include "testutil.h"

/* A domain without devices of this family has none in its model. */
static void
test_chardev_none(void **state)
{
    (void)state;
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, strlen(xml), &error);

    assert_non_null(domain);
    assert_int_equal(domain->chardevs->len, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chardev_none),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
