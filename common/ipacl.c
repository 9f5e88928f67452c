/* ipacl.c - IP allow and deny lists (see ipacl.h). */
#include "ipacl.h"

#include <stdio.h>
#include <string.h>

#include "hexfmt.h"
#include "mts_error.h"

static const unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A decimal number of 1 to 3 digits, no leading zero (so "010" is never
 * read as octal by one tool and decimal by another), at most max. */
static int parse_small(const char *s, size_t len, unsigned max, unsigned *out)
{
    unsigned n = 0;

    if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return -1;
        n = n * 10u + (unsigned)(s[i] - '0');
    }
    if (n > max)
        return -1;
    *out = n;
    return 0;
}

static int parse_ipv4(const char *s, size_t len, unsigned char out[4])
{
    size_t at = 0;

    for (int part = 0; part < 4; part++) {
        size_t end = at;
        unsigned n;
        while (end < len && s[end] != '.')
            end++;
        if (parse_small(s + at, end - at, 255, &n) != 0)
            return -1;
        out[part] = (unsigned char)n;
        if (part < 3 && end == len)
            return -1;
        at = end + 1;
    }
    return at == len + 1 ? 0 : -1;
}

/* RFC 4291 text: groups of 1 to 4 hex digits, at most one "::", and an
 * IPv4 address in place of the last two groups. No zone ("%eth0"). */
static int parse_ipv6(const char *s, size_t len, unsigned char out[16])
{
    unsigned char words[16];
    size_t at = 0, n = 0; /* n: bytes filled */
    long gap = -1;        /* where "::" stands, in bytes */

    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        at = 2;
    } else if (len >= 1 && s[0] == ':') {
        return -1;
    }
    while (at < len) {
        size_t end = at;
        unsigned v = 0;
        while (end < len && s[end] != ':' && s[end] != '.')
            end++;
        if (end < len && s[end] == '.') {
            /* The dotted IPv4 tail: it runs to the end of the text. */
            if (n > 12 || parse_ipv4(s + at, len - at, words + n) != 0)
                return -1;
            n += 4;
            break;
        }
        if (end == at || end - at > 4 || n >= 16)
            return -1;
        for (size_t i = at; i < end; i++) {
            int h = hexfmt_digit(s[i]);
            if (h < 0)
                return -1;
            v = v << 4 | (unsigned)h;
        }
        words[n++] = (unsigned char)(v >> 8);
        words[n++] = (unsigned char)v;
        at = end;
        if (at == len)
            break;
        at++; /* the ':' */
        if (at < len && s[at] == ':') {
            if (gap >= 0)
                return -1;
            gap = (long)n;
            at++;
        } else if (at == len) {
            return -1; /* a single trailing ':' */
        }
    }
    if (gap < 0) {
        if (n != 16)
            return -1;
        memcpy(out, words, 16);
        return 0;
    }
    if (n > 14)
        return -1; /* "::" stands for at least one group */
    memset(out, 0, 16);
    memcpy(out, words, (size_t)gap);
    memcpy(out + 16 - (n - (size_t)gap), words + gap, n - (size_t)gap);
    return 0;
}

int ipacl_parse_address(const char *s, size_t len, unsigned char addr[16])
{
    if (memchr(s, ':', len) != NULL)
        return parse_ipv6(s, len, addr);
    memcpy(addr, mapped_prefix, sizeof mapped_prefix);
    return parse_ipv4(s, len, addr + 12);
}

int ipacl_is_literal(const char *host, size_t len)
{
    unsigned char addr[16];

    if (len == 0)
        return 0;
    return memchr(host, ':', len) != NULL || ipacl_parse_address(host, len, addr) == 0;
}

int ipacl_same_address(const unsigned char addr[16], const unsigned char *raw, size_t raw_len)
{
    if (raw_len == 4)
        return memcmp(addr, mapped_prefix, sizeof mapped_prefix) == 0 &&
               memcmp(addr + 12, raw, 4) == 0;
    return raw_len == 16 && memcmp(addr, raw, 16) == 0;
}

/* 1 when a and b agree in their first bits bits. */
static int same_prefix(const unsigned char *a, const unsigned char *b, unsigned bits)
{
    size_t whole = bits / 8;
    unsigned rest = bits % 8;
    unsigned char mask;

    if (memcmp(a, b, whole) != 0)
        return 0;
    if (rest == 0)
        return 1;
    mask = (unsigned char)(0xffu << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

/* Keeps a quoted entry short and printable in a message. */
static void show(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len && i < 50 && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f)
            out[n++] = '?';
        else
            out[n++] = s[i];
    }
    out[n] = '\0';
}

#define HOST_BITS_SET (-2) /* parse_entry: an address with bits below its prefix */

