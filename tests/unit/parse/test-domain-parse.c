/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-domain-parse.c: untrusted domain XML into the domain model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "testutil.h"
#include "aavm-error.h"
#include "domain-parse.h"

#define UUID "6c8e2b4c-1c3d-4e5f-8a9b-0c1d2e3f4a5b"

/* A valid domain with @devices inside <devices> and @os inside <os> after
 * the type. */
#define DOMAIN_WITH(os, devices)                                              \
    "<domain type='kvm'>\n"                                                   \
    "  <name>vm1</name>\n"                                                    \
    "  <uuid>" UUID "</uuid>\n"                                               \
    "  <memory unit='KiB'>524288</memory>\n"                                  \
    "  <os>\n"                                                                \
    "    <type arch='x86_64' machine='q35'>hvm</type>\n"                      \
    os                                                                        \
    "  </os>\n"                                                               \
    "  <devices>\n"                                                           \
    devices                                                                   \
    "  </devices>\n"                                                          \
    "</domain>\n"

#define MINIMAL DOMAIN_WITH("", "")

static AavmDomain *
parse(const char *xml, GError **error)
{
    return aavm_domain_parse_string(xml, strlen(xml), error);
}

/* Parse @xml, which must succeed. */
static AavmDomain *
parse_ok(const char *xml)
{
    g_autoptr(GError) error = NULL;
    AavmDomain *domain = parse(xml, &error);

    if (!domain)
        fail_msg("parse failed: %s\n%s", error ? error->message : "(no error)", xml);
    assert_null(error);
    return domain;
}

/* Parse @xml, which must fail with @code; returns the message. */
static char *
parse_fails(const char *xml, gsize len, AavmError code)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(xml, len, &error);

    if (domain)
        fail_msg("parse succeeded, expected %s", aavm_error_code_to_string(code));
    if (!g_error_matches(error, AAVM_ERROR, code))
        fail_msg("error %s (%s), expected %s",
                 error ? aavm_error_code_to_string(error->code) : "(none)",
                 error ? error->message : "", aavm_error_code_to_string(code));
    return g_strdup(error->message);
}

static char *
parse_fails_str(const char *xml, AavmError code)
{
    return parse_fails(xml, strlen(xml), code);
}

static const AavmDisk *
disk_at(const AavmDomain *domain, guint i)
{
    return aavm_test_item(domain->disks, i);
}

static const AavmChardev *
chardev_at(const AavmDomain *domain, guint i)
{
    return aavm_test_item(domain->chardevs, i);
}

/* ---- identity ----------------------------------------------------------- */

static void
test_domain_parse_minimal(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(MINIMAL);

    (void)state;
    assert_string_equal(domain->name, "vm1");
    assert_string_equal(domain->uuid, UUID);
    assert_string_equal(domain->virt_type, "kvm");
    assert_string_equal(domain->os_type, "hvm");
    assert_string_equal(domain->arch, "x86_64");
    assert_int_equal(domain->id, -1);
    assert_null(domain->kernel);
    assert_null(domain->initrd);
    assert_null(domain->dtb);
    assert_null(domain->loader);
    assert_null(domain->loader_type);
    assert_int_equal(domain->loader_readonly, AAVM_TRISTATE_ABSENT);
    assert_null(domain->nvram);
    assert_int_equal(domain->disks->len, 0);
    assert_int_equal(domain->chardevs->len, 0);
}

static void
test_domain_parse_smallest(void **state)
{
    /* No <devices>, no arch, no XML declaration. */
    g_autoptr(AavmDomain) domain = parse_ok(
        "<domain type='lxc'><name>c</name><uuid>" UUID "</uuid>"
        "<os><type>exe</type></os></domain>");

    (void)state;
    assert_string_equal(domain->name, "c");
    assert_string_equal(domain->virt_type, "lxc");
    assert_string_equal(domain->os_type, "exe");
    assert_null(domain->arch);
    assert_int_equal(domain->disks->len, 0);
}

static void
test_domain_parse_uuid_normalized(void **state)
{
    g_autoptr(AavmDomain) upper = parse_ok(
        "<domain type='qemu'><name>vm</name><uuid>6C8E2B4C-1C3D-4E5F-8A9B-0C1D2E3F4A5B</uuid>"
        "<os><type>hvm</type></os></domain>");
    g_autoptr(AavmDomain) nodash = parse_ok(
        "<domain type='qemu'><name>vm</name><uuid> 6c8e2b4c1c3d4e5f8a9b0c1d2e3f4a5b </uuid>"
        "<os><type>hvm</type></os></domain>");

    (void)state;
    assert_string_equal(upper->uuid, UUID);
    assert_string_equal(nodash->uuid, UUID);
}

static void
test_domain_parse_missing_parts(void **state)
{
    static const char *const cases[] = {
        /* no type */
        "<domain><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        /* no name */
        "<domain type='kvm'><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        /* empty name */
        "<domain type='kvm'><name> </name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        /* no uuid */
        "<domain type='kvm'><name>vm</name><os><type>hvm</type></os></domain>",
        /* empty uuid */
        "<domain type='kvm'><name>vm</name><uuid></uuid><os><type>hvm</type></os></domain>",
        /* no os type */
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid><os></os></domain>",
        /* no os at all */
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid></domain>",
        /* os type in the wrong place */
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid><type>hvm</type></domain>",
        /* name nested in the wrong place */
        "<domain type='kvm'><os><name>vm</name><type>hvm</type></os><uuid>" UUID "</uuid></domain>",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = parse_fails_str(cases[i], AAVM_ERROR_INVALID_XML);
        assert_non_null(msg);
    }
}

