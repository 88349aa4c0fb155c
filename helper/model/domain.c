/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

#define PROFILE_PREFIX "libvirt-"
#define UUID_TEXT_LEN 36

static const char *const disk_type_names[AAVM_DISK_TYPE_LAST] = {
    [AAVM_DISK_FILE] = "file",       [AAVM_DISK_BLOCK] = "block",
    [AAVM_DISK_DIR] = "dir",         [AAVM_DISK_NETWORK] = "network",
    [AAVM_DISK_VOLUME] = "volume",   [AAVM_DISK_NVME] = "nvme",
    [AAVM_DISK_VHOSTUSER] = "vhostuser", [AAVM_DISK_VHOSTVDPA] = "vhostvdpa",
    [AAVM_DISK_OTHER] = "other",
};

const char *
aavm_disk_type_to_string(AavmDiskType type)
{
    if ((int)type < 0 || type >= AAVM_DISK_TYPE_LAST)
        return "unknown";
    return disk_type_names[type];
}

AavmDiskType
aavm_disk_type_from_string(const char *str)
{
    for (int i = 0; i < AAVM_DISK_OTHER; i++)
        if (g_strcmp0(str, disk_type_names[i]) == 0)
            return (AavmDiskType)i;
    return AAVM_DISK_OTHER;
}

gboolean
aavm_in_list(const char *value, const char *const *list)
{
    for (guint i = 0; list[i]; i++)
        if (g_strcmp0(value, list[i]) == 0)
            return TRUE;
    return FALSE;
}

gboolean
aavm_parse_number(const char *text, guint64 max, guint64 *out)
{
    guint base = 10;
    const char *digits = text;
    guint64 value = 0;

    if (!text || !*text)
        return FALSE;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        digits = text + 2;
    } else if (text[0] == '0' && text[1]) {
        base = 8;
        digits = text + 1;
    }
    if (!*digits)
        return FALSE;
    for (const char *c = digits; *c; c++) {
        int d = g_ascii_xdigit_value(*c);
        if (d < 0 || (guint)d >= base || (guint64)d > max || value > (max - (guint64)d) / base)
            return FALSE;
        value = value * base + (guint64)d;
    }
    *out = value;
    return TRUE;
}

char *
aavm_pci_address_format(const AavmPciAddress *addr)
{
    return g_strdup_printf("%04x:%02x:%02x.%x", addr->domain, addr->bus, addr->slot,
                           addr->function);
}

const char *
aavm_chardev_kind_to_string(AavmChardevKind kind)
{
    switch (kind) {
    case AAVM_CHARDEV_SERIAL: return "serial";
    case AAVM_CHARDEV_PARALLEL: return "parallel";
    case AAVM_CHARDEV_CONSOLE: return "console";
    case AAVM_CHARDEV_CHANNEL: return "channel";
    case AAVM_CHARDEV_REDIRDEV: return "redirdev";
    case AAVM_CHARDEV_SMARTCARD: return "smartcard";
    case AAVM_CHARDEV_RNG: return "rng";
    default: return "chardev";
    }
}

gboolean
aavm_domain_is_qemu(const AavmDomain *domain)
{
    return g_strcmp0(domain->virt_type, "qemu") == 0 ||
           g_strcmp0(domain->virt_type, "kqemu") == 0 ||
           g_strcmp0(domain->virt_type, "kvm") == 0;
}

gboolean
aavm_domain_uses_files(const AavmDomain *domain)
{
    return g_strcmp0(domain->virt_type, "lxc") != 0;
}

const char *
aavm_domain_driver(const AavmDomain *domain)
{
    return aavm_domain_is_qemu(domain) ? "qemu" : domain->virt_type;
}

AavmDomain *
aavm_domain_new(void)
{
    AavmDomain *domain = g_new0(AavmDomain, 1);

    domain->id = -1;
    domain->disks = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_disk_free);
    domain->chardevs = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_chardev_free);
#define LIST(free_func) g_ptr_array_new_with_free_func((GDestroyNotify)(free_func))
    domain->acpi_tables = LIST(aavm_acpi_table_free);
    domain->fwcfg = LIST(aavm_fwcfg_entry_free);
    domain->graphics = LIST(aavm_graphics_free);
    domain->hostdevs = LIST(aavm_hostdev_free);
    domain->filesystems = LIST(aavm_filesystem_free);
    domain->memory = LIST(aavm_memory_device_free);
    domain->shmems = LIST(aavm_shmem_free);
    domain->tpms = LIST(aavm_tpm_free);
    domain->inputs = LIST(aavm_input_free);
    domain->interfaces = LIST(aavm_interface_free);
    domain->rngs = LIST(aavm_rng_free);
    domain->smartcards = LIST(aavm_smartcard_free);
    domain->passthrough = LIST(aavm_passthrough_free);
    domain->warnings = LIST(g_free);
#undef LIST
    return domain;
}

