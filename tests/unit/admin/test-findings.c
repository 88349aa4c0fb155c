/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-findings.c: what aavm explain reports beyond the rules.
 *
 * Each finding kind has a case that produces it and a near miss that does
 * not.  The host is a private root made per test (a world-writable
 * directory cannot come from a copy of the source tree); images with
 * backing names are made with qemu-img when it is installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "findings.h"
#include "pipeline.h"
#include "testutil.h"

#define IMAGES "/var/lib/libvirt/images"

typedef struct {
    char *root; /* the host root */
    AavmHost *host;
    AavmConfig *config;
    AavmSite *site;
} Fixture;

/* An empty file at the host path @path inside the root. */
static void
touch(const Fixture *fx, const char *path)
{
    g_autofree char *full = g_strconcat(fx->root, path, NULL);
    g_autofree char *dir = g_path_get_dirname(full);

    assert_int_equal(g_mkdir_with_parents(dir, 0755), 0);
    assert_true(g_file_set_contents(full, "", 0, NULL));
}

static void
set_mode(const Fixture *fx, const char *path, mode_t mode)
{
    g_autofree char *full = g_strconcat(fx->root, path, NULL);

    assert_int_equal(g_mkdir_with_parents(full, 0755), 0);
    assert_int_equal(chmod(full, mode), 0);
}

static int
setup(void **state)
{
    Fixture *fx = g_new0(Fixture, 1);

    fx->root = aavm_test_make_tmpdir();
    fx->host = aavm_host_new(fx->root, NULL);
    fx->config = aavm_test_config();
    fx->site = aavm_site_new();
    *state = fx;
    if (!fx->host)
        return -1;
    touch(fx, IMAGES "/a.img");
    touch(fx, IMAGES "/base.qcow2");
    touch(fx, "/srv/templates/base.qcow2");
    return 0;
}

static int
teardown(void **state)
{
    Fixture *fx = *state;

    aavm_test_rm_rf(fx->root);
    g_free(fx->root);
    aavm_host_free(fx->host);
    aavm_config_free(fx->config);
    aavm_site_free(fx->site);
    g_free(fx);
    return 0;
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* The findings of the domain whose <devices> are @devices; its build must
 * succeed.  *@out_domain gets the domain unless NULL. */
static GPtrArray *
collect_with(const Fixture *fx, const char *devices, AavmDomain **out_domain)
{
    g_autofree char *xml = aavm_test_domain_xml("kvm", NULL, NULL, devices);
    g_autoptr(GError) error = NULL;
    g_auto(AavmPipeline) p = { 0 };

    if (!aavm_pipeline_run(fx->config, fx->host, xml, strlen(xml), NULL, &p, &error))
        fail_msg("build failed: %s", error->message);
    GPtrArray *findings = aavm_findings_collect(p.domain, p.list, fx->site, fx->host, fx->config);
    if (out_domain)
        *out_domain = g_steal_pointer(&p.domain);
    return findings;
}

static GPtrArray *
collect(const Fixture *fx, const char *devices)
{
    return collect_with(fx, devices, NULL);
}

static guint
count_kind(const GPtrArray *findings, AavmFindingKind kind)
{
    guint n = 0;

    for (guint i = 0; i < findings->len; i++)
        if (((const AavmFinding *)g_ptr_array_index(findings, i))->kind == kind)
            n++;
    return n;
}

/* The only finding of @kind, which must be about @subject. */
static const AavmFinding *
only(const GPtrArray *findings, AavmFindingKind kind, const char *subject)
{
    const AavmFinding *found = NULL;

    assert_int_equal(count_kind(findings, kind), 1);
    for (guint i = 0; i < findings->len; i++) {
        const AavmFinding *f = g_ptr_array_index(findings, i);
        if (f->kind == kind)
            found = f;
    }
    assert_string_equal(found->subject, subject);
    assert_non_null(found->message);
    assert_non_null(found->advice);
    return found;
}

static void
assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("'%s' does not contain '%s'", text, part);
}

#define FILE_DISK(format, file, extra)                                                   \
    "<disk type='file' device='disk'><driver name='qemu' type='" format "'/>"             \
    "<source file='" file "'/><target dev='vda' bus='virtio'/>" extra "</disk>"