static void
test_domain_parse_missing_messages(void **state)
{
    g_autofree char *no_name = parse_fails_str(
        "<domain type='kvm'><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        AAVM_ERROR_INVALID_XML);
    g_autofree char *no_uuid = parse_fails_str(
        "<domain type='kvm'><name>vm</name><os><type>hvm</type></os></domain>",
        AAVM_ERROR_INVALID_XML);
    g_autofree char *no_os_type = parse_fails_str(
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid><os/></domain>",
        AAVM_ERROR_INVALID_XML);
    g_autofree char *no_type = parse_fails_str(
        "<domain><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        AAVM_ERROR_INVALID_XML);

    (void)state;
    /* Each message names what is missing. */
    assert_non_null(strstr(no_name, "<name>"));
    assert_non_null(strstr(no_uuid, "<uuid>"));
    assert_non_null(strstr(no_os_type, "<type>"));
    assert_non_null(strstr(no_type, "type"));
}

static void
test_domain_parse_bad_uuid(void **state)
{
    g_autofree char *msg = parse_fails_str(
        "<domain "
        "type='kvm'><name>vm</name><uuid>not-a-uuid</uuid><os><type>hvm</type></os></domain>",
        AAVM_ERROR_BAD_UUID);

    (void)state;
    assert_non_null(strstr(msg, "not-a-uuid"));
}

static void
test_domain_parse_unsupported_types(void **state)
{
    /* A type that cannot be a template's name is refused; so is an OS type
     * libvirt does not know. */
    static const char *const cases[] = {
        "<domain type='KVM'><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        "<domain type=''><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='../qemu'><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='a/b'><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='a b'><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='1x'><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='abcdefghijklmnopqrstuvwxyzabcdefg'><name>vm</name><uuid>" UUID
        "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid><os><type>dos</type></os></domain>",
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid><os><type>HVM</type></os></domain>",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = parse_fails_str(cases[i], AAVM_ERROR_UNSUPPORTED);
        assert_non_null(msg);
    }
    g_autofree char *virt = parse_fails_str(cases[2], AAVM_ERROR_UNSUPPORTED);
    g_autofree char *os = parse_fails_str(cases[7], AAVM_ERROR_UNSUPPORTED);
    assert_non_null(strstr(virt, "'../qemu'"));
    assert_non_null(strstr(os, "'dos'"));
}

static void
test_domain_parse_unknown_virt_type(void **state)
{
    /* Accepted with a warning naming it, like a known type without a
     * template of its own: no base rules, TEMPLATE.<type>. */
    static const char *const types[] = { "foo", "warp_drive-2", "abcdefghijklmnopqrstuvwxyzabcdef" };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='%s'><name>vm</name><uuid>" UUID "</uuid>"
            "<os><type>hvm</type></os></domain>", types[i]);
        g_autofree char *quoted = g_strdup_printf("'%s'", types[i]);
        g_autoptr(AavmDomain) domain = parse_ok(xml);

        assert_string_equal(domain->virt_type, types[i]);
        assert_false(aavm_domain_is_qemu(domain));
        assert_string_equal(aavm_domain_driver(domain), types[i]);
        assert_int_equal(domain->warnings->len, 1);
        assert_non_null(strstr(g_ptr_array_index(domain->warnings, 0), quoted));
    }
}

static void
test_domain_parse_known_types(void **state)
{
    static const char *const virt_types[] = { "qemu", "kqemu", "kvm", "xen", "lxc", "hvf" };
    static const char *const os_types[] = { "hvm", "xen", "linux", "exe" };

    (void)state;
    for (guint v = 0; v < G_N_ELEMENTS(virt_types); v++) {
        for (guint o = 0; o < G_N_ELEMENTS(os_types); o++) {
            g_autofree char *xml = g_strdup_printf(
                "<domain type='%s'><name>vm</name><uuid>" UUID "</uuid>"
                "<os><type>%s</type></os></domain>", virt_types[v], os_types[o]);
            g_autoptr(AavmDomain) domain = parse_ok(xml);

            assert_string_equal(domain->virt_type, virt_types[v]);
            assert_int_equal(domain->warnings->len, 0);
            assert_string_equal(domain->os_type, os_types[o]);
        }
    }
}

static void
test_domain_parse_root_not_domain(void **state)
{
    static const char *const cases[] = {
        "<network><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></network>",
        "<Domain type='kvm'><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></Domain>",
        "<x:domain xmlns:x='urn:x' type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></x:domain>",
        "<domains><domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain></domains>",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = parse_fails_str(cases[i], AAVM_ERROR_INVALID_XML);
        assert_non_null(msg);
    }
}

static void
test_domain_parse_not_well_formed(void **state)
{
    static const char *const cases[] = {
        "<domain type='kvm'><name>vm</domain>",
        "<domain type='kvm'>",
        "<domain type='kvm'><name>vm</name><uuid>" UUID
        "</uuid><os><type>hvm</type></os></domain><domain/>",
        "<domain type='kvm' type='qemu'><name>vm</name><uuid>" UUID
        "</uuid><os><type>hvm</type></os></domain>",
        "<domain type=kvm><name>vm</name><uuid>" UUID "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='kvm'><name>a & b</name><uuid>" UUID
        "</uuid><os><type>hvm</type></os></domain>",
        "<domain type='kvm'><name>&undefined;</name><uuid>" UUID
        "</uuid><os><type>hvm</type></os></domain>",
        "not xml at all",
        "   \n\t ",
        "<?xml version='1.0'?>",
        "<domain type='kvm'><name>\xff\xfe</name><uuid>" UUID
        "</uuid><os><type>hvm</type></os></domain>",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = parse_fails_str(cases[i], AAVM_ERROR_INVALID_XML);
        assert_non_null(msg);
    }
}