void
aavm_domain_free(AavmDomain *domain)
{
    if (!domain)
        return;
    g_free(domain->name);
    g_free(domain->uuid);
    g_free(domain->virt_type);
    g_free(domain->os_type);
    g_free(domain->arch);
    g_free(domain->kernel);
    g_free(domain->initrd);
    g_free(domain->dtb);
    g_free(domain->loader);
    g_free(domain->loader_type);
    g_free(domain->nvram);
    g_free(domain->nvram_template);
    g_free(domain->shim);
    g_free(domain->varstore);
    g_free(domain->pstore);
    g_free(domain->memory_source_type);
    g_free(domain->launch_security);
    GPtrArray *lists[] = {
        domain->disks, domain->chardevs, domain->acpi_tables, domain->fwcfg,
        domain->graphics, domain->hostdevs, domain->filesystems, domain->memory,
        domain->shmems, domain->tpms, domain->inputs, domain->interfaces,
        domain->rngs, domain->smartcards, domain->passthrough, domain->warnings,
    };
    for (guint i = 0; i < G_N_ELEMENTS(lists); i++)
        g_ptr_array_unref(lists[i]);
    g_free(domain);
}

AavmDisk *
aavm_disk_new(void)
{
    AavmDisk *disk = g_new0(AavmDisk, 1);

    disk->backing = g_ptr_array_new_with_free_func((GDestroyNotify)aavm_disk_source_free);
    return disk;
}

void
aavm_disk_free(AavmDisk *disk)
{
    if (!disk)
        return;
    g_free(disk->device);
    g_free(disk->target);
    aavm_disk_source_free(disk->top);
    if (disk->backing)
        g_ptr_array_unref(disk->backing);
    g_free(disk);
}

AavmDiskSource *
aavm_disk_source_new(void)
{
    AavmDiskSource *source = g_new0(AavmDiskSource, 1);

    source->companions = g_ptr_array_new_with_free_func(g_free);
    source->rw_companions = g_ptr_array_new_with_free_func(g_free);
    source->image_files = g_ptr_array_new_with_free_func(g_free);
    source->hosts = g_ptr_array_new_with_free_func(g_free);
    return source;
}

void
aavm_disk_source_free(AavmDiskSource *source)
{
    if (!source)
        return;
    g_free(source->type_name);
    g_free(source->path);
    g_free(source->format);
    g_free(source->data_store);
    g_free(source->protocol);
    g_free(source->socket);
    g_free(source->config_file);
    g_free(source->source_name);
    g_ptr_array_unref(source->hosts);
    g_free(source->auth_username);
    g_ptr_array_unref(source->companions);
    g_ptr_array_unref(source->rw_companions);
    g_ptr_array_unref(source->image_files);
    g_free(source->named_by);
    g_free(source);
}

AavmChardev *
aavm_chardev_new(AavmChardevKind kind, guint index)
{
    AavmChardev *chardev = g_new0(AavmChardev, 1);

    chardev->kind = kind;
    chardev->index = index;
    return chardev;
}

void
aavm_chardev_free(AavmChardev *chardev)
{
    if (!chardev)
        return;
    g_free(chardev->type);
    g_free(chardev->path);
    g_free(chardev->target_name);
    g_free(chardev->log_file);
    g_free(chardev);
}

gboolean
aavm_uuid_normalize(const char *text, char **out_uuid, GError **error)
{
    char digits[33];
    guint n = 0;

    for (const char *c = text ? text : ""; *c; c++) {
        if (*c == '-')
            continue;
        if (!g_ascii_isxdigit(*c) || n == 32)
            return aavm_fail(error, AAVM_ERROR_BAD_UUID, _("'%s' is not a valid UUID."),
                             text ? text : "");
        digits[n++] = g_ascii_tolower(*c);
    }
    if (n != 32)
        return aavm_fail(error, AAVM_ERROR_BAD_UUID, _("'%s' is not a valid UUID."),
                         text ? text : "");
    digits[n] = '\0';
    *out_uuid = g_strdup_printf("%.8s-%.4s-%.4s-%.4s-%.12s", digits, digits + 8,
                                digits + 12, digits + 16, digits + 20);
    return TRUE;
}

static gboolean
profile_name_valid(const char *profile_name)
{
    if (!profile_name || strlen(profile_name) != strlen(PROFILE_PREFIX) + UUID_TEXT_LEN ||
        !g_str_has_prefix(profile_name, PROFILE_PREFIX))
        return FALSE;
    const char *uuid = profile_name + strlen(PROFILE_PREFIX);
    for (guint i = 0; i < UUID_TEXT_LEN; i++) {
        gboolean dash = (i == 8 || i == 13 || i == 18 || i == 23);
        if (dash ? uuid[i] != '-' : !g_ascii_isxdigit(uuid[i]))
            return FALSE;
    }
    return TRUE;
}

gboolean
aavm_profile_name_check(const char *profile_name, GError **error)
{
    if (profile_name_valid(profile_name))
        return TRUE;
    return aavm_fail(error, AAVM_ERROR_BAD_UUID,
                     _("'%s' is not a valid profile name: expected 'libvirt-' followed by a UUID."),
                     profile_name ? profile_name : "");
}
