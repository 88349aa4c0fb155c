/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-host.c: host roots, querying kinds and canonicalising paths. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "testutil.h"
#include "aavm-error.h"
#include "host.h"

/* ---- fixtures ---------------------------------------------------------- */

static int
setup_fakeroot(void **state)
{
    g_autofree char *root = aavm_test_fakeroot();
    g_autoptr(GError) error = NULL;
    AavmHost *host = aavm_host_new(root, &error);

    if (!host) {
        fprintf(stderr, "cannot open the fake root '%s': %s\n", root, error->message);
        return -1;
    }
    *state = host;
    return 0;
}

static int
teardown_host(void **state)
{
    aavm_host_free(*state);
    *state = NULL;
    return 0;
}

/* A private copy of the fake root in a temporary directory, with links that
 * leave it:
 *   <tmp>/outside/secret.img
 *   <tmp>/root/...                       (copy of tests/fakeroot)
 *   <tmp>/root/var/lib/libvirt/images/escape.img -> ../../../../../outside/secret.img
 *   <tmp>/root/var/lib/libvirt/images/escape-dir -> ../../../../../outside
 *   <tmp>/root/up -> ..
 *   <tmp>/root-sibling/x                 (shares the root's name as prefix)
 *   <tmp>/root/var/lib/libvirt/images/sibling -> ../../../../../root-sibling
 */
typedef struct {
    char *tmpdir;
    char *root;
    AavmHost *host;
} CopyFixture;

static gboolean
make_link(const char *target, const char *root, const char *rel)
{
    g_autofree char *path = g_build_filename(root, rel, NULL);

    if (symlink(target, path) < 0) {
        fprintf(stderr, "symlink %s -> %s: %s\n", path, target, g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

static int
setup_copy(void **state)
{
    g_autofree char *fakeroot = aavm_test_fakeroot();
    g_autoptr(GError) error = NULL;
    CopyFixture *fx = g_new0(CopyFixture, 1);
    int status = -1;

    *state = fx;
    fx->tmpdir = aavm_test_make_tmpdir();
    fx->root = g_build_filename(fx->tmpdir, "root", NULL);

    const char *argv[] = { "cp", "-a", "--", fakeroot, fx->root, NULL };
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                      &status, &error) ||
        !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "cannot copy the fake root: %s\n",
                error ? error->message : "cp failed");
        return -1;
    }

    g_autofree char *outside = g_build_filename(fx->tmpdir, "outside", NULL);
    g_autofree char *secret = g_build_filename(outside, "secret.img", NULL);
    g_autofree char *sibling = g_build_filename(fx->tmpdir, "root-sibling", NULL);
    g_autofree char *sibling_x = g_build_filename(sibling, "x", NULL);
    if (g_mkdir(outside, 0700) < 0 || g_mkdir(sibling, 0700) < 0 ||
        !g_file_set_contents(secret, "secret\n", -1, NULL) ||
        !g_file_set_contents(sibling_x, "x\n", -1, NULL))
        return -1;
    if (!make_link("../../../../../outside/secret.img", fx->root,
                   "var/lib/libvirt/images/escape.img") ||
        !make_link("../../../../../outside", fx->root, "var/lib/libvirt/images/escape-dir") ||
        !make_link("../../../../../root-sibling", fx->root, "var/lib/libvirt/images/sibling") ||
        !make_link("..", fx->root, "up"))
        return -1;

    fx->host = aavm_host_new(fx->root, &error);
    if (!fx->host) {
        fprintf(stderr, "cannot open '%s': %s\n", fx->root, error->message);
        return -1;
    }
    return 0;
}

static int
teardown_copy(void **state)
{
    CopyFixture *fx = *state;

    if (fx) {
        aavm_host_free(fx->host);
        if (fx->tmpdir)
            aavm_test_rm_rf(fx->tmpdir);
        g_free(fx->tmpdir);
        g_free(fx->root);
        g_free(fx);
    }
    *state = NULL;
    return 0;
}

/* ---- aavm_host_new ------------------------------------------------------ */