/* ---- names ---- */

static void
test_names(void **state)
{
    (void)state;
    assert_string_equal(aavm_severity_to_string(AAVM_SEVERITY_WARNING), "warning");
    assert_string_equal(aavm_severity_to_string(AAVM_SEVERITY_NOTE), "note");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_NETWORK_STORAGE),
                        "network-storage");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_NO_FORMAT), "no-format");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_SHARED_WRITABLE),
                        "shared-writable");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_WORLD_WRITABLE_DIR),
                        "world-writable-dir");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_BACKING_OUTSIDE_POOL),
                        "backing-outside-pool");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_PASSTHROUGH_NETWORK),
                        "passthrough-network");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_PASSTHROUGH_UNPARSED),
                        "passthrough-unparsed");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_PASSTHROUGH_DISABLED),
                        "passthrough-disabled");
    assert_string_equal(aavm_finding_kind_to_string(AAVM_FINDING_KIND_LAST), "unknown");
}

/* A plain local disk with a format in a 0755 directory: nothing to say. */
static void
test_clean_disk(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("raw", IMAGES "/a.img", ""));

    assert_int_equal(findings->len, 0);
}

/* ---- network-storage ---- */

static void
test_network_rbd(void **state)
{
    Fixture *fx = *state;
    g_autoptr(AavmDomain) domain = NULL;
    g_autoptr(GPtrArray) findings = collect_with(fx,
        "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
        "<auth username='vm1'><secret type='ceph' usage='x'/></auth>"
        "<source protocol='rbd' name='vms/vm1-disk'>"
        "<host name='mon1.example.org' port='6789'/><host name='fd00::1' port='6789'/>"
        "<host name='mon3.example.org'/>"
        "<config file='/etc/ceph/ceph.conf'/></source>"
        "<target dev='vdb' bus='virtio'/></disk>", &domain);
    const AavmDisk *disk = aavm_test_item(domain->disks, 0);
    const AavmFinding *f = only(findings, AAVM_FINDING_NETWORK_STORAGE, "disk vdb");

    /* What the parser records. */
    assert_string_equal(disk->top->source_name, "vms/vm1-disk");
    assert_string_equal(disk->top->auth_username, "vm1");
    assert_int_equal(disk->top->hosts->len, 3);
    assert_string_equal(aavm_test_item(disk->top->hosts, 0), "mon1.example.org:6789");
    assert_string_equal(aavm_test_item(disk->top->hosts, 1), "[fd00::1]:6789");
    assert_string_equal(aavm_test_item(disk->top->hosts, 2), "mon3.example.org");

    assert_int_equal(f->severity, AAVM_SEVERITY_WARNING);
    assert_contains(f->message, "rbd");
    assert_contains(f->message, "mon1.example.org:6789, [fd00::1]:6789, mon3.example.org");
    assert_contains(f->message, "'vms/vm1-disk'");
    assert_contains(f->message, "'vm1'");
    assert_contains(f->message, "/etc/ceph/ceph.conf");
    assert_contains(f->advice, "Ceph client");
    assert_int_equal(findings->len, 1);
}

/* iSCSI with <auth> in the <disk> (the older place), no credentials for NFS. */
static void
test_network_iscsi_nfs(void **state)
{
    Fixture *fx = *state;
    g_autoptr(AavmDomain) domain = NULL;
    g_autoptr(GPtrArray) findings = collect_with(fx,
        "<disk type='network' device='lun'><driver name='qemu' type='raw'/>"
        "<auth username='chap1'><secret type='iscsi' usage='x'/></auth>"
        "<source protocol='iscsi' name='iqn.2024-01.org.example:t1/1'>"
        "<host name='san.example.org' port='3260'/></source>"
        "<target dev='sda' bus='scsi'/></disk>"
        "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
        "<source protocol='nfs' name='/export/vm1.img'><host name='nas'/></source>"
        "<target dev='vdc' bus='virtio'/></disk>", &domain);
    const AavmDisk *disk = aavm_test_item(domain->disks, 0);

    assert_string_equal(disk->top->auth_username, "chap1");
    assert_int_equal(count_kind(findings, AAVM_FINDING_NETWORK_STORAGE), 2);
    const AavmFinding *iscsi = aavm_test_item(findings, 0);
    const AavmFinding *nfs = aavm_test_item(findings, 1);
    assert_string_equal(iscsi->subject, "disk sda");
    assert_contains(iscsi->advice, "CHAP");
    assert_string_equal(nfs->subject, "disk vdc");
    assert_contains(nfs->message, "no user");
    assert_contains(nfs->advice, "Export");
}

