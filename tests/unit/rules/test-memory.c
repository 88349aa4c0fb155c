/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-memory.c: the memory family: domain-parse-memory.c and rules-memory.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "domain-parse.h"
#include "render.h"
#include "testutil.h"

#define HUGE_BACKING "<memoryBacking><hugepages/></memoryBacking>"

/* A private host root whose /proc/mounts is @mounts (NULL: none). */
static char *
make_root(const char *mounts)
{
    char *root = aavm_test_make_tmpdir();
    g_autofree char *proc = g_build_filename(root, "proc", NULL);
    g_autofree char *file = g_build_filename(proc, "mounts", NULL);

    assert_int_equal(g_mkdir_with_parents(proc, 0755), 0);
    if (mounts)
        assert_true(g_file_set_contents(file, mounts, -1, NULL));
    return root;
}

/* A domain without devices of this family has none in its model. */
static void
test_memory_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->memory->len, 0);
    assert_int_equal(domain->shmems->len, 0);
    assert_false(domain->hugepages);
    assert_null(domain->memory_source_type);
}

static void
test_memory_parse(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL,
        "<memoryBacking><hugepages><page size='1' unit='G'/></hugepages>"
        "<source type='memfd'/></memoryBacking>",
        "<memory model='dimm'><target><size unit='KiB'>524288</size></target></memory>"
        "<memory model='nvdimm'><source><path>/tmp/nvdimm</path></source>"
        "<target><size unit='KiB'>523264</size><readonly/></target></memory>"
        "<shmem name='s0'><model type='ivshmem-doorbell'/><server path='/tmp/s0'/></shmem>"
        "<shmem name='s1'/>");
    const AavmMemoryDevice *mem = NULL;
    const AavmShmem *shmem = NULL;

    assert_true(domain->hugepages);
    assert_string_equal(domain->memory_source_type, "memfd");
    assert_int_equal(domain->memory->len, 2);
    mem = g_ptr_array_index(domain->memory, 1);
    assert_int_equal(mem->index, 1);
    assert_string_equal(mem->model, "nvdimm");
    assert_string_equal(mem->path, "/tmp/nvdimm");
    assert_true(mem->readonly);
    shmem = g_ptr_array_index(domain->shmems, 0);
    assert_string_equal(shmem->name, "s0");
    assert_string_equal(shmem->model, "ivshmem-doorbell");
    assert_true(shmem->server);
    assert_string_equal(shmem->server_path, "/tmp/s0");
    shmem = g_ptr_array_index(domain->shmems, 1);
    assert_int_equal(shmem->index, 1);
    assert_null(shmem->model);
    assert_false(shmem->server);
}

static void
test_memory_devices(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<memory model='dimm'><target><size unit='KiB'>524288</size></target></memory>"
        "<memory model='virtio-mem'><target><size unit='KiB'>524288</size></target></memory>"
        "<memory model='nvdimm'><source><path>/tmp/nvdimm</path></source></memory>"
        "<memory model='nvdimm'><source><path>/tmp/nvdimm-ro</path></source>"
        "<target><readonly/></target></memory>"
        "<memory model='virtio-pmem'><source><path>/tmp/pmem</path></source></memory>");

    assert_int_equal(aavm_access_list_length(list), 3);
    assert_true(aavm_test_has_rule(list, "/tmp/nvdimm", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/tmp/nvdimm-ro", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/tmp/pmem", AAVM_MATCH_EXACT, "rw"));
    assert_string_equal(aavm_access_list_lookup(list, "/tmp/pmem", AAVM_MATCH_EXACT)->reason,
                        "memory4 (virtio-pmem)");
    assert_int_equal(list->warnings->len, 0);
}