static void
test_host_new_fakeroot(void **state)
{
    g_autofree char *root = aavm_test_fakeroot();
    g_autofree char *with_slash = g_strconcat(root, "/", NULL);
    g_autofree char *with_dot = g_build_filename(root, "var", "..", NULL);
    char *real = realpath(root, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) host = NULL;
    g_autoptr(AavmHost) host2 = NULL;
    g_autoptr(AavmHost) host3 = NULL;

    (void)state;
    assert_non_null(real);
    host = aavm_host_new(root, &error);
    assert_null(error);
    assert_non_null(host);
    /* Stored canonical, without trailing slash. */
    assert_string_equal(host->root, real);
    assert_true(host->root[strlen(host->root) - 1] != '/');

    host2 = aavm_host_new(with_slash, &error);
    assert_null(error);
    assert_non_null(host2);
    assert_string_equal(host2->root, real);

    host3 = aavm_host_new(with_dot, &error);
    assert_null(error);
    assert_non_null(host3);
    assert_string_equal(host3->root, real);
    free(real);
}

static void
test_host_new_real_root(void **state)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) slash = aavm_host_new("/", &error);
    g_autoptr(AavmHost) null_root = NULL;

    (void)state;
    assert_null(error);
    assert_non_null(slash);
    assert_string_equal(slash->root, "");
    null_root = aavm_host_new(NULL, &error);
    assert_null(error);
    assert_non_null(null_root);
    assert_string_equal(null_root->root, "");
}

static void
test_host_new_not_a_dir(void **state)
{
    g_autofree char *file = g_build_filename(aavm_test_fakeroot_const(), "boot/vmlinuz-test", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) host = NULL;

    (void)state;
    assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
    host = aavm_host_new(file, &error);
    assert_null(host);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
}

static void
test_host_new_symlink_to_file(void **state)
{
    /* A link to a file is no better than the file. */
    g_autofree char *link = g_build_filename(aavm_test_fakeroot_const(),
                                             "var/lib/libvirt/images/link-to-disk.img", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) host = aavm_host_new(link, &error);

    (void)state;
    assert_null(host);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
}

static void
test_host_new_missing(void **state)
{
    g_autofree char *missing =
        g_build_filename(aavm_test_fakeroot_const(), "no-such-directory", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) host = aavm_host_new(missing, &error);

    (void)state;
    assert_null(host);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_IO));
    assert_non_null(strstr(error->message, "no-such-directory"));
}

static void
test_host_new_symlinked_root(void **state)
{
    CopyFixture *fx = *state;
    g_autofree char *link = g_build_filename(fx->tmpdir, "root-link", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmHost) host = NULL;
    char *real = realpath(fx->root, NULL);

    assert_non_null(real);
    assert_int_equal(symlink("root", link), 0);
    host = aavm_host_new(link, &error);
    assert_null(error);
    assert_non_null(host);
    /* The link is resolved once, so later checks compare real paths. */
    assert_string_equal(host->root, real);
    free(real);
}

/* ---- aavm_host_query ---------------------------------------------------- */

static void
test_host_kind_to_string(void **state)
{
    (void)state;
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_MISSING), "missing");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_FILE), "file");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_DIR), "directory");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_BLOCK), "block device");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_CHAR), "character device");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_SOCKET), "socket");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_FIFO), "fifo");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_OTHER), "other");
    assert_string_equal(aavm_host_kind_to_string(AAVM_HOST_KIND_LAST), "unknown");
}

typedef struct {
    const char *path;
    gboolean follow;
    AavmHostKind kind;
} QueryCase;

static void
host_query_one(const AavmHost *host, const QueryCase *c)
{
    AavmHostKind kind = aavm_host_query(host, c->path, c->follow);

    if (kind != c->kind)
        fail_msg("query('%s', follow=%d) = %s, expected %s", c->path, c->follow,
                 aavm_host_kind_to_string(kind), aavm_host_kind_to_string(c->kind));
}

static void
test_host_query_fakeroot(void **state)
{
    static const QueryCase cases[] = {
        { "/", TRUE, AAVM_HOST_DIR },
        { "/var/lib/libvirt/images", TRUE, AAVM_HOST_DIR },
        { "/var/lib/libvirt/images/disk.qcow2", TRUE, AAVM_HOST_FILE },
        { "/var/lib/libvirt/images/disk.qcow2", FALSE, AAVM_HOST_FILE },
        { "/var/lib/libvirt/images/missing.img", TRUE, AAVM_HOST_MISSING },
        { "/var/lib/libvirt/images/missing.img", FALSE, AAVM_HOST_MISSING },
        { "/no/such/dir/file", TRUE, AAVM_HOST_MISSING },
        /* Symlinks: followed, or seen as what they are. */
        { "/var/lib/libvirt/images/link-to-disk.img", TRUE, AAVM_HOST_FILE },
        { "/var/lib/libvirt/images/link-to-disk.img", FALSE, AAVM_HOST_OTHER },
        { "/images-link", TRUE, AAVM_HOST_DIR },
        { "/images-link", FALSE, AAVM_HOST_OTHER },
        { "/images-link/disk.qcow2", FALSE, AAVM_HOST_FILE },
        { "/var/lib/libvirt/images/etc-link", TRUE, AAVM_HOST_DIR },
        /* Inside the fake root: evil.img points at the fake /etc/shadow. */
        { "/var/lib/libvirt/images/evil.img", TRUE, AAVM_HOST_FILE },
        /* The fake root has no /etc/passwd, whatever the real host has. */
        { "/etc/passwd", TRUE, AAVM_HOST_MISSING },
        { "/var/lib/libvirt/images/etc-link/passwd", TRUE, AAVM_HOST_MISSING },
        { "/boot/vmlinuz-test", TRUE, AAVM_HOST_FILE },
    };
    const AavmHost *host = *state;

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        host_query_one(host, &cases[i]);
}

