/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-access.c: permission letters and the access list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "access.h"

static void
test_access_perm_to_string_single(void **state)
{
    (void)state;
    assert_string_equal(aavm_perm_to_string(0), "");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_READ), "r");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_WRITE), "w");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_LINK), "l");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_LOCK), "k");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_MMAP), "m");
}

static void
test_access_perm_to_string_fixed_order(void **state)
{
    (void)state;
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_ALL), "rwlkm");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_RW), "rw");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_RWK), "rwk");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_RK), "rk");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_MMAP | AAVM_PERM_READ), "rm");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_LOCK | AAVM_PERM_WRITE), "wk");
    assert_string_equal(aavm_perm_to_string(AAVM_PERM_MMAP | AAVM_PERM_LINK), "lm");
}

static void
test_access_perm_round_trip(void **state)
{
    (void)state;
    /* Every combination: to_string gives letters in "rwlkm" order, one per
     * bit, and from_string gives the same bits back. */
    for (guint p = 0; p <= AAVM_PERM_ALL; p++) {
        const char *letters = aavm_perm_to_string((AavmPerm)p);
        AavmPerm back = (AavmPerm)0xff;
        const char *order = "rwlkm";
        const char *last = order;

        assert_non_null(letters);
        assert_int_equal(strlen(letters), (gsize)__builtin_popcount(p));
        for (const char *c = letters; *c; c++) {
            const char *pos = strchr(order, *c);
            assert_non_null(pos);
            assert_true(pos >= last);
            last = pos + 1;
        }
        assert_true(aavm_perm_from_string(letters, &back));
        assert_int_equal(back, p);
    }
}

static void
test_access_perm_from_string_any_order(void **state)
{
    AavmPerm perms = 0;

    (void)state;
    assert_true(aavm_perm_from_string("mklwr", &perms));
    assert_int_equal(perms, AAVM_PERM_ALL);
    assert_true(aavm_perm_from_string("kr", &perms));
    assert_int_equal(perms, AAVM_PERM_RK);
    /* A repeated letter is the same permission. */
    assert_true(aavm_perm_from_string("rrw", &perms));
    assert_int_equal(perms, AAVM_PERM_RW);
    assert_true(aavm_perm_from_string("", &perms));
    assert_int_equal(perms, 0);
}

static void
test_access_perm_from_string_bad_letters(void **state)
{
    static const char *const bad[] = {
        "x", "rx", "rwx", "R", "W", "rw ", " r", "r,w", "a", "ix", "rwlkmX", "\n",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        AavmPerm perms = AAVM_PERM_LINK;

        if (aavm_perm_from_string(bad[i], &perms))
            fail_msg("'%s' accepted", bad[i]);
        /* Not touched on failure. */
        assert_int_equal(perms, AAVM_PERM_LINK);
    }
}

static void
test_access_match_to_string(void **state)
{
    (void)state;
    assert_string_equal(aavm_match_to_string(AAVM_MATCH_EXACT), "exact");
    assert_string_equal(aavm_match_to_string(AAVM_MATCH_DIR), "dir");
    assert_string_equal(aavm_match_to_string(AAVM_MATCH_TREE), "tree");
    assert_string_equal(aavm_match_to_string(AAVM_MATCH_PATTERN), "pattern");
    assert_string_equal(aavm_match_to_string(AAVM_MATCH_LAST), "unknown");
}

static void
test_access_new(void **state)
{
    g_autoptr(AavmAccess) a =
        aavm_access_new("/x/disk", AAVM_MATCH_EXACT, AAVM_PERM_RW, "disk vda");
    g_autoptr(AavmAccess) b = aavm_access_new("/y", AAVM_MATCH_TREE, AAVM_PERM_READ, NULL);

    (void)state;
    assert_string_equal(a->path, "/x/disk");
    assert_int_equal(a->match, AAVM_MATCH_EXACT);
    assert_int_equal(a->perms, AAVM_PERM_RW);
    assert_string_equal(a->reason, "disk vda");
    /* No reason is the empty string, never NULL. */
    assert_non_null(b->reason);
    assert_string_equal(b->reason, "");
}

