/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-format.c: the dispatch to the per-format header readers. */
#include "image-format.h"

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "image-private.h"

AavmImageInfo *
aavm_image_read_header(const AavmImageReader *reader, AavmImageFormat format, GError **error)
{
    g_autoptr(AavmImageInfo) info = aavm_image_info_new(format);
    gboolean ok;

    switch (format) {
    case AAVM_IMAGE_RAW:
        info->virtual_size = reader->size;
        ok = TRUE;
        break;
    case AAVM_IMAGE_QCOW2: ok = aavm_image_read_qcow2(reader, info, error); break;
    case AAVM_IMAGE_QED: ok = aavm_image_read_qed(reader, info, error); break;
    case AAVM_IMAGE_VMDK: ok = aavm_image_read_vmdk(reader, info, error); break;
    case AAVM_IMAGE_LUKS: ok = aavm_image_read_luks(reader, info, error); break;
    default:
        aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                  _("aavm has no header reader for this image format."));
        return NULL;
    }
    return ok ? g_steal_pointer(&info) : NULL;
}
