/* tlslib.h - the Schannel and certificate calls of mtsclient's TLS, found
 * on its first TLS connection rather than at start.
 *
 * secur32.dll and crypt32.dll, linked as usual, are loaded with every start
 * of the program, a plain download's too; under Wine each alone made a
 * start 25-35 ms slower (they bring the security packages and user32 with
 * them). Without them and shell32 (common/win/args.c) mtsclient starts in
 * 64 ms instead of 120, a twentieth of a 1 GiB download (bench/RESULTS.md,
 * issue 24). Both are loaded from the system folder by their full path,
 * never from beside the program or the current folder. */
#ifndef MTS_TLSLIB_H
#define MTS_TLSLIB_H

#include <windows.h>
#include <wincrypt.h>
#define SECURITY_WIN32
#include <sspi.h>

/* crypt32's calls, with the signatures of their declarations. */
typedef PCERT_EXTENSION(WINAPI *tlslib_find_extension)(LPCSTR oid, DWORD count,
                                                       CERT_EXTENSION *extensions);
typedef BOOL(WINAPI *tlslib_decode_object)(DWORD encoding, LPCSTR type, const BYTE *data,
                                           DWORD len, DWORD flags, PCRYPT_DECODE_PARA para,
                                           void *out, DWORD *out_len);
typedef BOOL(WINAPI *tlslib_get_chain)(HCERTCHAINENGINE engine, PCCERT_CONTEXT cert,
                                       LPFILETIME time, HCERTSTORE extra, PCERT_CHAIN_PARA para,
                                       DWORD flags, LPVOID reserved, PCCERT_CHAIN_CONTEXT *chain);
typedef VOID(WINAPI *tlslib_free_chain)(PCCERT_CHAIN_CONTEXT chain);
typedef BOOL(WINAPI *tlslib_verify_chain_policy)(LPCSTR policy, PCCERT_CHAIN_CONTEXT chain,
                                                 PCERT_CHAIN_POLICY_PARA para,
                                                 PCERT_CHAIN_POLICY_STATUS status);
typedef BOOL(WINAPI *tlslib_free_certificate)(PCCERT_CONTEXT cert);

struct tlslib {
    PSecurityFunctionTableW sspi; /* InitSecurityInterfaceW's: every SSPI call made */
    tlslib_find_extension find_extension;
    tlslib_decode_object decode_object;
    tlslib_get_chain get_chain;
    tlslib_free_chain free_chain;
    tlslib_verify_chain_policy verify_chain_policy;
    tlslib_free_certificate free_certificate;
};

/* The calls, loaded by the first call (mtsclient connects from one thread);
 * NULL with the last error set when a library or a call is missing. */
const struct tlslib *tlslib_get(void);

#endif
