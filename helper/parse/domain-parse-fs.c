/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse-fs.c: <filesystem>. */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* The <source> attribute that holds the host side of each type. */
static const struct {
    const char *type;
    const char *attribute;
} source_attributes[] = {
    { "mount", "dir" }, { "bind", "dir" }, { "file", "file" }, { "block", "dev" },
};

static char *
source_of(const char *type, xmlNode *source)
{
    for (guint i = 0; i < G_N_ELEMENTS(source_attributes); i++) {
        if (g_strcmp0(type, source_attributes[i].type) == 0)
            return aavm_xml_path_prop(source, source_attributes[i].attribute);
    }
    return NULL;
}

/* A storage pool volume has no host path in the XML. */
static void
warn_volume(AavmDomain *domain, const AavmFilesystem *fs, xmlNode *source)
{
    g_autofree char *pool = aavm_xml_prop(source, "pool");
    g_autofree char *volume = aavm_xml_prop(source, "volume");

    aavm_domain_warn(domain,
                     _("filesystem%u (%s) is a storage pool volume (%s/%s) whose host path is "
                       "not in the XML; nothing is granted for it."),
                     fs->index, fs->target ? fs->target : _("no target"), pool ? pool : "",
                     volume ? volume : "");
}

gboolean
aavm_parse_filesystem(AavmDomain *domain, xmlNode *node, GError **error)
{
    g_autoptr(AavmFilesystem) fs = g_new0(AavmFilesystem, 1);
    xmlNode *source = aavm_xml_child(node, "source");

    (void)error;
    fs->index = domain->filesystems->len;
    fs->type = aavm_xml_prop(node, "type");
    if (!fs->type)
        fs->type = g_strdup("mount");
    fs->driver = aavm_xml_prop(aavm_xml_child(node, "driver"), "type");
    fs->source = source_of(fs->type, source);
    fs->socket = aavm_xml_path_prop(source, "socket");
    fs->target = aavm_xml_prop(aavm_xml_child(node, "target"), "dir");
    fs->readonly = aavm_xml_child(node, "readonly") != NULL;
    if (g_strcmp0(fs->type, "volume") == 0)
        warn_volume(domain, fs, source);
    g_ptr_array_add(domain->filesystems, g_steal_pointer(&fs));
    return TRUE;
}
