/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "audit-line.h"

#include <stdlib.h>
#include <string.h>

#include "domain.h"

const char *
aavm_audit_line_kind_to_string(AavmAuditLineKind kind)
{
    switch (kind) {
    case AAVM_AUDIT_LINE_DENIED: return "denied";
    case AAVM_AUDIT_LINE_ALLOWED: return "allowed";
    case AAVM_AUDIT_LINE_NOT_APPARMOR: return "not-apparmor";
    case AAVM_AUDIT_LINE_NOT_DENIED: return "not-denied";
    case AAVM_AUDIT_LINE_OTHER_PROFILE: return "other-profile";
    case AAVM_AUDIT_LINE_MALFORMED: return "malformed";
    case AAVM_AUDIT_LINE_TOO_LONG: return "too-long";
    default: return "unknown";
    }
}

void
aavm_audit_record_free(AavmAuditRecord *record)
{
    if (!record)
        return;
    g_free(record->uuid);
    g_free(record->profile);
    g_free(record->child);
    g_free(record->timestamp);
    g_free(record->operation);
    g_free(record->klass);
    g_free(record->name);
    g_free(record->requested_mask);
    g_free(record->denied_mask);
    g_free(record->comm);
    g_free(record->capname);
    g_free(record->peer);
    g_free(record->signal);
    g_free(record->addr);
    g_free(record->family);
    g_free(record->sock_type);
    g_free(record->info);
    g_free(record);
}

/* Fields whose bare value auditd writes in hexadecimal when it holds a
 * space, a quote, a control or a non-ASCII character. */
static const char *const hex_fields[] = {
    "name", "comm", "profile", "peer", "addr", "peer_addr", "info", "target", "srcname",
    "exe", NULL,
};

static gboolean
is_separator(char c)
{
    /* auditd's enriched format puts its additions after a 0x1d. */
    return c == ' ' || c == '\t' || c == '\x1d';
}

static gboolean
is_key_char(char c)
{
    return g_ascii_isalnum(c) || c == '_' || c == '-';
}

/* @value decoded from upper-case hexadecimal, or NULL when it is not that
 * (or decodes to a NUL). */
static char *
hex_decode(const char *value)
{
    gsize n = strlen(value);

    if (n < 2 || n % 2 != 0)
        return NULL;
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isdigit(value[i]) && !(value[i] >= 'A' && value[i] <= 'F'))
            return NULL;
    char *out = g_malloc(n / 2 + 1);
    for (gsize i = 0; i < n / 2; i++) {
        int byte = g_ascii_xdigit_value(value[2 * i]) * 16 + g_ascii_xdigit_value(value[2 * i + 1]);
        if (byte == 0) {
            g_free(out);
            return NULL;
        }
        out[i] = (char)byte;
    }
    out[n / 2] = '\0';
    return out;
}

static gboolean
is_hex_field(const char *key)
{
    for (guint i = 0; hex_fields[i]; i++)
        if (strcmp(key, hex_fields[i]) == 0)
            return TRUE;
    return FALSE;
}

/* Split "key=value key2="quoted value" ..." from @p into @fields (the first
 * of a repeated key wins).  FALSE on an unterminated quote. */
static gboolean
split_fields(const char *p, GHashTable *fields)
{
    while (*p) {
        while (is_separator(*p))
            p++;
        const char *key = p;
        while (is_key_char(*p))
            p++;
        if (p == key || *p != '=') {
            /* Not a field: skip the word. */
            while (*p && !is_separator(*p))
                p++;
            continue;
        }
        g_autofree char *name = g_strndup(key, (gsize)(p - key));
        g_autofree char *value = NULL;
        p++;
        if (*p == '"') {
            const char *end = strchr(p + 1, '"');
            if (!end)
                return FALSE;
            value = g_strndup(p + 1, (gsize)(end - p - 1));
            p = end + 1;
        } else {
            const char *start = p;
            while (*p && !is_separator(*p))
                p++;
            value = g_strndup(start, (gsize)(p - start));
            if (is_hex_field(name)) {
                char *decoded = hex_decode(value);
                if (decoded) {
                    g_free(value);
                    value = decoded;
                }
            }
        }
        if (!g_hash_table_contains(fields, name))
            g_hash_table_insert(fields, g_steal_pointer(&name), g_steal_pointer(&value));
    }
    return TRUE;
}

