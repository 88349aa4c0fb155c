/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-domain.c: UUIDs, profile names, drivers and the type names of the
 * domain model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "aavm-error.h"
#include "domain.h"

#define UUID "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b"

/* ---- aavm_uuid_normalize ------------------------------------------------ */

typedef struct {
    const char *text;
    const char *uuid; /* NULL: refused */
} UuidCase;

static void
uuid_normalize_one(const UuidCase *c)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    gboolean ok = aavm_uuid_normalize(c->text, &out, &error);

    if (c->uuid) {
        if (!ok)
            fail_msg("'%s' refused: %s", c->text, error ? error->message : "(no error)");
        assert_null(error);
        assert_non_null(out);
        assert_string_equal(out, c->uuid);
    } else {
        if (ok)
            fail_msg("'%s' accepted as '%s'", c->text ? c->text : "(null)", out);
        assert_null(out);
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_UUID));
    }
}

static void
test_domain_uuid_normalize_valid(void **state)
{
    static const UuidCase cases[] = {
        /* Canonical: unchanged. */
        { UUID, UUID },
        { "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000" },
        { "ffffffff-ffff-ffff-ffff-ffffffffffff", "ffffffff-ffff-ffff-ffff-ffffffffffff" },
        /* Upper and mixed case: lowered. */
        { "6C8E2B4C-1C3D-4E5F-8A9B-0C1D2E3F4A5B", UUID },
        { "6c8E2b4C-1c3D-4E5f-8a9B-0C1d2E3f4A5b", UUID },
        /* No dashes, or dashes elsewhere (libvirt accepts them). */
        { "6c8e2b4c1c3d4e5f8a9b0c1d2e3f4a5b", UUID },
        { "6C8E2B4C1C3D4E5F8A9B0C1D2E3F4A5B", UUID },
        { "6c8e-2b4c-1c3d-4e5f-8a9b-0c1d-2e3f-4a5b", UUID },
        { "6c8e2b4c1c3d-4e5f8a9b0c1d-2e3f4a5b", UUID },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        uuid_normalize_one(&cases[i]);
}

static void
test_domain_uuid_normalize_invalid(void **state)
{
    static const UuidCase cases[] = {
        /* Too short: 31 digits, with and without dashes. */
        { "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5", NULL },
        { "6c8e2b4c1c3d4e5f8a9b0c1d2e3f4a5", NULL },
        { "6c8e2b4c", NULL },
        /* Too long: 33 digits. */
        { "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b0", NULL },
        { "6c8e2b4c1c3d4e5f8a9b0c1d2e3f4a5b0", NULL },
        { UUID UUID, NULL },
        /* Not hexadecimal. */
        { "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5g", NULL },
        { "gc8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b", NULL },
        { "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5 ", NULL },
        { " 6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b", NULL },
        { "6c8e2b4c_1c3d_4e5f_8a9b_0c1d2e3f4a5b", NULL },
        { "{6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b}", NULL },
        { "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b\n", NULL },
        { "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a\xc3\xa9", NULL },
        { "../../../../etc/passwd", NULL },
        /* Empty. */
        { "", NULL },
        { "------------------------------------", NULL },
        { NULL, NULL },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        uuid_normalize_one(&cases[i]);
}

static void
test_domain_uuid_normalize_message(void **state)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    (void)state;
    assert_false(aavm_uuid_normalize("not-a-uuid", &out, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_UUID));
    assert_non_null(strstr(error->message, "'not-a-uuid'"));
}

/* ---- aavm_profile_name_check ------------------------------------------- */

typedef struct {
    const char *name;
    gboolean valid;
} ProfileCase;

static void
profile_name_check_one(const ProfileCase *c)
{
    g_autoptr(GError) error = NULL;
    gboolean ok = aavm_profile_name_check(c->name, &error);

    if (c->valid) {
        if (!ok)
            fail_msg("'%s' refused: %s", c->name, error ? error->message : "(no error)");
        assert_null(error);
    } else {
        if (ok)
            fail_msg("'%s' accepted", c->name ? c->name : "(null)");
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_UUID));
    }
}

