/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-denial: libFuzzer target for what `aavm denial` reads, kernel log
 * lines (audit-line.c) grouped into a report (denial.c), and the report's
 * text and JSON (denial-output.c).  The input is a log: every line goes
 * through aavm_denial_report_add_line(), the whole input once through
 * aavm_audit_line_parse(); then the analysis, on a host rooted at an empty
 * directory, with the domain XML of one VM (web1, the UUID of the seeds)
 * and the rules of another VM (vm2) in memory.  What is checked besides
 * the sanitizers: a record has the fields its kind
 * promises; the counters add up with the kinds the parser gives each line;
 * the JSON is one well-formed object on one line, valid UTF-8, no raw
 * control character; the text is valid UTF-8 with no control character but
 * the newline, and has exactly one line a VM and one a distinct entry (no
 * logged name can break a line); after the analysis, a path another VM's
 * rule matches is of kind other-vm and no fix names it as a rule (nor the
 * abstraction of every VM), and other-vm is given to no other path.
 * See README.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "aavm-config.h"
#include "audit-line.h"
#include "denial.h"
#include "journal-json.h"
#include "fuzz-check.h"
#include "render.h"
#include "site.h"

#define FUZZ_UUID "5b2d8e3a-7c41-4f0e-9d6a-3e1f2a4b5c6d"

static const char fuzz_domain[] =
    "<domain type='kvm'><name>web1</name><uuid>" FUZZ_UUID "</uuid>"
    "<memory>1048576</memory><os><type arch='x86_64'>hvm</type></os><devices>"
    "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
    "<source file='/var/lib/libvirt/images/web1.qcow2'/><target dev='vda'/></disk>"
    "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
    "<source file='/var/lib/libvirt/images/web1-data.img'/><target dev='vdb'/><readonly/></disk>"
    "</devices></domain>";

/* Another VM's .files: its disk next to web1's, web1's data disk, a tree,
 * an escaped name, its pid file, a pattern aavm cannot read. */
static const char fuzz_other_files[] =
    "  \"/run/libvirt/**/vm2.pid\" rwk,  # pid file\n"
    "  \"/srv/a\\*b.img\" rw,  # disk vdc\n"
    "  \"/srv/vm2/**\" rw,  # filesystem0 (share)\n"
    "  \"/srv/@{X}/d.img\" r,  # an admin's pattern\n"
    "  \"/var/lib/libvirt/images/vm2.qcow2\" rwk,  # disk vda\n"
    "  \"/var/lib/libvirt/images/web1-data.img\" rwk,  # disk vdb\n";

static char *fuzz_root;
static char *fuzz_xml_dir;
static char *fuzz_xml_file;
static AavmHost *fuzz_host;
static AavmConfig *fuzz_config;
static AavmSite *fuzz_site;

static void
fuzz_cleanup(void)
{
    g_clear_pointer(&fuzz_host, aavm_host_free);
    g_clear_pointer(&fuzz_config, aavm_config_free);
    g_clear_pointer(&fuzz_site, aavm_site_free);
    if (fuzz_xml_file)
        unlink(fuzz_xml_file);
    if (fuzz_xml_dir)
        rmdir(fuzz_xml_dir);
    if (fuzz_root)
        rmdir(fuzz_root);
    g_clear_pointer(&fuzz_xml_file, g_free);
    g_clear_pointer(&fuzz_xml_dir, g_free);
    g_clear_pointer(&fuzz_root, g_free);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_root = g_build_filename(g_get_tmp_dir(), "aavm-fuzz-denial-XXXXXX", NULL);
    fuzz_xml_dir = g_build_filename(g_get_tmp_dir(), "aavm-fuzz-denial-xml-XXXXXX", NULL);
    if (!mkdtemp(fuzz_root) || !mkdtemp(fuzz_xml_dir)) {
        perror("mkdtemp");
        abort();
    }
    atexit(fuzz_cleanup);
    fuzz_xml_file = g_build_filename(fuzz_xml_dir, "web1.xml", NULL);
    FUZZ_CHECK(g_file_set_contents(fuzz_xml_file, fuzz_domain, -1, NULL));
    fuzz_host = aavm_host_new(fuzz_root, NULL);
    FUZZ_CHECK(fuzz_host != NULL);
    fuzz_config = aavm_config_new_default();
    fuzz_site = aavm_site_new();
    aavm_site_add_files(fuzz_site, "libvirt-22222222-2222-4222-8222-222222222222", "vm2",
                        fuzz_other_files);
    return 0;
}

