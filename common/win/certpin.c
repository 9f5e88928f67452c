/* certpin.c - certificate fingerprint and key pin (see certpin.h). */
#include "certpin.h"

#include <windows.h>
#include <wincrypt.h>

#include "hexfmt.h"
#include "x509der.h"

static int sha256_hex(const unsigned char *data, size_t len, char out[CERTPIN_HEX + 1])
{
    BYTE digest[32];
    DWORD n = sizeof digest;

    if (len > 0xFFFFFFFFu ||
        !CryptHashCertificate2(L"SHA256", 0, NULL, data, (DWORD)len, digest, &n))
        return -1;
    hexfmt_upper(digest, sizeof digest, out);
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
