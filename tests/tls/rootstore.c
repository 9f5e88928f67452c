/* rootstore.c - test helper: puts a test CA's certificate into the current
 * user's trusted roots (CurrentUser\Root) of the Wine prefix, or takes it
 * out again, so that mtsclient's chain check can be shown to pass for a
 * certificate the CA issued. With a store name (My), a certificate goes
 * into that store instead: the server's, without its key, for the start
 * check that names a missing private key.
 *
 * "rootstore add FILE.der [STORE]" / "rootstore remove FILE.der [STORE]".
 * "rootstore count STORE" prints how many certificates the store holds;
 * "rootstore list STORE" prints a line for each: its SHA-1 thumbprint, a
 * blank and its DER as hex (text: Wine's console would turn a binary LF
 * into CR LF).
 * "rootstore renew OLD NEW" (SHA-1 thumbprints): marks the certificate OLD
 * in CurrentUser\My as renewed by NEW (CERT_RENEWAL_PROP_ID), as certreq and
 * win-acme do. Exit 0 on success; 3 when the store took the property but
 * no longer has it once reopened (Wine 10 does not keep it: docs/WINE.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>

static int hex20(const char *s, BYTE out[20])
{
    for (int i = 0; i < 20; i++) {
        unsigned v;
        if (sscanf(s + 2 * i, "%2x", &v) != 1)
            return -1;
        out[i] = (BYTE)v;
    }
    return strlen(s) == 40 ? 0 : -1;
}

/* CurrentUser\\My's registry store and the certificate with this hash in
 * it (NULL when missing; *store NULL when it cannot be opened). */
static PCCERT_CONTEXT find_in_my(CRYPT_HASH_BLOB *hash, HCERTSTORE *store)
{
    *store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_W, 0, 0,
                           CERT_SYSTEM_STORE_CURRENT_USER, L"My");
    return *store != NULL ? CertFindCertificateInStore(*store, X509_ASN_ENCODING, 0,
                                                       CERT_FIND_SHA1_HASH, hash, NULL)
                          : NULL;
}

static int renew(const char *old_thumb, const char *new_thumb)
{
    BYTE old_hash[20], new_hash[20];
    CRYPT_HASH_BLOB find = {20, old_hash}, next = {20, new_hash};
    HCERTSTORE store;
    PCCERT_CONTEXT old;
    int ok;

    if (hex20(old_thumb, old_hash) != 0 || hex20(new_thumb, new_hash) != 0) {
        fprintf(stderr, "rootstore: renew wants two 40-digit thumbprints\n");
        return 2;
    }
    old = find_in_my(&find, &store);
    ok = old != NULL && CertSetCertificateContextProperty(old, CERT_RENEWAL_PROP_ID, 0, &next);
    if (!ok)
        fprintf(stderr, "rootstore: renew failed: error %lu\n", GetLastError());
    if (old != NULL)
        CertFreeCertificateContext(old);
    if (store != NULL)
        CertCloseStore(store, 0);
    if (!ok)
        return 1;
    /* As the server will see it: another opening of the store. */
    old = find_in_my(&find, &store);
    {
        BYTE got[20];
        DWORD len = sizeof got;
        ok = old != NULL &&
             CertGetCertificateContextProperty(old, CERT_RENEWAL_PROP_ID, got, &len) &&
             len == 20 && memcmp(got, new_hash, 20) == 0;
    }
    if (old != NULL)
        CertFreeCertificateContext(old);
    if (store != NULL)
        CertCloseStore(store, 0);
    if (!ok)
        fprintf(stderr, "rootstore: renew: the store took the property but does not keep it\n");
    return ok ? 0 : 3;
}

/* count and list, over CurrentUser\STORE (the registry store itself). */
static int inspect(const char *verb, const char *store_name)
{
    wchar_t name[32];
    HCERTSTORE store;
    PCCERT_CONTEXT cert = NULL;
    int n = 0;

    if (MultiByteToWideChar(CP_UTF8, 0, store_name, -1, name, 32) == 0)
        return 2;
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_W, 0, 0,
                          CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_READONLY_FLAG, name);
    if (store == NULL) {
        /* A store never written to does not exist yet: it holds none. */
        if (strcmp(verb, "count") == 0)
            printf("0\n");
        return 0;
    }
    while ((cert = CertEnumCertificatesInStore(store, cert)) != NULL) {
        BYTE sha1[20];
        DWORD len = sizeof sha1;
        n++;
        if (strcmp(verb, "list") != 0 ||
            !CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, sha1, &len))
            continue;
        for (int i = 0; i < 20; i++)
            printf("%02X", sha1[i]);
        printf(" ");
        for (DWORD i = 0; i < cert->cbCertEncoded; i++)
            printf("%02X", cert->pbCertEncoded[i]);
        printf("\n");
    }
    CertCloseStore(store, 0);
    if (strcmp(verb, "count") == 0)
        printf("%d\n", n);
    return 0;
}

int main(int argc, char **argv)
{
    static BYTE der[65536];
    FILE *f;
    size_t n;
    HCERTSTORE store;
    PCCERT_CONTEXT cert = NULL, found;
    int add, ok;

    wchar_t name[32] = L"Root";

    if (argc == 4 && strcmp(argv[1], "renew") == 0)
        return renew(argv[2], argv[3]);
    if (argc == 3 && (strcmp(argv[1], "count") == 0 || strcmp(argv[1], "list") == 0))
        return inspect(argv[1], argv[2]);

    if (argc < 3 || argc > 4 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "remove") != 0) ||
        (argc == 4 && MultiByteToWideChar(CP_UTF8, 0, argv[3], -1, name, 32) == 0)) {
        fprintf(stderr, "usage: rootstore add|remove FILE.der [STORE]\n");
        return 2;
    }
    add = strcmp(argv[1], "add") == 0;
    f = fopen(argv[2], "rb");
    if (f == NULL) {
        fprintf(stderr, "rootstore: cannot open %s\n", argv[2]);
        return 1;
    }
    n = fread(der, 1, sizeof der, f);
    fclose(f);
    /* The registry store itself: deleting through the system store (a
     * collection) was seen to leave the certificate in place under Wine. */
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER,
                          name);
    if (store == NULL) {
        fprintf(stderr, "rootstore: CertOpenStore: error %lu\n", GetLastError());
        return 1;
    }
    if (add) {
        ok = CertAddEncodedCertificateToStore(store, X509_ASN_ENCODING, der, (DWORD)n,
                                              CERT_STORE_ADD_REPLACE_EXISTING, NULL);
    } else {
        cert = CertCreateCertificateContext(X509_ASN_ENCODING, der, (DWORD)n);
        found = cert != NULL ? CertFindCertificateInStore(store, X509_ASN_ENCODING, 0,
                                                          CERT_FIND_EXISTING, cert, NULL)
                             : NULL;
        ok = found != NULL && CertDeleteCertificateFromStore(found);
        if (cert != NULL)
            CertFreeCertificateContext(cert);
    }
    if (!ok)
        fprintf(stderr, "rootstore: %s failed: error %lu\n", argv[1], GetLastError());
    CertCloseStore(store, 0);
    return ok ? 0 : 1;
}