static void
test_domain_parse_empty(void **state)
{
    g_autofree char *msg = parse_fails("", 0, AAVM_ERROR_INVALID_XML);
    /* Length 0 is empty whatever the pointer holds. */
    g_autofree char *msg2 = parse_fails(MINIMAL, 0, AAVM_ERROR_INVALID_XML);

    (void)state;
    assert_non_null(strstr(msg, "empty"));
    assert_non_null(strstr(msg2, "empty"));
}

static void
test_domain_parse_length_respected(void **state)
{
    /* Bytes after @len are not read: a valid document followed by junk. */
    g_autofree char *buf = g_strconcat(MINIMAL, "<garbage", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(buf, strlen(MINIMAL), &error);

    (void)state;
    assert_null(error);
    assert_non_null(domain);
    assert_string_equal(domain->name, "vm1");

    /* And a cut document is incomplete. */
    g_autofree char *msg = parse_fails(MINIMAL, strlen(MINIMAL) / 2, AAVM_ERROR_INVALID_XML);
    assert_non_null(msg);
}

/* A valid domain of exactly @len bytes, filled up with ignored elements in
 * <metadata> (not one long run of white space, which libxml2 limits by
 * itself to 10,000,000 bytes). */
static char *
padded_domain(gsize len)
{
    static const char head[] =
        "<domain type='kvm'><name>vm1</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os><metadata xmlns:pad='urn:pad'>";
    static const char unit[] = "<pad:x/>";
    static const char tail[] = "</metadata></domain>\n";
    char *buf = g_malloc(len + 1);
    gsize pos = strlen(head);

    g_assert(len >= strlen(head) + strlen(tail));
    memcpy(buf, head, pos);
    while (pos + strlen(unit) + strlen(tail) <= len) {
        memcpy(buf + pos, unit, strlen(unit));
        pos += strlen(unit);
    }
    memset(buf + pos, ' ', len - strlen(tail) - pos);
    memcpy(buf + len - strlen(tail), tail, strlen(tail));
    buf[len] = '\0';
    return buf;
}

static void
test_domain_parse_too_large(void **state)
{
    g_autofree char *big = padded_domain(AAVM_DOMAIN_XML_MAX + 1);
    g_autofree char *msg = parse_fails(big, AAVM_DOMAIN_XML_MAX + 1, AAVM_ERROR_TOO_LARGE);

    (void)state;
    assert_non_null(msg);
}

static void
test_domain_parse_largest_accepted(void **state)
{
    g_autofree char *big = padded_domain(AAVM_DOMAIN_XML_MAX);
    g_autoptr(GError) error = NULL;
    g_autoptr(AavmDomain) domain = aavm_domain_parse_string(big, AAVM_DOMAIN_XML_MAX, &error);

    (void)state;
    if (!domain)
        fail_msg("a domain of exactly the limit was refused: %s", error->message);
    assert_string_equal(domain->name, "vm1");
}

static void
test_domain_parse_too_many_devices(void **state)
{
    GString *xml = g_string_new("<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
                                "<os><type>hvm</type></os><devices>");
    g_autofree char *msg = NULL;

    (void)state;
    for (guint i = 0; i < AAVM_DOMAIN_MAX_DEVICES + 1; i++)
        g_string_append(xml, "<input/>");
    g_string_append(xml, "</devices></domain>");
    msg = parse_fails(xml->str, xml->len, AAVM_ERROR_TOO_LARGE);
    assert_non_null(msg);
    g_string_free(xml, TRUE);
}

static void
test_domain_parse_many_devices_accepted(void **state)
{
    GString *xml = g_string_new("<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
                                "<os><type>hvm</type></os><devices>");
    g_autoptr(AavmDomain) domain = NULL;

    (void)state;
    for (guint i = 0; i < AAVM_DOMAIN_MAX_DEVICES - 1; i++)
        g_string_append(xml, "<input/>");
    g_string_append(xml, "<serial type='pty'/></devices></domain>");
    domain = parse_ok(xml->str);
    assert_int_equal(domain->chardevs->len, 1);
    g_string_free(xml, TRUE);
}

/* ---- DTDs and entities -------------------------------------------------- */

/* Fail if any non-trivial line of the real /etc/passwd is in @text. */
static void
assert_no_passwd_content(const char *text)
{
    g_autofree char *passwd = NULL;

    assert_null(strstr(text, "root:x:0"));
    assert_null(strstr(text, "/bin/bash"));
    assert_null(strstr(text, "nologin"));
    if (!g_file_get_contents("/etc/passwd", &passwd, NULL, NULL))
        return;
    g_auto(GStrv) lines = g_strsplit(passwd, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        if (strlen(lines[i]) >= 8 && strstr(text, lines[i]))
            fail_msg("/etc/passwd content in '%s'", text);
}

static void
test_domain_parse_internal_entity_refused(void **state)
{
    static const char *const xml =
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [ <!ENTITY who 'injected-name'> ]>\n"
        "<domain type='kvm'><name>&who;</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>\n";
    g_autofree char *msg = parse_fails_str(xml, AAVM_ERROR_INVALID_XML);

    (void)state;
    assert_null(strstr(msg, "injected-name"));
}

static void
test_domain_parse_external_entity_refused(void **state)
{
    static const char *const cases[] = {
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [ <!ENTITY xxe SYSTEM 'file:///etc/passwd'> ]>\n"
        "<domain type='kvm'><name>&xxe;</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>\n",
        /* In an attribute that becomes a path. */
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [ <!ENTITY xxe SYSTEM 'file:///etc/passwd'> ]>\n"
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type><kernel>&xxe;</kernel></os></domain>\n",
        /* Parameter entity pulling in the file as a DTD. */
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [ <!ENTITY % ext SYSTEM 'file:///etc/passwd'> %ext; ]>\n"
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>\n",
        /* An external DTD only. */
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain SYSTEM 'file:///etc/passwd'>\n"
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>\n",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *msg = parse_fails_str(cases[i], AAVM_ERROR_INVALID_XML);
        assert_no_passwd_content(msg);
    }
}

static void
test_domain_parse_entity_expansion_refused(void **state)
{
    /* "Billion laughs": refused, and quickly (no expansion). */
    static const char *const xml =
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [\n"
        " <!ENTITY a 'aaaaaaaaaa'>\n"
        " <!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n"
        " <!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>\n"
        " <!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>\n"
        " <!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'>\n"
        " <!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>\n"
        " <!ENTITY g '&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;'>\n"
        "]>\n"
        "<domain type='kvm'><name>&g;</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>\n";
    g_autofree char *msg = parse_fails_str(xml, AAVM_ERROR_INVALID_XML);

    (void)state;
    assert_null(strstr(msg, "aaaaaaaaaa"));
}

/* The one entry point: a status file's <domstatus> only where asked for,
 * and a document type declaration refused in either. */
static void
test_domain_xml_read_status(void **state)
{
    static const char body[] =
        "<domstatus state='running'><domain type='kvm'><name>&n;</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain></domstatus>";
    static const char plain[] =
        "<domstatus state='running'><domain type='kvm'><name>vm</name></domain></domstatus>";
    g_auto(GStrv) doctypes = aavm_test_hostile_doctypes("domstatus");
    xmlNode *root = NULL;
    g_autoptr(GError) error = NULL;

    (void)state;
    g_autoptr(xmlDoc) doc = aavm_domain_xml_read(plain, strlen(plain), TRUE, &root, &error);
    assert_non_null(doc);
    assert_string_equal((const char *)root->name, "domain");
    assert_null(aavm_domain_xml_read(plain, strlen(plain), FALSE, &root, &error));
    assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_XML));
    assert_string_equal(error->message, "The root element is not <domain>.");
    for (guint i = 0; doctypes[i]; i++) {
        g_autofree char *xml = g_strconcat(doctypes[i], body, NULL);
        g_clear_error(&error);
        assert_null(aavm_domain_xml_read(xml, strlen(xml), TRUE, &root, &error));
        assert_true(g_error_matches(error, AAVM_ERROR, AAVM_ERROR_INVALID_XML));
        /* libxml2 itself stops the "billion laughs" (an entity loop). */
        assert_true(strstr(error->message, "document type declaration") ||
                    strstr(error->message, "entity reference loop"));
        assert_null(strstr(error->message, "injected"));
    }
}

static void
test_domain_parse_doctype_without_entities_refused(void **state)
{
    g_autofree char *msg = parse_fails_str(
        "<!DOCTYPE domain>\n<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>", AAVM_ERROR_INVALID_XML);

    (void)state;
    assert_non_null(msg);
}

static void
test_domain_parse_predefined_entities(void **state)
{
    /* The five predefined entities and character references are plain XML. */
    g_autoptr(AavmDomain) domain = parse_ok(
        "<domain type='kvm'><name>a&amp;b&lt;c&gt;&apos;&quot;&#x41;&#66;</name>"
        "<uuid>" UUID "</uuid><os><type>hvm</type></os></domain>");

    (void)state;
    assert_string_equal(domain->name, "a&b<c>'\"AB");
}

/* ---- id ----------------------------------------------------------------- */

static void
test_domain_parse_id(void **state)
{
    g_autoptr(AavmDomain) five = parse_ok(
        "<domain type='kvm' id='5'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>");
    g_autoptr(AavmDomain) zero = parse_ok(
        "<domain type='kvm' id='0'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>");
    g_autoptr(AavmDomain) big = parse_ok(
        "<domain type='kvm' id='2147483647'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os></domain>");
    g_autoptr(AavmDomain) none = parse_ok(MINIMAL);

    (void)state;
    assert_int_equal(five->id, 5);
    assert_int_equal(zero->id, 0);
    assert_int_equal(big->id, 2147483647);
    assert_int_equal(none->id, -1);
}

static void
test_domain_parse_id_junk(void **state)
{
    static const char *const ids[] = {
        "abc", "", "5x", "x5", "1.5", "-2", "2147483648", "99999999999999999999", "0x10",
    };

    (void)state;
    for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='kvm' id='%s'><name>vm</name><uuid>" UUID "</uuid>"
            "<os><type>hvm</type></os></domain>", ids[i]);
        g_autofree char *msg = parse_fails_str(xml, AAVM_ERROR_INVALID_XML);
        assert_non_null(msg);
    }
}