/* A DENIED or ALLOWED record: a VM's profile, an operation, text fields
 * that are C strings. */
static void
fuzz_check_record(const AavmAuditRecord *r)
{
    FUZZ_CHECK(r->uuid && strlen(r->uuid) == 36);
    FUZZ_CHECK(r->profile && g_str_has_prefix(r->profile, "libvirt-"));
    FUZZ_CHECK(r->operation && *r->operation);
    FUZZ_CHECK(!r->child || g_str_has_prefix(r->profile + strlen("libvirt-") + 36, "//"));
    /* A mask is denied or, failing that, requested. */
    FUZZ_CHECK(!r->requested_mask || r->denied_mask);
    if (r->timestamp) {
        FUZZ_CHECK(*r->timestamp && strspn(r->timestamp, "0123456789.:") == strlen(r->timestamp));
    }
}

static AavmAuditLineKind
fuzz_parse(const char *line, gsize len)
{
    g_autoptr(AavmAuditRecord) record = NULL;
    AavmAuditLineKind kind = aavm_audit_line_parse(line, len, &record);

    FUZZ_CHECK(kind < AAVM_AUDIT_LINE_KIND_LAST);
    if (kind == AAVM_AUDIT_LINE_DENIED || kind == AAVM_AUDIT_LINE_ALLOWED) {
        FUZZ_CHECK(record != NULL);
        fuzz_check_record(record);
    } else {
        FUZZ_CHECK(record == NULL);
    }
    /* The same answer without a record to fill. */
    FUZZ_CHECK(aavm_audit_line_parse(line, len, NULL) == kind);
    return kind;
}

/* ---- A strict JSON reader: whether @p starts a well-formed value ---- */

static gboolean fuzz_json_value(const char **p, guint depth);

static void
fuzz_json_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
        (*p)++;
}

static gboolean
fuzz_json_string(const char **p)
{
    const char *s = *p;

    if (*s++ != '"')
        return FALSE;
    for (; *s != '"'; s++) {
        if ((guchar)*s < 0x20)
            return FALSE; /* also the end of the text */
        if (*s != '\\')
            continue;
        s++;
        if (*s == 'u') {
            for (int i = 1; i <= 4; i++)
                if (!g_ascii_isxdigit(s[i]))
                    return FALSE;
            s += 4;
        } else if (!*s || !strchr("\"\\/bfnrt", *s)) {
            return FALSE;
        }
    }
    *p = s + 1;
    return TRUE;
}

static gboolean
fuzz_json_members(const char **p, guint depth, char close, gboolean keys)
{
    (*p)++;
    fuzz_json_ws(p);
    if (**p == close) {
        (*p)++;
        return TRUE;
    }
    for (;;) {
        fuzz_json_ws(p);
        if (keys) {
            if (!fuzz_json_string(p))
                return FALSE;
            fuzz_json_ws(p);
            if (*(*p)++ != ':')
                return FALSE;
        }
        if (!fuzz_json_value(p, depth + 1))
            return FALSE;
        fuzz_json_ws(p);
        if (**p == close) {
            (*p)++;
            return TRUE;
        }
        if (*(*p)++ != ',')
            return FALSE;
    }
}

static gboolean
fuzz_json_value(const char **p, guint depth)
{
    if (depth > 16)
        return FALSE;
    fuzz_json_ws(p);
    switch (**p) {
    case '{': return fuzz_json_members(p, depth, '}', TRUE);
    case '[': return fuzz_json_members(p, depth, ']', FALSE);
    case '"': return fuzz_json_string(p);
    default: break;
    }
    for (const char *const *w = (const char *const[]){ "true", "false", "null", NULL }; *w; w++)
        if (g_str_has_prefix(*p, *w)) {
            *p += strlen(*w);
            return TRUE;
        }
    /* The report's numbers are unsigned integers. */
    if (!g_ascii_isdigit(**p) || (**p == '0' && g_ascii_isdigit((*p)[1])))
        return FALSE;
    while (g_ascii_isdigit(**p))
        (*p)++;
    return TRUE;
}