static void
test_access_list_empty(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    (void)state;
    assert_int_equal(aavm_access_list_length(list), 0);
    assert_null(aavm_access_list_lookup(list, "/x", AAVM_MATCH_EXACT));
    aavm_access_list_sort(list);
    assert_int_equal(aavm_access_list_length(list), 0);
}

static void
test_access_list_add_distinct(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    (void)state;
    aavm_access_list_add(list, "/b", AAVM_MATCH_EXACT, AAVM_PERM_READ, "one");
    aavm_access_list_add(list, "/a", AAVM_MATCH_EXACT, AAVM_PERM_RW, "two");
    assert_int_equal(aavm_access_list_length(list), 2);
    /* Before sorting: the order of adding. */
    assert_string_equal(aavm_access_list_get(list, 0)->path, "/b");
    assert_string_equal(aavm_access_list_get(list, 1)->path, "/a");
    assert_int_equal(aavm_access_list_get(list, 1)->perms, AAVM_PERM_RW);
    assert_string_equal(aavm_access_list_get(list, 1)->reason, "two");
}

static void
test_access_list_merge_perms(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    const AavmAccess *entry;

    (void)state;
    aavm_access_list_add(list, "/x/disk", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vda");
    aavm_access_list_add(list, "/x/disk", AAVM_MATCH_EXACT, AAVM_PERM_WRITE, "disk vda");
    aavm_access_list_add(list, "/x/disk", AAVM_MATCH_EXACT, AAVM_PERM_LOCK, "disk vda");
    aavm_access_list_add(list, "/x/disk", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vda");
    assert_int_equal(aavm_access_list_length(list), 1);
    entry = aavm_access_list_get(list, 0);
    assert_string_equal(entry->path, "/x/disk");
    assert_int_equal(entry->perms, AAVM_PERM_RWK);
    /* The same reason is listed once. */
    assert_string_equal(entry->reason, "disk vda");
}

static void
test_access_list_merge_reasons(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    const AavmAccess *entry;

    (void)state;
    aavm_access_list_add(list, "/x/f", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vda");
    aavm_access_list_add(list, "/x/f", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vdb");
    aavm_access_list_add(list, "/x/f", AAVM_MATCH_EXACT, AAVM_PERM_MMAP, "kernel");
    aavm_access_list_add(list, "/x/f", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vdb");
    aavm_access_list_add(list, "/x/f", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vda");
    aavm_access_list_add(list, "/x/f", AAVM_MATCH_EXACT, AAVM_PERM_READ, "kernel");
    assert_int_equal(aavm_access_list_length(list), 1);
    entry = aavm_access_list_get(list, 0);
    assert_int_equal(entry->perms, AAVM_PERM_READ | AAVM_PERM_MMAP);
    assert_string_equal(entry->reason, "disk vda; disk vdb; kernel");
}

static void
test_access_list_merge_reason_prefix_not_confused(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    (void)state;
    /* A reason that is a prefix, a suffix or a substring of one already
     * listed is still a new reason; one equal to a listed part is not. */
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vda");
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vd");
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "da");
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "k v");
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vd");
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "da");
    assert_string_equal(aavm_access_list_get(list, 0)->reason,
                        "disk vda; disk vd; da; k v");
}

static void
test_access_list_merge_empty_reason(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    (void)state;
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_WRITE, "");
    assert_string_equal(aavm_access_list_get(list, 0)->reason, "");
    /* The first real reason is not preceded by a separator. */
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_LOCK, "serial0");
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_LOCK, NULL);
    assert_string_equal(aavm_access_list_get(list, 0)->reason, "serial0");
    assert_int_equal(aavm_access_list_get(list, 0)->perms, AAVM_PERM_RWK);
}

