/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-qemu-args.c: helper/qemu/qemu-args.c, the reader of QEMU arguments:
 * key=value splitting, the JSON reader, and the option table (which keys
 * are host paths, with which permissions). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <glib.h>

#include "aavm-error.h"
#include "access.h"
#include "qemu-args.h"
#include "testutil.h"

/* "key=value|key=value" of a parameter list, for compact assertions. */
static char *
params_text(const GPtrArray *params)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < params->len; i++) {
        const AavmQemuParam *p = g_ptr_array_index(params, i);
        g_string_append_printf(s, "%s%s=%s", i ? "|" : "", p->key ? p->key : "(null)", p->value);
    }
    return g_string_free(s, FALSE);
}

static void
assert_split(const char *text, const char *implied, const char *expected)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) params = aavm_qemu_opts_split(text, implied, &error);

    assert_null(error);
    assert_non_null(params);
    g_autofree char *got = params_text(params);
    assert_string_equal(got, expected);
}

static void
test_split(void **state)
{
    (void)state;
    assert_split("file=/a,if=none", NULL, "file=/a|if=none");
    /* ",," is a literal comma, in values and in the implied value */
    assert_split("file=/a,,b.img,,,if=none", NULL, "file=/a,b.img,|if=none");
    assert_split("path=,,,,", NULL, "path=,,");
    assert_split("socket,id=c,path=/p", "backend", "backend=socket|id=c|path=/p");
    assert_split("so,,cket,id=c", "backend", "backend=so,cket|id=c");
    /* no implied key: a NULL key */
    assert_split("bare,x=1", NULL, "(null)=bare|x=1");
    /* later bare parts are booleans; the first '=' splits */
    assert_split("file,path=/a=b,server", "backend", "backend=file|path=/a=b|server=on");
    /* empty parts are skipped */
    assert_split(",a=1,,", NULL, "a=1,");
    assert_split("a=1,", NULL, "a=1");
    assert_split("", NULL, "");
    assert_split("a=", NULL, "a=");
}

static void
test_split_refused(void **state)
{
    (void)state;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) params = aavm_qemu_opts_split("a=1,=x", NULL, &error);
    g_autoptr(GString) many = g_string_new(NULL);

    assert_null(params);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_XML));
    g_clear_error(&error);
    for (guint i = 0; i <= AAVM_QEMU_MAX_PARAMS; i++)
        g_string_append(many, "a=1,");
    params = aavm_qemu_opts_split(many->str, NULL, &error);
    assert_null(params);
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_TOO_LARGE));
}

static void
assert_json(const char *text, const char *expected)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) params = aavm_qemu_json_flatten(text, &error);

    if (!params)
        fail_msg("JSON %s refused: %s", text, error->message);
    g_autofree char *got = params_text(params);
    assert_string_equal(got, expected);
}

static void
assert_json_refused(const char *text)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) params = aavm_qemu_json_flatten(text, &error);

    if (params)
        fail_msg("JSON %s accepted", text);
    assert_non_null(error);
    assert_int_equal(error->domain, AAVM_ERROR);
}

static void
test_json(void **state)
{
    (void)state;
    assert_json("{}", "");
    assert_json(" { \"driver\" : \"file\" , \"filename\":\"/a\" } ", "driver=file|filename=/a");
    assert_json("{\"driver\":\"qcow2\",\"file\":{\"driver\":\"file\",\"filename\":\"/b\"},"
                "\"read-only\":true,\"x\":false,\"n\":null,\"size\":-1.5e3}",
                "driver=qcow2|file.driver=file|file.filename=/b|read-only=on|x=off|n=|size=-1.5e3");
    assert_json("{\"server\":[{\"type\":\"unix\",\"path\":\"/s\"},{\"type\":\"inet\"}],\"e\":[]}",
                "server.0.type=unix|server.0.path=/s|server.1.type=inet");
    /* escapes, \u, a surrogate pair; a comma is just a character */
    assert_json("{\"f\":\"/a\\\"b\\\\c\\/d\\u0041\\u00e9\\ud83d\\ude00,e\"}",
                "f=/a\"b\\c/dA\xc3\xa9\xf0\x9f\x98\x80,e");
}