static void
test_domain_profile_name_valid(void **state)
{
    static const ProfileCase cases[] = {
        { "libvirt-" UUID, TRUE },
        { "libvirt-00000000-0000-0000-0000-000000000000", TRUE },
        { "libvirt-abcdef01-2345-6789-abcd-ef0123456789", TRUE },
    };

    (void)state;
    assert_int_equal(strlen("libvirt-" UUID), 44);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        profile_name_check_one(&cases[i]);
}

static void
test_domain_profile_name_length(void **state)
{
    static const ProfileCase cases[] = {
        /* 43 characters. */
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5", FALSE },
        { "libvirt6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b", FALSE },
        /* 45 characters. */
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b0", FALSE },
        { "libvirt-" UUID "\n", FALSE },
        { "libvirt-" UUID "/", FALSE },
        { "libvirt--" UUID, FALSE },
        /* Far off. */
        { "libvirt-", FALSE },
        { "libvirt-" UUID UUID, FALSE },
        { "", FALSE },
        { NULL, FALSE },
    };

    (void)state;
    assert_int_equal(strlen(cases[0].name), 43);
    assert_int_equal(strlen(cases[1].name), 43);
    assert_int_equal(strlen(cases[2].name), 45);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        profile_name_check_one(&cases[i]);
}

static void
test_domain_profile_name_prefix(void **state)
{
    static const ProfileCase cases[] = {
        { "libvirx-" UUID, FALSE },
        { "Libvirt-" UUID, FALSE },
        { "LIBVIRT-" UUID, FALSE },
        { "libvirt_" UUID, FALSE },
        { "xlibvirt" UUID, FALSE },
        { "qemuxxx-" UUID, FALSE },
        { "../../.-" UUID, FALSE },
        { "/ibvirt-" UUID, FALSE },
        { "        " UUID, FALSE },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(strlen(cases[i].name), 44);
        profile_name_check_one(&cases[i]);
    }
}

static void
test_domain_profile_name_dashes(void **state)
{
    static const ProfileCase cases[] = {
        /* Right length, dashes in the wrong places. */
        { "libvirt-6c8e2b4-c1c3d-4e5f-8a9b-0c1d2e3f4a5b", FALSE },
        { "libvirt-6c8e2b4c1-c3d-4e5f-8a9b-0c1d2e3f4a5b", FALSE },
        { "libvirt-6c8e2b4c-1c3d4-e5f-8a9b-0c1d2e3f4a5b", FALSE },
        { "libvirt-6c8e2b4c-1c3d-4e5f8-a9b-0c1d2e3f4a5b", FALSE },
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b0-c1d2e3f4a5b", FALSE },
        { "libvirt--c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b", FALSE },
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5-", FALSE },
        /* A digit where a dash goes. */
        { "libvirt-6c8e2b4c01c3d-4e5f-8a9b-0c1d2e3f4a5b", FALSE },
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b00c1d2e3f4a5b", FALSE },
        /* Not hexadecimal. */
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5z", FALSE },
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a/b", FALSE },
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a.b", FALSE },
        { "libvirt-6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a b", FALSE },
        { "libvirt-------------------------------------", FALSE },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        assert_int_equal(strlen(cases[i].name), 44);
        profile_name_check_one(&cases[i]);
    }
}

static void
test_domain_profile_name_message(void **state)
{
    g_autoptr(GError) error = NULL;

    (void)state;
    assert_false(aavm_profile_name_check("libvirt-nope", &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_BAD_UUID));
    assert_non_null(strstr(error->message, "'libvirt-nope'"));
}

/* ---- drivers ------------------------------------------------------------ */

typedef struct {
    const char *virt_type;
    const char *driver;
    gboolean is_qemu;
    gboolean uses_files;
} DriverCase;

