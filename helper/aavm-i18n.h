/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-i18n.h: gettext macros for library and programs. */
#pragma once

#include <glib/gi18n-lib.h>
