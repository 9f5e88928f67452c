/* sha256.h - SHA-256 through BCrypt, fed in pieces (the server's HASH, the
 * client's --verify, the certificate pins of certpin.c). One struct sha256
 * belongs to one thread. */
#ifndef MTS_SHA256_H
#define MTS_SHA256_H

#include <stddef.h>

#define SHA256_LEN 32
#define SHA256_HEX_LEN 64

struct sha256 {
    void *alg;  /* BCRYPT_ALG_HANDLE */
    void *hash; /* BCRYPT_HASH_HANDLE */
};

/* Returns 0, or -1 (nothing to free then). */
int sha256_begin(struct sha256 *h);
/* Returns 0 or -1. */
int sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL, and frees h
 * (also on failure). Returns 0 or -1. */
int sha256_finish(struct sha256 *h, char hex[SHA256_HEX_LEN + 1]);
/* The same as the 32 bytes of the digest (certpin.c shows them in upper
 * case through hexfmt.h). */
int sha256_finish_bytes(struct sha256 *h, unsigned char sum[SHA256_LEN]);
/* Frees h without a digest. */
void sha256_abandon(struct sha256 *h);

#endif