static void
test_memory_sgx_epc(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<memory model='sgx-epc'><target><size unit='KiB'>16384</size></target></memory>");

    assert_int_equal(aavm_access_list_length(list), 2);
    assert_true(aavm_test_has_rule(list, "/dev/sgx_vepc", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/sgx_provision", AAVM_MATCH_EXACT, "r"));
}

static void
test_memory_device_warnings(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<memory model='nvdimm'><target><size unit='KiB'>1</size></target></memory>"
        "<memory model='egm'><source><path>/dev/egm4</path></source></memory>");

    assert_int_equal(aavm_access_list_length(list), 0);
    assert_true(aavm_test_has_warning(list->warnings, "memory0 (nvdimm) has no source path"));
    assert_true(aavm_test_has_warning(list->warnings, "memory1 (egm) is not supported"));
}

static void
test_memory_device_refused(void **state)
{
    aavm_test_assert_refused(
        *state, "kvm", NULL, NULL,
        "<memory model='nvdimm'><source><path>/etc/shadow</path></source></memory>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
    aavm_test_assert_refused(
        *state, "kvm", NULL, NULL,
        "<memory model='virtio-pmem'><source><path>/dev/mem</path></source></memory>",
        AAVM_ERROR_UNSAFE_PATH, NULL);
}

/* Every hugetlbfs mount of the host gets the per-domain directory. */
static void
test_memory_hugepages(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm", NULL, HUGE_BACKING, NULL);

    assert_true(
        aavm_test_has_rule(list, "/dev/hugepages/libvirt/qemu/7-vm1", AAVM_MATCH_DIR, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/hugepages/libvirt/qemu/7-vm1", AAVM_MATCH_TREE,
                                   "rwk"));
    assert_true(aavm_test_has_rule(list, "/dev/hugepages1G/libvirt/qemu/7-vm1", AAVM_MATCH_TREE,
                                   "rwk"));
    assert_null(aavm_access_list_lookup(list, "/dev/shm/libvirt/qemu/7-vm1", AAVM_MATCH_TREE));
    assert_int_equal(list->warnings->len, 0);
}

/* memfd, anonymous memory and other drivers: no file. */
static void
test_memory_backing_nothing(void **state)
{
    g_autoptr(AavmAccessList) memfd = aavm_test_build_ok(*state, "xen", NULL,
        "<memoryBacking><hugepages/><source type='memfd'/></memoryBacking>", NULL);
    g_autoptr(AavmAccessList) anon = aavm_test_build_ok(*state, "xen", NULL,
        "<memoryBacking><source type='anonymous'/></memoryBacking>", NULL);
    g_autoptr(AavmAccessList) xen = aavm_test_build_ok(*state, "xen", NULL, HUGE_BACKING, NULL);
    g_autoptr(AavmAccessList) kvm_memfd = aavm_test_build_ok(*state, "kvm", NULL,
        "<memoryBacking><hugepages/><source type='memfd'/></memoryBacking>", NULL);

    assert_int_equal(aavm_access_list_length(memfd), 0);
    assert_int_equal(aavm_access_list_length(anon), 0);
    assert_int_equal(aavm_access_list_length(xen), 0);
    for (guint i = 0; i < aavm_access_list_length(kvm_memfd); i++)
        assert_null(strstr(aavm_access_list_get(kvm_memfd, i)->path, "hugepages"));
}

static void
test_memory_backing_file(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "kvm", NULL,
        "<memoryBacking><source type='file'/></memoryBacking>", NULL);

    assert_true(aavm_test_has_rule(list, "/var/lib/libvirt/qemu/ram/7-vm1", AAVM_MATCH_DIR, "rw"));
    assert_true(
        aavm_test_has_rule(list, "/var/lib/libvirt/qemu/ram/7-vm1", AAVM_MATCH_TREE, "rwk"));
}

/* No hugetlbfs mount (or no mount table): a warning, nothing granted. */
static void
test_memory_hugepages_no_mount(void **state)
{
    AavmTestFixture *fx = *state;
    const char *tables[] = { "tmpfs /dev/shm tmpfs rw 0 0\n", NULL };

    for (guint i = 0; i < G_N_ELEMENTS(tables); i++) {
        g_autofree char *root = make_root(tables[i]);
        g_autoptr(AavmHost) host = aavm_host_new(root, NULL);
        g_autoptr(AavmAccessList) list = aavm_test_build_ok(&(AavmTestFixture){host, fx->config},
                                                            "kvm", NULL, HUGE_BACKING, NULL);

        for (guint j = 0; j < aavm_access_list_length(list); j++)
            assert_null(strstr(aavm_access_list_get(list, j)->path, "libvirt/qemu/7-vm1"));
        assert_true(aavm_test_has_warning(list->warnings, "no hugetlbfs mount"));
        aavm_test_rm_rf(root);
    }
}

/* Escaped mount points are decoded, duplicates merged, restricted mount
 * points skipped with a warning. */
static void
test_memory_hugepages_mount_table(void **state)
{
    AavmTestFixture *fx = *state;
    g_autofree char *root = make_root(
        "none /srv/huge\\040pages hugetlbfs rw,pagesize=2M 0 0\n"
        "none /srv/huge\\040pages hugetlbfs rw,pagesize=2M 0 0\n"
        "none /proc/hp hugetlbfs rw 0 0\n"
        "none relative hugetlbfs rw 0 0\n"
        "garbage\n");
    g_autoptr(AavmHost) host = aavm_host_new(root, NULL);
    g_autoptr(AavmAccessList) list =
        aavm_test_build_ok(&(AavmTestFixture){host, fx->config}, "kvm", NULL, HUGE_BACKING, NULL);
    g_autofree char *body = aavm_render_body(list);

    assert_true(aavm_test_has_rule(list, "/srv/huge pages/libvirt/qemu/7-vm1", AAVM_MATCH_TREE,
                                   "rwk"));
    assert_true(aavm_test_has_warning(list->warnings,
                                      "memory backing (hugepages) directory is not granted"));
    assert_null(strstr(body, "/proc/"));
    assert_null(strstr(body, "relative"));
    aavm_test_rm_rf(root);
}

static void
test_memory_shmem_models(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<shmem name='plain'><model type='ivshmem-plain'/></shmem>"
        "<shmem name='bell'><model type='ivshmem-doorbell'/><server/></shmem>"
        "<shmem name='own'><model type='ivshmem-doorbell'/><server path='/tmp/own-sock'/></shmem>"
        "<shmem name='legacy'/>"
        "<shmem name='legacysrv'><model type='ivshmem'/><server/></shmem>");

    assert_true(aavm_test_has_rule(list, "/dev/shm/plain", AAVM_MATCH_EXACT, "rw"));
    assert_true(
        aavm_test_has_rule(list, "/var/lib/libvirt/shmem-bell-sock", AAVM_MATCH_EXACT, "rw"));
    assert_null(aavm_access_list_lookup(list, "/dev/shm/bell", AAVM_MATCH_EXACT));
    assert_true(aavm_test_has_rule(list, "/tmp/own-sock", AAVM_MATCH_EXACT, "rw"));
    assert_null(aavm_access_list_lookup(list, "/var/lib/libvirt/shmem-own-sock", AAVM_MATCH_EXACT));
    assert_true(aavm_test_has_rule(list, "/dev/shm/legacy", AAVM_MATCH_EXACT, "rw"));
    assert_true(
        aavm_test_has_rule(list, "/var/lib/libvirt/shmem-legacy-sock", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/var/lib/libvirt/shmem-legacysrv-sock", AAVM_MATCH_EXACT,
                                   "rw"));
    assert_null(aavm_access_list_lookup(list, "/dev/shm/legacysrv", AAVM_MATCH_EXACT));
    assert_int_equal(aavm_access_list_length(list), 6);
    assert_string_equal(aavm_access_list_lookup(list, "/dev/shm/plain", AAVM_MATCH_EXACT)->reason,
                        "shmem0 (ivshmem-plain)");
}

