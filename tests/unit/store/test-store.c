/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-store.c: bounded reads of inputs (helper/store/store.h); the managed
 * directories are test-store-dir.c's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "aavm-error.h"
#include "store.h"
#include "testutil.h"

static char *
pattern_data(gsize len)
{
    char *data = g_malloc(len + 1);

    for (gsize i = 0; i < len; i++)
        data[i] = (char)('a' + i % 26);
    data[len] = '\0';
    return data;
}

static gboolean
read_fd_of(const char *path, gsize max, char **out_data, gsize *out_len, GError **error)
{
    int fd = open(path, O_RDONLY);

    assert_true(fd >= 0);
    gboolean ok = aavm_store_read_fd(fd, max, out_data, out_len, error);
    close(fd);
    return ok;
}

static void
test_store_read_fd_within_max(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "in", NULL);
    g_autofree char *data = pattern_data(200000); /* several read chunks */
    g_autofree char *out = NULL;
    g_autofree char *empty_out = NULL;
    g_autofree char *empty_path = g_build_filename(dir, "empty", NULL);
    gsize len = 1;
    g_autoptr(GError) error = NULL;

    assert_true(g_file_set_contents(path, data, 200000, NULL));
    assert_true(read_fd_of(path, 200000, &out, &len, &error));
    assert_null(error);
    assert_int_equal(len, 200000);
    assert_memory_equal(out, data, 200000);
    assert_int_equal(out[200000], '\0');

    assert_true(g_file_set_contents(empty_path, "", 0, NULL));
    assert_true(read_fd_of(empty_path, 0, &empty_out, &len, &error));
    assert_int_equal(len, 0);
    assert_string_equal(empty_out, "");
}

static void
test_store_read_fd_over_max(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "in", NULL);
    g_autofree char *small = g_build_filename(dir, "small", NULL);
    g_autofree char *data = pattern_data(200000);
    char *out = NULL;
    gsize len = 0;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) small_error = NULL;

    assert_true(g_file_set_contents(path, data, 200000, NULL));
    assert_false(read_fd_of(path, 199999, &out, &len, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
    assert_null(out);

    assert_true(g_file_set_contents(small, "0123456789", 10, NULL));
    assert_false(read_fd_of(small, 9, &out, &len, &small_error));
    assert_true(g_error_matches(small_error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
    assert_null(out);
}

static void
test_store_read_path(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "file", NULL);
    g_autofree char *out = NULL;
    gsize len = 0;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) large_error = NULL;
    char *large_out = NULL;

    assert_true(g_file_set_contents(path, "abc\0def", 7, NULL));
    assert_true(aavm_store_read(path, 7, &out, &len, &error));
    assert_null(error);
    assert_int_equal(len, 7);
    assert_memory_equal(out, "abc\0def", 8);

    assert_false(aavm_store_read(path, 6, &large_out, &len, &large_error));
    assert_true(g_error_matches(large_error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
    /* The message names the file. */
    assert_non_null(strstr(large_error->message, path));
}

static void
test_store_read_missing_file(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "missing", NULL);
    char *out = NULL;
    gsize len = 0;
    g_autoptr(GError) error = NULL;

    assert_false(aavm_store_read(path, AAVM_STORE_FILE_MAX, &out, &len, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    assert_null(out);
    assert_non_null(strstr(error->message, path));
}

static void
test_store_size(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "sized", NULL);
    g_autofree char *empty = g_build_filename(dir, "empty", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing", NULL);

    assert_true(g_file_set_contents(path, "12345", 5, NULL));
    assert_true(g_file_set_contents(empty, "", 0, NULL));
    assert_int_equal(aavm_store_size(path), 5);
    assert_int_equal(aavm_store_size(empty), 0);
    assert_int_equal(aavm_store_size(missing), -1);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        AAVM_TEST_TMPDIR_CASE(test_store_read_fd_within_max),
        AAVM_TEST_TMPDIR_CASE(test_store_read_fd_over_max),
        AAVM_TEST_TMPDIR_CASE(test_store_read_path),
        AAVM_TEST_TMPDIR_CASE(test_store_read_missing_file),
        AAVM_TEST_TMPDIR_CASE(test_store_size),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
