/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

gboolean
aavm_parse_disk(AavmDomain *domain, xmlNode *node, GError **error)
{
    g_autoptr(AavmDisk) disk = aavm_disk_new();
    xmlNode *source = aavm_xml_child(node, "source");

    disk->type_name = aavm_xml_prop(node, "type");
    disk->type = disk->type_name ? aavm_disk_type_from_string(disk->type_name)
                                 : AAVM_DISK_FILE;
    disk->device = aavm_xml_prop(node, "device");
    if (!disk->device)
        disk->device = g_strdup("disk");
    disk->target = aavm_xml_prop(aavm_xml_child(node, "target"), "dev");
    disk->format = aavm_xml_prop(aavm_xml_child(node, "driver"), "type");
    disk->readonly = aavm_xml_child(node, "readonly") != NULL;
    disk->shareable = aavm_xml_child(node, "shareable") != NULL;
    switch (disk->type) {
    case AAVM_DISK_FILE: disk->source = aavm_xml_prop(source, "file"); break;
    case AAVM_DISK_BLOCK: disk->source = aavm_xml_prop(source, "dev"); break;
    case AAVM_DISK_DIR: disk->source = aavm_xml_prop(source, "dir"); break;
    default: break;
    }
    /* libvirt reads an empty source path as "no medium". */
    if (disk->source && !*disk->source)
        g_clear_pointer(&disk->source, g_free);
    g_ptr_array_add(domain->disks, g_steal_pointer(&disk));
    return TRUE;
}