static void
test_access_list_match_kinds_separate(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    const AavmAccess *exact, *dir, *tree, *pattern;

    (void)state;
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_EXACT, AAVM_PERM_READ, "a");
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_DIR, AAVM_PERM_RW, "b");
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RWK, "c");
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_PATTERN, AAVM_PERM_MMAP, "d");
    assert_int_equal(aavm_access_list_length(list), 4);

    exact = aavm_access_list_lookup(list, "/srv/share", AAVM_MATCH_EXACT);
    dir = aavm_access_list_lookup(list, "/srv/share", AAVM_MATCH_DIR);
    tree = aavm_access_list_lookup(list, "/srv/share", AAVM_MATCH_TREE);
    pattern = aavm_access_list_lookup(list, "/srv/share", AAVM_MATCH_PATTERN);
    assert_non_null(exact);
    assert_non_null(dir);
    assert_non_null(tree);
    assert_non_null(pattern);
    assert_int_equal(exact->match, AAVM_MATCH_EXACT);
    assert_int_equal(exact->perms, AAVM_PERM_READ);
    assert_string_equal(exact->reason, "a");
    assert_int_equal(dir->match, AAVM_MATCH_DIR);
    assert_int_equal(dir->perms, AAVM_PERM_RW);
    assert_string_equal(dir->reason, "b");
    assert_int_equal(tree->match, AAVM_MATCH_TREE);
    assert_int_equal(tree->perms, AAVM_PERM_RWK);
    assert_int_equal(pattern->match, AAVM_MATCH_PATTERN);
    assert_int_equal(pattern->perms, AAVM_PERM_MMAP);

    /* Merging into one kind leaves the others alone. */
    aavm_access_list_add(list, "/srv/share", AAVM_MATCH_DIR, AAVM_PERM_MMAP, "e");
    assert_int_equal(aavm_access_list_length(list), 4);
    assert_int_equal(exact->perms, AAVM_PERM_READ);
    assert_int_equal(dir->perms, AAVM_PERM_RW | AAVM_PERM_MMAP);
    assert_string_equal(dir->reason, "b; e");
    assert_int_equal(tree->perms, AAVM_PERM_RWK);
}

static void
test_access_list_lookup(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    const AavmAccess *entry;

    (void)state;
    aavm_access_list_add(list, "/var/lib/libvirt/images/a.img", AAVM_MATCH_EXACT, AAVM_PERM_RW,
                         "disk vda");
    aavm_access_list_add(list, "/var/lib/libvirt/images", AAVM_MATCH_DIR, AAVM_PERM_READ, "dir");

    entry = aavm_access_list_lookup(list, "/var/lib/libvirt/images/a.img", AAVM_MATCH_EXACT);
    assert_non_null(entry);
    assert_string_equal(entry->path, "/var/lib/libvirt/images/a.img");
    assert_int_equal(entry->perms, AAVM_PERM_RW);
    assert_string_equal(entry->reason, "disk vda");

    /* Same path, other match; a prefix; an extension; a trailing slash. */
    assert_null(aavm_access_list_lookup(list, "/var/lib/libvirt/images/a.img", AAVM_MATCH_DIR));
    assert_null(aavm_access_list_lookup(list, "/var/lib/libvirt/images/a", AAVM_MATCH_EXACT));
    assert_null(aavm_access_list_lookup(list, "/var/lib/libvirt/images/a.img2", AAVM_MATCH_EXACT));
    assert_null(aavm_access_list_lookup(list, "/var/lib/libvirt/images/", AAVM_MATCH_DIR));
    assert_non_null(aavm_access_list_lookup(list, "/var/lib/libvirt/images", AAVM_MATCH_DIR));
}

