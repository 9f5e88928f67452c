/* certmake.c - `mtserver cert` (see certmake.h).
 *
 * CryptoAPI, not CNG: an RSA key made by the Enhanced RSA and AES provider
 * in a named container is what CertCreateSelfSignCertificate and Schannel
 * both take on every Windows since 7, and what Wine 10 serves with (its CNG
 * key storage is too thin). The key size is read back from the key, not
 * assumed: a provider that gives less than asked is refused. */
#include "certmake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>

#include "passwd.h"
#include "settings.h"
#include "hexfmt.h"
#include "winerr.h"
#include "wstr.h"

#define KEY_BITS 3072u
#define KEY_BITS_MIN 2048u
#define NAME_MAX_CHARS 256

static int fail(const char *what)
{
    char why[300];

    fprintf(stderr, "mtserver: cert: %s: %s\n", what, winerr_text(GetLastError(), why, sizeof why));
    return 1;
}

/* This host's names, distinct: full DNS name, DNS host name, localhost. */
static int host_names(wchar_t names[3][NAME_MAX_CHARS], DWORD *count)
{
    static const COMPUTER_NAME_FORMAT kinds[] = {ComputerNameDnsFullyQualified,
                                                 ComputerNameDnsHostname};

    *count = 0;
    for (size_t i = 0; i < 2; i++) {
        DWORD n = NAME_MAX_CHARS;
        if (!GetComputerNameExW(kinds[i], names[*count], &n) || n == 0)
            continue;
        if (*count == 0 || _wcsicmp(names[0], names[*count]) != 0)
            (*count)++;
    }
    wcscpy(names[*count], L"localhost");
    (*count)++;
    return 0;
}

/* Two years from start; 29 February becomes 28 February. */
static SYSTEMTIME two_years_after(SYSTEMTIME start)
{
    SYSTEMTIME end = start;

    end.wYear = (WORD)(end.wYear + 2);
    if (end.wMonth == 2 && end.wDay == 29)
        end.wDay = 28;
    return end;
}