static void
test_domain_driver(void **state)
{
    static const DriverCase cases[] = {
        { "qemu", "qemu", TRUE, TRUE },
        { "kvm", "qemu", TRUE, TRUE },
        { "kqemu", "qemu", TRUE, TRUE },
        { "lxc", "lxc", FALSE, FALSE },
        { "xen", "xen", FALSE, TRUE },
        { "test", "test", FALSE, TRUE },
        /* Case matters: libvirt's type names are lower case. */
        { "KVM", "KVM", FALSE, TRUE },
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(AavmDomain) domain = aavm_domain_new();

        domain->virt_type = g_strdup(cases[i].virt_type);
        if (g_strcmp0(aavm_domain_driver(domain), cases[i].driver) != 0)
            fail_msg("driver(%s) = '%s', expected '%s'", cases[i].virt_type,
                     aavm_domain_driver(domain), cases[i].driver);
        if (aavm_domain_is_qemu(domain) != cases[i].is_qemu)
            fail_msg("is_qemu(%s) = %d", cases[i].virt_type, aavm_domain_is_qemu(domain));
        if (aavm_domain_uses_files(domain) != cases[i].uses_files)
            fail_msg("uses_files(%s) = %d", cases[i].virt_type,
                     aavm_domain_uses_files(domain));
    }
}

/* ---- type names --------------------------------------------------------- */

static void
test_domain_disk_type_names(void **state)
{
    static const struct {
        AavmDiskType type;
        const char *name;
    } names[] = {
        { AAVM_DISK_FILE, "file" },
        { AAVM_DISK_BLOCK, "block" },
        { AAVM_DISK_DIR, "dir" },
        { AAVM_DISK_NETWORK, "network" },
        { AAVM_DISK_VOLUME, "volume" },
        { AAVM_DISK_NVME, "nvme" },
        { AAVM_DISK_VHOSTUSER, "vhostuser" },
        { AAVM_DISK_VHOSTVDPA, "vhostvdpa" },
        { AAVM_DISK_OTHER, "other" },
    };

    (void)state;
    assert_int_equal(G_N_ELEMENTS(names), AAVM_DISK_TYPE_LAST);
    for (guint i = 0; i < G_N_ELEMENTS(names); i++)
        assert_string_equal(aavm_disk_type_to_string(names[i].type), names[i].name);
    assert_string_equal(aavm_disk_type_to_string(AAVM_DISK_TYPE_LAST), "unknown");
}

static void
test_domain_disk_type_round_trip(void **state)
{
    (void)state;
    for (int t = 0; t < AAVM_DISK_TYPE_LAST; t++) {
        const char *name = aavm_disk_type_to_string((AavmDiskType)t);

        assert_non_null(name);
        assert_int_equal(aavm_disk_type_from_string(name), t);
    }
}

static void
test_domain_disk_type_unknown(void **state)
{
    static const char *const unknown[] = {
        "", "FILE", "File", "files", "fil", "file ", "unknown", "vhost-user", NULL,
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(unknown); i++)
        assert_int_equal(aavm_disk_type_from_string(unknown[i]), AAVM_DISK_OTHER);
}

static void
test_domain_chardev_kind_names(void **state)
{
    (void)state;
    assert_string_equal(aavm_chardev_kind_to_string(AAVM_CHARDEV_SERIAL), "serial");
    assert_string_equal(aavm_chardev_kind_to_string(AAVM_CHARDEV_PARALLEL), "parallel");
    assert_string_equal(aavm_chardev_kind_to_string(AAVM_CHARDEV_CONSOLE), "console");
    assert_string_equal(aavm_chardev_kind_to_string(AAVM_CHARDEV_CHANNEL), "channel");
    assert_string_equal(aavm_chardev_kind_to_string(AAVM_CHARDEV_KIND_LAST), "chardev");
}

/* ---- constructors ------------------------------------------------------- */

