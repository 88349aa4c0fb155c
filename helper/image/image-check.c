/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image-check.c: the rules of aavm image-check, the size parser for its
 * limit, and the verdict as text and as JSON.
 *
 * The rules run in a fixed order and each adds its own problem: the header
 * (valid for the declared format; for raw, no other format's signature),
 * the virtual size limit, the backing file, the external data file or
 * extents.  Names recorded in an image are hostile text: the verdict keeps
 * them as they are, the text and JSON forms make them valid UTF-8 and
 * escape what could confuse a terminal or a JSON reader. */
#include "image-check.h"

#include <inttypes.h>

#include <string.h>

#include "aavm-error.h"
#include "aavm-i18n.h"
#include "aavm-text.h"
#include "json-writer.h"

gboolean
aavm_image_check_format_from_string(const char *name, AavmImageFormat *out_format,
                                    GError **error)
{
    static const AavmImageFormat checkable[] = {
        AAVM_IMAGE_RAW, AAVM_IMAGE_QCOW2, AAVM_IMAGE_QED, AAVM_IMAGE_VMDK, AAVM_IMAGE_LUKS,
    };

    g_return_val_if_fail(name != NULL, FALSE);
    /* Only the formats' own names: "file" or "host_device", which
     * aavm_image_format_from_string() takes for raw, are QEMU drivers. */
    for (gsize i = 0; i < G_N_ELEMENTS(checkable); i++) {
        if (g_str_equal(name, aavm_image_format_to_string(checkable[i]))) {
            *out_format = checkable[i];
            return TRUE;
        }
    }
    return aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                     _("aavm cannot check images of the format '%s'; the formats it checks are %s."),
                     name, AAVM_IMAGE_CHECK_FORMATS);
}

static gboolean
format_checkable(AavmImageFormat format)
{
    return format == AAVM_IMAGE_RAW || format == AAVM_IMAGE_QCOW2 || format == AAVM_IMAGE_QED ||
           format == AAVM_IMAGE_VMDK || format == AAVM_IMAGE_LUKS;
}

gboolean
aavm_parse_size(const char *text, guint64 *out, GError **error)
{
    static const char units[] = "KMGTPE";
    const char *p = text;
    const char *unit;
    guint64 value = 0;
    guint shift = 0;

    g_return_val_if_fail(text != NULL, FALSE);
    for (; g_ascii_isdigit(*p); p++) {
        guint digit = (guint)(*p - '0');

        if (value > (G_MAXUINT64 - digit) / 10)
            return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                             _("The size '%s' is more than 2^64 - 1 bytes."), text);
        value = value * 10 + digit;
    }
    if (p != text && *p != '\0' && (unit = strchr(units, g_ascii_toupper(*p))) != NULL &&
        (p[1] == '\0' || strcmp(p + 1, "iB") == 0)) {
        shift = 10 * (guint)(unit - units + 1);
        p += strlen(p);
    }
    if (p == text || *p != '\0')
        return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                         _("'%s' is not a size: give a whole number of bytes, optionally followed by K, M, G, T, P or E (or KiB, MiB, ...: powers of 1024)."),
                         text);
    if (value > (G_MAXUINT64 >> shift))
        return aavm_fail(error, AAVM_ERROR_INVALID_ARGUMENT,
                         _("The size '%s' is more than 2^64 - 1 bytes."), text);
    *out = value << shift;
    return TRUE;
}

void
aavm_image_verdict_free(AavmImageVerdict *verdict)
{
    if (!verdict)
        return;
    g_ptr_array_unref(verdict->problems);
    aavm_image_info_free(verdict->info);
    g_free(verdict->detected_format);
    g_free(verdict);
}

static void
add_problem(AavmImageVerdict *verdict, char *sentence)
{
    g_ptr_array_add(verdict->problems, sentence);
}

/* The image's other files: '<a>', '<b>' */
static char *
quoted_list(const GPtrArray *names)
{
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < names->len; i++)
        g_string_append_printf(out, "%s'%s'", i ? ", " : "",
                               (const char *)g_ptr_array_index(names, i));
    return g_string_free(out, FALSE);
}

