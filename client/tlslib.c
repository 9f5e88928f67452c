/* tlslib.c - the client's TLS calls, loaded when first needed (see tlslib.h). */
#include "tlslib.h"

#include <string.h>
#include <wchar.h>

static struct tlslib lib;
static int loaded;

/* A call of module as a function pointer; NULL (last error set) if missing.
 * Through void (*)(void), which any function pointer may be cast from and
 * to without the compilers' warning about unlike function types. */
static void (*call_of(HMODULE module, const char *name))(void)
{
    return (void (*)(void))GetProcAddress(module, name);
}

/* name from the system folder, by its full path: never from beside the
 * program or the current folder (LOAD_LIBRARY_SEARCH_SYSTEM32 says the
 * same, but Windows 7 without KB2533623 refuses that flag). */
static HMODULE load_system_dll(const wchar_t *name)
{
    wchar_t path[MAX_PATH + 32];
    UINT n = GetSystemDirectoryW(path, MAX_PATH);
    size_t len = wcslen(name);

    if (n == 0 || n >= MAX_PATH) {
        SetLastError(ERROR_PATH_NOT_FOUND);
        return NULL;
    }
    path[n++] = L'\\';
    memcpy(path + n, name, (len + 1) * sizeof *name);
    return LoadLibraryW(path);
}

const struct tlslib *tlslib_get(void)
{
    HMODULE secur32, crypt32;
    INIT_SECURITY_INTERFACE_W init;
    void (*found[6])(void);
    DWORD e;

    if (loaded)
        return &lib;
    if ((secur32 = load_system_dll(L"secur32.dll")) == NULL)
        return NULL;
    if ((crypt32 = load_system_dll(L"crypt32.dll")) == NULL) {
        e = GetLastError();
        FreeLibrary(secur32);
        SetLastError(e);
        return NULL;
    }
    init = (INIT_SECURITY_INTERFACE_W)call_of(secur32, "InitSecurityInterfaceW");
    found[0] = call_of(crypt32, "CertFindExtension");
    found[1] = call_of(crypt32, "CryptDecodeObjectEx");
    found[2] = call_of(crypt32, "CertGetCertificateChain");
    found[3] = call_of(crypt32, "CertFreeCertificateChain");
    found[4] = call_of(crypt32, "CertVerifyCertificateChainPolicy");
    found[5] = call_of(crypt32, "CertFreeCertificateContext");
    for (size_t i = 0; i < sizeof found / sizeof found[0]; i++)
        if (found[i] == NULL)
            goto missing;
    if (init == NULL || (lib.sspi = init()) == NULL)
        goto missing;
    lib.find_extension = (tlslib_find_extension)found[0];
    lib.decode_object = (tlslib_decode_object)found[1];
    lib.get_chain = (tlslib_get_chain)found[2];
    lib.free_chain = (tlslib_free_chain)found[3];
    lib.verify_chain_policy = (tlslib_verify_chain_policy)found[4];
    lib.free_certificate = (tlslib_free_certificate)found[5];
    loaded = 1;
    return &lib;
missing:
    FreeLibrary(crypt32);
    FreeLibrary(secur32);
    SetLastError(ERROR_PROC_NOT_FOUND);
    return NULL;
}
