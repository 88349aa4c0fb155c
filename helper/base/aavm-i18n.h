/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aavm-i18n.h: gettext macros for library and programs. */
#pragma once

#include <glib/gi18n-lib.h>

/* A message with a count, in the plural form the language needs for @n. */
#define NG_(singular, plural, n) g_dngettext(GETTEXT_PACKAGE, singular, plural, n)