static void
test_json_refused(void **state)
{
    (void)state;
    g_autoptr(GString) deep = g_string_new(NULL);

    assert_json_refused("[1]");
    assert_json_refused("\"x\"");
    assert_json_refused("");
    assert_json_refused("{");
    assert_json_refused("{\"a\":\"b\"");
    assert_json_refused("{\"a\":\"b\"} x");
    assert_json_refused("{\"a\" \"b\"}");
    assert_json_refused("{\"a\":\"b\",}");
    assert_json_refused("{'a':'b'}");
    assert_json_refused("{\"a\":\"\\x\"}");
    assert_json_refused("{\"a\":\"\\u00\"}");
    assert_json_refused("{\"a\":\"\\u0000\"}");
    assert_json_refused("{\"a\":\"\\ud800\"}");
    assert_json_refused("{\"a\":\"\\udc00\"}");
    assert_json_refused("{\"a\":\"tab\there\"}");
    assert_json_refused("{\"a\":nope}");
    for (guint i = 0; i < AAVM_QEMU_MAX_JSON_DEPTH + 2; i++)
        g_string_append(deep, "{\"a\":");
    g_string_append(deep, "1");
    for (guint i = 0; i < AAVM_QEMU_MAX_JSON_DEPTH + 2; i++)
        g_string_append_c(deep, '}');
    assert_json_refused(deep->str);
}

/* ---- the option table ---- */

/* One expected item: "KIND OPTION KEY VALUE PERMS[/tree] @INDEX", e.g.
 * "path -drive file /a rwk @1"; KEY "-" for none, PERMS "-" for
 * non-paths. */
static char *
item_text(const AavmPassthrough *item)
{
    return g_strdup_printf("%s %s %s %s %s%s @%u", aavm_passthrough_kind_to_string(item->kind),
                           item->option, item->key ? item->key : "-", item->value,
                           item->kind == AAVM_PASSTHROUGH_PATH ? aavm_perm_to_string(item->perms) : "-",
                           item->tree ? "/tree" : "", item->index);
}

static GPtrArray *
scan(const char *const *args)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_passthrough_free);

    aavm_qemu_args_scan(args, g_strv_length((char **)args), out);
    return out;
}

/* Scan @args (NULL-terminated) and compare every item with @expected
 * (NULL-terminated); every item that is not a path has a note. */