static void
test_host_query_special_files(void **state)
{
    CopyFixture *fx = *state;
    g_autofree char *fifo = g_build_filename(fx->root, "tmp", "test.fifo", NULL);
    g_autofree char *sock = g_build_filename(fx->root, "tmp", "test.sock", NULL);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(sock) >= sizeof addr.sun_path)
        skip(); /* $TMPDIR too long for a socket address */
    assert_int_equal(mkfifo(fifo, 0600), 0);
    g_strlcpy(addr.sun_path, sock, sizeof addr.sun_path);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    close(fd);

    QueryCase cases[] = {
        { "/tmp/test.fifo", TRUE, AAVM_HOST_FIFO },
        { "/tmp/test.fifo", FALSE, AAVM_HOST_FIFO },
        { "/tmp/test.sock", TRUE, AAVM_HOST_SOCKET },
        { "/tmp", TRUE, AAVM_HOST_DIR },
        /* Outside the copy through a link: still answered. */
        { "/var/lib/libvirt/images/escape.img", FALSE, AAVM_HOST_OTHER },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        host_query_one(fx->host, &cases[i]);
}

static void
test_host_query_real_root(void **state)
{
    g_autoptr(AavmHost) host = aavm_host_new("/", NULL);

    (void)state;
    assert_non_null(host);
    assert_int_equal(aavm_host_query(host, "/", TRUE), AAVM_HOST_DIR);
    assert_int_equal(aavm_host_query(host, "/dev/null", TRUE), AAVM_HOST_CHAR);
    assert_int_equal(aavm_host_query(host, "/nonexistent-aavm-test-path", TRUE),
                     AAVM_HOST_MISSING);
}

/* ---- aavm_host_canonicalize -------------------------------------------- */

typedef struct {
    const char *path;
    const char *canonical; /* NULL: refused */
    gboolean exists;
    AavmError code;        /* when refused */
} CanonCase;

static void
host_canonicalize_one(const AavmHost *host, const CanonCase *c)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    gboolean exists = !c->exists;
    gboolean ok = aavm_host_canonicalize(host, c->path, &out, &exists, &error);

    if (c->canonical) {
        if (!ok)
            fail_msg("canonicalize('%s') refused: %s", c->path,
                     error ? error->message : "(no error)");
        assert_null(error);
        if (g_strcmp0(out, c->canonical) != 0)
            fail_msg("canonicalize('%s') = '%s', expected '%s'", c->path, out, c->canonical);
        if (exists != c->exists)
            fail_msg("canonicalize('%s'): exists = %d, expected %d", c->path, exists,
                     c->exists);
    } else {
        if (ok)
            fail_msg("canonicalize('%s') = '%s', expected a refusal", c->path, out);
        assert_null(out);
        if (!g_error_matches(error, AAVM_ERROR, c->code))
            fail_msg("canonicalize('%s'): error %s, expected %s", c->path,
                     error ? aavm_error_code_to_string(error->code) : "(none)",
                     aavm_error_code_to_string(c->code));
    }
}

