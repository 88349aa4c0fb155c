/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-disk.c: the disk family: domain-parse-disk.c and rules-disk.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <glib.h>

#include "aavm-error.h"
#include "domain-parse.h"
#include "host-block.h"
#include "testutil.h"

#define IMAGES "/var/lib/libvirt/images"

static const AavmDisk *
disk_at(const AavmDomain *domain, guint i)
{
    return aavm_test_item(domain->disks, i);
}

static const AavmDiskSource *
layer_at(const AavmDisk *disk, guint i)
{
    return aavm_test_item(disk->backing, i);
}

/* A chain of @depth file layers under a file disk. */
static char *
chain_xml(guint depth)
{
    GString *xml = g_string_new("<disk type='file'><driver type='qcow2'/>"
                                "<source file='" IMAGES "/top.qcow2'/>");

    for (guint i = 0; i < depth; i++)
        g_string_append_printf(xml, "<backingStore type='file'><format type='qcow2'/>"
                                    "<source file='" IMAGES "/l%u.qcow2'/>", i);
    g_string_append(xml, "<backingStore/>");
    for (guint i = 0; i < depth; i++)
        g_string_append(xml, "</backingStore>");
    g_string_append(xml, "<target dev='vda'/></disk>");
    return g_string_free(xml, FALSE);
}

/* A domain without disks has none in its model. */
static void
test_disk_none(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, NULL);

    assert_int_equal(domain->disks->len, 0);
}

/* Every disk has its own source in disk->top. */
static void
test_disk_parse_top(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        "<disk type='file'><driver type='qcow2'/><source file='" IMAGES "/disk.qcow2'/>"
        "  <target dev='vda'/></disk>"
        "<disk type='block'><source dev='/dev/sdb'/><target dev='vdb'/></disk>"
        "<disk type='dir'><source dir='/srv/share'/><target dev='vdc'/></disk>"
        "<disk type='file' device='cdrom'><source file=''/><target dev='sda'/></disk>");
    const AavmDisk *disk = disk_at(domain, 0);

    assert_non_null(disk->top);
    assert_int_equal(disk->top->type, AAVM_DISK_FILE);
    assert_string_equal(disk->top->type_name, "file");
    assert_string_equal(disk->top->path, IMAGES "/disk.qcow2");
    assert_string_equal(disk->top->format, "qcow2");
    assert_false(disk->backing_given);
    assert_int_equal(disk->backing->len, 0);
    assert_string_equal(disk_at(domain, 1)->top->path, "/dev/sdb");
    assert_int_equal(disk_at(domain, 1)->top->type, AAVM_DISK_BLOCK);
    assert_string_equal(disk_at(domain, 2)->top->path, "/srv/share");
    /* An empty path is no medium. */
    assert_null(disk_at(domain, 3)->top->path);
}

/* Nested <backingStore> elements become the chain, top to base. */
static void
test_disk_parse_backing_chain(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        "<disk type='file'><driver type='qcow2'/><source file='" IMAGES "/top.qcow2'/>"
        "  <backingStore type='block' index='3'><format type='qcow2'/>"
        "    <source dev='/dev/vg/base'/>"
        "    <backingStore type='file'><source file='" IMAGES "/base.raw'/>"
        "      <format type='raw'/>"
        "      <backingStore type='network'><format type='raw'/>"
        "        <source protocol='rbd' name='pool/img'><host name='mon'/></source>"
        "        <backingStore/>"
        "      </backingStore>"
        "    </backingStore>"
        "  </backingStore>"
        "  <target dev='vda'/></disk>");
    const AavmDisk *disk = disk_at(domain, 0);

    assert_true(disk->backing_given);
    assert_int_equal(disk->backing->len, 3);
    assert_int_equal(layer_at(disk, 0)->type, AAVM_DISK_BLOCK);
    assert_string_equal(layer_at(disk, 0)->path, "/dev/vg/base");
    assert_string_equal(layer_at(disk, 0)->format, "qcow2");
    assert_int_equal(layer_at(disk, 1)->type, AAVM_DISK_FILE);
    assert_string_equal(layer_at(disk, 1)->path, IMAGES "/base.raw");
    assert_string_equal(layer_at(disk, 1)->format, "raw");
    assert_int_equal(layer_at(disk, 2)->type, AAVM_DISK_NETWORK);
    assert_null(layer_at(disk, 2)->path);
    assert_string_equal(layer_at(disk, 2)->protocol, "rbd");
}

