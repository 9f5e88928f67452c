/* certname.h - the names `mtserver cert --name NAME` puts in a certificate,
 * checked portably before anything is made (issue 20 item 2).
 *
 * A name is an IP address or a DNS name. An address is what ipacl.h parses
 * ("127.0.0.1", "::1"; no prefix, no zone: a zone is local to one host and
 * no certificate can name it); it goes into the subjectAltName as an
 * iPAddress of 4 bytes (IPv4 written dotted) or 16 (anything with a ':').
 * A DNS name follows RFC 1123: labels of 1 to 63 letters, digits and
 * hyphens, neither starting nor ending with a hyphen, 253 characters in
 * all, no trailing dot, and a last label that is not all digits (else
 * "10.1.1" would pass as a name while it reads as an address). One
 * wildcard is allowed, as the whole leftmost label ("*.example.org"), with
 * at least two labels after it: RFC 6125 6.4.3 lets clients match it to
 * one label, and browsers refuse "*.org". Partial wildcards ("w*.org") are
 * refused: clients differ on them. Anything else is refused with a reason. */
#ifndef MTS_CERTNAME_H
#define MTS_CERTNAME_H

#include <stddef.h>

#define CERTNAME_MAX_LEN 253u  /* a DNS name, RFC 1035 2.3.4 less the final dot */
#define CERTNAME_MAX_NAMES 16u /* --name given more often is refused */

enum certname_kind {
    CERTNAME_DNS = 1, /* a dNSName */
    CERTNAME_IP,      /* an iPAddress: addr[0..addr_len) */
};

struct certname {
    enum certname_kind kind;
    unsigned char addr[16]; /* CERTNAME_IP: network order, 4 or 16 bytes */
    size_t addr_len;
};

/* Checks text (a C string) as a certificate name and says what it is in
 * *out. Returns 0, or MTS_EINVAL with a message naming the name and what
 * is wrong with it in why. */
int certname_parse(const char *text, struct certname *out, char *why, size_t whycap);

/* Whether two parsed names are one name in a certificate: DNS names equal
 * without regard to case (RFC 4343), addresses with the same bytes however
 * written ("::1" and "0::1"). a_text and b_text are what was parsed. */
int certname_same(const char *a_text, const struct certname *a, const char *b_text,
                  const struct certname *b);

#endif