/* The rules that need a valid header. */
static void
check_info(AavmImageVerdict *verdict, const AavmImageCheckOptions *options)
{
    const AavmImageInfo *info = verdict->info;

    if (options->max_virtual_size && info->virtual_size > options->max_virtual_size)
        add_problem(verdict, g_strdup_printf(_("The virtual size of %" PRIu64
                                               " bytes is above the limit of %" PRIu64
                                               " bytes."),
                                             info->virtual_size, options->max_virtual_size));
    if (info->backing && !options->allow_backing)
        add_problem(verdict, g_strdup_printf(_("The image names the backing file '%s'; a backing file can point the VM at any host file."),
                                             info->backing));
    if (options->allow_data_file)
        return;
    if (info->data_file_needed && info->data_file)
        add_problem(verdict, g_strdup_printf(_("The image keeps its data in the external data file '%s'; a data file can point the VM at any host file."),
                                             info->data_file));
    else if (info->data_file_needed)
        add_problem(verdict, g_strdup(_("The image keeps its data in an external data file it does not name; a data file can point the VM at any host file.")));
    if (info->extents->len > 0) {
        g_autofree char *list = quoted_list(info->extents);

        add_problem(verdict, g_strdup_printf(_("The image keeps its data in other files (%s); an extent file can point the VM at any host file."),
                                             list));
    }
}

AavmImageVerdict *
aavm_image_check(const AavmImageReader *reader, const AavmImageCheckOptions *options,
                 GError **error)
{
    g_autoptr(AavmImageVerdict) verdict = NULL;
    g_autoptr(GError) header_error = NULL;
    const char *declared = aavm_image_format_to_string(options->format);
    const char *detected = NULL;

    if (!format_checkable(options->format)) {
        aavm_fail(error, AAVM_ERROR_UNSUPPORTED,
                  _("aavm cannot check images of the format '%s'; the formats it checks are %s."),
                  declared, AAVM_IMAGE_CHECK_FORMATS);
        return NULL;
    }
    verdict = g_new0(AavmImageVerdict, 1);
    verdict->format = options->format;
    verdict->problems = g_ptr_array_new_with_free_func(g_free);
    verdict->file_size = reader->size;

    verdict->info = aavm_image_read_header(reader, options->format, &header_error);
    if (!verdict->info) {
        if (!g_error_matches(header_error, AAVM_ERROR, AAVM_ERROR_INVALID_IMAGE)) {
            g_propagate_error(error, g_steal_pointer(&header_error));
            return NULL;
        }
        add_problem(verdict, g_strdup(header_error->message));
    }
    if (!aavm_image_detect_header(reader, &detected, error))
        return NULL;
    if (detected && !g_str_equal(detected, declared)) {
        verdict->detected_format = g_strdup(detected);
        /* For the other formats a wrong signature already made the
         * header invalid; a raw image has no header to break. */
        if (options->format == AAVM_IMAGE_RAW)
            add_problem(verdict, g_strdup_printf(_("The image is declared raw but carries a %s header; a program that guesses the format would read it as %s and follow that header."),
                                                 detected, detected));
    }
    if (verdict->info)
        check_info(verdict, options);
    verdict->accepted = verdict->problems->len == 0;
    return g_steal_pointer(&verdict);
}

/* @size (at least 1 KiB) rounded to a tenth of the largest binary unit
 * that fits: "1.5 MiB".  Not g_format_size(): its output depends on the
 * locale and has a no-break space. */
static void
append_human_size(GString *out, guint64 size)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    guint i = 0;
    guint64 whole, tenths;

    while (i + 1 < G_N_ELEMENTS(units) && size >> (10 * (i + 2)) > 0)
        i++;
    for (;;) {
        guint64 unit = G_GUINT64_CONSTANT(1) << (10 * (i + 1));

        whole = size / unit;
        tenths = (size % unit * 10 + unit / 2) / unit; /* size % unit < 2^60: no overflow */
        if (tenths == 10) {
            whole++;
            tenths = 0;
        }
        if (whole < 1024 || i + 1 == G_N_ELEMENTS(units))
            break;
        i++;
    }
    g_string_append_printf(out, "%" PRIu64 ".%u %s", whole, (guint)tenths, units[i]);
}

/* One field of the report, "  label: value", without the newline. */
static void
append_field(GString *out, const char *label, const char *value)
{
    /* TRANSLATORS: one field of the aavm image-check report, "  label: value";
     * keep the two leading spaces. */
    g_string_append_printf(out, _("  %s: %s"), label, value);
}

/* "N bytes" and, from 1 KiB on, " (1.5 MiB)". */
static void
append_size(GString *out, const char *label, guint64 size)
{
    g_autoptr(GString) value = g_string_new(NULL);

    g_string_append_printf(value, _("%" PRIu64 " bytes"), size);
    if (size >= 1024) {
        g_string_append(value, " (");
        append_human_size(value, size);
        g_string_append_c(value, ')');
    }
    append_field(out, label, value->str);
    g_string_append_c(out, '\n');
}