/* An empty <backingStore/> means "no layers", and that the chain is given. */
static void
test_disk_parse_backing_empty(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain =
        aavm_test_parse("kvm", NULL, NULL,
                        "<disk type='file'><driver type='qcow2'/><backingStore/>"
                        "<source file='" IMAGES "/disk.qcow2'/><target dev='vda'/></disk>");

    assert_true(disk_at(domain, 0)->backing_given);
    assert_int_equal(disk_at(domain, 0)->backing->len, 0);
}

/* 200 layers are accepted, 201 refused. */
static void
test_disk_parse_backing_depth(void **state)
{
    (void)state;
    g_autofree char *ok_devices = chain_xml(200);
    g_autofree char *deep_devices = chain_xml(201);
    g_autofree char *deep = aavm_test_domain_xml("kvm", NULL, NULL, deep_devices);
    g_autoptr(AavmDomain) domain = aavm_test_parse("kvm", NULL, NULL, ok_devices);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) refused = aavm_domain_parse_string(deep, strlen(deep), &error);

    assert_int_equal(disk_at(domain, 0)->backing->len, 200);
    assert_string_equal(layer_at(disk_at(domain, 0), 199)->path, IMAGES "/l199.qcow2");
    assert_null(refused);
    assert_int_equal(error->code, AAVM_ERROR_TOO_LARGE);
    assert_non_null(strstr(error->message, "disk vda"));
    assert_non_null(strstr(error->message, "200"));
}

/* Network sources: protocol, unix sockets, ceph config, ssh files. */
static void
test_disk_parse_network(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        "<disk type='network'><source protocol='gluster' name='v/i'>"
        "  <host transport='unix' socket='/run/g1.sock'/><host name='h' port='1'/>"
        "  <host transport='unix' socket='/run/g2.sock'/><host transport='unix' socket=''/>"
        "</source><target dev='vda'/></disk>"
        "<disk type='network'><source protocol='rbd' name='p/i'>"
        "  <config file='/etc/ceph/ceph.conf'/></source><target dev='vdb'/></disk>"
        "<disk type='network'><source protocol='ssh' name='x.img'><host name='h'/>"
        "  <knownHosts path='/srv/ssh/known_hosts'/>"
        "  <identity username='u' keyfile='/srv/ssh/id' agentsock='/run/agent.sock'/>"
        "</source><target dev='vdc'/></disk>");
    const AavmDiskSource *gluster = disk_at(domain, 0)->top;
    const AavmDiskSource *rbd = disk_at(domain, 1)->top;
    const AavmDiskSource *ssh = disk_at(domain, 2)->top;

    assert_int_equal(gluster->type, AAVM_DISK_NETWORK);
    assert_string_equal(gluster->protocol, "gluster");
    assert_string_equal(gluster->socket, "/run/g1.sock");
    assert_int_equal(gluster->rw_companions->len, 1);
    assert_string_equal(g_ptr_array_index(gluster->rw_companions, 0), "/run/g2.sock");
    assert_null(gluster->path);
    assert_null(disk_at(domain, 0)->top->path);
    assert_string_equal(rbd->config_file, "/etc/ceph/ceph.conf");
    assert_null(rbd->socket);
    assert_int_equal(ssh->companions->len, 2);
    assert_string_equal(g_ptr_array_index(ssh->companions, 0), "/srv/ssh/known_hosts");
    assert_string_equal(g_ptr_array_index(ssh->companions, 1), "/srv/ssh/id");
    assert_int_equal(ssh->rw_companions->len, 1);
    assert_string_equal(g_ptr_array_index(ssh->rw_companions, 0), "/run/agent.sock");
}