/* Near miss: NBD over a local unix socket is granted by its socket rule. */
static void
test_network_unix_socket_only(void **state)
{
    Fixture *fx = *state;
    g_autoptr(AavmDomain) domain = NULL;
    g_autoptr(GPtrArray) findings = collect_with(fx,
        "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
        "<source protocol='nbd' name='vm1'>"
        "<host transport='unix' socket='/var/lib/libvirt/nbd/vm1.sock'/></source>"
        "<target dev='vdb' bus='virtio'/></disk>", &domain);
    const AavmDisk *disk = aavm_test_item(domain->disks, 0);

    assert_string_equal(aavm_test_item(disk->top->hosts, 0),
                        "unix:/var/lib/libvirt/nbd/vm1.sock");
    assert_int_equal(findings->len, 0);
}

/* NBD with a TCP server is network storage again. */
static void
test_network_nbd_tcp(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx,
        "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
        "<source protocol='nbd' name='vm1'><host name='nbd.example.org' port='10809'/>"
        "<auth username='in-source'/></source><target dev='vdb' bus='virtio'/></disk>");
    const AavmFinding *f = only(findings, AAVM_FINDING_NETWORK_STORAGE, "disk vdb");

    assert_contains(f->message, "nbd.example.org:10809");
    assert_contains(f->message, "'in-source'"); /* <auth> inside <source> */
    assert_contains(f->advice, "NBD");
}

/* ---- no-format ---- */

static void
test_no_format(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx,
        "<disk type='file' device='disk'><source file='" IMAGES "/a.img'/>"
        "<target dev='vda' bus='virtio'/></disk>"
        "<disk type='file' device='cdrom'><source file='" IMAGES "/base.qcow2'/>"
        "<target dev='sda' bus='sata'/><readonly/></disk>");

    assert_int_equal(findings->len, 2);
    const AavmFinding *writable = aavm_test_item(findings, 0);
    const AavmFinding *readonly = aavm_test_item(findings, 1);
    assert_int_equal(writable->kind, AAVM_FINDING_NO_FORMAT);
    assert_int_equal(writable->severity, AAVM_SEVERITY_WARNING);
    assert_string_equal(writable->subject, "disk vda");
    assert_contains(writable->message, "writable");
    assert_int_equal(readonly->kind, AAVM_FINDING_NO_FORMAT);
    assert_int_equal(readonly->severity, AAVM_SEVERITY_NOTE);
    assert_string_equal(readonly->subject, "disk sda");
}

/* A backing store of the XML without <format> is reported too, as a note. */
static void
test_no_format_backing(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("qcow2", IMAGES "/a.img",
        "<backingStore type='file'><source file='" IMAGES "/base.qcow2'/>"
        "<backingStore/></backingStore>"));

    const AavmFinding *f = only(findings, AAVM_FINDING_NO_FORMAT, "disk vda backing layer 1");

    /* The guest cannot write into its backing layers. */
    assert_int_equal(f->severity, AAVM_SEVERITY_NOTE);
}

/* Near misses: a format given, and an empty CD-ROM drive. */
static void
test_no_format_near_miss(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx,
        FILE_DISK("raw", IMAGES "/a.img", "")
        "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>");

    assert_int_equal(count_kind(findings, AAVM_FINDING_NO_FORMAT), 0);
}

/* ---- shared-writable ---- */

static void
test_shared_writable(void **state)
{
    Fixture *fx = *state;

    aavm_site_add_files(fx->site, "libvirt-11111111-2222-3333-4444-555555555555", NULL,
                        "# header\n  # disk vda\n  \"" IMAGES "/other.img\" rwk,\n"
                        "  # disk vdb\n  \"" IMAGES "/a.img\" rwk,\n");
    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("raw", IMAGES "/a.img", ""));
    const AavmFinding *f = only(findings, AAVM_FINDING_SHARED_WRITABLE, "disk vda");

    assert_contains(f->message, "libvirt-11111111-2222-3333-4444-555555555555");
    assert_contains(f->message, IMAGES "/a.img");
    assert_contains(f->message, "<shareable/>");
}

