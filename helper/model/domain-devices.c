/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-devices.c: freeing the device records of domain.h, and warnings. */
#include "domain.h"

#include <stdarg.h>

void
aavm_domain_warn(AavmDomain *domain, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    g_ptr_array_add(domain->warnings, g_strdup_vprintf(format, args));
    va_end(args);
}

void
aavm_graphics_free(AavmGraphics *graphics)
{
    if (!graphics)
        return;
    g_free(graphics->type);
    if (graphics->sockets)
        g_ptr_array_unref(graphics->sockets);
    g_free(graphics->xauth);
    g_free(graphics->rendernode);
    g_free(graphics);
}

void
aavm_hostdev_free(AavmHostdev *hostdev)
{
    if (!hostdev)
        return;
    char **strings[] = {
        &hostdev->mode, &hostdev->type, &hostdev->model, &hostdev->driver,
        &hostdev->usb_vendor, &hostdev->usb_product, &hostdev->usb_bus,
        &hostdev->usb_device, &hostdev->mdev_uuid, &hostdev->scsi_adapter,
        &hostdev->scsi_protocol, &hostdev->scsi_bus, &hostdev->scsi_target,
        &hostdev->scsi_unit, &hostdev->wwpn, &hostdev->caps_path, &hostdev->label,
    };
    for (guint i = 0; i < G_N_ELEMENTS(strings); i++)
        g_free(*strings[i]);
    g_free(hostdev);
}

void
aavm_filesystem_free(AavmFilesystem *fs)
{
    if (!fs)
        return;
    g_free(fs->type);
    g_free(fs->driver);
    g_free(fs->source);
    g_free(fs->socket);
    g_free(fs->target);
    g_free(fs);
}

void
aavm_memory_device_free(AavmMemoryDevice *mem)
{
    if (!mem)
        return;
    g_free(mem->model);
    g_free(mem->path);
    g_free(mem);
}

void
aavm_shmem_free(AavmShmem *shmem)
{
    if (!shmem)
        return;
    g_free(shmem->name);
    g_free(shmem->model);
    g_free(shmem->server_path);
    g_free(shmem);
}

void
aavm_tpm_free(AavmTpm *tpm)
{
    if (!tpm)
        return;
    g_free(tpm->model);
    g_free(tpm->backend);
    g_free(tpm->version);
    g_free(tpm->device_path);
    g_free(tpm->source_type);
    g_free(tpm->source_path);
    g_free(tpm->log_file);
    g_free(tpm);
}

void
aavm_input_free(AavmInput *input)
{
    if (!input)
        return;
    g_free(input->type);
    g_free(input->evdev);
    g_free(input);
}

void
aavm_interface_free(AavmInterface *iface)
{
    if (!iface)
        return;
    g_free(iface->type);
    g_free(iface->model);
    g_free(iface->driver_name);
    g_free(iface->socket);
    g_free(iface);
}

void
aavm_rng_free(AavmRng *rng)
{
    if (!rng)
        return;
    g_free(rng->backend_model);
    g_free(rng->device);
    g_free(rng);
}

void
aavm_smartcard_free(AavmSmartcard *card)
{
    if (!card)
        return;
    g_free(card->mode);
    g_free(card->database);
    g_free(card);
}

void
aavm_fwcfg_entry_free(AavmFwcfgEntry *entry)
{
    if (!entry)
        return;
    g_free(entry->name);
    g_free(entry->file);
    g_free(entry);
}

void
aavm_acpi_table_free(AavmAcpiTable *table)
{
    if (!table)
        return;
    g_free(table->type);
    g_free(table->path);
    g_free(table);
}

void
aavm_passthrough_free(AavmPassthrough *item)
{
    if (!item)
        return;
    g_free(item->option);
    g_free(item->key);
    g_free(item->value);
    g_free(item->note);
    g_free(item);
}

const char *
aavm_passthrough_kind_to_string(AavmPassthroughKind kind)
{
    static const char *const names[AAVM_PASSTHROUGH_KIND_LAST] = {
        [AAVM_PASSTHROUGH_PATH] = "path",
        [AAVM_PASSTHROUGH_NETWORK] = "network",
        [AAVM_PASSTHROUGH_UNPARSED] = "unparsed",
    };

    if ((int)kind < 0 || kind >= AAVM_PASSTHROUGH_KIND_LAST)
        return "unknown";
    return names[kind];
}
