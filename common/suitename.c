/* suitename.c - IANA TLS cipher suite names from Schannel's algorithm ids
 * (see suitename.h). A row names a suite only when every id it was given
 * matches: the hash's size is what separates an HMAC suite (CBC, RC4; the
 * HMAC's bits) from an AEAD one (GCM; Schannel reports the PRF's hash with
 * no size), so ECDHE-RSA-AES128-SHA256 (CBC) and ECDHE-RSA-AES128-GCM-SHA256
 * never share a name. */
#include "suitename.h"

#include <stdio.h>
#include <string.h>

#define ANY 0u /* in a row: this id does not matter (static RSA names no signature) */

struct row {
    unsigned exchange, signature, cipher, cipher_bits, hash, hash_bits;
    const char *name;
};

#define RSA SUITENAME_CALG_RSA_KEYX
#define DHE SUITENAME_CALG_DH_EPHEM
#define ECDHE SUITENAME_CALG_ECDH_EPHEM
#define S_RSA SUITENAME_CALG_RSA_SIGN
#define S_EC SUITENAME_CALG_ECDSA
#define AES128 SUITENAME_CALG_AES_128, 128u
#define AES256 SUITENAME_CALG_AES_256, 256u
/* 3DES is 168 bits to Windows and 192 to Wine; one 3DES suite per exchange. */
#define DES3 SUITENAME_CALG_3DES, ANY
#define RC4 SUITENAME_CALG_RC4, 128u
#define HMAC_MD5 SUITENAME_CALG_MD5, 128u
#define HMAC_SHA1 SUITENAME_CALG_SHA1, 160u
#define HMAC_SHA256 SUITENAME_CALG_SHA_256, 256u
#define HMAC_SHA384 SUITENAME_CALG_SHA_384, 384u
#define AEAD_SHA256 SUITENAME_CALG_SHA_256, 0u
#define AEAD_SHA384 SUITENAME_CALG_SHA_384, 0u

/* The TLS 1.0-1.2 suites Schannel has offered (Windows' and Wine's). */
static const struct row rows[] = {
    {ECDHE, S_RSA, AES256, AEAD_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {ECDHE, S_RSA, AES128, AEAD_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {ECDHE, S_RSA, AES256, HMAC_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {ECDHE, S_RSA, AES128, HMAC_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {ECDHE, S_RSA, AES256, HMAC_SHA1, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {ECDHE, S_RSA, AES128, HMAC_SHA1, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {ECDHE, S_RSA, DES3, HMAC_SHA1, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {ECDHE, S_EC, AES256, AEAD_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {ECDHE, S_EC, AES128, AEAD_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {ECDHE, S_EC, AES256, HMAC_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {ECDHE, S_EC, AES128, HMAC_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {ECDHE, S_EC, AES256, HMAC_SHA1, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {ECDHE, S_EC, AES128, HMAC_SHA1, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {DHE, S_RSA, AES256, AEAD_SHA384, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {DHE, S_RSA, AES128, AEAD_SHA256, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {DHE, S_RSA, AES256, HMAC_SHA256, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {DHE, S_RSA, AES128, HMAC_SHA256, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {DHE, S_RSA, AES256, HMAC_SHA1, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {DHE, S_RSA, AES128, HMAC_SHA1, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {RSA, ANY, AES256, AEAD_SHA384, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {RSA, ANY, AES128, AEAD_SHA256, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {RSA, ANY, AES256, HMAC_SHA256, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {RSA, ANY, AES128, HMAC_SHA256, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {RSA, ANY, AES256, HMAC_SHA1, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {RSA, ANY, AES128, HMAC_SHA1, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {RSA, ANY, DES3, HMAC_SHA1, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {RSA, ANY, RC4, HMAC_SHA1, "TLS_RSA_WITH_RC4_128_SHA"},
    {RSA, ANY, RC4, HMAC_MD5, "TLS_RSA_WITH_RC4_128_MD5"},
};

static int row_matches(const struct row *r, const struct suitename_algs *a)
{
    return r->exchange == a->exchange && (r->signature == ANY || r->signature == a->signature) &&
           r->cipher == a->cipher && (r->cipher_bits == ANY || r->cipher_bits == a->cipher_bits) &&
           r->hash == a->hash && r->hash_bits == a->hash_bits;
}

int suitename_from_algs(const struct suitename_algs *a, char *out, size_t cap)
{
    size_t i;

    /* A TLS 1.3 suite names only cipher and hash, and Schannel's ids for
     * it are not documented; Windows answers CIPHER_INFO there anyway. */
    for (i = 0; !a->tls13 && i < sizeof rows / sizeof rows[0]; i++) {
        if (row_matches(&rows[i], a)) {
            snprintf(out, cap, "%s", rows[i].name);
            return 0;
        }
    }
    snprintf(out, cap, "cipher-0x%x-%u-hash-0x%x-%u-kx-0x%x-sig-0x%x", a->cipher, a->cipher_bits,
             a->hash, a->hash_bits, a->exchange, a->signature);
    return 1;
}

int suitename_is_iana(const char *name)
{
    size_t i, n = strlen(name);

    if (n <= 4 || n > 63 || strncmp(name, "TLS_", 4) != 0)
        return 0;
    for (i = 4; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}