static void
check_scan(const char *const *args, const char *const *expected)
{
    g_autoptr(GPtrArray) items = scan(args);
    guint n = g_strv_length((char **)expected);

    for (guint i = 0; i < items->len; i++) {
        const AavmPassthrough *item = g_ptr_array_index(items, i);
        g_autofree char *got = item_text(item);
        if (i >= n)
            fail_msg("%s %s: unexpected item %u: %s", args[0], args[1] ? args[1] : "", i, got);
        if (strcmp(got, expected[i]) != 0)
            fail_msg("%s %s: item %u is '%s', expected '%s'", args[0], args[1] ? args[1] : "", i,
                     got, expected[i]);
        assert_false(item->from_env);
        if (item->kind == AAVM_PASSTHROUGH_PATH)
            assert_null(item->note);
        else
            assert_true(item->note && *item->note);
    }
    if (items->len != n)
        fail_msg("%s %s: %u items, expected %u", args[0], args[1] ? args[1] : "", items->len, n);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NONE ((const char *const[]){ NULL })

static void
test_drive(void **state)
{
    (void)state;
    check_scan(ARGS("-drive", "file=/i/a.img,if=none"), ARGS("path -drive file /i/a.img rwk @1"));
    check_scan(ARGS("-drive", "file=/i/a,,b.img,format=raw"),
               ARGS("path -drive file /i/a,b.img rwk @1"));
    check_scan(ARGS("-drive", "if=none,readonly=on,file=/i/ro.img"),
               ARGS("path -drive file /i/ro.img rk @1"));
    check_scan(ARGS("-drive", "file=/i/x.iso,media=cdrom"), ARGS("path -drive file /i/x.iso rk @1"));
    check_scan(ARGS("-drive", "file=file:/i/p.img"), ARGS("path -drive file /i/p.img rwk @1"));
    check_scan(ARGS("-drive", "file.driver=file,file.filename=/i/n.img,driver=raw"),
               ARGS("path -drive file.filename /i/n.img rwk @1"));
    /* QemuOpts splits at commas: a json: filename doubles its commas */
    check_scan(ARGS("-drive", "file=json:{\"driver\":\"qcow2\",,\"file\":{\"filename\":\"/i/j.img\"}}"),
               ARGS("path -drive file.filename /i/j.img rwk @1"));
    check_scan(ARGS("-drive", "file=json:{\"driver\":\"qcow2\",\"file\":{\"filename\":\"/i/j.img\"}}"),
               ARGS("unparsed -drive file json:{\"driver\":\"qcow2\" - @1"));
    check_scan(ARGS("-drive", "file=json:{bad"),
               ARGS("unparsed -drive file json:{bad - @1"));
    check_scan(ARGS("-drive", "file=rbd:pool/img\\:x:conf=/c/ceph.conf:keyring=/c/k:id=a"),
               ARGS("network -drive file rbd:pool/img:x - @1", "path -drive conf /c/ceph.conf r @1",
                    "path -drive keyring /c/k r @1"));
    check_scan(ARGS("-drive", "file=nbd:unix:/run/n.sock:exportname=e"),
               ARGS("path -drive file /run/n.sock rw @1"));
    check_scan(ARGS("-drive", "file=nbd:192.0.2.1:10809"),
               ARGS("network -drive file nbd:192.0.2.1:10809 - @1"));
    check_scan(ARGS("-drive", "file=nbd+unix:///e?socket=/run/s.sock"),
               ARGS("path -drive file /run/s.sock rw @1"));
    check_scan(ARGS("-drive", "file=https://example.com/a.iso"),
               ARGS("network -drive file https://example.com/a.iso - @1"));
    check_scan(ARGS("-drive", "file=fat:/srv/d"), ARGS("path -drive file /srv/d rk/tree @1"));
    check_scan(ARGS("-drive", "file=fat:floppy:rw:/srv/d"),
               ARGS("path -drive file /srv/d rwk/tree @1"));
    check_scan(ARGS("-drive", "file=weird:thing"), ARGS("unparsed -drive file weird:thing - @1"));
    check_scan(ARGS("-drive", "file=rel.img"), ARGS("unparsed -drive file rel.img - @1"));
    /* a descriptor passed with -add-fd is not opened by path */
    check_scan(ARGS("-add-fd", "fd=3,set=2,opaque=rdwr:/x", "-drive", "file=/dev/fdset/2"), NONE);
    /* an unknown key with a path-like value */
    check_scan(ARGS("-drive", "file=/a,x-new=/b"),
               ARGS("path -drive file /a rwk @1", "unparsed -drive x-new /b - @1"));
}

static void
test_blockdev(void **state)
{
    (void)state;
    check_scan(ARGS("-blockdev", "driver=file,node-name=a,filename=/i/a.raw"),
               ARGS("path -blockdev filename /i/a.raw rwk @1"));
    check_scan(ARGS("-blockdev", "driver=host_device,filename=/dev/sdb,read-only=on"),
               ARGS("path -blockdev filename /dev/sdb rk @1"));
    check_scan(ARGS("-blockdev", "{\"driver\":\"qcow2\",\"node-name\":\"q\",\"file\":{\"driver\":"
                    "\"file\",\"filename\":\"/i/q.qcow2\",\"read-only\":true}}"),
               ARGS("path -blockdev file.filename /i/q.qcow2 rk @1"));
    /* read-only on the parent node covers its children */
    check_scan(ARGS("-blockdev", "{\"driver\":\"qcow2\",\"read-only\":true,\"file\":{\"driver\":"
                    "\"file\",\"filename\":\"/i/r.qcow2\"}}"),
               ARGS("path -blockdev file.filename /i/r.qcow2 rk @1"));
    check_scan(ARGS("-blockdev", "{\"driver\":\"rbd\",\"pool\":\"p\",\"image\":\"i\","
                    "\"conf\":\"/etc/ceph/c.conf\",\"server\":[{\"host\":\"m1\",\"port\":\"6789\"}]}"),
               ARGS("network -blockdev driver rbd:p/i - @1",
                    "path -blockdev conf /etc/ceph/c.conf r @1"));
    check_scan(ARGS("-blockdev", "driver=nbd,server.type=unix,server.path=/run/n.sock,export=e"),
               ARGS("path -blockdev server.path /run/n.sock rw @1"));
    check_scan(ARGS("-blockdev", "driver=nbd,server.type=inet,server.host=h,server.port=1"),
               ARGS("network -blockdev server.host nbd:h - @1"));
    check_scan(ARGS("-blockdev", "{\"driver\":\"gluster\",\"volume\":\"v\",\"path\":\"/img\","
                    "\"server\":[{\"type\":\"unix\",\"path\":\"/run/g.sock\"}]}"),
               ARGS("network -blockdev driver gluster - @1",
                    "path -blockdev server.0.path /run/g.sock rw @1"));
    check_scan(ARGS("-blockdev", "driver=vvfat,dir=/srv/v,rw=on"),
               ARGS("path -blockdev dir /srv/v rwk/tree @1"));
    check_scan(ARGS("-blockdev", "driver=nvme,device=0000:01:00.0,namespace=1"),
               ARGS("unparsed -blockdev driver nvme - @1"));
    check_scan(ARGS("-blockdev", "{\"driver\":\"file\",\"filename\":\"/x\""),
               ARGS("unparsed -blockdev - {\"driver\":\"file\",\"filename\":\"/x\" - @1"));
    check_scan(ARGS("-blockdev", "driver=file,=x"), ARGS("unparsed -blockdev - driver=file,=x - @1"));
}

static void
test_block_options(void **state)
{
    (void)state;
    check_scan(ARGS("-hda", "/i/a.img", "-cdrom", "/i/c.iso", "-pflash", "/i/v.fd", "-sd", "/i/s"),
               ARGS("path -hda - /i/a.img rwk @1", "path -cdrom - /i/c.iso rk @3",
                    "path -pflash - /i/v.fd rwk @5", "path -sd - /i/s rwk @7"));
    /* a lone argument is QEMU's first disk */
    check_scan(ARGS("/i/lone.img"), ARGS("path -hda - /i/lone.img rwk @0"));
    check_scan(ARGS("-"), ARGS("unparsed -hda - - - @0"));
    check_scan(ARGS("-kernel", "/b/k", "-initrd", "/b/i", "-dtb", "/b/d", "-bios", "/b/b"),
               ARGS("path -kernel - /b/k r @1", "path -initrd - /b/i r @3",
                    "path -dtb - /b/d r @5", "path -bios - /b/b r @7"));
    /* multiboot modules: "file args" separated by commas */
    check_scan(ARGS("-initrd", "/b/m1 arg=1,/b/m2,,x"),
               ARGS("path -initrd - /b/m1 r @1", "path -initrd - /b/m2,x r @1"));
    check_scan(ARGS("-L", "/srv/fw"), ARGS("path -L - /srv/fw r/tree @1"));
    check_scan(ARGS("-mem-path", "/dev/hugepages", "-pidfile", "/run/q.pid", "-D", "/l/q.log"),
               ARGS("path -mem-path - /dev/hugepages rw @1", "path -pidfile - /run/q.pid rwk @3",
                    "path -D - /l/q.log w @5"));
    check_scan(ARGS("-writeconfig", "/l/out.cfg"), ARGS("path -writeconfig - /l/out.cfg w @1"));
    check_scan(ARGS("-readconfig", "/c/in.cfg"), ARGS("unparsed -readconfig - /c/in.cfg - @1"));
    check_scan(ARGS("-chroot", "/srv/root"), ARGS("unparsed -chroot - /srv/root - @1"));
    check_scan(ARGS("-run-with", "chroot=/srv/root,user=x"),
               ARGS("unparsed -run-with chroot /srv/root - @1"));
}

static void
test_chardev(void **state)
{
    (void)state;
    check_scan(ARGS("-chardev", "socket,id=c,path=/run/c.sock,server=on"),
               ARGS("path -chardev path /run/c.sock rw @1"));
    check_scan(ARGS("-chardev", "file,id=f,path=/l/f.log,input-path=/l/in,logfile=/l/log"),
               ARGS("path -chardev path /l/f.log w @1", "path -chardev input-path /l/in r @1",
                    "path -chardev logfile /l/log w @1"));
    check_scan(ARGS("-chardev", "pipe,id=p,path=/f/p"),
               ARGS("path -chardev path /f/p.in rw @1", "path -chardev path /f/p.out rw @1"));
    check_scan(ARGS("-chardev", "serial,id=s,path=/dev/ttyS0", "-chardev", "parallel,id=l,path=/dev/parport0"),
               ARGS("path -chardev path /dev/ttyS0 rw @1", "path -chardev path /dev/parport0 rw @3"));
    check_scan(ARGS("-chardev", "tcp,id=t,host=h,port=1"), NONE);
    check_scan(ARGS("-chardev", "mystery,id=m,path=/x"), ARGS("unparsed -chardev path /x - @1"));
    check_scan(ARGS("-chardev", "{\"backend\":\"socket\",\"id\":\"j\",\"path\":\"/run/j\"}"),
               ARGS("path -chardev path /run/j rw @1"));
    check_scan(ARGS("-serial", "unix:/run/s.sock,server=on,wait=off"),
               ARGS("path -serial unix /run/s.sock rw @1"));
    check_scan(ARGS("-monitor", "mon:file:/l/m", "-qmp", "pipe:/f/q", "-parallel", "/dev/parport1"),
               ARGS("path -monitor file /l/m w @1", "path -qmp pipe /f/q.in rw @3",
                    "path -qmp pipe /f/q.out rw @3", "path -parallel - /dev/parport1 rw @5"));
    check_scan(ARGS("-serial", "tcp:127.0.0.1:4444,server=on", "-serial", "stdio", "-gdb", "tcp::1234"),
               NONE);
    check_scan(ARGS("-serial", "odd:/x"), ARGS("unparsed -serial - odd:/x - @1"));
    check_scan(ARGS("-incoming", "file:/m/state,offset=4096", "-incoming", "unix:/run/m.sock"),
               ARGS("path -incoming file /m/state r @1", "path -incoming unix /run/m.sock rw @3"));
    check_scan(ARGS("-incoming", "exec:cat /m/s"), ARGS("unparsed -incoming exec exec:cat /m/s - @1"));
    check_scan(ARGS("-incoming", "defer", "-incoming", "tcp:0:4444"), NONE);
}

static void
test_netdev(void **state)
{
    (void)state;
    /* vhost-user reaches its socket through the -chardev */
    check_scan(ARGS("-chardev", "socket,id=v,path=/run/v.sock", "-netdev", "vhost-user,id=n,chardev=v"),
               ARGS("path -chardev path /run/v.sock rw @1"));
    check_scan(ARGS("-netdev", "tap,id=t,script=/s/up,downscript=/s/down"),
               ARGS("unparsed -netdev script /s/up - @1", "unparsed -netdev downscript /s/down - @1"));
    check_scan(ARGS("-netdev", "tap,id=t,ifname=tap0"),
               ARGS("unparsed -netdev script /etc/qemu-ifup - @1"));
    check_scan(ARGS("-netdev", "tap,id=t,ifname=tap0,script=no,downscript=no,vhost=on"),
               ARGS("path -netdev vhost /dev/vhost-net rw @1"));
    check_scan(ARGS("-netdev", "tap,id=t,fd=4,vhost=on,vhostfd=5"), NONE);
    check_scan(ARGS("-nic", "tap,script=no,downscript=no,vhostdevice=/dev/vhost-net"),
               ARGS("path -nic vhostdevice /dev/vhost-net rw @1"));
    check_scan(ARGS("-netdev", "bridge,id=b,br=br0"),
               ARGS("unparsed -netdev helper qemu-bridge-helper - @1"));
    check_scan(ARGS("-netdev", "vhost-vdpa,id=v,vhostdev=/dev/vhost-vdpa-0"),
               ARGS("path -netdev vhostdev /dev/vhost-vdpa-0 rw @1"));
    check_scan(ARGS("-netdev", "user,id=u,tftp=/srv/tftp,smb=/srv/smb"),
               ARGS("unparsed -netdev smb /srv/smb - @1", "path -netdev tftp /srv/tftp r/tree @1"));
    check_scan(ARGS("-netdev", "stream,id=s,addr.type=unix,addr.path=/run/st.sock"),
               ARGS("path -netdev addr.path /run/st.sock rw @1"));
    check_scan(ARGS("-netdev", "{\"type\":\"dgram\",\"id\":\"d\",\"local\":{\"type\":\"unix\","
                    "\"path\":\"/run/d.sock\"}}"),
               ARGS("path -netdev local.path /run/d.sock rw @1"));
}

static void
test_device_object(void **state)
{
    (void)state;
    check_scan(ARGS("-device", "vfio-pci,host=01:00.0,id=h"), ARGS("path -device host 01:00.0 rw @1"));
    check_scan(ARGS("-device", "vfio-pci,sysfsdev=/sys/bus/pci/devices/0000:01:00.0"),
               ARGS("path -device sysfsdev /sys/bus/pci/devices/0000:01:00.0 rw @1"));
    check_scan(ARGS("-device", "vfio-platform,host=fff51000.ethernet"),
               ARGS("unparsed -device host fff51000.ethernet - @1"));
    check_scan(ARGS("-device", "usb-host,hostbus=1,hostaddr=2"),
               ARGS("unparsed -device driver usb-host - @1"));
    check_scan(ARGS("-device", "usb-host,hostdevice=/dev/bus/usb/001/002"),
               ARGS("path -device hostdevice /dev/bus/usb/001/002 rw @1"));
    check_scan(ARGS("-device", "vhost-scsi-pci,wwpn=naa.1"),
               ARGS("path -device driver /dev/vhost-scsi rw @1"));
    check_scan(ARGS("-device", "vhost-vsock-pci,guest-cid=3"),
               ARGS("path -device driver /dev/vhost-vsock rw @1"));
    check_scan(ARGS("-device", "virtio-net-pci,romfile=/r/x.rom", "-device", "e1000,romfile=efi.rom"),
               ARGS("path -device romfile /r/x.rom r @1"));
    check_scan(ARGS("-device", "loader,file=/r/blob,addr=0x1000"),
               ARGS("path -device file /r/blob r @1"));
    check_scan(ARGS("-device", "{\"driver\":\"virtio-input-host-pci\",\"evdev\":\"/dev/input/event3\"}"),
               ARGS("path -device evdev /dev/input/event3 rw @1"));
    check_scan(ARGS("-device", "e1000,x=unix:/odd"), ARGS("unparsed -device x unix:/odd - @1"));
    check_scan(ARGS("-object", "memory-backend-file,id=m,mem-path=/dev/hugepages/x,size=1G"),
               ARGS("path -object mem-path /dev/hugepages/x rw @1"));
    check_scan(ARGS("-object", "memory-backend-file,id=m,mem-path=/m/pmem,readonly=on"),
               ARGS("path -object mem-path /m/pmem r @1"));
    check_scan(ARGS("-object", "rng-random,id=r,filename=/dev/hwrng", "-object", "secret,id=s,file=/k"),
               ARGS("path -object filename /dev/hwrng r @1", "path -object file /k r @3"));
    check_scan(ARGS("-object", "tls-creds-x509,id=t,dir=/pki,endpoint=client"),
               ARGS("path -object dir /pki r/tree @1"));
    check_scan(ARGS("-object", "input-linux,id=i,evdev=/dev/input/event1", "-object", "filter-dump,id=f,netdev=n,file=/l/d.pcap"),
               ARGS("path -object evdev /dev/input/event1 rw @1", "path -object file /l/d.pcap w @3"));
    check_scan(ARGS("-object", "iothread,id=io1"), NONE);
    check_scan(ARGS("-virtfs", "local,path=/srv/s,mount_tag=t,security_model=none"),
               ARGS("path -virtfs path /srv/s rw/tree @1"));
    check_scan(ARGS("-fsdev", "local,id=f,path=/srv/s,readonly=on,security_model=none"),
               ARGS("path -fsdev path /srv/s r/tree @1"));
    check_scan(ARGS("-fw_cfg", "name=opt/a,file=/f/a", "-fw_cfg", "opt/b,file=/f/b", "-fw_cfg", "name=opt/c,string=x"),
               ARGS("path -fw_cfg file /f/a r @1", "path -fw_cfg file /f/b r @3"));
    check_scan(ARGS("-tpmdev", "passthrough,id=t,cancel-path=/c/cancel"),
               ARGS("path -tpmdev path /dev/tpm0 rw @1", "path -tpmdev cancel-path /c/cancel w @1"));
    check_scan(ARGS("-acpitable", "file=/a/1.aml:/a/2.aml", "-smbios", "file=/s/t.bin"),
               ARGS("path -acpitable file /a/1.aml r @1", "path -acpitable file /a/2.aml r @1",
                    "path -smbios file /s/t.bin r @3"));
    check_scan(ARGS("-audiodev", "wav,id=w,path=/l/a.wav", "-plugin", "/p/libhowvec.so,inline=on"),
               ARGS("path -audiodev path /l/a.wav w @1", "path -plugin file /p/libhowvec.so rm @3"));
    check_scan(ARGS("-spice", "port=5900,x509-dir=/pki/spice", "-vnc", "unix:/run/vnc.sock"),
               ARGS("path -spice x509-dir /pki/spice r/tree @1", "path -vnc vnc /run/vnc.sock rw @3"));
    check_scan(ARGS("-trace", "events=/t/ev,file=/t/out", "-machine", "q35,dumpdtb=/t/d.dtb"),
               ARGS("path -trace events /t/ev r @1", "path -trace file /t/out w @1",
                    "path -machine dumpdtb /t/d.dtb w @3"));
}

static void
test_options_misc(void **state)
{
    (void)state;
    /* flags take no value; plain options nothing unless path-like */
    check_scan(ARGS("-nodefaults", "-S", "-smp", "4", "-m", "1G", "-name", "guest=x", "-no-hpet"), NONE);
    check_scan(ARGS("-global", "isa-fdc.driveA=/odd/path"),
               ARGS("unparsed -global isa-fdc.driveA /odd/path - @1"));
    /* "--option" is "-option" */
    check_scan(ARGS("--kernel", "/b/k"), ARGS("path -kernel - /b/k r @1"));
    /* unknown options keep their value, whatever it is */
    check_scan(ARGS("-frob", "/x", "-kernel", "/b/k"),
               ARGS("unparsed -frob - -frob /x - @1", "path -kernel - /b/k r @3"));
    check_scan(ARGS("-frob", "-S"), ARGS("unparsed -frob - -frob - @0"));
    check_scan(ARGS("-kernel=/b/k"), ARGS("unparsed -kernel=/b/k - -kernel=/b/k - @0"));
    /* an option without its value at the end */
    check_scan(ARGS("-S", "-drive"), ARGS("unparsed -drive - -drive - @1"));
    check_scan(ARGS("-kernel"), ARGS("unparsed -kernel - -kernel - @0"));
    check_scan(NONE, NONE);
}

static void
test_env(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_passthrough_free);
    const AavmPassthrough *item;

    aavm_qemu_env_scan("XAUTHORITY", "/h/.Xauthority", 0, out);
    aavm_qemu_env_scan("SSLKEYLOGFILE", "/l/keys", 1, out);
    aavm_qemu_env_scan("GNUTLS_SYSTEM_PRIORITY_FILE", "/p/prio", 2, out);
    aavm_qemu_env_scan("QEMU_AUDIO_DRV", "none", 3, out);
    aavm_qemu_env_scan("LD_LIBRARY_PATH", "lib:/opt/lib", 4, out);
    aavm_qemu_env_scan("XAUTHORITY", "relative", 5, out);
    aavm_qemu_env_scan("EMPTY", "", 6, out);
    aavm_qemu_env_scan("NOVALUE", NULL, 7, out);
    assert_int_equal(out->len, 5);
    const char *const expected[] = {
        "path XAUTHORITY - /h/.Xauthority r @0", "path SSLKEYLOGFILE - /l/keys w @1",
        "path GNUTLS_SYSTEM_PRIORITY_FILE - /p/prio r @2",
        "unparsed LD_LIBRARY_PATH - lib:/opt/lib - @4", "unparsed XAUTHORITY - relative - @5",
    };
    for (guint i = 0; i < out->len; i++) {
        item = g_ptr_array_index(out, i);
        g_autofree char *text = item_text(item);
        assert_string_equal(text, expected[i]);
        assert_true(item->from_env);
    }
}

