/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse-disk.c: <disk>: the disk's own source (disk->top) and the
 * backing chain the XML gives (<backingStore>, disk->backing). */
#include "domain-parse-util.h"

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"

/* The most backing layers one disk may list, like libvirt's own limit on
 * the chains it probes. */
#define AAVM_DISK_MAX_LAYERS 200

/* The local path attribute of each type that has one. */
static const char *
local_attribute(AavmDiskType type)
{
    switch (type) {
    case AAVM_DISK_FILE: return "file";
    case AAVM_DISK_BLOCK: return "dev";
    case AAVM_DISK_DIR: return "dir";
    case AAVM_DISK_VHOSTVDPA: return "dev";
    default: return NULL;
    }
}

static void
add_prop(GPtrArray *list, xmlNode *node, const char *name)
{
    char *value = aavm_xml_path_prop(node, name);

    if (value)
        g_ptr_array_add(list, value);
}

/* How findings name a network <host>: "name", "name:port" ("[v6]:port"),
 * "unix:/path"; NULL for a host without a name or socket. */
static char *
host_label(xmlNode *host, const char *transport)
{
    g_autofree char *name = NULL;
    g_autofree char *port = NULL;

    if (g_strcmp0(transport, "unix") == 0) {
        g_autofree char *socket = aavm_xml_prop(host, "socket");
        return socket ? g_strconcat("unix:", socket, NULL) : NULL;
    }
    if (!(name = aavm_xml_prop(host, "name")))
        return NULL;
    if (!(port = aavm_xml_prop(host, "port")))
        return g_steal_pointer(&name);
    return strchr(name, ':') ? g_strdup_printf("[%s]:%s", name, port)
                             : g_strdup_printf("%s:%s", name, port);
}

/* A network source: the protocol, the servers, and the local files it names. */
static void
parse_network(AavmDiskSource *layer, xmlNode *source)
{
    xmlNode *identity = aavm_xml_child(source, "identity");

    layer->protocol = aavm_xml_prop(source, "protocol");
    layer->source_name = aavm_xml_prop(source, "name");
    /* <auth> inside <source>, or (the older place) in the <disk> itself. */
    xmlNode *auth = aavm_xml_child(source, "auth");
    if (!auth && source && source->parent && source->parent->type == XML_ELEMENT_NODE)
        auth = aavm_xml_child(source->parent, "auth");
    layer->auth_username = aavm_xml_prop(auth, "username");
    for (xmlNode *host = aavm_xml_child(source, "host"); host; host = aavm_xml_next(host, "host")) {
        g_autofree char *transport = aavm_xml_prop(host, "transport");
        char *label = host_label(host, transport);

        if (label)
            g_ptr_array_add(layer->hosts, label);
        if (g_strcmp0(transport, "unix") != 0)
            continue;
        if (!layer->socket)
            layer->socket = aavm_xml_path_prop(host, "socket");
        else
            add_prop(layer->rw_companions, host, "socket");
    }
    layer->config_file = aavm_xml_path_prop(aavm_xml_child(source, "config"), "file");
    /* ssh: <knownHosts path=> and <identity keyfile= agentsock=>. */
    add_prop(layer->companions, aavm_xml_child(source, "knownHosts"), "path");
    add_prop(layer->companions, identity, "keyfile");
    add_prop(layer->rw_companions, identity, "agentsock");
}

/* A volume: the local path when the XML carries the translated source. */
static void
parse_volume(AavmDomain *domain, AavmDiskSource *layer, xmlNode *source, const char *name)
{
    static const AavmDiskType local_types[] = { AAVM_DISK_FILE, AAVM_DISK_BLOCK, AAVM_DISK_DIR };

    for (guint i = 0; i < G_N_ELEMENTS(local_types) && !layer->path; i++) {
        layer->path = aavm_xml_path_prop(source, local_attribute(local_types[i]));
        if (layer->path)
            layer->type = local_types[i];
    }
    if (!layer->path && source) {
        g_autofree char *pool = aavm_xml_prop(source, "pool");
        g_autofree char *volume = aavm_xml_prop(source, "volume");

        if (pool || volume)
            aavm_domain_warn(domain,
                             _("%s is a storage pool volume (%s/%s) whose host path is not in "
                               "the XML; nothing is granted for it."),
                             name, pool ? pool : "", volume ? volume : "");
    }
}

/* The parts of a source that any type may have: a qcow2 external data file
 * and a persistent reservations helper socket. */
