/* fuzz_ipacl.c - the allow/deny list parser and matcher on any text.
 *
 * Invariants: the parser never reads past the text and either fails with an
 * empty list or gives at most IPACL_MAX_ENTRIES ranges; every range has no
 * bits set below its prefix and a prefix of at most 128 bits (at least 96
 * for IPv4-mapped ones written as IPv4); every range holds its own first
 * and last address and, when shorter than /128, an address one bit past it
 * differs from the range in the prefix bits only when it leaves it; a text
 * that parsed parses the same again (the parser is pure) and ipacl_check
 * agrees with ipacl_parse on every text; and the server's
 * rule agrees with its definition for every range's address. */
#include <string.h>

#include "fuzz.h"
#include "ipacl.h"

static struct ipacl allow, again, none;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[200];
    const char *text = (const char *)data;

    int rc = ipacl_parse(&allow, text, size, err, sizeof err);

    FUZZ_CHECK(ipacl_check(text, size, err, sizeof err) == rc);
    if (rc != 0) {
        FUZZ_CHECK(allow.count == 0);
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(allow.count <= IPACL_MAX_ENTRIES);
    FUZZ_CHECK(ipacl_parse(&again, text, size, err, sizeof err) == 0);
    FUZZ_CHECK(again.count == allow.count);
    FUZZ_CHECK(memcmp(again.range, allow.range, allow.count * sizeof allow.range[0]) == 0);
    none.count = 0;
    for (size_t i = 0; i < allow.count; i++) {
        const struct ipacl_range *r = &allow.range[i];
        unsigned char last[16];
        FUZZ_CHECK(r->bits <= 128);
        memcpy(last, r->addr, 16);
        for (unsigned b = r->bits; b < 128; b++) {
            FUZZ_CHECK((r->addr[b / 8] & (0x80u >> (b % 8))) == 0);
            last[b / 8] |= (unsigned char)(0x80u >> (b % 8));
        }
        FUZZ_CHECK(ipacl_match(&allow, r->addr));
        FUZZ_CHECK(ipacl_match(&allow, last));
        FUZZ_CHECK(ipacl_admits(&allow, &none, r->addr));
        FUZZ_CHECK(!ipacl_admits(&none, &allow, last));
        FUZZ_CHECK(ipacl_admits(&none, &none, last));
        if (r->bits > 0) {
            /* Flip the last prefix bit: the address leaves this range. */
            struct ipacl one;
            unsigned b = r->bits - 1u;
            last[b / 8] ^= (unsigned char)(0x80u >> (b % 8));
            one.count = 1;
            one.range[0] = *r;
            FUZZ_CHECK(!ipacl_match(&one, last));
        }
    }
    return 0;
}
