/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "domain-parse-util.h"

#include "aavm-error.h"
#include "aavm-i18n.h"

/* <tpm model=><backend type= version=>: passthrough <device path=>,
 * emulator <source type='dir'|'file' path=> (custom state location),
 * external <source type='unix' path=>. */
gboolean
aavm_parse_tpm(AavmDomain *domain, xmlNode *node, GError **error)
{
    AavmTpm *tpm = g_new0(AavmTpm, 1);
    xmlNode *backend = aavm_xml_child(node, "backend");
    xmlNode *source = aavm_xml_child(backend, "source");

    tpm->index = domain->tpms->len;
    tpm->model = aavm_xml_prop(node, "model");
    tpm->backend = aavm_xml_prop(backend, "type");
    tpm->version = aavm_xml_prop(backend, "version");
    tpm->device_path = aavm_xml_prop(aavm_xml_child(backend, "device"), "path");
    tpm->source_type = aavm_xml_prop(source, "type");
    tpm->source_path = aavm_xml_prop(source, "path");
    g_ptr_array_add(domain->tpms, tpm);
    return TRUE;
}