static void
parse_source_extras(AavmDiskSource *layer, xmlNode *source)
{
    xmlNode *data_store = aavm_xml_child(source, "dataStore");
    xmlNode *reservations = aavm_xml_child(source, "reservations");

    if (data_store) {
        g_autofree char *type_name = aavm_xml_prop(data_store, "type");
        AavmDiskType type = type_name ? aavm_disk_type_from_string(type_name) : AAVM_DISK_FILE;

        /* libvirt has file and block data stores only. */
        if (type == AAVM_DISK_FILE || type == AAVM_DISK_BLOCK)
            layer->data_store = aavm_xml_path_prop(aavm_xml_child(data_store, "source"),
                                              local_attribute(type));
    }
    add_prop(layer->rw_companions, aavm_xml_child(reservations, "source"), "path");
}

/* One layer: @type_name as written (NULL: file), @format (taken) its
 * format, @source its <source>; @name names it in warnings. */
static AavmDiskSource *
parse_layer(AavmDomain *domain, const char *type_name, char *format, xmlNode *source,
            const char *name)
{
    AavmDiskSource *layer = aavm_disk_source_new();
    const char *attr;

    layer->type_name = g_strdup(type_name ? type_name : "file");
    layer->type = aavm_disk_type_from_string(layer->type_name);
    layer->format = format;
    attr = local_attribute(layer->type);
    if (attr)
        layer->path = aavm_xml_path_prop(source, attr);
    switch (layer->type) {
    case AAVM_DISK_NETWORK:
        parse_network(layer, source);
        break;
    case AAVM_DISK_VOLUME:
        parse_volume(domain, layer, source, name);
        break;
    case AAVM_DISK_NVME: {
        g_autoptr(GError) bad = NULL;
        if (!aavm_parse_pci_address(aavm_xml_child(source, "address"), name, &layer->nvme, &bad))
            aavm_domain_warn(domain, _("%s Nothing is granted for this NVMe disk."),
                             bad->message);
        break;
    }
    case AAVM_DISK_VHOSTUSER:
        layer->socket = aavm_xml_path_prop(source, "path");
        break;
    default:
        break;
    }
    parse_source_extras(layer, source);
    return layer;
}

/* An empty <backingStore/> ends the chain: no type and no source. */
static gboolean
backing_store_is_end(xmlNode *store)
{
    g_autofree char *type_name = aavm_xml_prop(store, "type");

    return !type_name && !aavm_xml_child(store, "source");
}

/* The chain under the disk, top to base, walked without recursion. */
static gboolean
parse_backing(AavmDomain *domain, AavmDisk *disk, xmlNode *node, const char *target,
              GError **error)
{
    xmlNode *store = aavm_xml_child(node, "backingStore");

    disk->backing_given = store != NULL;
    for (; store && !backing_store_is_end(store); store = aavm_xml_child(store, "backingStore")) {
        g_autofree char *type_name = aavm_xml_prop(store, "type");
        g_autofree char *name = NULL;

        if (disk->backing->len >= AAVM_DISK_MAX_LAYERS)
            return aavm_fail(error, AAVM_ERROR_TOO_LARGE,
                             _("Refusing disk %s: its backing chain has more than %d layers."),
                             target, AAVM_DISK_MAX_LAYERS);
        name = g_strdup_printf(_("disk %s (backing layer %u)"), target, disk->backing->len + 1);
        g_ptr_array_add(disk->backing,
                        parse_layer(domain, type_name,
                                    aavm_xml_prop(aavm_xml_child(store, "format"), "type"),
                                    aavm_xml_child(store, "source"), name));
    }
    return TRUE;
}

gboolean
aavm_parse_disk(AavmDomain *domain, xmlNode *node, GError **error)
{
    g_autoptr(AavmDisk) disk = aavm_disk_new();
    xmlNode *source = aavm_xml_child(node, "source");
    g_autofree char *type_name = aavm_xml_prop(node, "type");
    g_autofree char *name = NULL;
    const char *target;

    disk->device = aavm_xml_prop(node, "device");
    if (!disk->device)
        disk->device = g_strdup("disk");
    disk->target = aavm_xml_prop(aavm_xml_child(node, "target"), "dev");
    disk->readonly = aavm_xml_child(node, "readonly") != NULL;
    disk->shareable = aavm_xml_child(node, "shareable") != NULL;

    target = disk->target ? disk->target : _("(no target)");
    name = g_strdup_printf(_("disk %s"), target);
    /* An empty source path is "no medium" (libvirt), so top->path is NULL. */
    disk->top = parse_layer(domain, type_name,
                            aavm_xml_prop(aavm_xml_child(node, "driver"), "type"), source, name);
    if (!parse_backing(domain, disk, node, target, error))
        return FALSE;
    g_ptr_array_add(domain->disks, g_steal_pointer(&disk));
    return TRUE;
}