/* The name is a path component: escaped when rendered. */
static void
test_memory_shmem_name_escaped(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<shmem name='a*b{c}'><model type='ivshmem-plain'/></shmem>");
    g_autofree char *body = aavm_render_body(list);

    assert_non_null(strstr(body, "\"/dev/shm/a\\*b\\{c\\}\" rw,"));
}

static void
test_memory_shmem_unknown_model(void **state)
{
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(*state, "xen", NULL, NULL,
        "<shmem name='x'><model type='ivshmem-future'/></shmem>");

    assert_int_equal(aavm_access_list_length(list), 0);
    assert_true(aavm_test_has_warning(list->warnings, "shmem0 (ivshmem-future) is not supported"));
}

static void
test_memory_shmem_refused(void **state)
{
    AavmTestFixture *fx = *state;
    const char *bad[] = {
        "<shmem name='../../etc/x'><model type='ivshmem-plain'/></shmem>",
        "<shmem name='a/b'><model type='ivshmem-doorbell'/></shmem>",
        "<shmem name='..'><model type='ivshmem-plain'/></shmem>",
        "<shmem name='.'/>",
        "<shmem name=''><model type='ivshmem-plain'/></shmem>",
        "<shmem><model type='ivshmem-plain'/></shmem>",
        "<shmem name='a&#10;b'><model type='ivshmem-plain'/></shmem>",
        "<shmem name='x'><model type='ivshmem-doorbell'/><server path='/etc/x'/></shmem>",
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
        aavm_test_assert_refused(fx, "kvm", NULL, NULL, bad[i], AAVM_ERROR_UNSAFE_PATH, NULL);
}

int
main(void)
{
#define T(f) AAVM_TEST_FIXTURE_CASE(f)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_none),
        cmocka_unit_test(test_memory_parse),
        T(test_memory_devices),
        T(test_memory_sgx_epc),
        T(test_memory_device_warnings),
        T(test_memory_device_refused),
        T(test_memory_hugepages),
        T(test_memory_backing_nothing),
        T(test_memory_backing_file),
        T(test_memory_hugepages_no_mount),
        T(test_memory_hugepages_mount_table),
        T(test_memory_shmem_models),
        T(test_memory_shmem_name_escaped),
        T(test_memory_shmem_unknown_model),
        T(test_memory_shmem_refused),
    };
#undef T

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
