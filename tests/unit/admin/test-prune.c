/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-prune.c: the plan of aavm prune, from facts alone (helper/admin/prune.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "aavm-error.h"
#include "kernel-state.h"
#include "prune.h"
#include "template.h"
#include "testutil.h"

#define DIR "/etc/apparmor.d/libvirt"
#define U(n) "00000000-0000-4000-8000-0000000000" n
#define P(n) "libvirt-" U(n)
#define TEMPLATE "profile LIBVIRT_TEMPLATE flags=(attach_disconnected) {\n  include <abstractions/libvirt-qemu>\n}\n"

typedef struct {
    AavmPruneFacts facts;
    AavmKernelState *kernel;
} Fixture;

static void
add_entry(GPtrArray *to, const char *name, AavmPruneEntryKind kind)
{
    AavmPruneEntry *entry = g_new0(AavmPruneEntry, 1);

    entry->name = g_strdup(name);
    entry->kind = kind;
    g_ptr_array_add(to, entry);
}

/* The profile @name as the template makes it (with its include). */
static char *
generated(const char *name)
{
    g_autofree char *files = g_strconcat(DIR "/", name, ".files", NULL);
    g_autofree char *include = aavm_template_include_line(files);

    return aavm_template_fill(TEMPLATE, name, include, NULL, NULL);
}

static int
setup(void **state)
{
    Fixture *fx = g_new0(Fixture, 1);
    AavmPruneFacts *f = &fx->facts;

    f->profile_dir = DIR;
    f->entries = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_entry_free);
    f->cached = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_entry_free);
    f->locks = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_prune_entry_free);
    f->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    f->profiles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    f->templates = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(f->templates, g_strdup(TEMPLATE));
    /* 01 known, 02 gone (with leftovers), 03 edited, 04 loaded, 05 a link. */
    g_hash_table_add(f->known, g_strdup(U("01")));
    static const char *const regular[] = {
        P("01"), P("01") ".files", P("01") ".lock",
        P("02") ".lock", P("02"), P("02") ".files", P("02") ".Ab12Cd", P("02") ".files.XyZ123",
        P("02") ".aavm-old",
        P("03"), P("03") ".files", P("04"), P("05"),
        "TEMPLATE.qemu", "libvirt-notauuid", P("02") ".bak", P("02") ".files~",
    };
    for (guint i = 0; i < G_N_ELEMENTS(regular); i++)
        add_entry(f->entries, regular[i], AAVM_PRUNE_ENTRY_REGULAR);
    add_entry(f->entries, P("05") ".files", AAVM_PRUNE_ENTRY_OTHER);
    g_hash_table_insert(f->profiles, g_strdup(P("02")), generated(P("02")));
    g_autofree char *made = generated(P("03"));
    g_hash_table_insert(f->profiles, g_strdup(P("03")), g_strconcat(made, "# mine\n", NULL));
    g_hash_table_insert(f->profiles, g_strdup(P("04")), generated(P("04")));
    g_hash_table_insert(f->profiles, g_strdup(P("05")), generated(P("05")));
    add_entry(f->cached, "feat.0/" P("01"), AAVM_PRUNE_ENTRY_REGULAR);
    add_entry(f->cached, "feat.0/" P("02"), AAVM_PRUNE_ENTRY_REGULAR);
    add_entry(f->cached, "feat.1/" P("02"), AAVM_PRUNE_ENTRY_REGULAR);
    add_entry(f->cached, "feat.2/" P("02"), AAVM_PRUNE_ENTRY_OTHER);
    add_entry(f->locks, P("01") ".lock", AAVM_PRUNE_ENTRY_REGULAR);
    add_entry(f->locks, P("02") ".lock", AAVM_PRUNE_ENTRY_REGULAR);
    fx->kernel = aavm_kernel_state_new_disabled("test");
    fx->kernel->enabled = TRUE;
    fx->kernel->list_known = TRUE;
    g_hash_table_unref(fx->kernel->modes);
    fx->kernel->modes = aavm_kernel_state_parse_profiles(P("04") " (enforce)\n",
                                                         strlen(P("04")) + 11, NULL);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;

    aavm_prune_facts_clear(&fx->facts);
    aavm_kernel_state_free(fx->kernel);
    g_free(fx);
    return 0;
}

