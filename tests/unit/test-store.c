/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-store.c: bounded reads and atomic writes (helper/store.h). */
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

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The names in @dir, sorted, joined by ",". */
static char *
list_dir(const char *dir)
{
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    assert_non_null(d);
    while ((name = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(",", (char **)names->pdata);
}

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
test_store_write_atomic_creates_0644(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "profile", NULL);
    g_autofree char *content = NULL;
    g_autofree char *names = NULL;
    g_autoptr(GError) error = NULL;
    struct stat st;

    /* A restrictive umask must not change the mode. */
    mode_t old_umask = umask(077);
    gboolean ok = aavm_store_write_atomic(path, "hello\n", 6, &error);
    umask(old_umask);

    assert_true(ok);
    assert_null(error);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0644);
    content = aavm_test_read_file(path);
    assert_string_equal(content, "hello\n");
    /* No temporary file left behind. */
    names = list_dir(dir);
    assert_string_equal(names, "profile");
}

static void
test_store_write_atomic_overwrites(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "profile", NULL);
    g_autofree char *link_path = g_build_filename(dir, "hardlink", NULL);
    g_autofree char *content = NULL;
    g_autofree char *old_content = NULL;
    g_autofree char *names = NULL;
    g_autoptr(GError) error = NULL;
    struct stat before, after;

    assert_true(g_file_set_contents(path, "old content that is longer\n", -1, NULL));
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(link(path, link_path), 0);
    assert_int_equal(stat(path, &before), 0);

    assert_true(aavm_store_write_atomic(path, "new\n", 4, &error));
    assert_null(error);
    assert_int_equal(stat(path, &after), 0);

    /* Replaced by rename: a new inode, while the old one keeps its bytes. */
    assert_true(before.st_ino != after.st_ino);
    assert_int_equal(after.st_mode & 07777, 0644);
    content = aavm_test_read_file(path);
    assert_string_equal(content, "new\n");
    old_content = aavm_test_read_file(link_path);
    assert_string_equal(old_content, "old content that is longer\n");
    names = list_dir(dir);
    assert_string_equal(names, "hardlink,profile");
}

static void
test_store_write_atomic_missing_dir(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "no-such-dir", "profile", NULL);
    g_autoptr(GError) error = NULL;

    assert_false(aavm_store_write_atomic(path, "x", 1, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    assert_int_equal(aavm_store_size(path), -1);
}

static void
test_store_write_if_changed(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "rules.files", NULL);
    g_autofree char *content = NULL;
    g_autofree char *names = NULL;
    g_autoptr(GError) error = NULL;
    gboolean changed = FALSE;
    struct stat st;

    /* Missing file: written. */
    assert_true(aavm_store_write_if_changed(path, "abc\n", 4, &changed, &error));
    assert_null(error);
    assert_true(changed);
    content = aavm_test_read_file(path);
    assert_string_equal(content, "abc\n");
    g_clear_pointer(&content, g_free);

    /* Age the file so a rewrite would show in the mtime. */
    struct timespec old_times[2] = { { 1000000000, 123456789 }, { 1000000000, 123456789 } };
    assert_int_equal(utimensat(AT_FDCWD, path, old_times, 0), 0);

    /* Same bytes: not written, mtime kept. */
    changed = TRUE;
    assert_true(aavm_store_write_if_changed(path, "abc\n", 4, &changed, &error));
    assert_null(error);
    assert_false(changed);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mtim.tv_sec, 1000000000);
    assert_int_equal(st.st_mtim.tv_nsec, 123456789);

    /* Same length, different bytes: written. */
    changed = FALSE;
    assert_true(aavm_store_write_if_changed(path, "abd\n", 4, &changed, &error));
    assert_true(changed);
    content = aavm_test_read_file(path);
    assert_string_equal(content, "abd\n");
    g_clear_pointer(&content, g_free);
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_mtim.tv_sec != 1000000000);

    /* Different length: written. */
    changed = FALSE;
    assert_true(aavm_store_write_if_changed(path, "abd\nmore\n", 9, &changed, &error));
    assert_true(changed);
    content = aavm_test_read_file(path);
    assert_string_equal(content, "abd\nmore\n");

    /* NULL out_changed is allowed. */
    assert_true(aavm_store_write_if_changed(path, "abd\nmore\n", 9, NULL, &error));
    names = list_dir(dir);
    assert_string_equal(names, "rules.files");
}

static void
test_store_remove(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "victim", NULL);
    g_autofree char *missing = g_build_filename(dir, "missing", NULL);
    g_autoptr(GError) error = NULL;

    assert_true(g_file_set_contents(path, "x", 1, NULL));
    assert_true(aavm_store_remove(path, &error));
    assert_null(error);
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));

    assert_true(aavm_store_remove(missing, &error));
    assert_null(error);
    assert_true(aavm_store_remove(path, &error));
    assert_null(error);
}

