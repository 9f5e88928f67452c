/* certkey.h - the private key of a certificate `mtserver cert` makes, and
 * deleting the key a certificate's key property names.
 *
 * RSA keys are CryptoAPI keys (the Enhanced RSA and AES provider, a named
 * container): what CryptSignAndEncodeCertificate and Schannel take on every
 * Windows since 7 and what Wine 10 serves with. ECDSA P-256 keys exist only
 * in CNG (the Software Key Storage Provider); Wine 10 cannot make one
 * (NTE_NOT_SUPPORTED, docs/WINE.md), so there the make fails, closed,
 * before any certificate exists. */
#ifndef MTS_CERTKEY_H
#define MTS_CERTKEY_H

#include <windows.h>
#include <wincrypt.h>
#include <ncrypt.h>

#include "options.h"

struct certkey {
    int cng;                  /* an NCrypt key (ECDSA), else a CryptoAPI one (RSA) */
    int machine;              /* in the machine's key set, not the user's */
    wchar_t container[64];    /* its name */
    HCRYPTPROV prov;          /* CryptoAPI: the container's handle */
    HCRYPTKEY key;            /* CryptoAPI: the key's */
    NCRYPT_PROV_HANDLE nprov; /* CNG: the provider's */
    NCRYPT_KEY_HANDLE nkey;   /* CNG: the key's */
    DWORD bits;               /* read back from the key: RSA's size, or 256 */
    CRYPT_KEY_PROV_INFO kpi;  /* where it lives, for the certificate's key property */
};

/* Makes a key of the kind (RSA of bits, or ECDSA P-256) named container,
 * in the machine's key set when machine (readable by SYSTEM, administrators
 * and service_sid, an SDDL SID: the service's account) or the user's.
 * Refuses a key smaller than asked. Returns 0, or with the reason printed
 * and nothing left behind 2 when this Windows cannot make that kind of key
 * at all (in no key set), else 1. */
int certkey_make(struct certkey *k, enum options_key kind, DWORD bits, int machine,
                 const wchar_t *container, const wchar_t *service_sid);

/* What signs with the key, and its key spec for CryptSignAndEncodeCertificate
 * (AT_KEYEXCHANGE, or CERT_NCRYPT_KEY_SPEC). */
HCRYPTPROV_OR_NCRYPT_KEY_HANDLE certkey_signer(const struct certkey *k, DWORD *key_spec);

/* "RSA 2048 bits" or "ECDSA P-256", for what `cert` prints. */
void certkey_describe(const struct certkey *k, char *out, size_t cap);

/* Lets go of the handles; the key stays. */
void certkey_close(struct certkey *k);

/* Deletes the key certkey_make made (after certkey_close). */
void certkey_remove(const struct certkey *k);

/* Deletes the key kpi names (a certificate's CERT_KEY_PROV_INFO_PROP_ID):
 * a CryptoAPI container or a CNG key. Nothing when it is not there. */
void certkey_delete(const CRYPT_KEY_PROV_INFO *kpi);

#endif