/* ---- disks -------------------------------------------------------------- */

static void
test_domain_parse_disk_sources(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<disk type='file' device='disk'>"
        "  <driver name='qemu' type='qcow2'/>"
        "  <source file='/var/lib/libvirt/images/disk.qcow2'/>"
        "  <target dev='vda' bus='virtio'/>"
        "</disk>"
        "<disk type='block' device='lun'>"
        "  <driver name='qemu' type='raw'/>"
        "  <source dev='/dev/sdb'/>"
        "  <target dev='sdb' bus='scsi'/>"
        "  <shareable/>"
        "</disk>"
        "<disk type='dir' device='disk'>"
        "  <source dir='/srv/share'/>"
        "  <target dev='hda'/>"
        "  <readonly/>"
        "</disk>"));
    const AavmDisk *file, *block, *dir;

    (void)state;
    assert_int_equal(domain->disks->len, 3);
    file = disk_at(domain, 0);
    block = disk_at(domain, 1);
    dir = disk_at(domain, 2);

    assert_int_equal(file->top->type, AAVM_DISK_FILE);
    assert_string_equal(file->top->type_name, "file");
    assert_string_equal(file->device, "disk");
    assert_string_equal(file->target, "vda");
    assert_string_equal(file->top->path, "/var/lib/libvirt/images/disk.qcow2");
    assert_string_equal(file->top->format, "qcow2");
    assert_false(file->readonly);
    assert_false(file->shareable);

    assert_int_equal(block->top->type, AAVM_DISK_BLOCK);
    assert_string_equal(block->device, "lun");
    assert_string_equal(block->target, "sdb");
    assert_string_equal(block->top->path, "/dev/sdb");
    assert_string_equal(block->top->format, "raw");
    assert_false(block->readonly);
    assert_true(block->shareable);

    assert_int_equal(dir->top->type, AAVM_DISK_DIR);
    assert_string_equal(dir->target, "hda");
    assert_string_equal(dir->top->path, "/srv/share");
    assert_null(dir->top->format);
    assert_true(dir->readonly);
    assert_false(dir->shareable);
}

