/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* <memoryBacking>: <hugepages> and <source type=>. */
gboolean
aavm_parse_memory_backing(AavmDomain *domain, xmlNode *node, GError **error)
{
    domain->hugepages = aavm_xml_child(node, "hugepages") != NULL;
    domain->memory_source_type = aavm_xml_prop(aavm_xml_child(node, "source"), "type");
    return TRUE;
}

/* <memory model=> devices: nvdimm and virtio-pmem have a backing file. */
gboolean
aavm_parse_memory_device(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmMemoryDevice *mem = g_new0(AavmMemoryDevice, 1);
    xmlNode *target = aavm_xml_child(node, "target");

    mem->index = domain->memory->len;
    mem->model = aavm_xml_prop(node, "model");
    mem->path = aavm_xml_text(aavm_xml_child(aavm_xml_child(node, "source"), "path"));
    mem->readonly = aavm_xml_child(target, "readonly") != NULL;
    g_ptr_array_add(domain->memory, mem);
    return TRUE;
}

/* <shmem name=>: <model type=>, <server [path=]>. */
gboolean
aavm_parse_shmem(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmShmem *shmem = g_new0(AavmShmem, 1);
    xmlNode *server = aavm_xml_child(node, "server");

    shmem->index = domain->shmems->len;
    shmem->name = aavm_xml_prop(node, "name");
    shmem->model = aavm_xml_prop(aavm_xml_child(node, "model"), "type");
    shmem->server = server != NULL;
    shmem->server_path = aavm_xml_prop(server, "path");
    g_ptr_array_add(domain->shmems, shmem);
    return TRUE;
}