static void
test_pci_address(void **state)
{
    (void)state;
    AavmPciAddress a;

    assert_true(aavm_qemu_pci_address_parse("0000:01:1f.7", &a));
    assert_true(a.set);
    assert_int_equal(a.domain, 0);
    assert_int_equal(a.bus, 1);
    assert_int_equal(a.slot, 0x1f);
    assert_int_equal(a.function, 7);
    assert_true(aavm_qemu_pci_address_parse("ab:02.3", &a));
    assert_int_equal(a.domain, 0);
    assert_int_equal(a.bus, 0xab);
    assert_true(aavm_qemu_pci_address_parse("ffff:ff:1f.7", &a));
    assert_int_equal(a.domain, 0xffff);
    assert_false(aavm_qemu_pci_address_parse("01:20.0", &a));
    assert_false(aavm_qemu_pci_address_parse("01:00.8", &a));
    assert_false(aavm_qemu_pci_address_parse("100:00.0", &a));
    assert_false(aavm_qemu_pci_address_parse("1:2:3:00.0", &a));
    assert_false(aavm_qemu_pci_address_parse("01:00", &a));
    assert_false(aavm_qemu_pci_address_parse("01:00.", &a));
    assert_false(aavm_qemu_pci_address_parse("0g:00.0", &a));
    assert_false(aavm_qemu_pci_address_parse("", &a));
}

