/* suitename.h - the IANA name of a negotiated TLS cipher suite
 * ("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), for the access log's tls=
 * field. Windows' Schannel names the suite itself (SECPKG_ATTR_CIPHER_INFO);
 * a Schannel that does not, or names it badly (Wine 10 writes "<unknown>"
 * into names it cannot build), gives only algorithm ids
 * (SECPKG_ATTR_CONNECTION_INFO, KEY_INFO), and this table turns those into
 * a name. A combination the table cannot tell apart from another is shown
 * by its numbers, never by a guess: a wrong name in a log is worse than
 * none. Pure functions; no <windows.h> (the ids are wincrypt.h's CALG_
 * values, checked against it in server/schanctx.c). */
#ifndef MTS_SUITENAME_H
#define MTS_SUITENAME_H

#include <stddef.h>

/* wincrypt.h's ALG_IDs that Schannel reports for TLS suites. */
#define SUITENAME_CALG_RC4 0x6801u
#define SUITENAME_CALG_3DES 0x6603u
#define SUITENAME_CALG_AES_128 0x660eu
#define SUITENAME_CALG_AES_256 0x6610u
#define SUITENAME_CALG_MD5 0x8003u
#define SUITENAME_CALG_SHA1 0x8004u
#define SUITENAME_CALG_SHA_256 0x800cu
#define SUITENAME_CALG_SHA_384 0x800du
#define SUITENAME_CALG_RSA_KEYX 0xa400u
#define SUITENAME_CALG_DH_EPHEM 0xaa02u
#define SUITENAME_CALG_ECDH_EPHEM 0xae06u
#define SUITENAME_CALG_RSA_SIGN 0x2400u
#define SUITENAME_CALG_ECDSA 0x2203u

/* What Schannel said about a connection, as it said it. */
struct suitename_algs {
    int tls13;                /* TLS 1.3: its suites name no key exchange; never from ids */
    unsigned cipher;          /* aiCipher; 0 where Schannel has no id (ChaCha20, CCM on Wine) */
    unsigned cipher_bits;     /* dwCipherStrength */
    unsigned hash;            /* aiHash: the HMAC's hash, or for AEAD the PRF's */
    unsigned hash_bits;       /* dwHashStrength: the HMAC's size; 0 for AEAD (GCM) */
    unsigned exchange;        /* aiExch */
    unsigned signature;       /* KEY_INFO's SignatureAlgorithm; 0 if unknown */
};

/* Writes the suite's IANA name to out and returns 0; or, for a combination
 * the table does not name for certain, writes
 * "cipher-0xC-BITS-hash-0xH-BITS-kx-0xK-sig-0xS" and returns 1. out is
 * always NUL-terminated (cap > 0). */
int suitename_from_algs(const struct suitename_algs *a, char *out, size_t cap);

/* 1 if name is shaped like an IANA TLS suite name: "TLS_" then capitals,
 * digits and underscores only, at most 63 characters; else 0. Schannel's
 * own name is taken only when it passes. */
int suitename_is_iana(const char *name);

#endif