/* Near misses of shared-writable: the other VM reads only; a longer path
 * with the same start; the disk is <shareable/>; the disk is read-only.
 * Each path another VM is granted is still an other-vm finding. */
static void
test_shared_writable_near_miss(void **state)
{
    Fixture *fx = *state;

    aavm_site_add_files(fx->site, "libvirt-11111111-2222-3333-4444-555555555555", NULL,
                        "  # disk vda\n  \"" IMAGES "/a.img\" rk,\n"
                        "  # disk vdb\n  \"" IMAGES "/a.img.bak\" rwk,\n");
    g_autoptr(GPtrArray) reader = collect(fx, FILE_DISK("raw", IMAGES "/a.img", ""));
    assert_int_equal(count_kind(reader, AAVM_FINDING_SHARED_WRITABLE), 0);
    /* This VM writes what the other reads: a warning naming its rule, not
     * the longer path. */
    const AavmFinding *r = only(reader, AAVM_FINDING_OTHER_VM, "disk vda");
    assert_int_equal(r->severity, AAVM_SEVERITY_WARNING);
    assert_int_equal(r->other_vms->len, 1);
    assert_contains(r->message, "VM ? (11111111-2222-3333-4444-555555555555), disk vda");
    assert_null(strstr(r->message, "a.img.bak"));

    aavm_site_add_files(fx->site, "libvirt-66666666-2222-3333-4444-555555555555", "db2",
                        "  # disk vda\n  \"" IMAGES "/a.img\" rwk,\n");
    g_autoptr(GPtrArray) shareable = collect(fx, FILE_DISK("raw", IMAGES "/a.img",
                                                           "<shareable/>"));
    assert_int_equal(count_kind(shareable, AAVM_FINDING_SHARED_WRITABLE), 0);
    /* Declared shared: a note, with both other VMs. */
    const AavmFinding *s = only(shareable, AAVM_FINDING_OTHER_VM, "disk vda");
    assert_int_equal(s->severity, AAVM_SEVERITY_NOTE);
    assert_int_equal(s->other_vms->len, 2);
    assert_contains(s->message, "VM db2 (66666666-2222-3333-4444-555555555555), disk vda");
    assert_contains(s->advice, "<shareable/>");
    assert_contains(s->advice, "cluster-aware");
    assert_null(strstr(s->advice, "abstractions"));
    g_autoptr(GPtrArray) readonly = collect(fx, FILE_DISK("raw", IMAGES "/a.img",
                                                          "<readonly/>"));
    assert_int_equal(count_kind(readonly, AAVM_FINDING_SHARED_WRITABLE), 0);
    assert_int_equal(only(readonly, AAVM_FINDING_OTHER_VM, "disk vda")->severity,
                     AAVM_SEVERITY_NOTE);
    g_autoptr(GPtrArray) writable = collect(fx, FILE_DISK("raw", IMAGES "/a.img", ""));
    const AavmFinding *w = only(writable, AAVM_FINDING_SHARED_WRITABLE, "disk vda");
    /* Found once: no other-vm finding repeats it. */
    assert_int_equal(count_kind(writable, AAVM_FINDING_OTHER_VM), 0);
    assert_int_equal(w->other_vms->len, 1);
    assert_string_equal(((const AavmSiteGrant *)g_ptr_array_index(w->other_vms, 0))->profile_name,
                        "libvirt-66666666-2222-3333-4444-555555555555");
}

/* The path is matched as the kernel matches the rule: an unescaped line of
 * the same text is a character class, which aavm does not read (a note
 * that it may match, never shared-writable); the escaped rule is sure. */