/* The first field "apparmor=" that starts a word. */
static const char *
find_apparmor(const char *text)
{
    for (const char *p = strstr(text, "apparmor="); p; p = strstr(p + 1, "apparmor="))
        if (p == text || is_separator(p[-1]) || p[-1] == ':')
            return p;
    return NULL;
}

/* "audit(SECONDS.MILLIS:SERIAL)" before @end. */
static void
find_timestamp(const char *text, const char *end, AavmAuditRecord *record)
{
    const char *p = g_strstr_len(text, end - text, "audit(");

    if (!p)
        return;
    p += strlen("audit(");
    const char *q = p;
    while (q < end && q - p < 40 && (g_ascii_isdigit(*q) || *q == '.' || *q == ':'))
        q++;
    if (q == p || q >= end || *q != ')')
        return;
    record->timestamp = g_strndup(p, (gsize)(q - p));
    record->time = g_ascii_strtod(record->timestamp, NULL);
}

#define PROFILE_PREFIX "libvirt-"
#define UUID_LEN 36

/* libvirt-<uuid> alone or followed by "//child". */
static gboolean
split_profile(const char *profile, AavmAuditRecord *record)
{
    gsize prefix = strlen(PROFILE_PREFIX);

    if (!g_str_has_prefix(profile, PROFILE_PREFIX) || strlen(profile) < prefix + UUID_LEN)
        return FALSE;
    const char *rest = profile + prefix + UUID_LEN;
    if (*rest != '\0' && !g_str_has_prefix(rest, "//"))
        return FALSE;
    g_autofree char *name = g_strndup(profile, prefix + UUID_LEN);
    if (!aavm_profile_name_check(name, NULL) || !aavm_uuid_normalize(name + prefix, &record->uuid, NULL))
        return FALSE;
    record->child = *rest ? g_strdup(rest + 2) : NULL;
    return TRUE;
}

static char *
take(GHashTable *fields, const char *key)
{
    gpointer stolen_key = NULL;
    gpointer value = NULL;

    if (!g_hash_table_steal_extended(fields, key, &stolen_key, &value))
        return NULL;
    g_free(stolen_key);
    return value;
}

AavmAuditLineKind
aavm_audit_line_parse(const char *line, gsize len, AavmAuditRecord **out_record)
{
    if (out_record)
        *out_record = NULL;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len > AAVM_AUDIT_LINE_MAX)
        return AAVM_AUDIT_LINE_TOO_LONG;

    g_autofree char *text = g_strndup(line, len);
    const char *start = find_apparmor(text);
    if (!start)
        return AAVM_AUDIT_LINE_NOT_APPARMOR;

    g_autoptr(GHashTable) fields = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (!split_fields(start, fields))
        return AAVM_AUDIT_LINE_MALFORMED;
    const char *verdict = g_hash_table_lookup(fields, "apparmor");
    AavmAuditLineKind kind;
    if (g_strcmp0(verdict, "DENIED") == 0)
        kind = AAVM_AUDIT_LINE_DENIED;
    else if (g_strcmp0(verdict, "ALLOWED") == 0)
        kind = AAVM_AUDIT_LINE_ALLOWED;
    else
        return AAVM_AUDIT_LINE_NOT_DENIED;

    g_autoptr(AavmAuditRecord) record = g_new0(AavmAuditRecord, 1);
    record->profile = take(fields, "profile");
    if (!record->profile || !*record->profile)
        return AAVM_AUDIT_LINE_MALFORMED;
    if (!split_profile(record->profile, record))
        return AAVM_AUDIT_LINE_OTHER_PROFILE;
    record->operation = take(fields, "operation");
    if (!record->operation || !*record->operation)
        return AAVM_AUDIT_LINE_MALFORMED;

    find_timestamp(text, start, record);
    record->klass = take(fields, "class");
    record->name = take(fields, "name");
    record->requested_mask = take(fields, "requested_mask");
    record->denied_mask = take(fields, "denied_mask");
    record->comm = take(fields, "comm");
    record->capname = take(fields, "capname");
    record->peer = take(fields, "peer");
    record->signal = take(fields, "signal");
    record->addr = take(fields, "addr");
    if (!record->addr)
        record->addr = take(fields, "peer_addr");
    record->family = take(fields, "family");
    record->sock_type = take(fields, "sock_type");
    record->info = take(fields, "info");
    if (!record->denied_mask && record->requested_mask)
        record->denied_mask = g_strdup(record->requested_mask);
    if (out_record)
        *out_record = g_steal_pointer(&record);
    return kind;
}