/* addr (16 bytes) as text: dotted for IPv4 (mapped), else eight groups. */
static void format_address(const unsigned char addr[16], int v4, char *out, size_t cap)
{
    if (v4) {
        snprintf(out, cap, "%u.%u.%u.%u", addr[12], addr[13], addr[14], addr[15]);
        return;
    }
    snprintf(out, cap, "%x:%x:%x:%x:%x:%x:%x:%x", addr[0] << 8 | addr[1], addr[2] << 8 | addr[3],
             addr[4] << 8 | addr[5], addr[6] << 8 | addr[7], addr[8] << 8 | addr[9],
             addr[10] << 8 | addr[11], addr[12] << 8 | addr[13], addr[14] << 8 | addr[15]);
}

/* Why "10.0.0.1/8" is refused, and the two things it may have meant. */
static void explain_host_bits(const char *s, size_t len, char *err, size_t errcap)
{
    const char *slash = memchr(s, '/', len);
    size_t addr_len = (size_t)(slash - s);
    int v6 = memchr(s, ':', addr_len) != NULL;
    unsigned char addr[16];
    unsigned bits = 0;
    char shown[64], range[48], one[64];

    /* parse_entry has read both parts already, so they parse again. */
    if (ipacl_parse_address(s, addr_len, addr) != 0 ||
        parse_small(slash + 1, len - addr_len - 1, v6 ? 128 : 32, &bits) != 0)
        return;
    for (unsigned i = bits + (v6 ? 0 : 96); i < 128; i++)
        addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
    format_address(addr, !v6, range, sizeof range);
    show(shown, sizeof shown, s, len);
    show(one, sizeof one, s, addr_len);
    snprintf(err, errcap,
             "'%s' has bits set beyond its first %u: write the range as %s/%u, or the one "
             "address as %s",
             shown, bits, range, bits, one);
}

static int parse_entry(const char *s, size_t len, struct ipacl_range *r)
{
    const char *slash = memchr(s, '/', len);
    size_t addr_len = slash ? (size_t)(slash - s) : len;
    int v6 = memchr(s, ':', addr_len) != NULL;
    unsigned bits = 128;
    unsigned char host[16];

    if (ipacl_parse_address(s, addr_len, r->addr) != 0)
        return -1;
    if (slash != NULL) {
        if (parse_small(slash + 1, len - addr_len - 1, v6 ? 128 : 32, &bits) != 0)
            return -1;
        if (!v6)
            bits += 96;
    }
    /* Host bits below the prefix: "10.0.0.1/8" is refused, not widened. */
    memset(host, 0, sizeof host);
    for (unsigned i = bits; i < 128; i++)
        host[i / 8] |= (unsigned char)(0x80u >> (i % 8));
    for (size_t i = 0; i < 16; i++) {
        if (r->addr[i] & host[i])
            return HOST_BITS_SET;
    }
    r->bits = (unsigned char)bits;
    return 0;
}

static int is_separator(char c)
{
    return c == ',' || c == ' ' || c == '\t';
}

/* Parses every entry; stores them in acl unless it is NULL (a check only). */
static int walk(struct ipacl *acl, const char *text, size_t len, char *err, size_t errcap)
{
    size_t at = 0, count = 0;

    if (errcap > 0)
        err[0] = '\0';
    while (at < len) {
        size_t end;
        char shown[64];
        struct ipacl_range one;
        int rc;
        while (at < len && is_separator(text[at]))
            at++;
        if (at == len)
            break;
        end = at;
        while (end < len && !is_separator(text[end]))
            end++;
        if (count == IPACL_MAX_ENTRIES) {
            snprintf(err, errcap, "more than %u addresses or ranges", IPACL_MAX_ENTRIES);
            return MTS_ETOOLONG;
        }
        rc = parse_entry(text + at, end - at, acl != NULL ? &acl->range[count] : &one);
        if (rc == HOST_BITS_SET) {
            explain_host_bits(text + at, end - at, err, errcap);
            return MTS_ESYNTAX;
        }
        if (rc != 0) {
            show(shown, sizeof shown, text + at, end - at);
            snprintf(err, errcap,
                     "'%s' is not an address or a range (192.0.2.7, 10.0.0.0/8, 2001:db8::/32)",
                     shown);
            return MTS_ESYNTAX;
        }
        count++;
        at = end;
    }
    if (acl != NULL)
        acl->count = count;
    return 0;
}

int ipacl_parse(struct ipacl *acl, const char *text, size_t len, char *err, size_t errcap)
{
    acl->count = 0;
    return walk(acl, text, len, err, errcap);
}

int ipacl_check(const char *text, size_t len, char *err, size_t errcap)
{
    return walk(NULL, text, len, err, errcap);
}

int ipacl_match(const struct ipacl *acl, const unsigned char addr[16])
{
    for (size_t i = 0; i < acl->count; i++) {
        if (same_prefix(acl->range[i].addr, addr, acl->range[i].bits))
            return 1;
    }
    return 0;
}

int ipacl_admits(const struct ipacl *allow, const struct ipacl *deny, const unsigned char addr[16])
{
    if (ipacl_match(deny, addr))
        return 0;
    return allow->count == 0 || ipacl_match(allow, addr);
}