static void
test_shared_writable_escaped(void **state)
{
    Fixture *fx = *state;

    touch(fx, IMAGES "/vm[1].img");
    aavm_site_add_files(fx->site, "libvirt-11111111-2222-3333-4444-555555555555", NULL,
                        "  \"" IMAGES "/vm[1].img\" rwk,\n");
    g_autoptr(GPtrArray) pattern = collect(fx, FILE_DISK("raw", IMAGES "/vm[1].img", ""));
    assert_int_equal(count_kind(pattern, AAVM_FINDING_SHARED_WRITABLE), 0);
    const AavmFinding *maybe = only(pattern, AAVM_FINDING_OTHER_VM, "disk vda");
    assert_int_equal(maybe->severity, AAVM_SEVERITY_NOTE);
    assert_contains(maybe->message, "may also be granted");
    assert_false(((const AavmSiteGrant *)g_ptr_array_index(maybe->other_vms, 0))->certain);

    aavm_site_add_files(fx->site, "libvirt-66666666-2222-3333-4444-555555555555", NULL,
                        "  # disk vda\n  \"" IMAGES "/vm\\[1\\].img\" rwk,\n");
    g_autoptr(GPtrArray) escaped = collect(fx, FILE_DISK("raw", IMAGES "/vm[1].img", ""));
    const AavmFinding *f = only(escaped, AAVM_FINDING_SHARED_WRITABLE, "disk vda");
    assert_contains(f->message, "libvirt-66666666-2222-3333-4444-555555555555");
    assert_null(strstr(f->message, "libvirt-11111111"));
}

/* Another VM's tree covers the image: shared-writable; a tree of this VM
 * that holds another VM's image: other-vm; an image of the same directory
 * that is not the other VM's: nothing. */
static void
test_other_vm_trees(void **state)
{
    Fixture *fx = *state;

    aavm_site_add_files(fx->site, "libvirt-11111111-2222-3333-4444-555555555555", "files",
                        "  \"" IMAGES "/shared/\" r,  # filesystem share\n"
                        "  \"" IMAGES "/shared/**\" rw,  # filesystem share\n"
                        "  \"" IMAGES "/other.img\" rwk,  # disk vda\n"
                        "  \"/run/libvirt/**/files.pid\" rwk,  # pid file\n");
    g_autoptr(GPtrArray) under = collect(fx, FILE_DISK("raw", IMAGES "/shared/a.img", ""));
    const AavmFinding *f = only(under, AAVM_FINDING_SHARED_WRITABLE, "disk vda");
    assert_contains(f->message, "libvirt-11111111-2222-3333-4444-555555555555");
    g_autoptr(GPtrArray) beside = collect(fx, FILE_DISK("raw", IMAGES "/mine.img", ""));
    assert_int_equal(count_kind(beside, AAVM_FINDING_OTHER_VM), 0);
    assert_int_equal(count_kind(beside, AAVM_FINDING_SHARED_WRITABLE), 0);
    g_autoptr(GPtrArray) tree = collect(fx,
        "<filesystem type='mount' accessmode='passthrough'><source dir='" IMAGES "'/>"
        "<target dir='images'/></filesystem>");
    const AavmFinding *t = only(tree, AAVM_FINDING_OTHER_VM, "filesystem0 (images)");
    assert_int_equal(t->severity, AAVM_SEVERITY_WARNING);
    assert_contains(t->message, "VM files (11111111-2222-3333-4444-555555555555), disk vda");
    assert_contains(t->message, "(rule \"" IMAGES "/other.img\" rwk,)");
}

/* aavm_site_read(): the other VMs' .files, never this VM's own. */
static void
test_site_read_files(void **state)
{
    Fixture *fx = *state;
    g_autofree char *profiles = g_build_filename(fx->root, "profiles", NULL);
    g_autofree char *own = g_build_filename(profiles, "libvirt-" AAVM_TEST_UUID ".files", NULL);
    g_autofree char *other = g_build_filename(
        profiles, "libvirt-11111111-2222-3333-4444-555555555555.files", NULL);
    g_autofree char *stray = g_build_filename(profiles, "notes.files", NULL);
    const char *rule = "  \"" IMAGES "/a.img\" rwk,\n";

    assert_int_equal(g_mkdir_with_parents(profiles, 0755), 0);
    assert_true(g_file_set_contents(own, rule, -1, NULL));
    assert_true(g_file_set_contents(stray, rule, -1, NULL));
    g_autoptr(AavmSite) alone = aavm_site_read(fx->config, fx->host, profiles, NULL, AAVM_TEST_UUID);
    assert_int_equal(alone->grants->len, 0);

    assert_true(g_file_set_contents(other, rule, -1, NULL));
    g_autoptr(AavmSite) site = aavm_site_read(fx->config, fx->host, profiles, NULL, AAVM_TEST_UUID);
    assert_int_equal(site->grants->len, 1);
    const AavmSiteGrant *grant = aavm_test_item(site->grants, 0);
    assert_string_equal(grant->profile_name, "libvirt-11111111-2222-3333-4444-555555555555");
    assert_string_equal(grant->aare, IMAGES "/a.img");
    assert_string_equal(grant->perms, "rwk");
    assert_null(grant->reason);
}