static void
test_item_kinds(void **state)
{
    (void)state;
    g_autoptr(GPtrArray) items = scan(ARGS("-device", "vfio-pci,host=01:00.0", "-mem-path", "/m",
                                           "-object", "memory-backend-file,id=x,mem-path=/m2",
                                           "-drive", "file=/d"));

    assert_int_equal(items->len, 4);
    assert_true(aavm_qemu_item_is_vfio(g_ptr_array_index(items, 0)));
    assert_false(aavm_qemu_item_may_be_dir(g_ptr_array_index(items, 0)));
    assert_true(aavm_qemu_item_may_be_dir(g_ptr_array_index(items, 1)));
    assert_true(aavm_qemu_item_may_be_dir(g_ptr_array_index(items, 2)));
    assert_false(aavm_qemu_item_is_vfio(g_ptr_array_index(items, 3)));
    assert_false(aavm_qemu_item_may_be_dir(g_ptr_array_index(items, 3)));
}

int
main(void)
{
    aavm_test_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_split_refused),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_refused),
        cmocka_unit_test(test_drive),
        cmocka_unit_test(test_blockdev),
        cmocka_unit_test(test_block_options),
        cmocka_unit_test(test_chardev),
        cmocka_unit_test(test_netdev),
        cmocka_unit_test(test_device_object),
        cmocka_unit_test(test_options_misc),
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_pci_address),
        cmocka_unit_test(test_item_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
