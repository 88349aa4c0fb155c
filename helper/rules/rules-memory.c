/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "rules-private.h"

#include <string.h>

#include "aare.h"
#include "aavm-error.h"
#include "aavm-i18n.h"

/* Most of the host mount table we read, and how many hugetlbfs mounts we use. */
#define MOUNTS_MAX (256 * 1024)
#define HUGETLBFS_MOUNTS_MAX 16

/* The name of @device from the XML becomes one path component: not empty,
 * no '/', not "." or "..", nothing an AppArmor rule cannot quote. */
static gboolean
check_component(const char *name, const char *device, GError **error)
{
    /* TRANSLATORS: fills the %s of "The %s is not valid UTF-8." and the
     * other messages about a string that cannot be quoted in a rule. */
    if (!aavm_aare_check_literal(name ? name : "", _("name"), error)) {
        g_prefix_error(error, _("Refusing %s: "), device);
        return FALSE;
    }
    if (!name || !*name || strchr(name, '/') || g_str_equal(name, ".") || g_str_equal(name, ".."))
        return aavm_fail(error, AAVM_ERROR_UNSAFE_PATH,
                         _("Refusing %s: its name '%s' must be one path component (not empty, no '/', not '.' or '..')."),
                         device, name ? name : "");
    return TRUE;
}

/* <memory model=> devices. */
static gboolean
add_memory_device(const AavmRulesCtx *ctx, const AavmMemoryDevice *mem, GError **error)
{
    g_autofree char *reason = g_strdup_printf("memory%u (%s)", mem->index,
                                              mem->model ? mem->model : "dimm");

    if (g_strcmp0(mem->model, "nvdimm") == 0 || g_strcmp0(mem->model, "virtio-pmem") == 0) {
        if (!mem->path) {
            aavm_rules_warn(ctx, _("The memory device %s has no source path; nothing is granted for it."),
                            reason);
            return TRUE;
        }
        /* rw even for <readonly/>: the backend file is opened read-write
         * unless QEMU supports read-only memory backends. */
        return aavm_rules_path(ctx, mem->path, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error);
    }
    if (g_strcmp0(mem->model, "sgx-epc") == 0)
        return aavm_rules_path(ctx, "/dev/sgx_vepc", AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error) &&
               aavm_rules_path(ctx, "/dev/sgx_provision", AAVM_MATCH_EXACT, AAVM_PERM_READ, reason,
                               error);
    if (mem->model && g_strcmp0(mem->model, "dimm") != 0 && g_strcmp0(mem->model, "virtio-mem") != 0)
        aavm_rules_warn(ctx, _("The memory device %s is not supported; nothing is granted for it."),
                        reason);
    return TRUE;
}

/* The mount points of the host's hugetlbfs file systems, from its mount
 * table (octal escapes as in /proc/mounts undone), without duplicates. */
static GPtrArray *
hugetlbfs_mounts(const AavmHost *host)
{
    g_autofree char *table = aavm_host_read_text(host, "/proc/mounts", MOUNTS_MAX);
    g_auto(GStrv) lines = table ? g_strsplit(table, "\n", -1) : NULL;
    GPtrArray *mounts = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; lines && lines[i] && mounts->len < HUGETLBFS_MOUNTS_MAX; i++) {
        g_auto(GStrv) fields = g_strsplit(lines[i], " ", 4);
        g_autofree char *dir = NULL;

        if (g_strv_length(fields) < 3 || !g_str_equal(fields[2], "hugetlbfs"))
            continue;
        dir = g_strcompress(fields[1]);
        if (*dir == '/' && !g_ptr_array_find_with_equal_func(mounts, dir, g_str_equal, NULL))
            g_ptr_array_add(mounts, g_steal_pointer(&dir));
    }
    return mounts;
}

/* One per-domain directory "<dir>" and everything in it; a host mount
 * point the path policy refuses is skipped with a warning. */
static gboolean
add_backing_dir(const AavmRulesCtx *ctx, const char *dir, const char *reason, GError **error)
{
    g_autoptr(GError) local = NULL;

    if (aavm_rules_tree(ctx, dir, AAVM_PERM_RW, AAVM_PERM_RWK, reason, &local))
        return TRUE;
    if (!g_error_matches(local, AAVM_ERROR, AAVM_ERROR_UNSAFE_PATH)) {
        g_propagate_error(error, g_steal_pointer(&local));
        return FALSE;
    }
    aavm_rules_warn(ctx, _("The %s directory is not granted. %s"), reason, local->message);
    return TRUE;
}