/* ---- world-writable-dir ---- */

static void
test_world_writable(void **state)
{
    Fixture *fx = *state;

    set_mode(fx, "/scratch", 01777);
    touch(fx, "/scratch/vm.img");
    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("raw", "/scratch/vm.img", ""));
    const AavmFinding *f = only(findings, AAVM_FINDING_WORLD_WRITABLE_DIR, "disk vda");

    assert_contains(f->message, "'/scratch'");
}

/* Near miss: group-writable is not world-writable. */
static void
test_world_writable_near_miss(void **state)
{
    Fixture *fx = *state;

    set_mode(fx, "/scratch", 0775);
    touch(fx, "/scratch/vm.img");
    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("raw", "/scratch/vm.img", ""));

    assert_int_equal(findings->len, 0);
}

/* ---- backing-outside-pool ---- */

static void
test_backing_outside_pool(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("qcow2", IMAGES "/a.img",
        "<backingStore type='file'><format type='qcow2'/>"
        "<source file='/srv/templates/base.qcow2'/><backingStore/></backingStore>"));
    const AavmFinding *f = only(findings, AAVM_FINDING_BACKING_OUTSIDE_POOL,
                                "disk vda backing layer 1");

    assert_contains(f->message, "'/srv/templates/base.qcow2'");
    assert_contains(f->message, "'" IMAGES "'");
    assert_int_equal(findings->len, 1);
}

/* Near miss: the backing file next to the image. */
static void
test_backing_same_dir(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("qcow2", IMAGES "/a.img",
        "<backingStore type='file'><format type='qcow2'/>"
        "<source file='" IMAGES "/base.qcow2'/><backingStore/></backingStore>"));

    assert_int_equal(findings->len, 0);
}

/* A storage pool holding both directories makes the chain one pool's;
 * pools are read from <libvirt-config-dir>/storage/ *.xml, never one with a
 * document type declaration. */
static void
test_backing_in_pool(void **state)
{
    Fixture *fx = *state;
    g_autofree char *config_dir = g_build_filename(fx->root, "etc-libvirt", NULL);
    g_autofree char *storage = g_build_filename(config_dir, "storage", NULL);
    g_autofree char *pool = g_build_filename(storage, "all.xml", NULL);
    g_autofree char *broken = g_build_filename(storage, "broken.xml", NULL);
    const char *devices = "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                          "<source file='/srv/vms/a.img'/><backingStore type='file'>"
                          "<format type='qcow2'/><source file='/srv/templates/base.qcow2'/>"
                          "<backingStore/></backingStore><target dev='vda' bus='virtio'/></disk>";

    touch(fx, "/srv/vms/a.img");
    assert_int_equal(g_mkdir_with_parents(storage, 0755), 0);
    assert_true(g_file_set_contents(broken, "<pool><target><path>", -1, NULL));
    assert_true(g_file_set_contents(
        pool, "<pool type='dir'><name>all</name><target><path> /srv </path></target></pool>",
        -1, NULL));
    aavm_site_free(fx->site);
    fx->site = aavm_site_read(fx->config, fx->host, NULL, config_dir, AAVM_TEST_UUID);
    assert_int_equal(fx->site->pools->len, 1);
    assert_string_equal(aavm_test_item(fx->site->pools, 0), "/srv");
    g_autoptr(GPtrArray) pooled = collect(fx, devices);
    assert_int_equal(pooled->len, 0);

    /* Without the pool the top's own directory is the pool. */
    aavm_site_free(fx->site);
    fx->site = aavm_site_new();
    g_autoptr(GPtrArray) alone = collect(fx, devices);
    only(alone, AAVM_FINDING_BACKING_OUTSIDE_POOL, "disk vda backing layer 1");

    /* A pool definition with a document type declaration is not read. */
    g_auto(GStrv) doctypes = aavm_test_hostile_doctypes("pool");
    for (guint i = 0; doctypes[i]; i++) {
        g_autofree char *xml = g_strconcat(
            doctypes[i], "<pool type='dir'><name>all</name><target><path>/srv/&n;</path>"
            "</target></pool>", NULL);
        assert_true(g_file_set_contents(pool, xml, -1, NULL));
        aavm_site_free(fx->site);
        fx->site = aavm_site_read(fx->config, fx->host, NULL, config_dir, AAVM_TEST_UUID);
        assert_int_equal(fx->site->pools->len, 0);
    }
}

