/* rootstore.c - test helper: puts a test CA's certificate into the current
 * user's trusted roots (CurrentUser\Root) of the Wine prefix, or takes it
 * out again, so that mtsclient's chain check can be shown to pass for a
 * certificate the CA issued. With a store name (My), a certificate goes
 * into that store instead: the server's, without its key, for the start
 * check that names a missing private key.
 *
 * "rootstore add FILE.der [STORE]" / "rootstore remove FILE.der [STORE]".
 * "rootstore count STORE" prints how many certificates the store holds;
 * "rootstore show THUMBPRINT STORE" prints that certificate's DER as hex
 * (text: Wine's console would turn a binary LF into CR LF).
 * Exit 0 on success. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>

/* count and show, over CurrentUser\STORE (the registry store itself). */
static int inspect(int argc, char **argv)
{
    wchar_t name[32];
    HCERTSTORE store;
    PCCERT_CONTEXT cert = NULL;
    int n = 0, found = 0;

    if (MultiByteToWideChar(CP_UTF8, 0, argv[argc - 1], -1, name, 32) == 0)
        return 2;
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_REGISTRY_W, 0, 0,
                          CERT_SYSTEM_STORE_CURRENT_USER | CERT_STORE_READONLY_FLAG, name);
    if (store == NULL) {
        /* A store never written to does not exist yet: it holds none. */
        if (strcmp(argv[1], "count") == 0) {
            printf("0\n");
            return 0;
        }
        fprintf(stderr, "rootstore: CertOpenStore: error %lu\n", GetLastError());
        return 1;
    }
    while ((cert = CertEnumCertificatesInStore(store, cert)) != NULL) {
        BYTE sha1[20];
        DWORD len = sizeof sha1;
        char hex[41];
        n++;
        if (strcmp(argv[1], "show") != 0 ||
            !CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, sha1, &len))
            continue;
        for (int i = 0; i < 20; i++)
            sprintf(hex + 2 * i, "%02X", sha1[i]);
        if (_stricmp(hex, argv[2]) == 0 && !found) {
            for (DWORD i = 0; i < cert->cbCertEncoded; i++)
                printf("%02X", cert->pbCertEncoded[i]);
            printf("\n");
            found = 1;
        }
    }
    CertCloseStore(store, 0);
    if (strcmp(argv[1], "count") == 0) {
        printf("%d\n", n);
        return 0;
    }
    if (!found)
        fprintf(stderr, "rootstore: no certificate %s in %s\n", argv[2], argv[3]);
    return found ? 0 : 1;
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

    if ((argc == 3 && strcmp(argv[1], "count") == 0) ||
        (argc == 4 && strcmp(argv[1], "show") == 0))
        return inspect(argc, argv);

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