int certmake_run(const struct server_options *opts)
{
    wchar_t names[3][NAME_MAX_CHARS], container[64], subject_text[NAME_MAX_CHARS + 4];
    CERT_ALT_NAME_ENTRY alt[3];
    CERT_ALT_NAME_INFO alt_info;
    LPSTR server_auth = szOID_PKIX_KP_SERVER_AUTH;
    CERT_ENHKEY_USAGE eku = {1, &server_auth};
    CERT_EXTENSION ext[2];
    CERT_EXTENSIONS exts = {2, ext};
    CRYPT_KEY_PROV_INFO kpi;
    CRYPT_ALGORITHM_IDENTIFIER alg;
    CERT_NAME_BLOB subject = {0, NULL};
    SYSTEMTIME start, end;
    FILETIME now;
    HCRYPTPROV prov = 0;
    HCRYPTKEY key = 0;
    HCERTSTORE store = NULL;
    PCCERT_CONTEXT cert = NULL;
    BYTE *san = NULL, *usage = NULL, sha1[20], sha256[32];
    DWORD san_len = 0, usage_len = 0, count = 0, bits = 0, len, sha1_len = sizeof sha1,
          sha256_len = sizeof sha256;
    char path[MAX_PATH * 3], err[1024], thumb[41], fingerprint[65];
    char *first_name = NULL;
    int rc = 1;

    if (settings_config_path(opts->config, path, sizeof path, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 1;
    }
    host_names(names, &count);
    GetSystemTimeAsFileTime(&now);
    swprintf(container, sizeof container / sizeof container[0], L"mtserver-tls-%08lx%08lx",
             (unsigned long)now.dwHighDateTime, (unsigned long)now.dwLowDateTime);
    if (!CryptAcquireContextW(&prov, container, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                              CRYPT_NEWKEYSET)) {
        rc = fail("CryptAcquireContext");
        goto out;
    }
    /* The key size goes in the upper 16 bits of the flags. */
    if (!CryptGenKey(prov, AT_KEYEXCHANGE, (DWORD)KEY_BITS << 16, &key)) {
        rc = fail("CryptGenKey");
        goto out;
    }
    len = sizeof bits;
    if (!CryptGetKeyParam(key, KP_KEYLEN, (BYTE *)&bits, &len, 0)) {
        rc = fail("CryptGetKeyParam");
        goto out;
    }
    if (bits < KEY_BITS_MIN) {
        fprintf(stderr, "mtserver: cert: asked for an RSA key of %u bits, got %lu: refused\n",
                KEY_BITS, (unsigned long)bits);
        goto out;
    }
    swprintf(subject_text, sizeof subject_text / sizeof subject_text[0], L"CN=%ls",
             names[0]);
    if (!CertStrToNameW(X509_ASN_ENCODING, subject_text, CERT_X500_NAME_STR, NULL, NULL,
                        &subject.cbData, NULL) ||
        (subject.pbData = malloc(subject.cbData)) == NULL ||
        !CertStrToNameW(X509_ASN_ENCODING, subject_text, CERT_X500_NAME_STR, NULL, subject.pbData,
                        &subject.cbData, NULL)) {
        rc = fail("CertStrToName");
        goto out;
    }
    for (DWORD i = 0; i < count; i++) {
        alt[i].dwAltNameChoice = CERT_ALT_NAME_DNS_NAME;
        alt[i].pwszDNSName = names[i];
    }
    alt_info.cAltEntry = count;
    alt_info.rgAltEntry = alt;
    if (!CryptEncodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, &alt_info,
                             CRYPT_ENCODE_ALLOC_FLAG, NULL, &san, &san_len) ||
        !CryptEncodeObjectEx(X509_ASN_ENCODING, X509_ENHANCED_KEY_USAGE, &eku,
                             CRYPT_ENCODE_ALLOC_FLAG, NULL, &usage, &usage_len)) {
        rc = fail("CryptEncodeObjectEx");
        goto out;
    }
    ext[0].pszObjId = szOID_SUBJECT_ALT_NAME2;
    ext[0].fCritical = FALSE;
    ext[0].Value.cbData = san_len;
    ext[0].Value.pbData = san;
    ext[1].pszObjId = szOID_ENHANCED_KEY_USAGE;
    ext[1].fCritical = FALSE;
    ext[1].Value.cbData = usage_len;
    ext[1].Value.pbData = usage;
    memset(&kpi, 0, sizeof kpi);
    kpi.pwszContainerName = container;
    kpi.pwszProvName = MS_ENH_RSA_AES_PROV_W;
    kpi.dwProvType = PROV_RSA_AES;
    kpi.dwKeySpec = AT_KEYEXCHANGE;
    memset(&alg, 0, sizeof alg);
    alg.pszObjId = szOID_RSA_SHA256RSA;
    GetSystemTime(&start);
    end = two_years_after(start);
    cert = CertCreateSelfSignCertificate(prov, &subject, 0, &kpi, &alg, &start, &end, &exts);
    if (cert == NULL) {
        rc = fail("CertCreateSelfSignCertificate");
        goto out;
    }
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, L"MY");
    if (store == NULL || !CertAddCertificateContextToStore(store, cert, CERT_STORE_ADD_NEW, NULL)) {
        rc = fail("adding the certificate to CurrentUser\\My");
        goto out;
    }
    if (!CertGetCertificateContextProperty(cert, CERT_SHA1_HASH_PROP_ID, sha1, &sha1_len) ||
        !CryptHashCertificate2(L"SHA256", 0, NULL, cert->pbCertEncoded, cert->cbCertEncoded,
                               sha256, &sha256_len)) {
        rc = fail("hashing the certificate");
        goto out;
    }
    hexfmt_upper(sha1, 20, thumb);
    hexfmt_upper(sha256, 32, fingerprint);
    rc = passwd_set_key(path, "tls_certificate", thumb);
    if (rc != 0)
        goto out;
    first_name = wstr_to_utf8(names[0]);
    printf("certificate for %s (and %lu more names), RSA %lu bits, valid until "
           "%04u-%02u-%02u, in CurrentUser\\My\n",
           first_name != NULL ? first_name : "?", (unsigned long)(count - 1),
           (unsigned long)bits, end.wYear, end.wMonth, end.wDay);
    printf("thumbprint %s written to %s as tls_certificate\n", thumb, path);
    printf("SHA256:%s\n", fingerprint);
out:
    free(first_name);
    free(subject.pbData);
    if (san != NULL)
        LocalFree(san);
    if (usage != NULL)
        LocalFree(usage);
    if (cert != NULL)
        CertFreeCertificateContext(cert);
    if (store != NULL)
        CertCloseStore(store, 0);
    if (key != 0)
        CryptDestroyKey(key);
    if (prov != 0) {
        CryptReleaseContext(prov, 0);
        /* A key whose certificate was not made (or not kept) is not left behind. */
        if (rc != 0)
            CryptAcquireContextW(&prov, container, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                                 CRYPT_DELETEKEYSET);
    }
    return rc;
}