static void
test_access_list_lookup_after_sort(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    (void)state;
    aavm_access_list_add(list, "/c", AAVM_MATCH_EXACT, AAVM_PERM_READ, "c");
    aavm_access_list_add(list, "/a", AAVM_MATCH_EXACT, AAVM_PERM_WRITE, "a");
    aavm_access_list_add(list, "/b", AAVM_MATCH_EXACT, AAVM_PERM_LOCK, "b");
    aavm_access_list_sort(list);
    assert_int_equal(aavm_access_list_lookup(list, "/a", AAVM_MATCH_EXACT)->perms, AAVM_PERM_WRITE);
    assert_int_equal(aavm_access_list_lookup(list, "/b", AAVM_MATCH_EXACT)->perms, AAVM_PERM_LOCK);
    assert_int_equal(aavm_access_list_lookup(list, "/c", AAVM_MATCH_EXACT)->perms, AAVM_PERM_READ);
    /* And merging after sorting still finds the entry. */
    aavm_access_list_add(list, "/a", AAVM_MATCH_EXACT, AAVM_PERM_READ, "again");
    assert_int_equal(aavm_access_list_length(list), 3);
    assert_int_equal(aavm_access_list_lookup(list, "/a", AAVM_MATCH_EXACT)->perms, AAVM_PERM_RW);
    assert_string_equal(aavm_access_list_lookup(list, "/a", AAVM_MATCH_EXACT)->reason, "a; again");
}

static void
test_access_list_path_with_separator_chars(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    (void)state;
    /* Keys built from match and path must not collide for odd paths. */
    aavm_access_list_add(list, "/x", AAVM_MATCH_EXACT, AAVM_PERM_READ, "a");
    aavm_access_list_add(list, "1\x1f/x", AAVM_MATCH_EXACT, AAVM_PERM_WRITE, "b");
    aavm_access_list_add(list, "/x", AAVM_MATCH_DIR, AAVM_PERM_LOCK, "c");
    assert_int_equal(aavm_access_list_length(list), 3);
    assert_int_equal(aavm_access_list_lookup(list, "/x", AAVM_MATCH_EXACT)->perms, AAVM_PERM_READ);
    assert_int_equal(aavm_access_list_lookup(list, "/x", AAVM_MATCH_DIR)->perms, AAVM_PERM_LOCK);
    assert_int_equal(aavm_access_list_lookup(list, "1\x1f/x", AAVM_MATCH_EXACT)->perms,
                     AAVM_PERM_WRITE);
}

static void
test_access_list_sort_path_then_match(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();
    static const struct {
        const char *path;
        AavmMatch match;
    } expected[] = {
        { "/a", AAVM_MATCH_EXACT },
        { "/a", AAVM_MATCH_DIR },
        { "/a", AAVM_MATCH_TREE },
        { "/a-b", AAVM_MATCH_EXACT }, /* '-' sorts before '/' */
        { "/a/b", AAVM_MATCH_EXACT },
        { "/a/b", AAVM_MATCH_PATTERN },
        { "/b", AAVM_MATCH_DIR },
        { "/b", AAVM_MATCH_PATTERN },
        { "/z", AAVM_MATCH_EXACT },
    };

    (void)state;
    aavm_access_list_add(list, "/z", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/b", AAVM_MATCH_PATTERN, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/a", AAVM_MATCH_TREE, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/a/b", AAVM_MATCH_PATTERN, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/a-b", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/a", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/b", AAVM_MATCH_DIR, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/a/b", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/a", AAVM_MATCH_DIR, AAVM_PERM_READ, NULL);
    aavm_access_list_sort(list);

    assert_int_equal(aavm_access_list_length(list), G_N_ELEMENTS(expected));
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
        const AavmAccess *entry = aavm_access_list_get(list, i);
        assert_string_equal(entry->path, expected[i].path);
        assert_int_equal(entry->match, expected[i].match);
    }
}