static void
fuzz_check_json(const char *json)
{
    const char *p = json;

    FUZZ_CHECK(g_utf8_validate(json, -1, NULL));
    for (const char *c = json; *c; c++)
        FUZZ_CHECK((guchar)*c >= 0x20 && *c != 0x7f);
    FUZZ_CHECK(*p == '{');
    if (!fuzz_json_value(&p, 0) || *p) {
        fprintf(stderr, "not one JSON object, from byte %td: '%.60s'\n", p - json, p);
        abort();
    }
}

/* Valid UTF-8, no control character (C0, DEL, C1) but the newline; one
 * header line a VM ("VM ..."), one line an entry ("  <count>x ..."). */
static void
fuzz_check_text(const char *text, guint vms, guint entries)
{
    g_auto(GStrv) lines = NULL;
    guint vm_lines = 0, entry_lines = 0;

    FUZZ_CHECK(g_utf8_validate(text, -1, NULL));
    FUZZ_CHECK(g_str_has_suffix(text, "\n"));
    for (const char *c = text; *c; c = g_utf8_next_char(c)) {
        gunichar ch = g_utf8_get_char(c);
        FUZZ_CHECK(ch == '\n' || (ch >= 0x20 && ch != 0x7f && (ch < 0x80 || ch >= 0xa0)));
    }
    lines = g_strsplit(text, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        const char *l = lines[i];
        if (g_str_has_prefix(l, "VM "))
            vm_lines++;
        else if (g_str_has_prefix(l, "  ") && g_ascii_isdigit(l[2]))
            entry_lines++;
    }
    FUZZ_CHECK(vm_lines == vms);
    FUZZ_CHECK(entry_lines == entries);
}

/* No advice hands a VM another VM's path. */
static void
fuzz_check_analysis(AavmDenialReport *report)
{
    const char *dirs[] = { fuzz_xml_dir, NULL };
    AavmDenialOptions options = {
        .config = fuzz_config,
        .host = fuzz_host,
        .domain_xml_dirs = dirs,
        .local_abstraction = "/etc/apparmor.d/local/abstractions/libvirt-qemu",
        .site = fuzz_site,
    };

    aavm_denial_report_analyse(report, &options);
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmDenialVm *vm = g_ptr_array_index(report->vms, i);

        for (guint j = 0; j < vm->entries->len; j++) {
            const AavmDenialEntry *e = g_ptr_array_index(vm->entries, j);
            g_autoptr(GPtrArray) grants = NULL;
            g_autofree char *quoted = NULL;

            FUZZ_CHECK(e->kind != AAVM_DENIAL_FIX_UNKNOWN);
            if (!e->file || !e->object || e->object[0] != '/') {
                FUZZ_CHECK(e->kind != AAVM_DENIAL_FIX_OTHER_VM);
                continue;
            }
            grants = aavm_site_other_grants(fuzz_site, vm->uuid, e->object, FALSE);
            FUZZ_CHECK((grants->len > 0) == (e->kind == AAVM_DENIAL_FIX_OTHER_VM));
            FUZZ_CHECK(e->other_vms->len == grants->len);
            if (!grants->len)
                continue;
            quoted = aavm_render_path(&(AavmAccess){ .path = e->object,
                                                     .match = AAVM_MATCH_EXACT });
            for (guint k = 0; k < e->fixes->len; k++) {
                const char *fix = g_ptr_array_index(e->fixes, k);
                FUZZ_CHECK(!strstr(fix, quoted) && !strstr(fix, "abstractions"));
            }
        }
    }
}

/* The kind the report gives a line: a `journalctl -o json` entry is its
 * MESSAGE's (malformed when that cannot be read). */