static void
append_name(GString *out, const char *label, const char *name)
{
    g_autofree char *shown = aavm_text_printable(name);
    g_autofree char *quoted = g_strdup_printf("'%s'", shown);

    append_field(out, label, quoted);
}

/* What the header says, after the sizes. */
static void
append_info(GString *out, const AavmImageInfo *info)
{
    if (info->backing) {
        append_name(out, _("backing file"), info->backing);
        if (info->backing_format) {
            g_autofree char *format = aavm_text_printable(info->backing_format);

            g_string_append_printf(out, _(", format %s\n"), format);
        } else {
            g_string_append_printf(out, "%s\n", _(", format not recorded"));
        }
    } else {
        append_field(out, _("backing file"), _("none"));
        g_string_append_c(out, '\n');
    }
    if (info->data_file) {
        append_name(out, _("data file"), info->data_file);
        g_string_append_c(out, '\n');
    } else {
        append_field(out, _("data file"),
                     info->data_file_needed ? _("external, not named in the image") : _("none"));
        g_string_append_c(out, '\n');
    }
    for (guint i = 0; i < info->extents->len; i++) {
        append_name(out, _("extent file"), g_ptr_array_index(info->extents, i));
        g_string_append_c(out, '\n');
    }
    append_field(out, _("encrypted"), info->encrypted ? _("yes") : _("no"));
    g_string_append_c(out, '\n');
}

char *
aavm_image_verdict_to_text(const AavmImageVerdict *verdict, const char *file)
{
    GString *out = g_string_new(NULL);
    g_autofree char *shown = aavm_text_printable(file);
    const AavmImageInfo *info = verdict->info;
    const char *format = aavm_image_format_to_string(verdict->format);

    if (verdict->accepted && info) {
        g_string_append_printf(out, _("%s: accepted (%s, virtual size %" PRIu64 " bytes)"),
                               shown, format, info->virtual_size);
    } else {
        g_autofree char *first = aavm_text_printable(verdict->problems->len > 0
                                           ? g_ptr_array_index(verdict->problems, 0)
                                           : _("The header is not valid."));

        g_string_append_printf(out, _("%s: refused: %s"), shown, first);
    }
    g_string_append_c(out, '\n');

    append_field(out, _("format"), format);
    if (info && info->version)
        g_string_append_printf(out, _(", version %u"), info->version);
    g_string_append_c(out, '\n');
    if (info)
        append_size(out, _("virtual size"), info->virtual_size);
    append_size(out, _("file size"), verdict->file_size);
    if (info)
        append_info(out, info);
    if (verdict->detected_format) {
        g_autofree char *detected = aavm_text_printable(verdict->detected_format);

        append_field(out, _("header found"), detected);
        g_string_append_c(out, '\n');
    }
    for (guint i = 0; i < verdict->problems->len; i++) {
        g_autofree char *problem = aavm_text_printable(g_ptr_array_index(verdict->problems, i));

        append_field(out, _("problem"), problem);
        g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

char *
aavm_image_verdict_to_json(const AavmImageVerdict *verdict, const char *file)
{
    g_autoptr(AavmJson) json = aavm_json_new();
    const AavmImageInfo *info = verdict->info;

    aavm_json_object_begin(json, NULL);
    aavm_json_uint(json, "version", AAVM_JSON_VERSION);
    aavm_json_string(json, "file", file);
    aavm_json_string(json, "format", aavm_image_format_to_string(verdict->format));
    aavm_json_bool(json, "accepted", verdict->accepted);
    aavm_json_strings(json, "problems", verdict->problems);
    aavm_json_known_uint(json, "virtual_size", info != NULL, info ? info->virtual_size : 0);
    aavm_json_uint(json, "file_size", verdict->file_size);
    aavm_json_known_uint(json, "format_version", info && info->version, info ? info->version : 0);
    aavm_json_string(json, "backing", info ? info->backing : NULL);
    aavm_json_string(json, "backing_format", info ? info->backing_format : NULL);
    aavm_json_string(json, "data_file", info ? info->data_file : NULL);
    aavm_json_known_bool(json, "data_file_needed", info != NULL, info && info->data_file_needed);
    aavm_json_strings(json, "extents", info ? info->extents : NULL);
    aavm_json_known_bool(json, "encrypted", info != NULL, info && info->encrypted);
    aavm_json_string(json, "detected_format", verdict->detected_format);
    aavm_json_object_end(json);
    return aavm_json_to_string(json);
}