static void
test_access_list_sort_bytewise(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    (void)state;
    /* Byte order, not locale order: upper case before lower case, '/'
     * (0x2f) after '-' (0x2d) and '.' (0x2e), UTF-8 last. */
    aavm_access_list_add(list, "/é", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/a", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/x/y", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/x.y", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/B", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_add(list, "/x-y", AAVM_MATCH_EXACT, AAVM_PERM_READ, NULL);
    aavm_access_list_sort(list);

    assert_string_equal(aavm_access_list_get(list, 0)->path, "/B");
    assert_string_equal(aavm_access_list_get(list, 1)->path, "/a");
    assert_string_equal(aavm_access_list_get(list, 2)->path, "/x-y");
    assert_string_equal(aavm_access_list_get(list, 3)->path, "/x.y");
    assert_string_equal(aavm_access_list_get(list, 4)->path, "/x/y");
    assert_string_equal(aavm_access_list_get(list, 5)->path, "/é");
}

/* A list of the same entries added in the order given by @order. */
static AavmAccessList *
list_in_order(const guint *order, guint n)
{
    static const struct {
        const char *path;
        AavmMatch match;
        AavmPerm perms;
    } items[] = {
        { "/var/lib/libvirt/images/b.img", AAVM_MATCH_EXACT, AAVM_PERM_RWK },
        { "/var/lib/libvirt/images", AAVM_MATCH_DIR, AAVM_PERM_READ },
        { "/var/lib/libvirt/images/a.img", AAVM_MATCH_EXACT, AAVM_PERM_RK },
        { "/srv/share", AAVM_MATCH_TREE, AAVM_PERM_RW },
        { "/srv/share", AAVM_MATCH_DIR, AAVM_PERM_READ },
        { "/srv/share", AAVM_MATCH_EXACT, AAVM_PERM_READ },
        { "/dev/vfio/vfio", AAVM_MATCH_EXACT, AAVM_PERM_RW },
        { "/{dev,run}/shm", AAVM_MATCH_PATTERN, AAVM_PERM_RW },
    };
    AavmAccessList *list = aavm_access_list_new();

    g_assert(n == G_N_ELEMENTS(items));
    for (guint i = 0; i < n; i++)
        aavm_access_list_add(list, items[order[i]].path, items[order[i]].match,
                             items[order[i]].perms, "r");
    aavm_access_list_sort(list);
    return list;
}

static void
test_access_list_sort_deterministic(void **state)
{
    static const guint orders[][8] = {
        { 0, 1, 2, 3, 4, 5, 6, 7 },
        { 7, 6, 5, 4, 3, 2, 1, 0 },
        { 3, 5, 4, 0, 7, 2, 6, 1 },
        { 5, 4, 3, 1, 2, 0, 7, 6 },
    };
    g_autoptr(AavmAccessList) first = list_in_order(orders[0], 8);

    (void)state;
    for (guint o = 1; o < G_N_ELEMENTS(orders); o++) {
        g_autoptr(AavmAccessList) other = list_in_order(orders[o], 8);

        assert_int_equal(aavm_access_list_length(other), aavm_access_list_length(first));
        for (guint i = 0; i < aavm_access_list_length(first); i++) {
            const AavmAccess *a = aavm_access_list_get(first, i);
            const AavmAccess *b = aavm_access_list_get(other, i);
            assert_string_equal(a->path, b->path);
            assert_int_equal(a->match, b->match);
            assert_int_equal(a->perms, b->perms);
        }
    }
    /* And sorting twice changes nothing. */
    aavm_access_list_sort(first);
    assert_string_equal(aavm_access_list_get(first, 0)->path, "/dev/vfio/vfio");
    assert_string_equal(aavm_access_list_get(first, 1)->path, "/srv/share");
    assert_int_equal(aavm_access_list_get(first, 1)->match, AAVM_MATCH_EXACT);
    assert_int_equal(aavm_access_list_get(first, 2)->match, AAVM_MATCH_DIR);
    assert_int_equal(aavm_access_list_get(first, 3)->match, AAVM_MATCH_TREE);
    assert_string_equal(aavm_access_list_get(first, 4)->path, "/var/lib/libvirt/images");
    assert_string_equal(aavm_access_list_get(first, 5)->path, "/var/lib/libvirt/images/a.img");
    assert_string_equal(aavm_access_list_get(first, 6)->path, "/var/lib/libvirt/images/b.img");
    assert_string_equal(aavm_access_list_get(first, 7)->path, "/{dev,run}/shm");
}

static void
test_access_match_suffix(void **state)
{
    (void)state;
    assert_string_equal(aavm_match_suffix(AAVM_MATCH_EXACT, "/srv/a"), "");
    assert_string_equal(aavm_match_suffix(AAVM_MATCH_DIR, "/srv/a"), "/");
    assert_string_equal(aavm_match_suffix(AAVM_MATCH_DIR, "/"), "");
    assert_string_equal(aavm_match_suffix(AAVM_MATCH_TREE, "/srv/a"), "/**");
    assert_string_equal(aavm_match_suffix(AAVM_MATCH_TREE, "/srv/a/"), "**");
    assert_string_equal(aavm_match_suffix(AAVM_MATCH_PATTERN, "/srv/*"), "");
}

static void
test_access_list_origins(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    /* aavm_access_list_add(): a device. */
    aavm_access_list_add(list, "/x/disk", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vda");
    aavm_access_list_add_from(list, AAVM_ORIGIN_PASSTHROUGH, "/x/disk", AAVM_MATCH_EXACT,
                              AAVM_PERM_WRITE, "passthrough");
    aavm_access_list_add_from(list, AAVM_ORIGIN_PASSTHROUGH, "/x/other", AAVM_MATCH_EXACT,
                              AAVM_PERM_READ, "passthrough");
    aavm_access_list_add(list, "/x/later", AAVM_MATCH_EXACT, AAVM_PERM_READ, "disk vdb");

    const AavmAccess *disk = aavm_access_list_lookup(list, "/x/disk", AAVM_MATCH_EXACT);
    const AavmAccess *other = aavm_access_list_lookup(list, "/x/other", AAVM_MATCH_EXACT);
    assert_int_equal(disk->origins, AAVM_ORIGIN_DEVICE | AAVM_ORIGIN_PASSTHROUGH);
    assert_int_equal(other->origins, AAVM_ORIGIN_PASSTHROUGH);
    assert_int_equal(aavm_access_list_lookup(list, "/x/later", AAVM_MATCH_EXACT)->origins,
                     AAVM_ORIGIN_DEVICE);
    assert_string_equal(aavm_origin_to_string(AAVM_ORIGIN_DEVICE), "device");
    assert_string_equal(aavm_origin_to_string(AAVM_ORIGIN_BASE), "base");
    assert_string_equal(aavm_origin_to_string(AAVM_ORIGIN_EXTRA), "extra");
    assert_string_equal(aavm_origin_to_string(AAVM_ORIGIN_PASSTHROUGH), "passthrough");
    assert_string_equal(aavm_origin_to_string(AAVM_ORIGIN_DEVICE | AAVM_ORIGIN_BASE), "unknown");
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access_perm_to_string_single),
        cmocka_unit_test(test_access_perm_to_string_fixed_order),
        cmocka_unit_test(test_access_perm_round_trip),
        cmocka_unit_test(test_access_perm_from_string_any_order),
        cmocka_unit_test(test_access_perm_from_string_bad_letters),
        cmocka_unit_test(test_access_match_to_string),
        cmocka_unit_test(test_access_new),
        cmocka_unit_test(test_access_list_empty),
        cmocka_unit_test(test_access_list_add_distinct),
        cmocka_unit_test(test_access_list_merge_perms),
        cmocka_unit_test(test_access_list_merge_reasons),
        cmocka_unit_test(test_access_list_merge_reason_prefix_not_confused),
        cmocka_unit_test(test_access_list_merge_empty_reason),
        cmocka_unit_test(test_access_list_match_kinds_separate),
        cmocka_unit_test(test_access_list_lookup),
        cmocka_unit_test(test_access_list_lookup_after_sort),
        cmocka_unit_test(test_access_list_path_with_separator_chars),
        cmocka_unit_test(test_access_list_sort_path_then_match),
        cmocka_unit_test(test_access_list_sort_bytewise),
        cmocka_unit_test(test_access_list_sort_deterministic),
        cmocka_unit_test(test_access_list_origins),
        cmocka_unit_test(test_access_match_suffix),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
