/* certpin.c - certificate fingerprint and key pin (see certpin.h). */
#include "certpin.h"

#include <windows.h>
#include <wincrypt.h>

#include "hexfmt.h"
#include "sha256.h"
#include "x509der.h"

/* Through BCrypt (sha256.h), not crypt32's CryptHashCertificate2: mtsclient
 * loads crypt32 only for its first TLS connection (client/tlslib.h). */
static int sha256_hex(const unsigned char *data, size_t len, char out[CERTPIN_HEX + 1])
{
    unsigned char digest[SHA256_LEN];
    struct sha256 h;

    if (sha256_begin(&h) != 0)
        goto failed;
    if (sha256_update(&h, data, len) != 0) {
        sha256_abandon(&h);
        goto failed;
    }
    if (sha256_finish_bytes(&h, digest) != 0)
        goto failed;
    hexfmt_upper(digest, sizeof digest, out);
    return 0;
failed:
    SetLastError(ERROR_NOT_SUPPORTED); /* sha256.h keeps BCrypt's status to itself */
    return -1;
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