static const AavmPruneVm *
find(GPtrArray *vms, const char *uuid)
{
    for (guint i = 0; i < vms->len; i++) {
        const AavmPruneVm *vm = g_ptr_array_index(vms, i);
        if (strcmp(vm->uuid, uuid) == 0)
            return vm;
    }
    return NULL;
}

static char *
joined(GPtrArray *names)
{
    g_autoptr(GString) s = g_string_new(NULL);

    for (guint i = 0; i < names->len; i++)
        g_string_append_printf(s, "%s%s", i ? "," : "", (char *)g_ptr_array_index(names, i));
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static void
test_prune_plan(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) vms = aavm_prune_plan(&fx->facts, fx->kernel, FALSE, &error);

    assert_non_null(vms);
    assert_int_equal(vms->len, 4);
    /* Sorted by UUID; the known VM is not there. */
    assert_string_equal(((AavmPruneVm *)g_ptr_array_index(vms, 0))->uuid, U("02"));
    assert_null(find(vms, U("01")));

    const AavmPruneVm *gone = find(vms, U("02"));
    assert_int_equal(gone->action, AAVM_PRUNE_REMOVE);
    assert_string_equal(gone->profile_name, P("02"));
    g_autofree char *files = joined(gone->files);
    assert_string_equal(files, P("02") "," P("02") ".Ab12Cd," P("02") ".aavm-old," P("02")
                               ".files," P("02") ".files.XyZ123," P("02") ".lock");
    assert_string_equal(gone->lock, P("02") ".lock");
    g_autofree char *cached = joined(gone->cached);
    assert_string_equal(cached, "feat.0/" P("02") ",feat.1/" P("02"));

    assert_int_equal(find(vms, U("03"))->action, AAVM_PRUNE_KEEP_EDITED);
    assert_int_equal(find(vms, U("04"))->action, AAVM_PRUNE_KEEP_LOADED);
    assert_int_equal(find(vms, U("05"))->action, AAVM_PRUNE_KEEP_LINK);
    assert_null(find(vms, U("03"))->lock);
}

/* A lock file store-dir refuses (a link, another user's file) keeps its VM,
 * forced or not. */
static void
test_prune_lock_link(void **state)
{
    Fixture *fx = *state;

    add_entry(fx->facts.entries, P("07") ".files", AAVM_PRUNE_ENTRY_REGULAR);
    add_entry(fx->facts.locks, P("07") ".lock", AAVM_PRUNE_ENTRY_OTHER);
    g_autoptr(GPtrArray) vms = aavm_prune_plan(&fx->facts, fx->kernel, TRUE, NULL);
    assert_int_equal(find(vms, U("07"))->action, AAVM_PRUNE_KEEP_LINK);
    assert_int_equal(find(vms, U("03"))->action, AAVM_PRUNE_REMOVE);
}

static void
test_prune_force(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) vms = aavm_prune_plan(&fx->facts, fx->kernel, TRUE, NULL);

    assert_non_null(vms);
    assert_int_equal(find(vms, U("03"))->action, AAVM_PRUNE_REMOVE);
    /* Forcing removes edits, never what is loaded or reached by a link. */
    assert_int_equal(find(vms, U("04"))->action, AAVM_PRUNE_KEEP_LOADED);
    assert_int_equal(find(vms, U("05"))->action, AAVM_PRUNE_KEEP_LINK);
}

static void
test_prune_edited_checks(void **state)
{
    Fixture *fx = *state;

    /* Without the include line, as the template makes it: generated. */
    g_hash_table_insert(fx->facts.profiles, g_strdup(P("03")),
                        aavm_template_fill(TEMPLATE, P("03"), NULL, NULL, NULL));
    /* A profile that could not be read counts as edited; with no template
     * every profile does. */
    g_hash_table_remove(fx->facts.profiles, P("02"));
    g_autoptr(GPtrArray) vms = aavm_prune_plan(&fx->facts, fx->kernel, FALSE, NULL);
    assert_int_equal(find(vms, U("03"))->action, AAVM_PRUNE_REMOVE);
    assert_int_equal(find(vms, U("02"))->action, AAVM_PRUNE_KEEP_EDITED);

    g_ptr_array_set_size(fx->facts.templates, 0);
    g_autoptr(GPtrArray) none = aavm_prune_plan(&fx->facts, fx->kernel, FALSE, NULL);
    assert_int_equal(find(none, U("03"))->action, AAVM_PRUNE_KEEP_EDITED);
}

