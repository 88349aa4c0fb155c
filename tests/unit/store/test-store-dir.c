/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-store-dir.c: the files of the directories aavm manages
 * (helper/store/store-dir.h): atomic writes, and every kind of thing that is not
 * a regular file of ours refused, left as it is, and never read through. */
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
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "aavm-error.h"
#include "store-dir.h"
#include "testutil.h"

#define SECRET "root:secret-hash:19000:0:99999:7:::\n"
/* A uid that owns nothing of ours. */
#define OTHER_UID 65534

typedef struct {
    char *top;     /* the temporary directory */
    char *managed; /* <top>/managed: the directory under test */
    char *secret;  /* <top>/secret: what a link points at */
    AavmStoreDir *dir;
} Fixture;

static int
setup(void **state)
{
    Fixture *fx = g_new0(Fixture, 1);

    fx->top = aavm_test_make_tmpdir();
    fx->managed = g_build_filename(fx->top, "managed", NULL);
    fx->secret = g_build_filename(fx->top, "secret", NULL);
    if (g_mkdir(fx->managed, 0755) < 0 || !g_file_set_contents(fx->secret, SECRET, -1, NULL) ||
        chmod(fx->secret, 0600) < 0)
        return -1;
    fx->dir = aavm_store_dir_open(fx->managed, 0, NULL);
    if (!fx->dir)
        return -1;
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;

    aavm_store_dir_free(fx->dir);
    aavm_test_rm_rf(fx->top);
    g_free(fx->top);
    g_free(fx->managed);
    g_free(fx->secret);
    g_free(fx);
    return 0;
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static char *
in_managed(const Fixture *fx, const char *name)
{
    return g_build_filename(fx->managed, name, NULL);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The names in the managed directory, sorted, joined by ",". */
static char *
list_managed(const Fixture *fx)
{
    g_autoptr(GPtrArray) names = aavm_store_dir_list(fx->dir);

    g_ptr_array_sort(names, compare_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(",", (char **)names->pdata);
}

static void
test_store_dir_write_creates_0644(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = in_managed(fx, "profile");
    g_autofree char *content = NULL;
    g_autofree char *names = NULL;
    g_autoptr(GError) error = NULL;
    struct stat st;

    /* A restrictive umask must not change the mode. */
    mode_t old_umask = umask(077);
    gboolean ok = aavm_store_dir_write(fx->dir, "profile", "hello\n", 6, NULL, &error);
    umask(old_umask);

    assert_true(ok);
    assert_null(error);
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0644);
    assert_int_equal(st.st_uid, geteuid());
    content = aavm_test_read_file(path);
    assert_string_equal(content, "hello\n");
    names = list_managed(fx);
    assert_string_equal(names, "profile");
}

static void
test_store_dir_write_replaces_by_rename(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = in_managed(fx, "profile");
    g_autofree char *content = NULL;
    g_autofree char *names = NULL;
    g_autoptr(GError) error = NULL;
    struct stat before, after;

    assert_true(g_file_set_contents(path, "old content that is longer\n", -1, NULL));
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(stat(path, &before), 0);
    assert_true(aavm_store_dir_write(fx->dir, "profile", "new\n", 4, NULL, &error));
    assert_null(error);
    assert_int_equal(stat(path, &after), 0);
    assert_true(before.st_ino != after.st_ino);
    assert_int_equal(after.st_mode & 07777, 0644);
    content = aavm_test_read_file(path);
    assert_string_equal(content, "new\n");
    names = list_managed(fx);
    assert_string_equal(names, "profile");
}

static void
test_store_dir_write_if_changed(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = in_managed(fx, "rules.files");
    g_autofree char *content = NULL;
    g_autoptr(GError) error = NULL;
    gboolean changed = FALSE;
    struct stat st;

    assert_true(aavm_store_dir_write(fx->dir, "rules.files", "abc\n", 4, &changed, &error));
    assert_true(changed);
    struct timespec old_times[2] = { { 1000000000, 123456789 }, { 1000000000, 123456789 } };
    assert_int_equal(utimensat(AT_FDCWD, path, old_times, 0), 0);

    /* Same bytes: not written, mtime kept. */
    assert_true(aavm_store_dir_write(fx->dir, "rules.files", "abc\n", 4, &changed, &error));
    assert_false(changed);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mtim.tv_sec, 1000000000);
    assert_int_equal(st.st_mtim.tv_nsec, 123456789);

    /* Same length, other bytes: written. */
    assert_true(aavm_store_dir_write(fx->dir, "rules.files", "abd\n", 4, &changed, &error));
    assert_true(changed);
    content = aavm_test_read_file(path);
    assert_string_equal(content, "abd\n");
    assert_null(error);
}

static void
test_store_dir_read(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = in_managed(fx, "in");
    g_autofree char *data = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) large_error = NULL;
    g_autoptr(GError) missing_error = NULL;
    gboolean exists = FALSE;
    gsize len = 0;

    assert_true(g_file_set_contents(path, "1234567", -1, NULL));
    assert_true(aavm_store_dir_read(fx->dir, "in", 7, &exists, &data, &len, &error));
    assert_true(exists);
    assert_int_equal(len, 7);
    assert_string_equal(data, "1234567");
    g_clear_pointer(&data, g_free);
    assert_false(aavm_store_dir_read(fx->dir, "in", 6, NULL, &data, &len, &large_error));
    assert_true(g_error_matches(large_error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
    assert_non_null(strstr(large_error->message, path));

    /* Missing: told with out_exists, an error without. */
    assert_true(aavm_store_dir_read(fx->dir, "gone", 10, &exists, &data, &len, &error));
    assert_false(exists);
    assert_null(data);
    assert_false(aavm_store_dir_read(fx->dir, "gone", 10, NULL, &data, &len, &missing_error));
    assert_true(g_error_matches(missing_error, AAVM_ERROR, AAVM_ERROR_IO));
}

/* An input aavm only reads (a template) may be a link, as a package
 * installs it; what it leads to is checked like any file aavm reads. */
static void
test_store_dir_read_input(void **state)
{
    Fixture *fx = *state;
    g_autofree char *plain = in_managed(fx, "plain");
    g_autofree char *lnk = in_managed(fx, "linked");
    g_autofree char *target = g_build_filename(fx->top, "target", NULL);
    g_autofree char *second = g_build_filename(fx->top, "second-name", NULL);
    g_autofree char *fifo = g_build_filename(fx->top, "fifo", NULL);
    g_autofree char *data = NULL;
    g_autoptr(GError) error = NULL;
    gboolean exists = FALSE;
    gsize len = 0;
    struct stat before, after;

    assert_true(g_file_set_contents(plain, "plain\n", -1, NULL));
    assert_true(aavm_store_dir_read_input(fx->dir, "plain", 100, &exists, &data, &len, &error));
    assert_true(exists);
    assert_string_equal(data, "plain\n");
    g_clear_pointer(&data, g_free);

    /* A link to a regular file of ours: read through, left as it is. */
    assert_true(g_file_set_contents(target, "template\n", -1, NULL));
    assert_int_equal(chmod(target, 0644), 0);
    assert_int_equal(symlink("../target", lnk), 0);
    assert_int_equal(lstat(lnk, &before), 0);
    assert_true(aavm_store_dir_read_input(fx->dir, "linked", 100, &exists, &data, &len, &error));
    assert_true(exists);
    assert_int_equal(len, 9);
    assert_string_equal(data, "template\n");
    g_clear_pointer(&data, g_free);
    assert_int_equal(lstat(lnk, &after), 0);
    assert_true(S_ISLNK(after.st_mode) && after.st_ino == before.st_ino);
    /* The other reads still refuse it. */
    assert_false(aavm_store_dir_read(fx->dir, "linked", 100, &exists, &data, &len, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
    assert_non_null(strstr(error->message, "is a symbolic link"));
    g_clear_error(&error);

    /* Missing: told by out_exists. */
    assert_true(aavm_store_dir_read_input(fx->dir, "gone", 100, &exists, &data, &len, &error));
    assert_false(exists);
    assert_null(data);

    /* Refused: what the link leads to is writable by every user, is not
     * readable by every user (the secret, 0600), has a second name, is a
     * directory or a FIFO, or is not there. */
    static const struct {
        const char *words;
        AavmError code;
    } refusals[] = {
        { "every user can write", AAVM_ERROR_UNSAFE_FILE },
        { "not every user can read", AAVM_ERROR_UNSAFE_FILE },
        { "is a file with 2 links", AAVM_ERROR_UNSAFE_FILE },
        { "is a directory", AAVM_ERROR_UNSAFE_FILE },
        { "is a FIFO", AAVM_ERROR_UNSAFE_FILE },
        { "No such file", AAVM_ERROR_IO },
    };
    for (guint i = 0; i < G_N_ELEMENTS(refusals); i++) {
        assert_int_equal(unlink(lnk), 0);
        switch (i) {
        case 0:
            assert_int_equal(chmod(target, 0646), 0);
            assert_int_equal(symlink(target, lnk), 0);
            break;
        case 1: assert_int_equal(symlink(fx->secret, lnk), 0); break;
        case 2:
            assert_int_equal(chmod(target, 0644), 0);
            assert_int_equal(link(target, second), 0);
            assert_int_equal(symlink(target, lnk), 0);
            break;
        case 3: assert_int_equal(symlink(fx->top, lnk), 0); break;
        case 4:
            assert_int_equal(mkfifo(fifo, 0644), 0);
            assert_int_equal(symlink(fifo, lnk), 0);
            break;
        case 5: assert_int_equal(symlink("/nonexistent/aavm", lnk), 0); break;
        }
        exists = TRUE;
        assert_false(aavm_store_dir_read_input(fx->dir, "linked", 100, &exists, &data, &len,
                                               &error));
        assert_false(exists);
        assert_null(data);
        if (!g_error_matches(error, AAVM_ERROR, refusals[i].code) ||
            !strstr(error->message, lnk) || !strstr(error->message, refusals[i].words))
            fail_msg("case %u: unexpected error '%s'", i, error->message);
        g_clear_error(&error);
    }
    g_autofree char *secret = aavm_test_read_file(fx->secret);
    assert_string_equal(secret, SECRET);
}

static void
test_store_dir_remove(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = in_managed(fx, "victim");
    g_autoptr(GError) error = NULL;

    assert_true(g_file_set_contents(path, "x", 1, NULL));
    assert_true(aavm_store_dir_remove(fx->dir, "victim", &error));
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    assert_true(aavm_store_dir_remove(fx->dir, "victim", &error));
    assert_null(error);
}

/* ---- what is refused ---- */

typedef enum {
    KIND_LINK_SECRET,
    KIND_LINK_DIR,
    KIND_LINK_DANGLING,
    KIND_FIFO,
    KIND_DIR,
    KIND_HARDLINK_OWN,   /* a second name of a root-owned file */
    KIND_HARDLINK_OTHER, /* a hard link to another user's file (root only) */
    KIND_OTHER_OWNER,    /* a file owned by another user (root only) */
    KIND_LAST
} Kind;

static const char *const kind_names[KIND_LAST] = {
    "link to a secret", "link to a directory", "dangling link", "FIFO", "directory",
    "hard link", "hard link to another user's file", "another user's file",
};

/* What the refusal says was found. */
static const char *const kind_words[KIND_LAST] = {
    "is a symbolic link", "is a symbolic link", "is a symbolic link", "is a FIFO",
    "is a directory", "is a file with 2 links", "is a file owned by uid 65534",
    "is a file owned by uid 65534",
};

static gboolean
needs_root(Kind kind)
{
    return kind == KIND_HARDLINK_OTHER || kind == KIND_OTHER_OWNER;
}

/* Put @kind at @name in the managed directory. */
static void
make_kind(const Fixture *fx, const char *name, Kind kind)
{
    g_autofree char *path = in_managed(fx, name);
    g_autofree char *other = g_build_filename(fx->top, "others-file", NULL);

    switch (kind) {
    case KIND_LINK_SECRET: assert_int_equal(symlink(fx->secret, path), 0); break;
    case KIND_LINK_DIR: assert_int_equal(symlink(fx->top, path), 0); break;
    case KIND_LINK_DANGLING: assert_int_equal(symlink("/nonexistent/aavm", path), 0); break;
    case KIND_FIFO: assert_int_equal(mkfifo(path, 0644), 0); break;
    case KIND_DIR: assert_int_equal(g_mkdir(path, 0755), 0); break;
    case KIND_HARDLINK_OWN: assert_int_equal(link(fx->secret, path), 0); break;
    case KIND_HARDLINK_OTHER:
        assert_true(g_file_set_contents(other, SECRET, -1, NULL));
        assert_int_equal(chown(other, OTHER_UID, OTHER_UID), 0);
        assert_int_equal(link(other, path), 0);
        break;
    case KIND_OTHER_OWNER:
        assert_true(g_file_set_contents(path, SECRET, -1, NULL));
        assert_int_equal(chown(path, OTHER_UID, OTHER_UID), 0);
        break;
    default: fail();
    }
}

/* @name is what make_kind() put there and the secret is untouched. */
static void
assert_left_alone(const Fixture *fx, const char *name, const struct stat *before)
{
    g_autofree char *path = in_managed(fx, name);
    g_autofree char *secret = aavm_test_read_file(fx->secret);
    g_autofree char *names = list_managed(fx);
    struct stat after;

    assert_int_equal(lstat(path, &after), 0);
    assert_int_equal(after.st_ino, before->st_ino);
    assert_int_equal(after.st_mode, before->st_mode);
    assert_string_equal(secret, SECRET);
    /* No temporary file, no copy. */
    assert_string_equal(names, name);
}

static void
assert_refused(const GError *error, const Fixture *fx, const char *name, Kind kind)
{
    g_autofree char *path = in_managed(fx, name);

    assert_non_null(error);
    if (!g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE) ||
        !strstr(error->message, path) || !strstr(error->message, kind_words[kind]))
        fail_msg("%s: unexpected error '%s'", kind_names[kind], error->message);
}

static void
test_store_dir_refuses_every_kind(void **state)
{
    Fixture *fx = *state;
    guint tested = 0;

    for (Kind kind = 0; kind < KIND_LAST; kind++) {
        if (needs_root(kind) && geteuid() != 0) {
            print_message("skipped: '%s' needs root (chown)\n", kind_names[kind]);
            continue;
        }
        for (int op = 0; op < 7; op++) {
            g_autoptr(GError) error = NULL;
            g_autofree char *data = NULL;
            gboolean exists = TRUE;
            gboolean changed = TRUE;
            gsize len = 0;
            struct stat before;
            gboolean ok = TRUE;
            int fd = 0;

            make_kind(fx, "f", kind);
            g_autofree char *path = in_managed(fx, "f");
            assert_int_equal(lstat(path, &before), 0);
            switch (op) {
            case 0: ok = aavm_store_dir_stat(fx->dir, "f", &exists, NULL, &error); break;
            case 1: ok = aavm_store_dir_read(fx->dir, "f", 100, &exists, &data, &len, &error); break;
            case 2: ok = aavm_store_dir_read(fx->dir, "f", 100, NULL, &data, &len, &error); break;
            case 3: ok = aavm_store_dir_write(fx->dir, "f", "ours\n", 5, NULL, &error); break;
            case 4: ok = aavm_store_dir_write(fx->dir, "f", "ours\n", 5, &changed, &error); break;
            case 5: ok = aavm_store_dir_remove(fx->dir, "f", &error); break;
            case 6:
                fd = aavm_store_dir_lock(fx->dir, "f", &error);
                ok = fd >= 0;
                break;
            }
            if (ok)
                fail_msg("%s: operation %d accepted it", kind_names[kind], op);
            assert_null(data);
            assert_refused(error, fx, "f", kind);
            assert_left_alone(fx, "f", &before);
            if (kind == KIND_DIR)
                assert_int_equal(g_rmdir(path), 0);
            else
                assert_int_equal(unlink(path), 0);
            tested++;
        }
    }
    print_message("%u refusals checked\n", tested);
}

static void
test_store_dir_refuses_directories(void **state)
{
    Fixture *fx = *state;
    g_autofree char *link = g_build_filename(fx->top, "link", NULL);
    g_autofree char *file = g_build_filename(fx->top, "file", NULL);
    g_autofree char *open_dir = g_build_filename(fx->top, "open", NULL);
    g_autofree char *missing = g_build_filename(fx->top, "missing", NULL);
    g_autofree char *made = g_build_filename(fx->top, "run", "aavm", NULL);
    g_autoptr(GError) error = NULL;
    AavmStoreDir *dir;
    struct stat st;

    assert_int_equal(symlink(fx->managed, link), 0);
    assert_null(aavm_store_dir_open(link, 0700, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
    assert_non_null(strstr(error->message, "is a symbolic link"));
    g_clear_error(&error);

    assert_true(g_file_set_contents(file, "", 0, NULL));
    assert_null(aavm_store_dir_open(file, 0, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
    assert_non_null(strstr(error->message, "is not a directory"));
    g_clear_error(&error);

    assert_int_equal(g_mkdir(open_dir, 0755), 0);
    assert_int_equal(chmod(open_dir, 0777), 0);
    assert_null(aavm_store_dir_open(open_dir, 0, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
    assert_non_null(strstr(error->message, "writable by every user"));
    g_clear_error(&error);

    assert_null(aavm_store_dir_open(missing, 0, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    g_clear_error(&error);

    /* Made with its parents, 0700 for the last. */
    dir = aavm_store_dir_open(made, 0700, &error);
    assert_non_null(dir);
    assert_string_equal(aavm_store_dir_path(dir), made);
    aavm_store_dir_free(dir);
    assert_int_equal(lstat(made, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0700);

    if (geteuid() != 0) {
        print_message("skipped: a directory of another user needs root (chown)\n");
        return;
    }
    assert_int_equal(chown(open_dir, OTHER_UID, OTHER_UID), 0);
    assert_int_equal(chmod(open_dir, 0755), 0);
    assert_null(aavm_store_dir_open(open_dir, 0, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
    assert_non_null(strstr(error->message, "owned by uid 65534"));
}

/* ---- the lock ---- */

static void
test_store_dir_lock_exclusive(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = in_managed(fx, "libvirt-x.lock");
    g_autoptr(GError) error = NULL;
    struct stat st;

    int fd = aavm_store_dir_lock(fx->dir, "libvirt-x.lock", &error);
    assert_true(fd >= 0);
    assert_int_equal(lstat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    int other = open(path, O_RDWR | O_CLOEXEC);
    assert_true(other >= 0);
    assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
    assert_int_equal(errno, EWOULDBLOCK);
    aavm_store_dir_unlock(fx->dir, "libvirt-x.lock", fd, FALSE);
    assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);
    close(other);
    assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    aavm_store_dir_unlock(fx->dir, "libvirt-x.lock", -1, TRUE);

    /* Removed while held: nothing is left. */
    fd = aavm_store_dir_lock(fx->dir, "libvirt-x.lock", &error);
    assert_true(fd >= 0);
    aavm_store_dir_unlock(fx->dir, "libvirt-x.lock", fd, TRUE);
    assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

/* A caller waiting on the lock file that the holder removes (-D) must end
 * up holding the lock on the file at the name, not on the removed one;
 * else a third caller could take "the" lock at the same time. */
static void
test_store_dir_lock_survives_removal(void **state)
{
    Fixture *fx = *state;
    g_autofree char *path = in_managed(fx, "libvirt-x.lock");
    g_autoptr(GError) error = NULL;
    int ready[2];
    int status = 0;
    char byte;

    int fd = aavm_store_dir_lock(fx->dir, "libvirt-x.lock", &error);
    assert_true(fd >= 0);
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        /* The waiter: opens the current file, blocks in flock().  Its
         * copy of the holder's descriptor would hold the lock too. */
        close(fd);
        close(ready[0]);
        assert_int_equal(write(ready[1], "x", 1), 1);
        int got = aavm_store_dir_lock(fx->dir, "libvirt-x.lock", NULL);
        struct stat mine, there;
        _exit(got >= 0 && fstat(got, &mine) == 0 && lstat(path, &there) == 0 &&
                      mine.st_ino == there.st_ino && mine.st_nlink == 1 &&
                      flock(got, LOCK_EX | LOCK_NB) == 0
                  ? 0
                  : 1);
    }
    close(ready[1]);
    assert_int_equal(read(ready[0], &byte, 1), 1);
    close(ready[0]);
    g_usleep(200 * 1000); /* let it reach flock() */
    aavm_store_dir_unlock(fx->dir, "libvirt-x.lock", fd, TRUE);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* The waiter's lock file is the one there now (the inode number may
     * be the removed one's again: the name is what is compared). */
    assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
}

static void
test_store_lock_take(void **state)
{
    Fixture *fx = *state;
    g_autofree char *lock_dir = g_build_filename(fx->top, "run", "aavm", NULL);
    g_autofree char *lock_file = g_build_filename(lock_dir, "libvirt-x.lock", NULL);
    g_autofree char *link_dir = g_build_filename(fx->top, "runlink", NULL);
    g_autoptr(GError) error = NULL;
    struct stat st;

    AavmStoreLock *lock = aavm_store_lock_take(lock_dir, "libvirt-x", &error);
    assert_non_null(lock);
    assert_int_equal(lstat(lock_dir, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(lstat(lock_file, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    aavm_store_lock_release(lock, FALSE);
    assert_true(g_file_test(lock_file, G_FILE_TEST_EXISTS));
    lock = aavm_store_lock_take(lock_dir, "libvirt-x", &error);
    assert_non_null(lock);
    aavm_store_lock_release(lock, TRUE);
    assert_false(g_file_test(lock_file, G_FILE_TEST_EXISTS));
    aavm_store_lock_release(NULL, TRUE);

    /* The lock directory itself is never a link. */
    assert_int_equal(symlink(lock_dir, link_dir), 0);
    assert_null(aavm_store_lock_take(link_dir, "libvirt-x", &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
}

static void
test_store_dir_clean_temporaries(void **state)
{
    Fixture *fx = *state;
    static const char *const removed[] = { "libvirt-x.a1B2c3", "libvirt-x.ZZZZZZ" };
    static const char *const kept[] = {
        "libvirt-x",       "libvirt-x.files",    "libvirt-x.lock",   "libvirt-x.a1B2c",
        "libvirt-x.a1B2c3d", "libvirt-x.a1-2c3", "libvirt-y.a1B2c3", "libvirt-x.files.a1B2c3",
    };
    g_autofree char *as_link = in_managed(fx, "libvirt-x.LLLLLL");
    g_autofree char *as_dir = in_managed(fx, "libvirt-x.DDDDDD");

    for (guint i = 0; i < G_N_ELEMENTS(removed); i++) {
        g_autofree char *p = in_managed(fx, removed[i]);
        assert_true(g_file_set_contents(p, "torn", -1, NULL));
    }
    for (guint i = 0; i < G_N_ELEMENTS(kept); i++) {
        g_autofree char *p = in_managed(fx, kept[i]);
        assert_true(g_file_set_contents(p, "keep", -1, NULL));
    }
    /* Only regular files: what a writer of ours leaves. */
    assert_int_equal(symlink(fx->secret, as_link), 0);
    assert_int_equal(g_mkdir(as_dir, 0755), 0);
    assert_int_equal(aavm_store_dir_clean_temporaries(fx->dir, "libvirt-x"),
                     G_N_ELEMENTS(removed));
    for (guint i = 0; i < G_N_ELEMENTS(removed); i++) {
        g_autofree char *p = in_managed(fx, removed[i]);
        assert_false(g_file_test(p, G_FILE_TEST_EXISTS));
    }
    for (guint i = 0; i < G_N_ELEMENTS(kept); i++) {
        g_autofree char *p = in_managed(fx, kept[i]);
        assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
    }
    assert_true(g_file_test(as_link, G_FILE_TEST_IS_SYMLINK));
    assert_true(g_file_test(as_dir, G_FILE_TEST_IS_DIR));
    assert_int_equal(aavm_store_dir_clean_temporaries(fx->dir, "libvirt-x.files"), 1);
}

/* ---- the compile cache ---- */

static void
test_store_cache_entries(void **state)
{
    Fixture *fx = *state;
    g_autofree char *cache = g_build_filename(fx->top, "cache", NULL);
    g_autofree char *hash_dir = g_build_filename(cache, "6ff7d57f.0", NULL);
    g_autofree char *entry = g_build_filename(hash_dir, "libvirt-x", NULL);
    g_autofree char *other_dir = g_build_filename(cache, "11111111.0", NULL);
    g_autofree char *link_dir = g_build_filename(cache, "22222222.0", NULL);
    g_autoptr(GError) error = NULL;
    gboolean found = TRUE;
    struct timespec newest = { 0 };

    /* Missing: nothing cached; made only when asked. */
    assert_true(aavm_store_cache_entries(cache, "libvirt-x", FALSE, &found, &newest, &error));
    assert_false(found);
    assert_false(g_file_test(cache, G_FILE_TEST_EXISTS));
    assert_true(aavm_store_cache_entries(cache, "libvirt-x", TRUE, &found, &newest, &error));
    assert_true(g_file_test(cache, G_FILE_TEST_IS_DIR));

    assert_int_equal(g_mkdir(hash_dir, 0700), 0);
    assert_int_equal(g_mkdir(other_dir, 0700), 0);
    assert_true(g_file_set_contents(entry, "compiled", -1, NULL));
    struct timespec times[2] = { { 1500000000, 0 }, { 1500000000, 0 } };
    assert_int_equal(utimensat(AT_FDCWD, entry, times, 0), 0);
    assert_true(aavm_store_cache_entries(cache, "libvirt-x", FALSE, &found, &newest, &error));
    assert_true(found);
    assert_int_equal(newest.tv_sec, 1500000000);

    for (Kind kind = KIND_LINK_SECRET; kind <= KIND_DIR; kind++) {
        g_autofree char *bad = g_build_filename(other_dir, "libvirt-x", NULL);
        switch (kind) {
        case KIND_LINK_SECRET: assert_int_equal(symlink(fx->secret, bad), 0); break;
        case KIND_LINK_DIR: assert_int_equal(symlink(fx->top, bad), 0); break;
        case KIND_LINK_DANGLING: assert_int_equal(symlink("/nonexistent", bad), 0); break;
        case KIND_FIFO: assert_int_equal(mkfifo(bad, 0600), 0); break;
        default: assert_int_equal(g_mkdir(bad, 0700), 0); break;
        }
        assert_false(aavm_store_cache_entries(cache, "libvirt-x", TRUE, NULL, NULL, &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
        assert_non_null(strstr(error->message, bad));
        assert_non_null(strstr(error->message, kind_words[kind]));
        g_clear_error(&error);
        assert_int_equal(kind == KIND_DIR ? g_rmdir(bad) : unlink(bad), 0);
    }

    /* A feature-set directory that is a link is refused too. */
    assert_int_equal(symlink(fx->top, link_dir), 0);
    assert_false(aavm_store_cache_entries(cache, "libvirt-x", FALSE, NULL, NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
    assert_non_null(strstr(error->message, link_dir));
}

static void
collect(const char *name, const char *path, const char *text, gsize len, gpointer data)
{
    GPtrArray *seen = data;

    assert_true(g_str_has_suffix(path, name));
    assert_int_equal(strlen(text), len);
    g_ptr_array_add(seen, g_strdup_printf("%s=%s", name, text));
}

/* aavm_store_dir_scan(): the regular files only, in name order, each
 * through a checked descriptor; a link (to a file or a FIFO), a FIFO, a
 * directory is skipped with a warning naming it, and never read through. */
static void
test_store_dir_scan(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *fifo = g_build_filename(fx->managed, "fifo.xml", NULL);
    g_autofree char *outside_fifo = g_build_filename(fx->top, "fifo", NULL);
    g_autofree char *lnk = g_build_filename(fx->managed, "link.xml", NULL);
    g_autofree char *fifo_lnk = g_build_filename(fx->managed, "link-fifo.xml", NULL);
    g_autofree char *sub = g_build_filename(fx->managed, "sub.xml", NULL);
    g_autofree char *missing = g_build_filename(fx->top, "missing", NULL);

    assert_true(aavm_store_dir_write(fx->dir, "b.xml", "B", 1, NULL, NULL));
    assert_true(aavm_store_dir_write(fx->dir, "a.xml", "A", 1, NULL, NULL));
    assert_true(aavm_store_dir_write(fx->dir, "c.txt", "C", 1, NULL, NULL));
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(mkfifo(outside_fifo, 0600), 0);
    assert_int_equal(symlink(fx->secret, lnk), 0);
    assert_int_equal(symlink(outside_fifo, fifo_lnk), 0);
    assert_int_equal(g_mkdir(sub, 0755), 0);

    aavm_store_dir_scan(fx->managed, ".xml", 100, 1024, NULL, collect, seen, warnings);
    assert_int_equal(seen->len, 2);
    assert_string_equal(g_ptr_array_index(seen, 0), "a.xml=A");
    assert_string_equal(g_ptr_array_index(seen, 1), "b.xml=B");
    assert_int_equal(warnings->len, 4);
    assert_true(aavm_test_has_warning_all(warnings, fifo, "is a FIFO", NULL));
    assert_true(aavm_test_has_warning_all(warnings, lnk, "is a symbolic link", NULL));
    assert_true(aavm_test_has_warning_all(warnings, fifo_lnk, "is a symbolic link", NULL));
    assert_true(aavm_test_has_warning_all(warnings, sub, "is a directory", NULL));

    /* At most @max_files of the names wanted, and @max_bytes each. */
    g_ptr_array_set_size(seen, 0);
    g_ptr_array_set_size(warnings, 0);
    aavm_store_dir_scan(fx->managed, ".xml", 1, 1024, NULL, collect, seen, warnings);
    assert_int_equal(seen->len, 1);
    assert_int_equal(warnings->len, 0);
    assert_true(aavm_store_dir_write(fx->dir, "a.xml", "AA", 2, NULL, NULL));
    aavm_store_dir_scan(fx->managed, ".xml", 1, 1, NULL, collect, seen, warnings);
    assert_int_equal(seen->len, 1);
    assert_int_equal(warnings->len, 1);

    /* A missing directory has no files; a link to one is refused. */
    g_ptr_array_set_size(warnings, 0);
    aavm_store_dir_scan(missing, ".xml", 100, 1024, NULL, collect, seen, warnings);
    assert_int_equal(warnings->len, 0);
    assert_int_equal(symlink(fx->managed, missing), 0);
    aavm_store_dir_scan(missing, ".xml", 100, 1024, NULL, collect, seen, warnings);
    assert_int_equal(seen->len, 1);
    assert_true(aavm_test_has_warning_all(warnings, missing, "symbolic link", NULL));
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        CASE(test_store_dir_write_creates_0644),
        CASE(test_store_dir_write_replaces_by_rename),
        CASE(test_store_dir_write_if_changed),
        CASE(test_store_dir_read),
        CASE(test_store_dir_read_input),
        CASE(test_store_dir_remove),
        CASE(test_store_dir_refuses_every_kind),
        CASE(test_store_dir_refuses_directories),
        CASE(test_store_dir_lock_exclusive),
        CASE(test_store_dir_lock_survives_removal),
        CASE(test_store_lock_take),
        CASE(test_store_dir_clean_temporaries),
        CASE(test_store_cache_entries),
        CASE(test_store_dir_scan),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
