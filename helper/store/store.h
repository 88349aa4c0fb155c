/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store.h: bounded reads of the inputs aavm is given (the domain XML, its
 * configuration file, the VM manager's files).  Files in the directories
 * aavm manages are read and written only through store-dir.h. */
#pragma once

#include <glib.h>

/* Largest profile, .files or template we read, as the reference helper. */
#define AAVM_STORE_FILE_MAX (10 * 1024 * 1024)

/* Read all of @fd, failing with AAVM_ERROR_TOO_LARGE past @max bytes. */
gboolean aavm_store_read_fd(int fd, gsize max, char **out_data, gsize *out_len,
                            GError **error);
/* Read the file @path (links followed: an input named by the user). */
gboolean aavm_store_read(const char *path, gsize max, char **out_data, gsize *out_len,
                         GError **error);

/* -1 when @path does not exist, else its size. */
gssize aavm_store_size(const char *path);