/* A volume: its translated path when the XML has it, else a warning. */
static void
test_disk_parse_volume(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        "<disk type='volume'><source pool='default' volume='v1'/><target dev='vdb'/></disk>"
        "<disk type='volume'><source pool='p' volume='v2' file='" IMAGES "/v2.img'/>"
        "  <target dev='vdc'/></disk>"
        "<disk type='volume'><source pool='p' volume='v3' dir='/srv/share'/>"
        "  <target dev='vdd'/></disk>"
        "<disk type='volume' device='cdrom'><target dev='hdc'/></disk>");

    assert_null(disk_at(domain, 0)->top->path);
    assert_int_equal(disk_at(domain, 0)->top->type, AAVM_DISK_VOLUME);
    assert_int_equal(domain->warnings->len, 1);
    assert_string_equal(g_ptr_array_index(domain->warnings, 0),
                        "disk vdb is a storage pool volume (default/v1) whose host path is not "
                        "in the XML; nothing is granted for it.");
    assert_int_equal(disk_at(domain, 1)->top->type, AAVM_DISK_FILE);
    assert_string_equal(disk_at(domain, 1)->top->type_name, "volume");
    assert_string_equal(disk_at(domain, 1)->top->path, IMAGES "/v2.img");
    assert_int_equal(disk_at(domain, 2)->top->type, AAVM_DISK_DIR);
}

/* nvme: the PCI address; a missing or bad one is warned about. */
static void
test_disk_parse_nvme(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        "<disk type='nvme'><source type='pci' managed='yes' namespace='1'>"
        "  <address domain='0x0001' bus='0x02' slot='0x03' function='0x4'/></source>"
        "  <target dev='vda'/></disk>"
        "<disk type='nvme'><source type='pci'><address domain='0' bus='0x100' slot='0'"
        "  function='0'/></source><target dev='vdb'/></disk>"
        "<disk type='nvme'><source type='pci'/><target dev='vdc'/></disk>");
    const AavmPciAddress *a = &disk_at(domain, 0)->top->nvme;

    assert_true(a->set);
    assert_int_equal(a->domain, 1);
    assert_int_equal(a->bus, 2);
    assert_int_equal(a->slot, 3);
    assert_int_equal(a->function, 4);
    assert_false(disk_at(domain, 1)->top->nvme.set);
    assert_false(disk_at(domain, 2)->top->nvme.set);
    assert_int_equal(domain->warnings->len, 2);
    assert_true(aavm_test_has_warning(
        domain->warnings, "The source of disk vdb has bus='0x100', which is not a number up "
                          "to 0xff. Nothing is granted for this NVMe disk."));
    assert_true(aavm_test_has_warning(
        domain->warnings, "The source of disk vdc has no PCI <address>. Nothing is granted "
                          "for this NVMe disk."));
}

/* vhostuser socket, vhostvdpa device, dataStore, reservations socket. */
static void
test_disk_parse_other_sources(void **state)
{
    (void)state;
    g_autoptr(AavmDomain) domain = aavm_test_parse(
        "kvm", NULL, NULL,
        "<disk type='vhostuser'><source type='unix' path='/run/vhost.sock'/>"
        "  <target dev='vda'/></disk>"
        "<disk type='vhostvdpa'><source dev='/dev/vhost-vdpa-0'/><target dev='vdb'/></disk>"
        "<disk type='file'><driver type='qcow2'/><source file='" IMAGES "/d.qcow2'>"
        "  <dataStore type='file'><format type='raw'/><source file='" IMAGES "/d.raw'/>"
        "  </dataStore></source><target dev='vdc'/></disk>"
        "<disk type='block'><source dev='/dev/sdb'>"
        "  <dataStore type='dir'><source dir='/srv'/></dataStore>"
        "  <reservations managed='no'><source type='unix' path='/run/pr.sock' mode='client'/>"
        "  </reservations></source><target dev='sda'/></disk>"
        "<disk type='block'><source dev='/dev/sdc'>"
        "  <dataStore type='block'><source dev='/dev/sdd'/></dataStore></source>"
        "  <target dev='sdb'/></disk>");

    assert_string_equal(disk_at(domain, 0)->top->socket, "/run/vhost.sock");
    assert_string_equal(disk_at(domain, 1)->top->path, "/dev/vhost-vdpa-0");
    assert_string_equal(disk_at(domain, 2)->top->data_store, IMAGES "/d.raw");
    /* libvirt has no directory data stores. */
    assert_null(disk_at(domain, 3)->top->data_store);
    assert_string_equal(g_ptr_array_index(disk_at(domain, 3)->top->rw_companions, 0),
                        "/run/pr.sock");
    assert_string_equal(disk_at(domain, 4)->top->data_store, "/dev/sdd");
}

