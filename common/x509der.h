/* x509der.h - the two fields of an X.509 certificate (RFC 5280) that
 * mtserver reads from its DER bytes itself: the serial number, which must
 * be positive, and the SubjectPublicKeyInfo, whose SHA-256 is the key pin
 * (`--fingerprint SPKI-SHA256:`, as HPKP's pin-sha256 and SSH's host keys:
 * it stays the same when a certificate is renewed with the same key).
 * Read from the bytes as they are, not re-encoded, so that the pin is the
 * hash of exactly what the server sent. A pure function over (buf, len)
 * that never reads past len; fuzzed with the other parsers. */
#ifndef MTS_X509DER_H
#define MTS_X509DER_H

#include <stddef.h>

struct x509der_span {
    size_t off, len; /* within the certificate's bytes */
};

struct x509der_fields {
    struct x509der_span serial; /* the INTEGER's content octets (big-endian, two's complement) */
    struct x509der_span spki;   /* the whole SubjectPublicKeyInfo: tag, length and content */
};

/* Finds both in a DER certificate. Returns 0, or -1 when der is not a
 * well-formed certificate as far as these fields go (indefinite lengths,
 * long tags and lengths past the end are refused). */
int x509der_find(const unsigned char *der, size_t len, struct x509der_fields *f);

/* 1 when the serial found is negative (its first content octet has the
 * top bit set), which RFC 5280 forbids and some clients refuse. */
int x509der_serial_negative(const unsigned char *der, const struct x509der_fields *f);

#endif
