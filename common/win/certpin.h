/* certpin.h - what clients pin a server by, computed one way for the
 * server (`mtserver cert` prints both) and the client (`--fingerprint`
 * checks one): the certificate's SHA-256 fingerprint, new with every
 * certificate, and the SHA-256 of its SubjectPublicKeyInfo, which stays
 * while the key does (`mtserver cert --renew`). */
#ifndef MTS_CERTPIN_H
#define MTS_CERTPIN_H

#include <stddef.h>

#define CERTPIN_HEX 64

/* SHA-256 of the whole certificate (DER), as 64 upper-case hex digits.
 * Returns 0, or -1 (GetLastError() says why). */
int certpin_fingerprint(const unsigned char *der, size_t len, char out[CERTPIN_HEX + 1]);

/* SHA-256 of the certificate's SubjectPublicKeyInfo, its bytes as sent
 * (x509der.h). Returns 0, or -1 also for a certificate it cannot read. */
int certpin_key(const unsigned char *der, size_t len, char out[CERTPIN_HEX + 1]);

#endif
