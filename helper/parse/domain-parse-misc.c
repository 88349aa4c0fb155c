/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain-parse-misc.c: <input>, <interface>, <rng>, <smartcard> and
 * <launchSecurity>. */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* <input type='passthrough'><source evdev='/dev/input/eventN'/> (virtio-input-host)
 * and <input type='evdev'><source dev='/dev/input/eventN'/> (input-linux). */
gboolean
aavm_parse_input(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmInput *input = g_new0(AavmInput, 1);
    xmlNode *source = aavm_xml_child(node, "source");

    input->index = domain->inputs->len;
    input->type = aavm_xml_prop(node, "type");
    if (g_strcmp0(input->type, "passthrough") == 0)
        input->evdev = aavm_xml_path_prop(source, "evdev");
    else if (g_strcmp0(input->type, "evdev") == 0)
        input->evdev = aavm_xml_path_prop(source, "dev");
    g_ptr_array_add(domain->inputs, input);
    return TRUE;
}

gboolean
aavm_parse_interface(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmInterface *iface = g_new0(AavmInterface, 1);

    iface->index = domain->interfaces->len;
    iface->type = aavm_xml_prop(node, "type");
    iface->model = aavm_xml_path_prop(aavm_xml_child(node, "model"), "type");
    iface->driver_name = aavm_xml_path_prop(aavm_xml_child(node, "driver"), "name");
    if (g_strcmp0(iface->type, "vhostuser") == 0)
        iface->socket = aavm_xml_path_prop(aavm_xml_child(node, "source"), "path");
    g_ptr_array_add(domain->interfaces, iface);
    /* An SR-IOV function given to the VM as a NIC is a host device. */
    if (g_strcmp0(iface->type, "hostdev") == 0)
        return aavm_parse_interface_hostdev(domain, node, error);
    return TRUE;
}

/* <rng><backend model='random'>/dev/hwrng</backend> (default /dev/random),
 * <backend model='egd' type='unix'><source path=.../></backend> (a chardev),
 * <backend model='builtin'/> (nothing on the host). */
gboolean
aavm_parse_rng(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmRng *rng = g_new0(AavmRng, 1);
    xmlNode *backend = aavm_xml_child(node, "backend");

    rng->index = domain->rngs->len;
    rng->backend_model = aavm_xml_prop(backend, "model");
    g_ptr_array_add(domain->rngs, rng);
    if (g_strcmp0(rng->backend_model, "random") == 0) {
        rng->device = aavm_xml_text(backend);
        if (!rng->device)
            rng->device = g_strdup("/dev/random");
    } else if (g_strcmp0(rng->backend_model, "egd") == 0) {
        return aavm_parse_chardev(domain, backend, AAVM_CHARDEV_RNG, rng->index, error);
    }
    return TRUE;
}

/* <smartcard mode='host'>, mode='host-certificates' (with an optional
 * <database>), mode='passthrough' (a chardev). */
gboolean
aavm_parse_smartcard(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmSmartcard *card = g_new0(AavmSmartcard, 1);

    card->index = domain->smartcards->len;
    card->mode = aavm_xml_prop(node, "mode");
    g_ptr_array_add(domain->smartcards, card);
    if (g_strcmp0(card->mode, "host-certificates") == 0)
        card->database = aavm_xml_text(aavm_xml_child(node, "database"));
    else if (g_strcmp0(card->mode, "passthrough") == 0)
        return aavm_parse_chardev(domain, node, AAVM_CHARDEV_SMARTCARD, card->index, error);
    return TRUE;
}

gboolean
aavm_parse_launch_security(AavmDomain *domain, xmlNode *node, GError **error)
{
    g_free(domain->launch_security);
    domain->launch_security = aavm_xml_prop(node, "type");
    return TRUE;
}