static void
test_domain_new_defaults(void **state)
{
    g_autoptr(AavmDomain) domain = aavm_domain_new();
    g_autoptr(AavmDisk) disk = aavm_disk_new();
    g_autoptr(AavmChardev) chardev = aavm_chardev_new(AAVM_CHARDEV_CHANNEL, 3);

    (void)state;
    assert_int_equal(domain->id, -1);
    assert_null(domain->name);
    assert_null(domain->uuid);
    assert_null(domain->loader);
    assert_null(domain->nvram);
    assert_int_equal(domain->loader_readonly, AAVM_TRISTATE_ABSENT);
    assert_non_null(domain->disks);
    assert_int_equal(domain->disks->len, 0);
    assert_non_null(domain->chardevs);
    assert_int_equal(domain->chardevs->len, 0);

    assert_null(disk->top);
    assert_false(disk->readonly);
    assert_false(disk->shareable);

    assert_int_equal(chardev->kind, AAVM_CHARDEV_CHANNEL);
    assert_int_equal(chardev->index, 3);
    assert_null(chardev->path);

    /* The arrays own what is added to them (freed with the domain). */
    g_ptr_array_add(domain->disks, g_steal_pointer(&disk));
    g_ptr_array_add(domain->chardevs, g_steal_pointer(&chardev));
    assert_int_equal(domain->disks->len, 1);
    assert_int_equal(domain->chardevs->len, 1);
}

/* Numbers are read like libvirt's base-0 strtoul, strictly and bounded. */
static void
test_parse_number(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        guint64 max;
        gboolean ok;
        guint64 value;
    } cases[] = {
        { "0x1f", 0xff, TRUE, 31 },     { "0X1F", 0xff, TRUE, 31 },
        { "31", 0xff, TRUE, 31 },       { "017", 0xff, TRUE, 15 },
        { "0", 0xff, TRUE, 0 },         { "0x0000", 0xffff, TRUE, 0 },
        { "0xff", 0xff, TRUE, 255 },    { "0x100", 0xff, FALSE, 0 },
        { "256", 0xff, FALSE, 0 },      { "8", 7, FALSE, 0 },
        { "08", 0xff, FALSE, 0 },       { "0x", 0xff, FALSE, 0 },
        { "", 0xff, FALSE, 0 },         { "-1", 0xff, FALSE, 0 },
        { "+1", 0xff, FALSE, 0 },       { " 1", 0xff, FALSE, 0 },
        { "1 ", 0xff, FALSE, 0 },       { "1a", 0xff, FALSE, 0 },
        { "0x1g", 0xff, FALSE, 0 },     { "0x0/../..", 0xff, FALSE, 0 },
        { "18446744073709551615", G_MAXUINT64, TRUE, G_MAXUINT64 },
        { "18446744073709551616", G_MAXUINT64, FALSE, 0 },
        { "4294967296", G_MAXUINT, FALSE, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        guint64 value = 12345;
        gboolean ok = aavm_parse_number(cases[i].text, cases[i].max, &value);
        if (ok != cases[i].ok)
            fail_msg("'%s' (max %" G_GUINT64_FORMAT "): expected %s", cases[i].text,
                     cases[i].max, cases[i].ok ? "a number" : "a refusal");
        if (ok)
            assert_true(value == cases[i].value);
    }
    assert_false(aavm_parse_number(NULL, 10, NULL));
}

static void
test_pci_address_format(void **state)
{
    (void)state;
    const AavmPciAddress a = { TRUE, 0x21, 0xde, 0x1f, 1 };
    const AavmPciAddress b = { TRUE, 0, 6, 0x12, 5 };
    g_autofree char *text_a = aavm_pci_address_format(&a);
    g_autofree char *text_b = aavm_pci_address_format(&b);

    assert_string_equal(text_a, "0021:de:1f.1");
    assert_string_equal(text_b, "0000:06:12.5");
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domain_uuid_normalize_valid),
        cmocka_unit_test(test_domain_uuid_normalize_invalid),
        cmocka_unit_test(test_domain_uuid_normalize_message),
        cmocka_unit_test(test_domain_profile_name_valid),
        cmocka_unit_test(test_domain_profile_name_length),
        cmocka_unit_test(test_domain_profile_name_prefix),
        cmocka_unit_test(test_domain_profile_name_dashes),
        cmocka_unit_test(test_domain_profile_name_message),
        cmocka_unit_test(test_domain_driver),
        cmocka_unit_test(test_domain_disk_type_names),
        cmocka_unit_test(test_domain_disk_type_round_trip),
        cmocka_unit_test(test_domain_disk_type_unknown),
        cmocka_unit_test(test_domain_chardev_kind_names),
        cmocka_unit_test(test_domain_new_defaults),
        cmocka_unit_test(test_parse_number),
        cmocka_unit_test(test_pci_address_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