static AavmAuditLineKind
fuzz_report_kind(const char *line, gsize len)
{
    g_autofree char *message = NULL;

    if (!aavm_journal_json_is_entry(line, len))
        return fuzz_parse(line, len);
    if (!aavm_journal_json_message(line, len, &message, &len))
        return AAVM_AUDIT_LINE_MALFORMED;
    return fuzz_parse(message, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *input = (const char *)data;
    g_autoptr(AavmDenialReport) report = aavm_denial_report_new();
    guint64 kinds[AAVM_AUDIT_LINE_KIND_LAST] = { 0 };
    guint64 lines = 0, vm_records = 0, allowed_records = 0;
    guint entries = 0;
    g_autofree char *text = NULL;
    g_autofree char *json = NULL;

    fuzz_parse(input, size);

    /* Line by line, as aavm_denial_report_read() feeds them (the newline
     * kept); a last line without a newline counts too. */
    for (size_t start = 0; start < size;) {
        const char *nl = memchr(input + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - input) + 1 : size;

        kinds[fuzz_report_kind(input + start, end - start)]++;
        aavm_denial_report_add_line(report, input + start, end - start);
        lines++;
        start = end;
    }

    /* The counters: every line once, in the kind the parser gave it (the
     * denials and ALLOWED records over the distinct limit as dropped). */
    FUZZ_CHECK(report->lines == lines);
    FUZZ_CHECK(report->not_denied == kinds[AAVM_AUDIT_LINE_NOT_DENIED]);
    FUZZ_CHECK(report->other_profiles == kinds[AAVM_AUDIT_LINE_OTHER_PROFILE]);
    FUZZ_CHECK(report->malformed == kinds[AAVM_AUDIT_LINE_MALFORMED]);
    FUZZ_CHECK(report->too_long == kinds[AAVM_AUDIT_LINE_TOO_LONG]);
    FUZZ_CHECK(report->denials + report->allowed + report->dropped ==
               kinds[AAVM_AUDIT_LINE_DENIED] + kinds[AAVM_AUDIT_LINE_ALLOWED]);
    FUZZ_CHECK(report->denials <= kinds[AAVM_AUDIT_LINE_DENIED]);
    FUZZ_CHECK(report->allowed <= kinds[AAVM_AUDIT_LINE_ALLOWED]);
    FUZZ_CHECK(report->lines == report->denials + report->allowed + report->dropped +
                                    report->not_denied + report->other_profiles +
                                    report->malformed + report->too_long +
                                    kinds[AAVM_AUDIT_LINE_NOT_APPARMOR]);

    /* Per VM: its records are its entries' counts; entries are distinct. */
    FUZZ_CHECK(report->vms->len == g_hash_table_size(report->by_uuid));
    for (guint i = 0; i < report->vms->len; i++) {
        const AavmDenialVm *vm = g_ptr_array_index(report->vms, i);
        guint64 counted = 0;

        FUZZ_CHECK(g_hash_table_lookup(report->by_uuid, vm->uuid) == vm);
        FUZZ_CHECK(vm->profile_name && g_str_has_prefix(vm->profile_name, "libvirt-") &&
                   strcmp(vm->profile_name + strlen("libvirt-"), vm->uuid) == 0);
        FUZZ_CHECK(vm->entries->len > 0 && vm->entries->len == g_hash_table_size(vm->index));
        FUZZ_CHECK(!vm->vm_name && !vm->xml_path && !vm->problem);
        for (guint j = 0; j < vm->entries->len; j++) {
            const AavmDenialEntry *e = g_ptr_array_index(vm->entries, j);
            FUZZ_CHECK(e->count > 0 && e->operation && *e->operation);
            FUZZ_CHECK(e->kind == AAVM_DENIAL_FIX_UNKNOWN);
            FUZZ_CHECK(e->fixes->len == 0 && e->warnings->len == 0 && !e->device);
            FUZZ_CHECK(!e->first == !e->last);
            FUZZ_CHECK(!e->first || e->first_time <= e->last_time);
            counted += e->count;
            if (e->allowed)
                allowed_records += e->count;
        }
        FUZZ_CHECK(counted == vm->denials);
        vm_records += vm->denials;
        entries += vm->entries->len;
    }
    FUZZ_CHECK(vm_records == report->denials + report->allowed);
    FUZZ_CHECK(allowed_records == report->allowed);
    FUZZ_CHECK(entries == report->distinct && entries <= AAVM_DENIAL_DISTINCT_MAX);

    fuzz_check_analysis(report);
    text = aavm_denial_report_to_text(report);
    fuzz_check_text(text, report->vms->len, entries);
    json = aavm_denial_report_to_json(report);
    fuzz_check_json(json);
    return 0;
}
