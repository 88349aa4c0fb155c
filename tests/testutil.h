/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* testutil.h: shared helpers of the cmocka test programs. */
#pragma once

#include <glib.h>

#include "aavm-config.h"
#include "aavm-error.h"
#include "access.h"
#include "domain.h"
#include "host.h"

/* The UUID of aavm_test_domain_xml()'s domain. */
#define AAVM_TEST_UUID "0f6a4d2c-3b1e-4c5d-9e8f-123456789abc"

/* Call first in main(): poisons HOME and XDG_* so no test reads them. */
void aavm_test_init(void);

/* $AAVM_TESTS_SRCDIR/<rel> (the tests/ directory of the source tree). */
char *aavm_test_srcdir_path(const char *rel);

/* The fake host root: a copy of tests/fakeroot with the links of
 * tests/fakeroot-links.txt, made by make check ($AAVM_TESTS_FAKEROOT). */
char *aavm_test_fakeroot(void);
const char *aavm_test_fakeroot_const(void);

/* Whole file or NULL. */
char *aavm_test_read_file(const char *path);

/* A fresh private directory; remove it with aavm_test_rm_rf(). */
char *aavm_test_make_tmpdir(void);
void aavm_test_rm_rf(const char *dir);

/* cmocka setup and teardown giving each test a fresh directory (char *)
 * in *@state, removed afterwards. */
int aavm_test_tmpdir_setup(void **state);
int aavm_test_tmpdir_teardown(void **state);
#define AAVM_TEST_TMPDIR_CASE(f) \
    cmocka_unit_test_setup_teardown(f, aavm_test_tmpdir_setup, aavm_test_tmpdir_teardown)

/* Settings that do not depend on how configure was run. */
AavmConfig *aavm_test_config(void);

/* Compare @actual with the file @expected_path; on a difference print a
 * unified diff and return FALSE.  With $AAVM_TEST_REGENERATE=1 the file is
 * rewritten instead and TRUE returned. */
gboolean aavm_test_compare_with_file(const char *expected_path, const char *actual);

/* The real apparmor_parser to compile with ($APPARMOR_PARSER), or NULL when
 * it is not installed and $AAVM_REQUIRE_PARSER is not 1. Fails the test if it
 * is required and missing. */
const char *aavm_test_parser(void);

/* Compile @profile_path with the real parser in compile-only mode (-Q -K),
 * includes from the repo's profiles/ first, then the system's.  On failure
 * @out_output gets what the parser said. */
gboolean aavm_test_compile_profile(const char *profile_path, char **out_output);

/* A domain "vm1" with id 7 of @type ("kvm", "xen", ...): @os goes inside
 * <os> after <type>, @domain_level after </os>, @devices inside <devices>
 * (each may be NULL). */
char *aavm_test_domain_xml(const char *type, const char *os, const char *domain_level,
                           const char *devices);

/* Parse @xml and build its sorted access list on @host, or NULL with @error. */
AavmAccessList *aavm_test_build(const AavmHost *host, const AavmConfig *config, const char *xml,
                                GError **error);

/* The fake root as a host (aborts when make check did not build it). */
AavmHost *aavm_test_fakeroot_host(void);

/* Whether @list has the entry (@path, @match) with exactly @perms ("rwk"). */
gboolean aavm_test_has_rule(const AavmAccessList *list, const char *path, AavmMatch match,
                            const char *perms);

/* The helpers below use cmocka's assertions: call them from a test only. */

/* A test's host and settings: the fake root and aavm_test_config(). */
typedef struct {
    AavmHost *host;
    AavmConfig *config;
} AavmTestFixture;

/* cmocka setup and teardown that make and free an AavmTestFixture in *@state
 * (setup fails when the fake root cannot be used). */
int aavm_test_fixture_setup(void **state);
int aavm_test_fixture_teardown(void **state);

/* A cmocka test case of @f with the fixture above. */
#define AAVM_TEST_FIXTURE_CASE(f) \
    cmocka_unit_test_setup_teardown(f, aavm_test_fixture_setup, aavm_test_fixture_teardown)

/* Parse aavm_test_domain_xml(@type, @os, @level, @devices); fails the test
 * on an error. */
AavmDomain *aavm_test_parse(const char *type, const char *os, const char *level,
                            const char *devices);

/* The build helpers below take the host and settings from @fx; @fx NULL, or
 * a NULL member of it, stands for a fresh fake root host, resp.
 * aavm_test_config(); e.g. &(AavmTestFixture){ .host = host }. */

/* Build @xml; fails the test on an error. */
AavmAccessList *aavm_test_build_xml_ok(const AavmTestFixture *fx, const char *xml);

/* aavm_test_build_xml_ok() of aavm_test_domain_xml(@type, @os, @level, @devices). */
AavmAccessList *aavm_test_build_ok(const AavmTestFixture *fx, const char *type, const char *os,
                                   const char *level, const char *devices);

/* The error of building @xml; fails the test when the build succeeds. */
GError *aavm_test_build_error(const AavmTestFixture *fx, const char *xml);

/* Building @xml must fail with the AAVM_ERROR @code and, unless @part is
 * NULL, a message containing @part. */
void aavm_test_assert_refused_xml(const AavmTestFixture *fx, const char *xml, AavmError code,
                                  const char *part);

/* aavm_test_assert_refused_xml() of aavm_test_domain_xml(@type, @os, @level,
 * @devices). */
void aavm_test_assert_refused(const AavmTestFixture *fx, const char *type, const char *os,
                              const char *level, const char *devices, AavmError code,
                              const char *part);

/* Whether one of @warnings (char *) contains @part. */
gboolean aavm_test_has_warning(const GPtrArray *warnings, const char *part);

/* Whether one of @warnings (char *) contains every one of the NULL-terminated
 * texts @first, ... */
gboolean aavm_test_has_warning_all(const GPtrArray *warnings, const char *first, ...)
    G_GNUC_NULL_TERMINATED;

/* Whether some entry of @list has a path containing @part. */
gboolean aavm_test_has_path_part(const AavmAccessList *list, const char *part);

/* The number of entries of @list with @match. */
guint aavm_test_count_match(const AavmAccessList *list, AavmMatch match);

/* The number of entries of @list that are not patterns (the qemu base rules
 * are patterns). */
guint aavm_test_count_paths(const AavmAccessList *list);

/* @list has the entry (@path, @match) with exactly @perms ("rwk") and
 * @reason; fails the test otherwise. */
void aavm_test_assert_entry(const AavmAccessList *list, const char *path, AavmMatch match,
                            const char *perms, const char *reason);

/* Element @i of @array, failing the test when there is none. */
gpointer aavm_test_item(const GPtrArray *array, guint i);

/* Document type declarations a hostile libvirt XML file may start with,
 * NULL-terminated: each defines the entity "&n;" (as "injected", from a
 * file, or as a "billion laughs" expansion) for the element @root. */
char **aavm_test_hostile_doctypes(const char *root);