static void
test_domain_parse_disk_source_attribute_by_type(void **state)
{
    /* Each type reads its own attribute only. */
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<disk type='file'><source dev='/dev/sda' dir='/srv'/><target dev='vda'/></disk>"
        "<disk type='block'><source file='/etc/shadow'/><target dev='vdb'/></disk>"
        "<disk type='dir'><source file='/etc/shadow' dev='/dev/sda'/><target dev='vdc'/></disk>"));

    (void)state;
    assert_int_equal(domain->disks->len, 3);
    assert_null(disk_at(domain, 0)->top->path);
    assert_null(disk_at(domain, 1)->top->path);
    assert_null(disk_at(domain, 2)->top->path);
}

static void
test_domain_parse_disk_empty_cdrom(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<disk type='file' device='cdrom'>"
        "  <driver name='qemu' type='raw'/>"
        "  <target dev='sda' bus='sata'/>"
        "  <readonly/>"
        "</disk>"
        "<disk type='file' device='floppy'><source/><target dev='fda'/></disk>"));
    const AavmDisk *cdrom, *floppy;

    (void)state;
    assert_int_equal(domain->disks->len, 2);
    cdrom = disk_at(domain, 0);
    floppy = disk_at(domain, 1);
    assert_string_equal(cdrom->device, "cdrom");
    assert_null(cdrom->top->path);
    assert_true(cdrom->readonly);
    assert_string_equal(cdrom->target, "sda");
    assert_string_equal(floppy->device, "floppy");
    assert_null(floppy->top->path);
}

static void
test_domain_parse_disk_network(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<disk type='network' device='disk'>"
        "  <driver name='qemu' type='raw'/>"
        "  <source protocol='rbd' name='pool/image' file='/etc/shadow'>"
        "    <host name='ceph.example' port='6789'/>"
        "  </source>"
        "  <target dev='vdd' bus='virtio'/>"
        "</disk>"
        "<disk type='volume' device='disk'>"
        "  <source pool='default' volume='v1'/>"
        "  <target dev='vde'/>"
        "</disk>"
        "<disk type='nvme' device='disk'>"
        "  <source type='pci' managed='yes' namespace='1'>"
        "    <address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>"
        "  </source>"
        "  <target dev='vdf'/>"
        "</disk>"
        "<disk type='weird'><source file='/x'/><target dev='vdg'/></disk>"));

    (void)state;
    assert_int_equal(domain->disks->len, 4);
    assert_int_equal(disk_at(domain, 0)->top->type, AAVM_DISK_NETWORK);
    assert_string_equal(disk_at(domain, 0)->top->type_name, "network");
    assert_null(disk_at(domain, 0)->top->path);
    assert_string_equal(disk_at(domain, 0)->target, "vdd");
    assert_string_equal(disk_at(domain, 0)->top->format, "raw");
    assert_int_equal(disk_at(domain, 1)->top->type, AAVM_DISK_VOLUME);
    assert_null(disk_at(domain, 1)->top->path);
    assert_int_equal(disk_at(domain, 2)->top->type, AAVM_DISK_NVME);
    assert_null(disk_at(domain, 2)->top->path);
    /* An unknown type is kept by name, without a source. */
    assert_int_equal(disk_at(domain, 3)->top->type, AAVM_DISK_OTHER);
    assert_string_equal(disk_at(domain, 3)->top->type_name, "weird");
    assert_null(disk_at(domain, 3)->top->path);
}