/* A chain found in the image headers is checked too (qemu-img makes it). */
static void
test_backing_from_header(void **state)
{
    Fixture *fx = *state;
    g_autofree char *qemu_img = g_find_program_in_path("qemu-img");
    g_autofree char *top = g_strconcat(fx->root, IMAGES "/top.qcow2", NULL);
    g_autofree char *err = NULL;
    int status = 0;

    if (!qemu_img) {
        if (g_strcmp0(g_getenv("AAVM_REQUIRE_QEMU_IMG"), "1") == 0)
            fail_msg("qemu-img is required (AAVM_REQUIRE_QEMU_IMG=1) but not installed");
        skip();
    }
    /* The name written into the header is host-absolute (-u: not opened). */
    const char *argv[] = { qemu_img, "create", "-q", "-f", "qcow2", "-u", "-F", "raw", "-b",
                           "/srv/templates/base.qcow2", top, "1M", NULL };
    assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL, NULL, &err, &status,
                             NULL));
    if (!g_spawn_check_exit_status(status, NULL))
        fail_msg("qemu-img failed: %s", err);

    g_autoptr(GPtrArray) findings = collect(fx, FILE_DISK("qcow2", IMAGES "/top.qcow2", ""));
    const AavmFinding *f = only(findings, AAVM_FINDING_BACKING_OUTSIDE_POOL,
                                "disk vda backing layer 1");
    assert_contains(f->message, "'/srv/templates/base.qcow2'");
}

/* ---- passthrough ---- */

static AavmPassthrough *
passthrough(AavmPassthroughKind kind, gboolean from_env, guint index, const char *option,
            const char *key, const char *value, const char *note)
{
    AavmPassthrough *item = g_new0(AavmPassthrough, 1);

    item->kind = kind;
    item->from_env = from_env;
    item->index = index;
    item->option = g_strdup(option);
    item->key = g_strdup(key);
    item->value = g_strdup(value);
    item->note = g_strdup(note);
    item->perms = AAVM_PERM_RW;
    return item;
}

/* The findings of a domain without devices but @items as its passthrough. */
static GPtrArray *
collect_passthrough(const Fixture *fx, GPtrArray *items)
{
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);
    g_autoptr(AavmAccessList) list = aavm_access_list_new();

    for (guint i = 0; i < items->len; i++)
        g_ptr_array_add(domain->passthrough, g_ptr_array_index(items, i));
    g_ptr_array_set_free_func(items, NULL);
    return aavm_findings_collect(domain, list, fx->site, fx->host, fx->config);
}

