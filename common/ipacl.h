/* ipacl.h - IP allow and deny lists: addresses and CIDR ranges, IPv4 and
 * IPv6, parsed and matched portably.
 *
 * A list is text: entries separated by commas and/or blanks, each an IPv4
 * address ("192.0.2.7"), an IPv6 address ("2001:db8::1", "::ffff:192.0.2.7"),
 * or either with a prefix length ("10.0.0.0/8", "2001:db8::/32"). An entry
 * with bits set below its prefix ("10.0.0.1/8") is refused: it most often
 * means a typing mistake. IPv4 and IPv4-mapped IPv6 (::ffff:a.b.c.d) are the
 * same thing here: both are kept as the mapped address with the prefix
 * length plus 96, so "10.0.0.0/8" matches a client seen as ::ffff:10.1.2.3
 * on a dual-stack socket, and "::ffff:10.0.0.0/104" matches 10.1.2.3.
 *
 * Pure: no allocation (a list is a fixed struct), no socket call. The
 * server parses its lists once at start; after that they are read-only and
 * any thread may match against them without a lock. */
#ifndef MTS_IPACL_H
#define MTS_IPACL_H

#include <stddef.h>

#define IPACL_MAX_ENTRIES 256u

struct ipacl_range {
    unsigned char addr[16]; /* IPv4 as ::ffff:a.b.c.d; bits below the prefix are 0 */
    unsigned char bits;     /* prefix length, 0..128 */
};

struct ipacl {
    size_t count;
    struct ipacl_range range[IPACL_MAX_ENTRIES];
};

/* Parses the list text[0..len) into *acl. An empty or blank text gives an
 * empty list. Returns 0, or a negative mts_error with a message naming the
 * bad entry in err; *acl is then empty. */
int ipacl_parse(struct ipacl *acl, const char *text, size_t len, char *err, size_t errcap);

/* Checks the list text[0..len) as ipacl_parse() does, storing nothing. */
int ipacl_check(const char *text, size_t len, char *err, size_t errcap);

/* 1 when addr (16 bytes, IPv4 as IPv4-mapped IPv6) lies in one of the ranges. */
int ipacl_match(const struct ipacl *acl, const unsigned char addr[16]);

/* The server's rule: an address in deny is refused; else, when allow is
 * not empty, only an address in allow is let in. Empty lists let all in. */
int ipacl_admits(const struct ipacl *allow, const struct ipacl *deny, const unsigned char addr[16]);

/* Parses one address without a prefix ("10.0.0.1", "fe80::1") into 16
 * bytes, IPv4 as IPv4-mapped. Returns 0 or -1. */
int ipacl_parse_address(const char *s, size_t len, unsigned char addr[16]);

/* 1 when host is an IP address written out (IPv4 dotted, or anything with
 * a ':', which no host name has: IPv6, with or without a zone) rather than
 * a name: what TLS must not send as the server name (RFC 6066, 3). */
int ipacl_is_literal(const char *host, size_t len);

/* 1 when raw, an address as a certificate holds it (4 bytes IPv4 or 16
 * bytes IPv6, RFC 5280's iPAddress), is addr (16 bytes, IPv4 mapped). */
int ipacl_same_address(const unsigned char addr[16], const unsigned char *raw, size_t raw_len);

#endif