static void
test_domain_parse_disk_defaults(void **state)
{
    /* No type: a file; no device: a disk; no target, no driver. */
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<disk><source file='/var/lib/libvirt/images/disk.qcow2'/></disk>"));
    const AavmDisk *disk;

    (void)state;
    assert_int_equal(domain->disks->len, 1);
    disk = disk_at(domain, 0);
    assert_int_equal(disk->top->type, AAVM_DISK_FILE);
    assert_string_equal(disk->top->type_name, "file"); /* the default */
    assert_string_equal(disk->device, "disk");
    assert_null(disk->target);
    assert_null(disk->top->format);
    assert_string_equal(disk->top->path, "/var/lib/libvirt/images/disk.qcow2");
}

static void
test_domain_parse_disk_source_not_altered(void **state)
{
    /* Paths are passed on exactly as written: checking them is the path
     * policy's job, not the parser's. */
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<disk type='file'><source file='/var/lib/libvirt/images/a b [c]*{d}.img'/>"
        "<target dev='vda'/></disk>"
        "<disk type='file'><source file='relative/x.img'/><target dev='vdb'/></disk>"
        "<disk type='file'><source file='/x/a&quot;b&#10;c'/><target dev='vdc'/></disk>"));

    (void)state;
    assert_string_equal(disk_at(domain, 0)->top->path, "/var/lib/libvirt/images/a b [c]*{d}.img");
    assert_string_equal(disk_at(domain, 1)->top->path, "relative/x.img");
    assert_string_equal(disk_at(domain, 2)->top->path, "/x/a\"b\nc");
}

/* ---- character devices -------------------------------------------------- */

static void
test_domain_parse_chardevs_counted_per_kind(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<serial type='pty'><target port='0'/></serial>"
        "<parallel type='file'><source path='/var/log/lp0.log'/></parallel>"
        "<serial type='file'><source path='/var/log/serial1.log'/></serial>"
        "<channel type='unix'>"
        "  <source mode='bind' path='/var/lib/libvirt/qemu/channel/target/vm1.agent'/>"
        "  <target type='virtio' name='org.qemu.guest_agent.0'/>"
        "</channel>"
        "<console type='pty'><target type='serial' port='0'/></console>"
        "<serial type='pipe'><source path='/tmp/serial2'/></serial>"
        "<channel type='spicevmc'><target type='virtio' name='com.redhat.spice.0'/></channel>"
        "<parallel type='pipe'><source path='/tmp/lp1'/></parallel>"));
    static const struct {
        AavmChardevKind kind;
        guint index;
        const char *type;
        const char *path;
        const char *target_name;
    } expected[] = {
        { AAVM_CHARDEV_SERIAL, 0, "pty", NULL, NULL },
        { AAVM_CHARDEV_PARALLEL, 0, "file", "/var/log/lp0.log", NULL },
        { AAVM_CHARDEV_SERIAL, 1, "file", "/var/log/serial1.log", NULL },
        { AAVM_CHARDEV_CHANNEL, 0, "unix", "/var/lib/libvirt/qemu/channel/target/vm1.agent",
          "org.qemu.guest_agent.0" },
        { AAVM_CHARDEV_CONSOLE, 0, "pty", NULL, NULL },
        { AAVM_CHARDEV_SERIAL, 2, "pipe", "/tmp/serial2", NULL },
        { AAVM_CHARDEV_CHANNEL, 1, "spicevmc", NULL, "com.redhat.spice.0" },
        { AAVM_CHARDEV_PARALLEL, 1, "pipe", "/tmp/lp1", NULL },
    };

    (void)state;
    assert_int_equal(domain->chardevs->len, G_N_ELEMENTS(expected));
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
        const AavmChardev *c = chardev_at(domain, i);

        assert_int_equal(c->kind, expected[i].kind);
        assert_int_equal(c->index, expected[i].index);
        assert_string_equal(c->type, expected[i].type);
        if (expected[i].path)
            assert_string_equal(c->path, expected[i].path);
        else
            assert_null(c->path);
        if (expected[i].target_name)
            assert_string_equal(c->target_name, expected[i].target_name);
        else
            assert_null(c->target_name);
    }
}

static void
test_domain_parse_chardev_udp_two_sources(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<serial type='udp'>"
        "  <source mode='bind' host='0.0.0.0' service='2222'/>"
        "  <source mode='connect' host='192.0.2.1' service='2223'/>"
        "  <target port='0'/>"
        "</serial>"
        "<serial type='unix'><source mode='bind' path='/run/vm1/serial1.sock'/></serial>"));
    const AavmChardev *udp, *unix_sock;

    (void)state;
    /* Two sources are one device. */
    assert_int_equal(domain->chardevs->len, 2);
    udp = chardev_at(domain, 0);
    unix_sock = chardev_at(domain, 1);
    assert_int_equal(udp->kind, AAVM_CHARDEV_SERIAL);
    assert_int_equal(udp->index, 0);
    assert_string_equal(udp->type, "udp");
    assert_null(udp->path);
    assert_int_equal(unix_sock->index, 1);
    assert_string_equal(unix_sock->type, "unix");
    assert_string_equal(unix_sock->path, "/run/vm1/serial1.sock");
}