/* A regular file, a directory, a link to each. */
static void
make_tree(const char *dir)
{
    g_autofree char *file = g_build_filename(dir, "file", NULL);
    g_autofree char *sub = g_build_filename(dir, "sub", NULL);
    g_autofree char *inner = g_build_filename(dir, "sub", "inner", NULL);
    g_autofree char *link = g_build_filename(dir, "link", NULL);
    g_autofree char *dirlink = g_build_filename(dir, "dirlink", NULL);

    assert_true(g_file_set_contents(file, "data", 4, NULL));
    assert_int_equal(g_mkdir(sub, 0700), 0);
    assert_true(g_file_set_contents(inner, "in", 2, NULL));
    assert_int_equal(symlink("file", link), 0);
    assert_int_equal(symlink("sub", dirlink), 0);
}

static void
test_store_list(void **state)
{
    const char *dir = *state;
    g_autoptr(GError) error = NULL;

    make_tree(dir);
    g_autoptr(GPtrArray) top = aavm_store_list(dir, NULL, 10, &error);
    assert_non_null(top);
    assert_int_equal(top->len, 4);
    static const struct { const char *name; AavmStoreKind kind; } want[] = {
        { "dirlink", AAVM_STORE_OTHER }, { "file", AAVM_STORE_REGULAR },
        { "link", AAVM_STORE_OTHER }, { "sub", AAVM_STORE_DIRECTORY },
    };
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        const AavmStoreEntry *entry = g_ptr_array_index(top, i);
        assert_string_equal(entry->name, want[i].name);
        assert_int_equal(entry->kind, want[i].kind);
    }
    g_autoptr(GPtrArray) sub = aavm_store_list(dir, "sub", 10, &error);
    assert_non_null(sub);
    assert_int_equal(sub->len, 1);
    assert_string_equal(((AavmStoreEntry *)g_ptr_array_index(sub, 0))->name, "sub/inner");

    /* Through a link to a directory: refused. */
    assert_null(aavm_store_list(dir, "dirlink", 10, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);
    /* More entries than allowed. */
    assert_null(aavm_store_list(dir, NULL, 3, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
    g_clear_error(&error);
    assert_int_equal(aavm_store_kind(dir, "dirlink/inner"), AAVM_STORE_OTHER);
    assert_int_equal(aavm_store_kind(dir, "sub/inner"), AAVM_STORE_REGULAR);
    assert_int_equal(aavm_store_kind(dir, "sub/none"), AAVM_STORE_MISSING);
    assert_int_equal(aavm_store_kind(dir, "sub/../file"), AAVM_STORE_OTHER);
}

static void
test_store_read_nofollow(void **state)
{
    const char *dir = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *data = NULL;
    gsize len = 0;

    make_tree(dir);
    assert_true(aavm_store_read_nofollow(dir, "file", 100, &data, &len, &error));
    assert_string_equal(data, "data");
    g_clear_pointer(&data, g_free);
    assert_true(aavm_store_read_nofollow(dir, "sub/inner", 100, &data, &len, &error));
    assert_string_equal(data, "in");
    g_clear_pointer(&data, g_free);
    assert_false(aavm_store_read_nofollow(dir, "link", 100, &data, &len, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);
    assert_false(aavm_store_read_nofollow(dir, "dirlink/inner", 100, &data, &len, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);
    assert_false(aavm_store_read_nofollow(dir, "sub", 100, &data, &len, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);
    assert_false(aavm_store_read_nofollow(dir, "file", 2, &data, &len, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
}

static void
test_store_remove_regular(void **state)
{
    const char *dir = *state;
    g_autofree char *file = g_build_filename(dir, "file", NULL);
    g_autofree char *inner = g_build_filename(dir, "sub", "inner", NULL);
    g_autoptr(GError) error = NULL;

    make_tree(dir);
    /* Links, to a file or through a directory, and directories: refused,
     * and what they point at stays. */
    assert_false(aavm_store_remove_regular(dir, "link", &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);
    assert_false(aavm_store_remove_regular(dir, "dirlink/inner", &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);
    assert_false(aavm_store_remove_regular(dir, "sub", &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);
    assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
    assert_true(g_file_test(inner, G_FILE_TEST_IS_REGULAR));

    assert_true(aavm_store_remove_regular(dir, "sub/inner", &error));
    assert_false(g_file_test(inner, G_FILE_TEST_EXISTS));
    assert_true(aavm_store_remove_regular(dir, "file", &error));
    assert_false(g_file_test(file, G_FILE_TEST_EXISTS));
    assert_true(aavm_store_remove_regular(dir, "file", &error));
    assert_true(aavm_store_remove_regular(dir, "missing/file", &error));
    assert_null(error);
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

static void
test_store_lock(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "libvirt-x.lock", NULL);
    g_autofree char *link = g_build_filename(dir, "link.lock", NULL);
    g_autofree char *nodir = g_build_filename(dir, "missing", "x.lock", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) link_error = NULL;
    g_autoptr(GError) nodir_error = NULL;
    struct stat st;

    int fd = aavm_store_lock(path, &error);
    assert_true(fd >= 0);
    assert_null(error);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    /* A second open file description cannot take it while we hold it. */
    int other = open(path, O_RDWR | O_CLOEXEC);
    assert_true(other >= 0);
    assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
    assert_int_equal(errno, EWOULDBLOCK);
    aavm_store_unlock(fd);
    assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);
    close(other);

    /* Taken again on the existing file, mode unchanged. */
    fd = aavm_store_lock(path, &error);
    assert_true(fd >= 0);
    aavm_store_unlock(fd);
    aavm_store_unlock(-1);

    /* Never through a symbolic link. */
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(aavm_store_lock(link, &link_error), -1);
    assert_true(g_error_matches(link_error, AAVM_ERROR, AAVM_ERROR_IO));
    assert_non_null(strstr(link_error->message, link));

    assert_int_equal(aavm_store_lock(nodir, &nodir_error), -1);
    assert_true(g_error_matches(nodir_error, AAVM_ERROR, AAVM_ERROR_IO));
}

static void
test_store_clean_temporaries(void **state)
{
    const char *dir = *state;
    g_autofree char *path = g_build_filename(dir, "libvirt-x", NULL);
    static const char *const removed[] = { "libvirt-x.a1B2c3", "libvirt-x.ZZZZZZ" };
    static const char *const kept[] = {
        "libvirt-x",       "libvirt-x.files",    "libvirt-x.lock",   "libvirt-x.a1B2c",
        "libvirt-x.a1B2c3d", "libvirt-x.a1-2c3", "libvirt-y.a1B2c3", "libvirt-x.files.a1B2c3",
    };

    for (guint i = 0; i < G_N_ELEMENTS(removed); i++) {
        g_autofree char *p = g_build_filename(dir, removed[i], NULL);
        assert_true(g_file_set_contents(p, "torn", -1, NULL));
    }
    for (guint i = 0; i < G_N_ELEMENTS(kept); i++) {
        g_autofree char *p = g_build_filename(dir, kept[i], NULL);
        assert_true(g_file_set_contents(p, "keep", -1, NULL));
    }
    assert_int_equal(aavm_store_clean_temporaries(path), G_N_ELEMENTS(removed));
    for (guint i = 0; i < G_N_ELEMENTS(removed); i++) {
        g_autofree char *p = g_build_filename(dir, removed[i], NULL);
        assert_false(g_file_test(p, G_FILE_TEST_EXISTS));
    }
    for (guint i = 0; i < G_N_ELEMENTS(kept); i++) {
        g_autofree char *p = g_build_filename(dir, kept[i], NULL);
        assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
    }
    assert_int_equal(aavm_store_clean_temporaries(path), 0);

    /* The temporaries of the .files are its own. */
    g_autofree char *files = g_build_filename(dir, "libvirt-x.files", NULL);
    assert_int_equal(aavm_store_clean_temporaries(files), 1);

    /* A missing directory is nothing to clean. */
    g_autofree char *nowhere = g_build_filename(dir, "missing", "libvirt-x", NULL);
    assert_int_equal(aavm_store_clean_temporaries(nowhere), 0);
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
        AAVM_TEST_TMPDIR_CASE(test_store_write_atomic_creates_0644),
        AAVM_TEST_TMPDIR_CASE(test_store_write_atomic_overwrites),
        AAVM_TEST_TMPDIR_CASE(test_store_write_atomic_missing_dir),
        AAVM_TEST_TMPDIR_CASE(test_store_write_if_changed),
        AAVM_TEST_TMPDIR_CASE(test_store_remove),
        AAVM_TEST_TMPDIR_CASE(test_store_list),
        AAVM_TEST_TMPDIR_CASE(test_store_read_nofollow),
        AAVM_TEST_TMPDIR_CASE(test_store_remove_regular),
        AAVM_TEST_TMPDIR_CASE(test_store_size),
        AAVM_TEST_TMPDIR_CASE(test_store_lock),
        AAVM_TEST_TMPDIR_CASE(test_store_clean_temporaries),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
