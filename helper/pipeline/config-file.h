/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config-file.h: the site settings in aavm.conf (GKeyFile syntax).
 *
 *   [aavm]
 *   passthrough-paths = true     # grant host paths found in <qemu:commandline>/<qemu:env>
 *   max-backing-depth = 200      # most layers below a disk's image found in headers
 *   libvirt-config-dir = /etc/libvirt   # defined domains' XML (status, denial), pools (explain)
 *
 * Both programs read AAVM_CONFIG_FILE (configure --with-config-file) unless
 * given --config FILE; options given on the command line win over the file.
 * Unknown groups or keys are errors, so a misspelt setting is not silently
 * ignored. */
#pragma once

#include <glib.h>

#include "aavm-config.h"

/* The longest config file read. */
#define AAVM_CONFIG_FILE_MAX (64 * 1024)

/* Apply @path to @config.  A missing file is no error unless @must_exist
 * (a file named with --config must exist). */
gboolean aavm_config_file_load(AavmConfig *config, const char *path, gboolean must_exist,
                               GError **error);
/* What the programs call: @option_path (from --config, must exist) or else
 * AAVM_CONFIG_FILE (may be missing). */
gboolean aavm_config_file_apply(AavmConfig *config, const char *option_path, GError **error);
/* The same from text, for tests; @origin names it in messages. */
gboolean aavm_config_file_load_data(AavmConfig *config, const char *data, gsize len,
                                    const char *origin, GError **error);