static void
test_domain_parse_chardev_path_on_second_source(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("",
        "<channel type='unix'>"
        "  <source mode='bind'/>"
        "  <source mode='bind' path='/run/second.sock'/>"
        "  <source mode='bind' path='/run/third.sock'/>"
        "  <target type='virtio' name='x.y.0'/>"
        "</channel>"));

    (void)state;
    assert_int_equal(domain->chardevs->len, 1);
    assert_string_equal(chardev_at(domain, 0)->path, "/run/second.sock");
    assert_string_equal(chardev_at(domain, 0)->target_name, "x.y.0");
}

static void
test_domain_parse_chardev_default_type(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH("", "<console/>"));

    (void)state;
    assert_int_equal(domain->chardevs->len, 1);
    assert_int_equal(chardev_at(domain, 0)->kind, AAVM_CHARDEV_CONSOLE);
    assert_string_equal(chardev_at(domain, 0)->type, "pty");
    assert_null(chardev_at(domain, 0)->path);
}

/* ---- os ----------------------------------------------------------------- */

static void
test_domain_parse_os_boot_files(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH(
        "    <kernel>/boot/vmlinuz-test</kernel>\n"
        "    <initrd>\n      /boot/initrd-test\n    </initrd>\n"
        "    <cmdline>console=ttyS0</cmdline>\n"
        "    <dtb>/boot/test.dtb</dtb>\n", ""));

    (void)state;
    assert_string_equal(domain->kernel, "/boot/vmlinuz-test");
    assert_string_equal(domain->initrd, "/boot/initrd-test");
    assert_string_equal(domain->dtb, "/boot/test.dtb");
}

static void
test_domain_parse_os_loader(void **state)
{
    g_autoptr(AavmDomain) yes = parse_ok(DOMAIN_WITH(
        "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>", ""));
    g_autoptr(AavmDomain) no = parse_ok(DOMAIN_WITH(
        "<loader readonly='no' type='rom'>/usr/share/seabios/bios.bin</loader>", ""));
    g_autoptr(AavmDomain) absent = parse_ok(DOMAIN_WITH(
        "<loader>/usr/share/OVMF/OVMF_CODE.fd</loader>", ""));

    (void)state;
    assert_string_equal(yes->loader, "/usr/share/OVMF/OVMF_CODE.fd");
    assert_string_equal(yes->loader_type, "pflash");
    assert_int_equal(yes->loader_readonly, AAVM_TRISTATE_YES);

    assert_string_equal(no->loader, "/usr/share/seabios/bios.bin");
    assert_string_equal(no->loader_type, "rom");
    assert_int_equal(no->loader_readonly, AAVM_TRISTATE_NO);

    assert_string_equal(absent->loader, "/usr/share/OVMF/OVMF_CODE.fd");
    assert_null(absent->loader_type);
    assert_int_equal(absent->loader_readonly, AAVM_TRISTATE_ABSENT);
}

static void
test_domain_parse_os_nvram_text(void **state)
{
    g_autoptr(AavmDomain) plain = parse_ok(DOMAIN_WITH(
        "<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
        "<nvram>/var/lib/libvirt/qemu/nvram/test_VARS.fd</nvram>", ""));
    g_autoptr(AavmDomain) templ = parse_ok(DOMAIN_WITH(
        "<nvram template='/usr/share/OVMF/OVMF_VARS.fd'>"
        "/var/lib/libvirt/qemu/nvram/vm1_VARS.fd</nvram>", ""));

    (void)state;
    assert_string_equal(plain->nvram, "/var/lib/libvirt/qemu/nvram/test_VARS.fd");
    assert_string_equal(templ->nvram, "/var/lib/libvirt/qemu/nvram/vm1_VARS.fd");
}

static void
test_domain_parse_os_nvram_file_source(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH(
        "<nvram type='file' template='/usr/share/OVMF/OVMF_VARS.fd'>"
        "  <source file='/var/lib/libvirt/qemu/nvram/vm1_VARS.fd'/>"
        "</nvram>", ""));

    (void)state;
    assert_string_equal(domain->nvram, "/var/lib/libvirt/qemu/nvram/vm1_VARS.fd");
}

static void
test_domain_parse_os_nvram_network(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(DOMAIN_WITH(
        "<nvram type='network'>"
        "  <source protocol='iscsi' name='iqn.2013-07.com.example:iscsi-nopool/0'>"
        "    <host name='example.com' port='6000'/>"
        "  </source>"
        "</nvram>", ""));
    /* A stray file attribute on a network source is no local path. */
    g_autoptr(AavmDomain) stray = parse_ok(DOMAIN_WITH(
        "<nvram type='network'>"
        "  <source protocol='nbd' name='vars' file='/var/lib/libvirt/qemu/nvram/x.fd'>"
        "    <host name='example.com'/>"
        "  </source>"
        "</nvram>", ""));

    (void)state;
    assert_null(domain->nvram);
    assert_null(stray->nvram);
}

/* ---- things not ours ---------------------------------------------------- */

