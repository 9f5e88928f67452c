/* x509der.c - a certificate's serial and public key info (see x509der.h).
 *
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
 * TBSCertificate ::= SEQUENCE { [0] EXPLICIT version OPTIONAL, serialNumber
 *     INTEGER, signature AlgorithmIdentifier, issuer Name, validity Validity,
 *     subject Name, subjectPublicKeyInfo SEQUENCE, ... } */
#include "x509der.h"

#define TAG_INTEGER 0x02
#define TAG_SEQUENCE 0x30
#define TAG_VERSION 0xA0 /* [0], constructed, context-specific */

/* One element at der[*pos] within end: its tag, where its content starts
 * and how long it is. Moves *pos past the element. Returns 0 or -1. */
static int element(const unsigned char *der, size_t end, size_t *pos, unsigned *tag,
                   size_t *content, size_t *content_len)
{
    size_t p = *pos, n = 0;

    if (p >= end || end - p < 2)
        return -1;
    *tag = der[p++];
    if ((*tag & 0x1F) == 0x1F)
        return -1; /* a long tag: none in the fields read here */
    if (der[p] < 0x80) {
        n = der[p++];
    } else {
        size_t octets = der[p++] & 0x7Fu;
        if (octets == 0 || octets > 4 || end - p < octets)
            return -1; /* indefinite, or longer than any certificate */
        for (size_t i = 0; i < octets; i++)
            n = (n << 8) | der[p++];
    }
    if (n > end - p)
        return -1;
    *content = p;
    *content_len = n;
    *pos = p + n;
    return 0;
}

int x509der_find(const unsigned char *der, size_t len, struct x509der_fields *f)
{
    size_t pos = 0, c, clen, tbs_end, start;
    unsigned tag;

    if (der == NULL || element(der, len, &pos, &tag, &c, &clen) != 0 || tag != TAG_SEQUENCE)
        return -1;
    pos = c;
    if (element(der, c + clen, &pos, &tag, &c, &clen) != 0 || tag != TAG_SEQUENCE)
        return -1;
    tbs_end = c + clen;
    pos = c;
    if (element(der, tbs_end, &pos, &tag, &c, &clen) != 0)
        return -1;
    if (tag == TAG_VERSION && element(der, tbs_end, &pos, &tag, &c, &clen) != 0)
        return -1;
    if (tag != TAG_INTEGER || clen == 0)
        return -1;
    f->serial.off = c;
    f->serial.len = clen;
    /* signature, issuer, validity, subject: four SEQUENCEs skipped. */
    for (int i = 0; i < 4; i++) {
        if (element(der, tbs_end, &pos, &tag, &c, &clen) != 0 || tag != TAG_SEQUENCE)
            return -1;
    }
    start = pos;
    if (element(der, tbs_end, &pos, &tag, &c, &clen) != 0 || tag != TAG_SEQUENCE)
        return -1;
    f->spki.off = start;
    f->spki.len = pos - start;
    return 0;
}

int x509der_serial_negative(const unsigned char *der, const struct x509der_fields *f)
{
    return (der[f->serial.off] & 0x80) != 0;
}
