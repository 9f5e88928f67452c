/* certpin.c - certificate fingerprint and key pin (see certpin.h). */
#include "certpin.h"

#include <ctype.h>
#include <windows.h>
#include <wincrypt.h>

#include "sha256.h"
#include "x509der.h"

/* Through BCrypt (sha256.h), not crypt32's CryptHashCertificate2: mtsclient
 * loads crypt32 only for its first TLS connection (client/tlslib.h). */
static int sha256_hex(const unsigned char *data, size_t len, char out[CERTPIN_HEX + 1])
{
    struct sha256 h;

    if (sha256_begin(&h) != 0) {
        SetLastError(ERROR_NOT_SUPPORTED);
        return -1;
    }
    if (sha256_update(&h, data, len) != 0) {
        sha256_abandon(&h);
        SetLastError(ERROR_NOT_SUPPORTED);
        return -1;
    }
    if (sha256_finish(&h, out) != 0) {
        SetLastError(ERROR_NOT_SUPPORTED);
        return -1;
    }
    for (size_t i = 0; i < CERTPIN_HEX; i++)
        out[i] = (char)toupper((unsigned char)out[i]);
    return 0;
}

int certpin_fingerprint(const unsigned char *der, size_t len, char out[CERTPIN_HEX + 1])
{
    return sha256_hex(der, len, out);
}

int certpin_key(const unsigned char *der, size_t len, char out[CERTPIN_HEX + 1])
{
    struct x509der_fields f;

    if (x509der_find(der, len, &f) != 0) {
        SetLastError((DWORD)CRYPT_E_BAD_ENCODE);
        return -1;
    }
    return sha256_hex(der + f.spki.off, f.spki.len, out);
}
