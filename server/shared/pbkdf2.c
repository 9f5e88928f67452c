/* pbkdf2.c - PBKDF2 and random bytes through BCrypt (see pbkdf2.h). */
#include "pbkdf2.h"

#include <windows.h>
#include <bcrypt.h>

int pbkdf2_derive_key(const void *password, size_t password_len, const void *salt,
                      size_t salt_len, unsigned long iterations, unsigned char *out,
                      size_t outlen, long *status)
{
    BCRYPT_ALG_HANDLE alg = NULL;
    NTSTATUS st;

    if (password_len > 0xFFFFFFFFu || salt_len > 0xFFFFFFFFu || outlen > 0xFFFFFFFFu) {
        if (status != NULL)
            *status = (long)0xC000000DL; /* STATUS_INVALID_PARAMETER */
        return -1;
    }
    /* PBKDF2 wants the HMAC flavour of the hash provider. */
    st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL,
                                     BCRYPT_ALG_HANDLE_HMAC_FLAG);
    if (BCRYPT_SUCCESS(st)) {
        st = BCryptDeriveKeyPBKDF2(alg, (PUCHAR)password, (ULONG)password_len, (PUCHAR)salt,
                                   (ULONG)salt_len, iterations, out, (ULONG)outlen, 0);
        BCryptCloseAlgorithmProvider(alg, 0);
    }
    if (status != NULL)
        *status = (long)st;
    return BCRYPT_SUCCESS(st) ? 0 : -1;
}

int pbkdf2_random_bytes(void *buf, size_t len)
{
    if (len > 0xFFFFFFFFu)
        return -1;
    return BCRYPT_SUCCESS(BCryptGenRandom(NULL, buf, (ULONG)len, BCRYPT_USE_SYSTEM_PREFERRED_RNG))
               ? 0
               : -1;
}