static void
test_domain_parse_unknown_elements_ignored(void **state)
{
    g_autoptr(AavmDomain) domain = parse_ok(
        "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
        "  <name>vm1</name>\n"
        "  <uuid>" UUID "</uuid>\n"
        "  <title>A VM</title>\n"
        "  <metadata><app:x xmlns:app='urn:app'><disk file='/etc/shadow'/></app:x></metadata>\n"
        "  <futurething answer='42'><nested/></futurething>\n"
        "  <os>\n"
        "    <type arch='x86_64'>hvm</type>\n"
        "    <boot dev='hd'/>\n"
        "    <bootmenu enable='yes'/>\n"
        "  </os>\n"
        "  <features><acpi/><apic/></features>\n"
        "  <!-- <disk type='file'><source file='/etc/shadow'/></disk> -->\n"
        "  <devices>\n"
        "    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
        "    <interface type='network'><source network='default'/></interface>\n"
        "    <graphics type='vnc' port='-1'/>\n"
        "    <video><model type='virtio'/></video>\n"
        "    <x:disk xmlns:x='urn:x' type='file'><x:source file='/etc/shadow'/></x:disk>\n"
        "    <x:serial xmlns:x='urn:x' type='file'><source path='/etc/shadow'/></x:serial>\n"
        "    <sometimesnew type='file'><source file='/etc/shadow'/></sometimesnew>\n"
        "    text between devices\n"
        "    <disk type='file'><source file='/var/lib/libvirt/images/disk.qcow2'/>"
        "<target dev='vda'/><unknown/></disk>\n"
        "  </devices>\n"
        "  <qemu:commandline><qemu:arg value='-foo'/></qemu:commandline>\n"
        "</domain>\n");

    (void)state;
    assert_string_equal(domain->name, "vm1");
    assert_string_equal(domain->os_type, "hvm");
    /* Only the one real disk, no chardevs. */
    assert_int_equal(domain->disks->len, 1);
    assert_string_equal(disk_at(domain, 0)->top->path, "/var/lib/libvirt/images/disk.qcow2");
    assert_int_equal(domain->chardevs->len, 0);
}

static void
test_domain_parse_devices_outside_devices_ignored(void **state)
{
    /* A <disk> or <serial> anywhere but directly in <devices> is not a device. */
    g_autoptr(AavmDomain) domain = parse_ok(
        "<domain type='kvm'><name>vm</name><uuid>" UUID "</uuid>"
        "<os><type>hvm</type></os>"
        "<disk type='file'><source file='/etc/shadow'/></disk>"
        "<serial type='file'><source path='/etc/shadow'/></serial>"
        "<devices><controller><disk type='file'><source file='/etc/passwd'/></disk></controller>"
        "</devices></domain>");

    (void)state;
    assert_int_equal(domain->disks->len, 0);
    assert_int_equal(domain->chardevs->len, 0);
}

static void
test_domain_parse_null_error(void **state)
{
    (void)state;
    /* No GError wanted: still NULL, no crash. */
    assert_null(aavm_domain_parse_string("<x/>", 4, NULL));
    assert_null(aavm_domain_parse_string("", 0, NULL));
    assert_null(aavm_domain_parse_string("<domain", 7, NULL));
}

int
main(void)
{
    aavm_test_init();

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_domain_parse_minimal),
        cmocka_unit_test(test_domain_parse_smallest),
        cmocka_unit_test(test_domain_parse_uuid_normalized),
        cmocka_unit_test(test_domain_parse_missing_parts),
        cmocka_unit_test(test_domain_parse_missing_messages),
        cmocka_unit_test(test_domain_parse_bad_uuid),
        cmocka_unit_test(test_domain_parse_unsupported_types),
        cmocka_unit_test(test_domain_parse_unknown_virt_type),
        cmocka_unit_test(test_domain_parse_known_types),
        cmocka_unit_test(test_domain_parse_root_not_domain),
        cmocka_unit_test(test_domain_parse_not_well_formed),
        cmocka_unit_test(test_domain_parse_empty),
        cmocka_unit_test(test_domain_parse_length_respected),
        cmocka_unit_test(test_domain_parse_too_large),
        cmocka_unit_test(test_domain_parse_largest_accepted),
        cmocka_unit_test(test_domain_parse_too_many_devices),
        cmocka_unit_test(test_domain_parse_many_devices_accepted),
        cmocka_unit_test(test_domain_parse_internal_entity_refused),
        cmocka_unit_test(test_domain_parse_external_entity_refused),
        cmocka_unit_test(test_domain_parse_entity_expansion_refused),
        cmocka_unit_test(test_domain_parse_doctype_without_entities_refused),
        cmocka_unit_test(test_domain_xml_read_status),
        cmocka_unit_test(test_domain_parse_predefined_entities),
        cmocka_unit_test(test_domain_parse_id),
        cmocka_unit_test(test_domain_parse_id_junk),
        cmocka_unit_test(test_domain_parse_disk_sources),
        cmocka_unit_test(test_domain_parse_disk_source_attribute_by_type),
        cmocka_unit_test(test_domain_parse_disk_empty_cdrom),
        cmocka_unit_test(test_domain_parse_disk_network),
        cmocka_unit_test(test_domain_parse_disk_defaults),
        cmocka_unit_test(test_domain_parse_disk_source_not_altered),
        cmocka_unit_test(test_domain_parse_chardevs_counted_per_kind),
        cmocka_unit_test(test_domain_parse_chardev_udp_two_sources),
        cmocka_unit_test(test_domain_parse_chardev_path_on_second_source),
        cmocka_unit_test(test_domain_parse_chardev_default_type),
        cmocka_unit_test(test_domain_parse_os_boot_files),
        cmocka_unit_test(test_domain_parse_os_loader),
        cmocka_unit_test(test_domain_parse_os_nvram_text),
        cmocka_unit_test(test_domain_parse_os_nvram_file_source),
        cmocka_unit_test(test_domain_parse_os_nvram_network),
        cmocka_unit_test(test_domain_parse_unknown_elements_ignored),
        cmocka_unit_test(test_domain_parse_devices_outside_devices_ignored),
        cmocka_unit_test(test_domain_parse_null_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
