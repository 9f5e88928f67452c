/* hresult.c - names of HRESULT and SECURITY_STATUS codes (see hresult.h).
 * The values are the Windows SDK's (winerror.h), written out here so that
 * the table compiles, and is tested, without <windows.h>. */
#include "hresult.h"

#include <stdio.h>

static const struct {
    unsigned long code;
    const char *name;
} names[] = {
    {0x00090312ul, "SEC_I_CONTINUE_NEEDED"},
    {0x00090317ul, "SEC_I_CONTEXT_EXPIRED"},
    {0x00090320ul, "SEC_I_INCOMPLETE_CREDENTIALS"},
    {0x00090321ul, "SEC_I_RENEGOTIATE"},
    {0x80004001ul, "E_NOTIMPL"},
    {0x80004005ul, "E_FAIL"},
    {0x80070005ul, "E_ACCESSDENIED"},
    {0x8007000Eul, "E_OUTOFMEMORY"},
    {0x80070057ul, "E_INVALIDARG"},
    {0x80090001ul, "NTE_BAD_UID"},
    {0x80090002ul, "NTE_BAD_HASH"},
    {0x80090003ul, "NTE_BAD_KEY"},
    {0x80090005ul, "NTE_BAD_DATA"},
    {0x80090006ul, "NTE_BAD_SIGNATURE"},
    {0x80090008ul, "NTE_BAD_ALGID"},
    {0x80090009ul, "NTE_BAD_FLAGS"},
    {0x8009000Bul, "NTE_BAD_KEY_STATE"},
    {0x8009000Dul, "NTE_NO_KEY"},
    {0x8009000Eul, "NTE_NO_MEMORY"},
    {0x8009000Ful, "NTE_EXISTS"},
    {0x80090010ul, "NTE_PERM"},
    {0x80090011ul, "NTE_NOT_FOUND"},
    {0x80090016ul, "NTE_BAD_KEYSET"},
    {0x80090017ul, "NTE_PROV_TYPE_NOT_DEF"},
    {0x80090019ul, "NTE_KEYSET_NOT_DEF"},
    {0x8009001Aul, "NTE_KEYSET_ENTRY_BAD"},
    {0x80090020ul, "NTE_FAIL"},
    {0x80090027ul, "NTE_INVALID_PARAMETER"},
    {0x80090029ul, "NTE_NOT_SUPPORTED"},
    {0x80090302ul, "SEC_E_UNSUPPORTED_FUNCTION"},
    {0x80090304ul, "SEC_E_INTERNAL_ERROR"},
    {0x80090308ul, "SEC_E_INVALID_TOKEN"},
    {0x8009030Cul, "SEC_E_LOGON_DENIED"},
    {0x8009030Dul, "SEC_E_UNKNOWN_CREDENTIALS"},
    {0x8009030Eul, "SEC_E_NO_CREDENTIALS"},
    {0x8009030Ful, "SEC_E_MESSAGE_ALTERED"},
    {0x80090317ul, "SEC_E_CONTEXT_EXPIRED"},
    {0x80090318ul, "SEC_E_INCOMPLETE_MESSAGE"},
    {0x80090320ul, "SEC_E_INCOMPLETE_CREDENTIALS"},
    {0x80090321ul, "SEC_E_BUFFER_TOO_SMALL"},
    {0x80090322ul, "SEC_E_WRONG_PRINCIPAL"},
    {0x80090325ul, "SEC_E_UNTRUSTED_ROOT"},
    {0x80090326ul, "SEC_E_ILLEGAL_MESSAGE"},
    {0x80090327ul, "SEC_E_CERT_UNKNOWN"},
    {0x80090328ul, "SEC_E_CERT_EXPIRED"},
    {0x80090330ul, "SEC_E_DECRYPT_FAILURE"},
    {0x80090331ul, "SEC_E_ALGORITHM_MISMATCH"},
    {0x80092002ul, "CRYPT_E_BAD_ENCODE"},
    {0x80092004ul, "CRYPT_E_NOT_FOUND"},
    {0x80092005ul, "CRYPT_E_EXISTS"},
    {0x80092009ul, "CRYPT_E_NO_MATCH"},
    {0x8009200Bul, "CRYPT_E_NO_KEY_PROPERTY"},
    {0x8009310Bul, "CRYPT_E_ASN1_BADTAG"},
    {0x800B0101ul, "CERT_E_EXPIRED"},
    {0x800B0109ul, "CERT_E_UNTRUSTEDROOT"},
    {0x800B010Aul, "CERT_E_CHAINING"},
    {0x800B010Ful, "CERT_E_CN_NO_MATCH"},
    {0x800B0110ul, "CERT_E_WRONG_USAGE"},
};

int hresult_is_status(unsigned long code)
{
    return (code & 0x80000000ul) != 0 && code <= 0xFFFFFFFFul;
}

const char *hresult_name(unsigned long code)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].code == code)
            return names[i].name;
    }
    return NULL;
}

const char *hresult_format(unsigned long code, char *buf, size_t cap)
{
    const char *name = hresult_name(code);

    if (name != NULL)
        snprintf(buf, cap, "0x%08lX (%s)", code & 0xFFFFFFFFul, name);
    else
        snprintf(buf, cap, "0x%08lX", code & 0xFFFFFFFFul);
    return buf;
}
