/* certname.c - a certificate's names checked (see certname.h). */
#include "certname.h"

#include <stdio.h>
#include <string.h>

#include "ipacl.h"
#include "mts_error.h"

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Why the label s[0..len) cannot be in a DNS name, or NULL when it can. */
static const char *label_fault(const char *s, size_t len)
{
    if (len == 0)
        return "has an empty label (two dots in a row, or a dot at an end)";
    if (len > 63)
        return "has a label longer than 63 characters";
    if (s[0] == '-' || s[len - 1] == '-')
        return "has a label that starts or ends with a hyphen";
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '*')
            return "has a '*' that is not the whole leftmost label";
        if (!is_alnum(s[i]) && s[i] != '-')
            return "holds a character a DNS name cannot (letters, digits, '-' and '.' only)";
    }
    return NULL;
}

/* Why text[0..len) is no DNS name by certname.h's rules, or NULL. */
static const char *dns_fault(const char *text, size_t len)
{
    size_t start = 0, labels = 0, last = 0;
    int wildcard = len >= 2 && text[0] == '*' && text[1] == '.';
    int all_digits = 1;

    if (len > CERTNAME_MAX_LEN)
        return "is longer than 253 characters";
    if (wildcard)
        start = 2;
    for (size_t i = start; i <= len; i++) {
        if (i < len && text[i] != '.')
            continue;
        const char *fault = label_fault(text + start, i - start);
        if (fault != NULL)
            return fault;
        last = start;
        labels++;
        start = i + 1;
    }
    if (wildcard && labels < 2)
        return "has a wildcard over a top-level domain (at least '*.example.org')";
    for (size_t i = last; i < len; i++)
        all_digits &= text[i] >= '0' && text[i] <= '9';
    if (all_digits)
        return "ends in an all-digit label: neither a DNS name nor an IP address";
    return NULL;
}

/* 1 when text reads as meant for an address: a ':', or digits, dots and
 * '/' only (a range, refused as an address rather than as a name). */
static int looks_like_address(const char *text, size_t len)
{
    int digits_dots = 1;

    if (memchr(text, ':', len) != NULL)
        return 1;
    for (size_t i = 0; i < len; i++)
        digits_dots &= (text[i] >= '0' && text[i] <= '9') || text[i] == '.' || text[i] == '/';
    return digits_dots;
}

int certname_parse(const char *text, struct certname *out, char *why, size_t whycap)
{
    size_t len = strlen(text);
    const char *fault;

    memset(out, 0, sizeof *out);
    if (len == 0) {
        snprintf(why, whycap, "an empty name (a DNS name or an IP address is wanted)");
        return MTS_EINVAL;
    }
    if (looks_like_address(text, len)) {
        int v6 = memchr(text, ':', len) != NULL;
        if (memchr(text, '/', len) != NULL || memchr(text, '%', len) != NULL ||
            ipacl_parse_address(text, len, out->addr) != 0) {
            snprintf(why, whycap, "'%.*s' is not an IP address (no prefix, no zone)",
                     (int)(len > 80 ? 80 : len), text);
            return MTS_EINVAL;
        }
        out->kind = CERTNAME_IP;
        out->addr_len = v6 ? 16 : 4;
        if (!v6)
            memmove(out->addr, out->addr + 12, 4); /* ipacl keeps IPv4 mapped */
        return 0;
    }
    fault = dns_fault(text, len);
    if (fault != NULL) {
        snprintf(why, whycap, "'%.*s' is not a DNS name: it %s", (int)(len > 80 ? 80 : len), text,
                 fault);
        return MTS_EINVAL;
    }
    out->kind = CERTNAME_DNS;
    return 0;
}

int certname_same(const char *a_text, const struct certname *a, const char *b_text,
                  const struct certname *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == CERTNAME_IP)
        return a->addr_len == b->addr_len && memcmp(a->addr, b->addr, a->addr_len) == 0;
    for (; *a_text != '\0' && *b_text != '\0'; a_text++, b_text++) {
        char x = *a_text, y = *b_text;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return *a_text == *b_text;
}