static void
test_prune_no_profile(void **state)
{
    Fixture *fx = *state;

    /* Only a .files and a lock left: nothing was edited, they go. */
    add_entry(fx->facts.entries, P("06") ".files", AAVM_PRUNE_ENTRY_REGULAR);
    add_entry(fx->facts.entries, P("06") ".lock", AAVM_PRUNE_ENTRY_REGULAR);
    g_autoptr(GPtrArray) vms = aavm_prune_plan(&fx->facts, fx->kernel, FALSE, NULL);
    const AavmPruneVm *vm = find(vms, U("06"));
    assert_non_null(vm);
    assert_int_equal(vm->action, AAVM_PRUNE_REMOVE);
    assert_int_equal(vm->files->len, 2);
}

static void
test_prune_kernel(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GError) error = NULL;

    /* The list of loaded profiles not known: no plan at all. */
    fx->kernel->list_known = FALSE;
    assert_null(aavm_prune_plan(&fx->facts, fx->kernel, FALSE, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_FAILED));
    /* No AppArmor: nothing is loaded. */
    fx->kernel->enabled = FALSE;
    g_autoptr(GPtrArray) vms = aavm_prune_plan(&fx->facts, fx->kernel, FALSE, NULL);
    assert_non_null(vms);
    assert_int_equal(find(vms, U("04"))->action, AAVM_PRUNE_REMOVE);
}

static void
test_prune_owner(void **state)
{
    (void)state;
    static const char *const not_vms[] = {
        "libvirt-notauuid", P("02") ".bak", P("02") ".files~", P("02") ".lock.Ab12Cd",
        P("02") ".Ab12C", P("02") ".Ab12C/", "TEMPLATE.qemu", "libvirt-" U("0") ".files",
        "libvirt-../../etc/passwd-00000000-0000-00",
    };
    for (guint i = 0; i < G_N_ELEMENTS(not_vms); i++) {
        g_autofree char *owner = aavm_prune_owner(not_vms[i]);
        assert_null(owner);
    }
    static const char *const of_02[] = { P("02"), P("02") ".files", P("02") ".lock", P("02") ".aavm-old",
                                         P("02") ".Ab12Cd", P("02") ".files.XyZ123" };
    for (guint i = 0; i < G_N_ELEMENTS(of_02); i++) {
        g_autofree char *owner = aavm_prune_owner(of_02[i]);
        assert_string_equal(owner, P("02"));
    }
}

/* In @dir: a profile directory with the VM 02's files (no profile: a
 * profile without a template would count as edited), a cache, a lock
 * directory with its lock, an XML directory; the plan of it, from the
 * files. */
static GPtrArray *
plan_on_disk(const char *dir, AavmConfig *config, const char *const *xml_dirs)
{
    static const char *const names[] = { P("02") ".files", P("02") ".aavm-old" };
    g_autofree char *features = g_build_filename(dir, "cache", "feat.0", NULL);
    g_autofree char *cached = g_build_filename(features, P("02"), NULL);
    g_autofree char *profiles = g_build_filename(dir, "profiles", NULL);
    g_autofree char *locks = g_build_filename(dir, "lock", NULL);
    g_autofree char *lock = g_build_filename(locks, P("02") ".lock", NULL);
    AavmPruneOptions options = { config, xml_dirs };
    AavmPruneFacts facts;

    assert_int_equal(g_mkdir_with_parents(features, 0700), 0);
    assert_int_equal(g_mkdir_with_parents(xml_dirs[0], 0700), 0);
    assert_int_equal(g_mkdir_with_parents(profiles, 0700), 0);
    assert_int_equal(g_mkdir_with_parents(locks, 0700), 0);
    assert_true(g_file_set_contents(lock, "", 0, NULL));
    for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
        g_autofree char *path = g_build_filename(profiles, names[i], NULL);
        assert_true(g_file_set_contents(path, "", 0, NULL));
    }
    assert_true(g_file_set_contents(cached, "x", 1, NULL));
    g_free(config->profile_dir);
    config->profile_dir = g_steal_pointer(&profiles);
    g_free(config->cache_dir);
    config->cache_dir = g_build_filename(dir, "cache", NULL);
    g_free(config->lock_dir);
    config->lock_dir = g_steal_pointer(&locks);

    g_autoptr(AavmKernelState) kernel = aavm_kernel_state_new_disabled("test");
    assert_true(aavm_prune_facts_read(&options, &facts, NULL));
    GPtrArray *vms = aavm_prune_plan(&facts, kernel, FALSE, NULL);
    aavm_prune_facts_clear(&facts);
    assert_int_equal(vms->len, 1);
    assert_int_equal(((AavmPruneVm *)g_ptr_array_index(vms, 0))->action, AAVM_PRUNE_REMOVE);
    assert_int_equal(((AavmPruneVm *)g_ptr_array_index(vms, 0))->cached->len, 1);
    return vms;
}