static void
test_passthrough_network_unparsed(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(
        (GDestroyNotify)aavm_passthrough_free);

    g_ptr_array_add(items, passthrough(AAVM_PASSTHROUGH_NETWORK, FALSE, 1, "-drive", "file",
                                       "rbd:vms/x", "Use a disk element."));
    g_ptr_array_add(items, passthrough(AAVM_PASSTHROUGH_UNPARSED, FALSE, 3, "-object", NULL,
                                       "weird,thing", NULL));
    g_ptr_array_add(items, passthrough(AAVM_PASSTHROUGH_UNPARSED, TRUE, 0, "QEMU_X", NULL,
                                       "a:b", NULL));
    g_ptr_array_add(items, passthrough(AAVM_PASSTHROUGH_PATH, FALSE, 5, "-drive", "file",
                                       "/srv/x.img", NULL));
    g_autoptr(GPtrArray) findings = collect_passthrough(fx, items);

    assert_int_equal(findings->len, 3);
    const AavmFinding *net = aavm_test_item(findings, 0);
    assert_int_equal(net->kind, AAVM_FINDING_PASSTHROUGH_NETWORK);
    assert_string_equal(net->subject, "qemu:arg 1");
    assert_contains(net->message, "-drive file=");
    assert_contains(net->message, "'rbd:vms/x'");
    /* The advice is what to do, not the item's note (what it is). */
    assert_contains(net->advice, "<disk type='network'>");
    assert_contains(net->advice, "credentials on the storage side");
    const AavmFinding *arg = aavm_test_item(findings, 1);
    assert_int_equal(arg->kind, AAVM_FINDING_PASSTHROUGH_UNPARSED);
    assert_string_equal(arg->subject, "qemu:arg 3");
    assert_contains(arg->message, "'weird,thing'");
    const AavmFinding *env = aavm_test_item(findings, 2);
    assert_int_equal(env->kind, AAVM_FINDING_PASSTHROUGH_UNPARSED);
    assert_string_equal(env->subject, "qemu:env QEMU_X");
    assert_contains(env->message, "environment variable QEMU_X");
    /* The path is granted (passthrough-paths is true): no finding. */
    assert_int_equal(count_kind(findings, AAVM_FINDING_PASSTHROUGH_DISABLED), 0);
}

static void
test_passthrough_disabled(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(
        (GDestroyNotify)aavm_passthrough_free);

    fx->config->grant_passthrough = FALSE;
    g_ptr_array_add(items, passthrough(AAVM_PASSTHROUGH_PATH, FALSE, 5, "-drive", "file",
                                       "/srv/x.img", NULL));
    g_autoptr(GPtrArray) findings = collect_passthrough(fx, items);
    const AavmFinding *f = only(findings, AAVM_FINDING_PASSTHROUGH_DISABLED, "qemu:arg 5");

    assert_contains(f->message, "'/srv/x.img'");
    assert_contains(f->message, "passthrough-paths");
}

/* ---- order ---- */

/* Warnings before notes; within a severity the order of the XML. */
static void
test_order(void **state)
{
    Fixture *fx = *state;
    g_autoptr(GPtrArray) findings = collect(fx,
        "<disk type='file' device='cdrom'><source file='" IMAGES "/base.qcow2'/>"
        "<target dev='sda' bus='sata'/><readonly/></disk>"
        "<disk type='file' device='disk'><source file='" IMAGES "/a.img'/>"
        "<target dev='vda' bus='virtio'/></disk>"
        "<disk type='network' device='disk'><driver name='qemu' type='raw'/>"
        "<source protocol='rbd' name='p/i'><host name='mon'/></source>"
        "<target dev='vdb' bus='virtio'/></disk>");

    assert_int_equal(findings->len, 3);
    assert_string_equal(((AavmFinding *)aavm_test_item(findings, 0))->subject, "disk vda");
    assert_string_equal(((AavmFinding *)aavm_test_item(findings, 1))->subject, "disk vdb");
    assert_string_equal(((AavmFinding *)aavm_test_item(findings, 2))->subject, "disk sda");
    assert_int_equal(((AavmFinding *)aavm_test_item(findings, 2))->severity,
                     AAVM_SEVERITY_NOTE);
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        CASE(test_clean_disk),
        CASE(test_network_rbd),
        CASE(test_network_iscsi_nfs),
        CASE(test_network_unix_socket_only),
        CASE(test_network_nbd_tcp),
        CASE(test_no_format),
        CASE(test_no_format_backing),
        CASE(test_no_format_near_miss),
        CASE(test_shared_writable),
        CASE(test_shared_writable_near_miss),
        CASE(test_shared_writable_escaped),
        CASE(test_other_vm_trees),
        CASE(test_site_read_files),
        CASE(test_world_writable),
        CASE(test_world_writable_near_miss),
        CASE(test_backing_outside_pool),
        CASE(test_backing_same_dir),
        CASE(test_backing_in_pool),
        CASE(test_backing_from_header),
        CASE(test_passthrough_network_unparsed),
        CASE(test_passthrough_disabled),
        CASE(test_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
