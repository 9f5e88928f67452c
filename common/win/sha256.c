/* sha256.c - BCrypt SHA-256 (see sha256.h). */
#include "sha256.h"

#include <windows.h>
#include <bcrypt.h>

int sha256_begin(struct sha256 *h)
{
    BCRYPT_ALG_HANDLE alg = NULL;
    BCRYPT_HASH_HANDLE hash = NULL;

    h->alg = h->hash = NULL;
    if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL, 0)))
        return -1;
    /* A NULL object buffer lets BCrypt allocate it (Windows 7 and later). */
    if (!BCRYPT_SUCCESS(BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0))) {
        BCryptCloseAlgorithmProvider(alg, 0);
        return -1;
    }
    h->alg = alg;
    h->hash = hash;
    return 0;
}

int sha256_update(struct sha256 *h, const void *data, size_t len)
{
    const unsigned char *p = data;

    /* BCryptHashData takes a ULONG length: feed a huge buffer in pieces. */
    while (len > 0) {
        ULONG n = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptHashData(h->hash, (PUCHAR)p, n, 0)))
            return -1;
        p += n;
        len -= n;
    }
    return 0;
}

void sha256_abandon(struct sha256 *h)
{
    if (h->hash != NULL)
        BCryptDestroyHash(h->hash);
    if (h->alg != NULL)
        BCryptCloseAlgorithmProvider(h->alg, 0);
    h->alg = h->hash = NULL;
}

int sha256_finish_bytes(struct sha256 *h, unsigned char sum[SHA256_LEN])
{
    int rc = BCRYPT_SUCCESS(BCryptFinishHash(h->hash, sum, SHA256_LEN, 0)) ? 0 : -1;

    sha256_abandon(h);
    return rc;
}

int sha256_finish(struct sha256 *h, char hex[SHA256_HEX_LEN + 1])
{
    static const char digit[] = "0123456789abcdef";
    unsigned char sum[SHA256_LEN];

    if (sha256_finish_bytes(h, sum) != 0)
        return -1;
    for (size_t i = 0; i < SHA256_LEN; i++) {
        hex[2 * i] = digit[sum[i] >> 4];
        hex[2 * i + 1] = digit[sum[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
    return 0;
}