/* The top rwk (rk read-only), every backing layer rk, network layers nothing. */
static void
test_disk_rules_chain(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='file'><driver type='qcow2'/><source file='" IMAGES "/disk.qcow2'/>"
        "  <backingStore type='file'><format type='qcow2'/>"
        "    <source file='" IMAGES "/base.qcow2'/>"
        "    <backingStore type='block'><format type='raw'/><source dev='/dev/sdb'/>"
        "      <backingStore type='network'><source protocol='http' name='x'>"
        "        <host name='h'/></source></backingStore>"
        "    </backingStore>"
        "  </backingStore><target dev='vda'/></disk>"
        "<disk type='file'><readonly/><source file='" IMAGES "/readonly.iso'/>"
        "  <backingStore type='dir'><source dir='/srv/share'/><backingStore/></backingStore>"
        "  <target dev='sda'/></disk>");

    assert_true(aavm_test_has_rule(list, IMAGES "/disk.qcow2", AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(list, IMAGES "/base.qcow2", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_rule(list, "/dev/sdb", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_rule(list, IMAGES "/readonly.iso", AAVM_MATCH_EXACT, "rk"));
    assert_true(aavm_test_has_rule(list, "/srv/share", AAVM_MATCH_DIR, "r"));
    assert_true(aavm_test_has_rule(list, "/srv/share", AAVM_MATCH_TREE, "rk"));
    assert_int_equal(aavm_test_count_paths(list), 6);
    assert_int_equal(list->warnings->len, 0);
}

/* Without <backingStore> the header is read: the fake root's disk.qcow2 is
 * a qcow2 header without a backing file, so only the top is granted
 * (tests/unit/image/test-image-chain.c follows real chains). */
static void
test_disk_rules_no_chain_no_probe(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='file'><driver type='qcow2'/><source file='" IMAGES "/disk.qcow2'/>"
        "<target dev='vda'/></disk>");

    assert_int_equal(aavm_test_count_paths(list), 1);
}

/* A data store gets its layer's permissions. */
static void
test_disk_rules_data_store(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='file'><driver type='qcow2'/><source file='" IMAGES "/top.qcow2'>"
        "  <dataStore type='file'><source file='" IMAGES "/top.raw'/></dataStore></source>"
        "  <backingStore type='file'><format type='qcow2'/>"
        "    <source file='" IMAGES "/base.qcow2'><dataStore type='block'>"
        "      <source dev='/dev/sdb'/></dataStore></source><backingStore/></backingStore>"
        "  <target dev='vda'/></disk>");

    assert_true(aavm_test_has_rule(list, IMAGES "/top.raw", AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(list, "/dev/sdb", AAVM_MATCH_EXACT, "rk"));
    assert_int_equal(aavm_test_count_paths(list), 4);
}

/* Network disks: no file rule, but their local companions. */
static void
test_disk_rules_network_companions(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='network'><source protocol='nbd' name='e'>"
        "  <host transport='unix' socket='/run/nbd.sock'/></source><target dev='vda'/></disk>"
        "<disk type='network'><source protocol='rbd' name='p/i'><host name='mon'/>"
        "  <config file='/etc/ceph/ceph.conf'/></source><target dev='vdb'/></disk>"
        "<disk type='network'><source protocol='ssh' name='x.img'><host name='h'/>"
        "  <knownHosts path='/srv/ssh/known_hosts'/>"
        "  <identity username='u' keyfile='/srv/ssh/id' agentsock='/run/agent.sock'/>"
        "</source><target dev='vdc'/></disk>"
        "<disk type='network'><source protocol='iscsi' name='iqn.x/1'><host name='h'/>"
        "</source><target dev='vdd'/></disk>");

    assert_true(aavm_test_has_rule(list, "/run/nbd.sock", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/etc/ceph/ceph.conf", AAVM_MATCH_EXACT, "r"));
    assert_true(aavm_test_has_rule(list, "/srv/ssh/known_hosts", AAVM_MATCH_EXACT, "r"));
    assert_true(aavm_test_has_rule(list, "/srv/ssh/id", AAVM_MATCH_EXACT, "r"));
    assert_true(aavm_test_has_rule(list, "/run/agent.sock", AAVM_MATCH_EXACT, "rw"));
    assert_int_equal(aavm_test_count_paths(list), 5);
}

/* vhostuser socket rw, vhostvdpa node rw, reservations socket rw. */
static void
test_disk_rules_sockets_and_vdpa(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='vhostuser'><source type='unix' path='/run/vhost.sock'/>"
        "  <target dev='vda'/></disk>"
        "<disk type='vhostvdpa'><readonly/><source dev='/dev/vhost-vdpa-0'/>"
        "  <target dev='vdb'/></disk>"
        "<disk type='block' device='lun'><source dev='/dev/sdb'>"
        "  <reservations managed='no'><source type='unix' path='/run/pr.sock' mode='client'/>"
        "  </reservations></source><target dev='sda'/></disk>");

    assert_true(aavm_test_has_rule(list, "/run/vhost.sock", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vhost-vdpa-0", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/sdb", AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(list, "/run/pr.sock", AAVM_MATCH_EXACT, "rw"));
    assert_int_equal(aavm_test_count_paths(list), 4);
}

/* nvme: without its VFIO group on the host, a warning naming the disk. */
static void
test_disk_rules_nvme_not_found(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='nvme'><source type='pci' managed='yes' namespace='1'>"
        "  <address domain='0x0000' bus='0xfe' slot='0x1f' function='0x7'/></source>"
        "  <target dev='vde'/></disk>");

    assert_int_equal(aavm_test_count_paths(list), 0);
    assert_int_equal(list->warnings->len, 1);
    assert_string_equal(g_ptr_array_index(list->warnings, 0),
                        "disk vde (nvme 0000:fe:1f.7): its VFIO group was not found on the "
                        "host; nothing is granted for it.");
}

/* nvme: the function's VFIO group (fake root: 0000:00:1f.0 is in group 12)
 * and the VFIO container, both rw. */
static void
test_disk_rules_nvme_group(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='nvme'><source type='pci' managed='yes' namespace='1'>"
        "  <address domain='0x0000' bus='0x00' slot='0x1f' function='0x0'/></source>"
        "  <target dev='vda'/></disk>");

    assert_true(aavm_test_has_rule(list, "/dev/vfio/12", AAVM_MATCH_EXACT, "rw"));
    assert_true(aavm_test_has_rule(list, "/dev/vfio/vfio", AAVM_MATCH_EXACT, "rw"));
    assert_int_equal(aavm_test_count_paths(list), 2);
    assert_int_equal(list->warnings->len, 0);
}