static void
test_host_canonicalize_fakeroot(void **state)
{
    static const CanonCase cases[] = {
        /* Existing file: itself. */
        {"/var/lib/libvirt/images/disk.qcow2", "/var/lib/libvirt/images/disk.qcow2", TRUE, 0},
        {"/boot/vmlinuz-test", "/boot/vmlinuz-test", TRUE, 0},
        {"/", "/", TRUE, 0},
        {"/var", "/var", TRUE, 0},
        /* Missing below an existing directory. */
        {"/var/lib/libvirt/images/new.qcow2", "/var/lib/libvirt/images/new.qcow2", FALSE, 0},
        {"/var/lib/libvirt/images/a/b/c.img", "/var/lib/libvirt/images/a/b/c.img", FALSE, 0},
        {"/nonexistent", "/nonexistent", FALSE, 0},
        /* Repeated and trailing slashes and "." are dropped. */
        {"//var///lib/libvirt/images//disk.qcow2", "/var/lib/libvirt/images/disk.qcow2", TRUE, 0},
        {"/var/lib/libvirt/images/", "/var/lib/libvirt/images", TRUE, 0},
        {"/var/lib/libvirt/images///", "/var/lib/libvirt/images", TRUE, 0},
        {"/./var/./lib/libvirt/images/./disk.qcow2", "/var/lib/libvirt/images/disk.qcow2", TRUE, 0},
        {"/var/lib/libvirt/images/.", "/var/lib/libvirt/images", TRUE, 0},
        {"//", "/", TRUE, 0},
        {"/.", "/", TRUE, 0},
        /* ... also in the part that does not exist. */
        {"/var/lib/libvirt/images//new/./x.img/", "/var/lib/libvirt/images/new/x.img", FALSE, 0},
        /* Symlinked directory and file resolved. */
        {"/images-link/disk.qcow2", "/var/lib/libvirt/images/disk.qcow2", TRUE, 0},
        {"/images-link", "/var/lib/libvirt/images", TRUE, 0},
        {"/images-link/new.img", "/var/lib/libvirt/images/new.img", FALSE, 0},
        {"/var/lib/libvirt/images/link-to-disk.img", "/var/lib/libvirt/images/disk.qcow2", TRUE, 0},
        {"/images-link/link-to-disk.img", "/var/lib/libvirt/images/disk.qcow2", TRUE, 0},
        /* Symlinks inside the fake root give host paths, not root-prefixed. */
        {"/var/lib/libvirt/images/evil.img", "/etc/shadow", TRUE, 0},
        {"/var/lib/libvirt/images/etc-link/passwd", "/etc/passwd", FALSE, 0},
        {"/var/lib/libvirt/images/etc-link", "/etc", TRUE, 0},
        /* ".." in the existing part resolved. */
        {"/var/lib/libvirt/images/../images/disk.qcow2", "/var/lib/libvirt/images/disk.qcow2", TRUE,
         0},
        {"/var/lib/libvirt/../libvirt/images/new.img", "/var/lib/libvirt/images/new.img", FALSE, 0},
        {"/images-link/..", "/var/lib/libvirt", TRUE, 0},
        {"/var/lib/libvirt/images/etc-link/../boot", "/boot", TRUE, 0},
        /* ".." after a missing part refused. */
        {"/var/lib/libvirt/images/missing/../disk.qcow2", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        {"/missing/../etc/shadow", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        {"/var/lib/libvirt/images/new/..", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        {"/var/lib/libvirt/images/disk.qcow2/..", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        /* Relative paths refused. */
        {"var/lib/libvirt/images/disk.qcow2", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        {"disk.qcow2", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        {"./disk.qcow2", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        {"../etc/shadow", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
        {"", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH},
    };
    const AavmHost *host = *state;

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        host_canonicalize_one(host, &cases[i]);
}

/* With aavm_host_remember_paths() the same answers, the second time from
 * the memo (refusals are not remembered). */
static void
test_host_canonicalize_remembered(void **state)
{
    AavmHost *host = *state;

    aavm_host_remember_paths(host);
    test_host_canonicalize_fakeroot(state);
    assert_true(g_hash_table_size(host->canonical) > 0);
    test_host_canonicalize_fakeroot(state);
}

static void
test_host_canonicalize_relative_message(void **state)
{
    const AavmHost *host = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    assert_false(aavm_host_canonicalize(host, "images/disk.qcow2", &out, NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_null(out);
    assert_non_null(strstr(error->message, "'images/disk.qcow2'"));
    assert_non_null(strstr(error->message, "not absolute"));
}

static void
test_host_canonicalize_null_path(void **state)
{
    const AavmHost *host = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    assert_false(aavm_host_canonicalize(host, NULL, &out, NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH));
    assert_null(out);
}

static void
test_host_canonicalize_out_exists_optional(void **state)
{
    const AavmHost *host = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    assert_true(aavm_host_canonicalize(host, "/images-link/new.img", &out, NULL, &error));
    assert_null(error);
    assert_string_equal(out, "/var/lib/libvirt/images/new.img");
}

static void
test_host_canonicalize_too_long(void **state)
{
    const AavmHost *host = *state;
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    GString *path = g_string_new("");

    while (path->len < PATH_MAX + 10)
        g_string_append(path, "/abcdefgh");
    assert_false(aavm_host_canonicalize(host, path->str, &out, NULL, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
    assert_null(out);
    g_string_free(path, TRUE);
}

static void
test_host_canonicalize_escape_refused(void **state)
{
    CopyFixture *fx = *state;
    static const char *const escaping[] = {
        "/var/lib/libvirt/images/escape.img",
        "/var/lib/libvirt/images/escape-dir",
        "/var/lib/libvirt/images/escape-dir/secret.img",
        "/var/lib/libvirt/images/escape-dir/new.img",
        "/var/lib/libvirt/images/escape-dir/a/b",
        "/images-link/escape.img",
        /* A directory whose name starts with the root's name is not inside. */
        "/var/lib/libvirt/images/sibling/x",
        "/up/outside/secret.img",
        "/up",
    };

    for (guint i = 0; i < G_N_ELEMENTS(escaping); i++) {
        g_autoptr(GError) error = NULL;
        g_autofree char *out = NULL;
        gboolean exists = FALSE;
        gboolean ok = aavm_host_canonicalize(fx->host, escaping[i], &out, &exists, &error);

        if (ok)
            fail_msg("'%s' escaped the root as '%s'", escaping[i], out);
        assert_null(out);
        if (!g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH))
            fail_msg("'%s': error %s, expected AAVM_ERROR_UNSAFE_PATH", escaping[i],
                     error ? aavm_error_code_to_string(error->code) : "(none)");
    }
}

static void
test_host_canonicalize_copy_still_works(void **state)
{
    CopyFixture *fx = *state;
    /* The copy behaves like the fake root for paths that stay inside. */
    static const CanonCase cases[] = {
        { "/images-link/disk.qcow2", "/var/lib/libvirt/images/disk.qcow2", TRUE, 0 },
        { "/var/lib/libvirt/images/evil.img", "/etc/shadow", TRUE, 0 },
        { "/var/lib/libvirt/images/new.img", "/var/lib/libvirt/images/new.img", FALSE, 0 },
        { "/var/lib/libvirt/images/missing/../x", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        host_canonicalize_one(fx->host, &cases[i]);
}

static void
test_host_canonicalize_real_root(void **state)
{
    g_autoptr(AavmHost) host = aavm_host_new("/", NULL);

    (void)state;
    assert_non_null(host);
    CanonCase cases[] = {
        { "/", "/", TRUE, 0 },
        { "/dev/null", "/dev/null", TRUE, 0 },
        { "//dev/./null", "/dev/null", TRUE, 0 },
        { "/nonexistent-aavm-test/x", "/nonexistent-aavm-test/x", FALSE, 0 },
        /* On the real root ".." of "/" is "/". */
        { "/../dev/null", "/dev/null", TRUE, 0 },
        { "relative", NULL, FALSE, AAVM_ERROR_UNSAFE_PATH },
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        host_canonicalize_one(host, &cases[i]);
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_new_fakeroot),
        cmocka_unit_test(test_host_new_real_root),
        cmocka_unit_test(test_host_new_not_a_dir),
        cmocka_unit_test(test_host_new_symlink_to_file),
        cmocka_unit_test(test_host_new_missing),
        cmocka_unit_test_setup_teardown(test_host_new_symlinked_root, setup_copy, teardown_copy),
        cmocka_unit_test(test_host_kind_to_string),
        cmocka_unit_test_setup_teardown(test_host_query_fakeroot, setup_fakeroot, teardown_host),
        cmocka_unit_test_setup_teardown(test_host_query_special_files, setup_copy,
                                        teardown_copy),
        cmocka_unit_test(test_host_query_real_root),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_fakeroot, setup_fakeroot,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_remembered, setup_fakeroot,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_relative_message, setup_fakeroot,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_null_path, setup_fakeroot,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_out_exists_optional,
                                        setup_fakeroot, teardown_host),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_too_long, setup_fakeroot,
                                        teardown_host),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_escape_refused, setup_copy,
                                        teardown_copy),
        cmocka_unit_test_setup_teardown(test_host_canonicalize_copy_still_works, setup_copy,
                                        teardown_copy),
        cmocka_unit_test(test_host_canonicalize_real_root),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