/* Guest RAM in files: hugetlbfs "<mount>/libvirt/qemu/<short>" for
 * <hugepages> (every hugetlbfs mount: page sizes may differ per NUMA node),
 * "<lib>/qemu/ram/<short>" for <source type='file'/>.  memfd and anonymous
 * memory have no path. */
static gboolean
add_memory_backing(const AavmRulesCtx *ctx, GError **error)
{
    const AavmDomain *domain = ctx->domain;
    gboolean memfd = g_strcmp0(domain->memory_source_type, "memfd") == 0;
    gboolean file = g_strcmp0(domain->memory_source_type, "file") == 0;
    g_autofree char *short_name = NULL;

    if (memfd || !aavm_domain_is_qemu(domain) || (!domain->hugepages && !file))
        return TRUE;
    short_name = aavm_rules_short_name(domain);
    if (!domain->hugepages) {
        g_autofree char *dir = g_strdup_printf("%s/qemu/ram/%s", ctx->config->libvirt_lib_dir,
                                               short_name);
        return add_backing_dir(ctx, dir, "memory backing (file)", error);
    }

    g_autoptr(GPtrArray) mounts = hugetlbfs_mounts(ctx->host);
    if (mounts->len == 0)
        aavm_rules_warn(ctx, _("The domain asks for huge pages but the host has no hugetlbfs mount; nothing is granted for them."));
    for (guint i = 0; i < mounts->len; i++) {
        const char *mount = g_ptr_array_index(mounts, i);
        g_autofree char *dir = g_strdup_printf("%s/libvirt/qemu/%s",
                                               g_str_equal(mount, "/") ? "" : mount, short_name);

        if (!add_backing_dir(ctx, dir, "memory backing (hugepages)", error))
            return FALSE;
    }
    return TRUE;
}

/* <shmem>: an explicit server socket on any model; otherwise by model:
 * ivshmem-plain maps "/dev/shm/<name>", ivshmem-doorbell connects to
 * "<lib>/shmem-<name>-sock"; the legacy ivshmem (also a missing model, as
 * the reference reads it) gets the socket and, without a server, the
 * shared memory object QEMU opens itself. */
static gboolean
add_shmem(const AavmRulesCtx *ctx, const AavmShmem *shmem, GError **error)
{
    g_autofree char *reason = g_strdup_printf("shmem%u (%s)", shmem->index,
                                              shmem->model ? shmem->model : "ivshmem");
    gboolean legacy = !shmem->model || g_strcmp0(shmem->model, "ivshmem") == 0;
    gboolean plain = g_strcmp0(shmem->model, "ivshmem-plain") == 0;
    gboolean doorbell = g_strcmp0(shmem->model, "ivshmem-doorbell") == 0;
    g_autofree char *shm = NULL;
    g_autofree char *sock = NULL;

    if (shmem->server && shmem->server_path)
        return aavm_rules_path(ctx, shmem->server_path, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason,
                               error);
    if (!legacy && !plain && !doorbell) {
        aavm_rules_warn(ctx, _("The shared memory device %s is not supported; nothing is granted for it."),
                        reason);
        return TRUE;
    }
    if (!check_component(shmem->name, reason, error))
        return FALSE;
    shm = g_strdup_printf("/dev/shm/%s", shmem->name);
    sock = g_strdup_printf("%s/shmem-%s-sock", ctx->config->libvirt_lib_dir, shmem->name);
    if ((plain || (legacy && !shmem->server)) &&
        !aavm_rules_path(ctx, shm, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error))
        return FALSE;
    if ((doorbell || legacy) &&
        !aavm_rules_path(ctx, sock, AAVM_MATCH_EXACT, AAVM_PERM_RW, reason, error))
        return FALSE;
    return TRUE;
}

gboolean
aavm_rules_add_memory(const AavmRulesCtx *ctx, GError **error)
{
    for (guint i = 0; i < ctx->domain->memory->len; i++)
        if (!add_memory_device(ctx, g_ptr_array_index(ctx->domain->memory, i), error))
            return FALSE;
    for (guint i = 0; i < ctx->domain->shmems->len; i++)
        if (!add_shmem(ctx, g_ptr_array_index(ctx->domain->shmems, i), error))
            return FALSE;
    return add_memory_backing(ctx, error);
}