/* A pool volume without its path: nothing, and a warning; translated: granted. */
static void
test_disk_rules_volume(void **state)
{
    (void)state;
    g_autoptr(AavmAccessList) list = aavm_test_build_ok(
        NULL, "kvm", NULL, NULL,
        "<disk type='volume'><source pool='default' volume='v1'/><target dev='vdb'/></disk>"
        "<disk type='volume'><source pool='p' volume='v2' dev='/dev/sdc'/>"
        "  <target dev='vdc'/></disk>");

    assert_true(aavm_test_has_rule(list, "/dev/sdc", AAVM_MATCH_EXACT, "rwk"));
    assert_int_equal(aavm_test_count_paths(list), 1);
    assert_true(
        aavm_test_has_warning(list->warnings, "disk vdb is a storage pool volume (default/v1)"));
}

/* Every XML path of the family goes through the path policy. */
static void
test_disk_rules_refused(void **state)
{
    (void)state;
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='file'><source file='" IMAGES "/d.qcow2'/>"
                             "<backingStore type='file'><source file='/etc/shadow'/></backingStore>"
                             "<target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "disk vda backing layer 1");
    /* Through a symlink of the fake root. */
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='file'><source file='" IMAGES "/d.qcow2'/>"
                             "<backingStore type='file'><source file='" IMAGES "/evil.img'/>"
                             "</backingStore><target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "/etc");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='file'><source file='" IMAGES "/d.qcow2'>"
                             "<dataStore type='file'><source file='/usr/lib/x'/></dataStore>"
                             "</source><target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "/usr");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='network'><source protocol='rbd' name='p/i'>"
                             "<config file='/etc/shadow'/></source><target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "/etc");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL, "<disk type='network'><source protocol='nbd'>"
                             "<host transport='unix' socket='/proc/self/mem'/></source>"
                             "<target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "/proc");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='network'><source protocol='ssh' name='x'>"
                             "<identity keyfile='/etc/ssh/ssh_host_rsa_key'/></source>"
                             "<target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "/etc");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='vhostuser'><source type='unix' path='relative.sock'/>"
                             "<target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "relative.sock");
    aavm_test_assert_refused(
        NULL, "kvm", NULL, NULL,
        "<disk type='vhostvdpa'><source dev='/dev/mem'/><target dev='vda'/></disk>",
        AAVM_ERROR_UNSAFE_PATH, "/dev/mem");
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='volume'><source pool='p' volume='v' file='/boot/x'/>"
                             "<target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "/boot");
    /* The ceph directory is readable, never writable. */
    aavm_test_assert_refused(NULL, "kvm", NULL, NULL,
                             "<disk type='block'><source dev='/etc/ceph/ceph.conf'/>"
                             "<target dev='vda'/></disk>",
                             AAVM_ERROR_UNSAFE_PATH, "/etc/ceph");
}