static void
test_prune_apply(void **state)
{
    const char *dir = *state;
    g_autofree char *xml_dir = g_build_filename(dir, "qemu", NULL);
    const char *const xml_dirs[] = { xml_dir, NULL };
    g_autoptr(AavmConfig) config = aavm_test_config();
    g_autoptr(GPtrArray) vms = plan_on_disk(dir, config, xml_dirs);
    g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func(g_free);
    AavmPruneOptions options = { config, xml_dirs };
    g_autoptr(GError) error = NULL;

    assert_true(aavm_prune_apply(&options, g_ptr_array_index(vms, 0), removed, &error));
    assert_null(error);
    /* The cache first, the lock (in the lock directory) last; all gone. */
    assert_int_equal(removed->len, 4);
    assert_true(g_str_has_suffix(g_ptr_array_index(removed, 0), "/cache/feat.0/" P("02")));
    assert_true(g_str_has_suffix(g_ptr_array_index(removed, 1), "/profiles/" P("02") ".aavm-old"));
    assert_true(g_str_has_suffix(g_ptr_array_index(removed, 3), "/lock/" P("02") ".lock"));
    for (guint i = 0; i < removed->len; i++)
        assert_false(g_file_test(g_ptr_array_index(removed, i), G_FILE_TEST_EXISTS));
}

static void
test_prune_apply_refuses(void **state)
{
    const char *dir = *state;
    g_autofree char *xml_dir = g_build_filename(dir, "qemu", NULL);
    const char *const xml_dirs[] = { xml_dir, NULL };
    g_autoptr(AavmConfig) config = aavm_test_config();
    g_autoptr(GPtrArray) vms = plan_on_disk(dir, config, xml_dirs);
    AavmPruneOptions options = { config, xml_dirs };
    g_autoptr(GError) error = NULL;
    g_autofree char *xml = g_build_filename(xml_dir, "new.xml", NULL);
    g_autofree char *files = g_build_filename(config->profile_dir, P("02") ".files", NULL);
    g_autofree char *target = g_build_filename(dir, "target", NULL);

    /* The VM manager defined the UUID since the plan: nothing goes. */
    assert_true(g_file_set_contents(xml, "<domain type='kvm'><name>n</name><uuid>" U("02")
                                         "</uuid></domain>", -1, NULL));
    g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func(g_free);
    assert_false(aavm_prune_apply(&options, g_ptr_array_index(vms, 0), removed, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_ARGUMENT));
    assert_int_equal(removed->len, 0);
    assert_true(g_file_test(files, G_FILE_TEST_IS_REGULAR));
    g_clear_error(&error);

    /* A file became a symbolic link since the plan: it is not removed,
     * nor what it points at. */
    assert_int_equal(g_unlink(xml), 0);
    assert_true(g_file_set_contents(target, "keep", 4, NULL));
    assert_int_equal(g_unlink(files), 0);
    assert_int_equal(symlink(target, files), 0);
    assert_false(aavm_prune_apply(&options, g_ptr_array_index(vms, 0), removed, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_UNSAFE_FILE));
    assert_true(g_file_test(files, G_FILE_TEST_IS_SYMLINK));
    assert_true(g_file_test(target, G_FILE_TEST_IS_REGULAR));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prune_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_lock_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_force, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_edited_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_no_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_kernel, setup, teardown),
        cmocka_unit_test(test_prune_owner),
        AAVM_TEST_TMPDIR_CASE(test_prune_apply),
        AAVM_TEST_TMPDIR_CASE(test_prune_apply_refuses),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