/* On the real host, a block device node outside /dev (made here when the
 * test may) is granted under its own path and the kernel's node name. */
static void
test_disk_rules_block_kernel_node(void **state)
{
    (void)state;
    g_autoptr(AavmHost) host = aavm_host_new(NULL, NULL);
    g_autoptr(AavmConfig) config = aavm_test_config();
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmAccessList) list = NULL;
    g_autofree char *tmp = aavm_test_make_tmpdir();
    g_autofree char *node_path = g_build_filename(tmp, "blk", NULL);
    g_autofree char *kernel = aavm_host_block_node(host, "/dev/loop0");
    g_autofree char *devices = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *canonical = NULL;
    struct stat st;

    if (!kernel || stat(kernel, &st) != 0 || mknod(node_path, S_IFBLK | 0600, st.st_rdev) != 0) {
        aavm_test_rm_rf(tmp);
        skip();
        return;
    }
    assert_true(aavm_host_canonicalize(host, node_path, &canonical, NULL, NULL));
    devices = g_strdup_printf("<disk type='block'><source dev='%s'/><target dev='vda'/></disk>",
                              node_path);
    xml = aavm_test_domain_xml("kvm", NULL, NULL, devices);
    list = aavm_test_build(host, config, xml, &error);
    aavm_test_rm_rf(tmp);
    assert_non_null(list);
    assert_true(aavm_test_has_rule(list, canonical, AAVM_MATCH_EXACT, "rwk"));
    assert_true(aavm_test_has_rule(list, kernel, AAVM_MATCH_EXACT, "rwk"));
    assert_int_equal(aavm_test_count_paths(list), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disk_none),
        cmocka_unit_test(test_disk_parse_top),
        cmocka_unit_test(test_disk_parse_backing_chain),
        cmocka_unit_test(test_disk_parse_backing_empty),
        cmocka_unit_test(test_disk_parse_backing_depth),
        cmocka_unit_test(test_disk_parse_network),
        cmocka_unit_test(test_disk_parse_volume),
        cmocka_unit_test(test_disk_parse_nvme),
        cmocka_unit_test(test_disk_parse_other_sources),
        cmocka_unit_test(test_disk_rules_chain),
        cmocka_unit_test(test_disk_rules_no_chain_no_probe),
        cmocka_unit_test(test_disk_rules_data_store),
        cmocka_unit_test(test_disk_rules_network_companions),
        cmocka_unit_test(test_disk_rules_sockets_and_vdpa),
        cmocka_unit_test(test_disk_rules_nvme_not_found),
        cmocka_unit_test(test_disk_rules_nvme_group),
        cmocka_unit_test(test_disk_rules_volume),
        cmocka_unit_test(test_disk_rules_refused),
        cmocka_unit_test(test_disk_rules_block_kernel_node),
    };

    aavm_test_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
