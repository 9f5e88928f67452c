/* certmake.c - `mtserver cert` and `install --self-signed` (see certmake.h).
 *
 * Where the key and certificate go: for a service, the machine key set with
 * a DACL for SYSTEM, administrators and the service's account, and
 * LocalMachine\My, where the service (another account) finds them. That
 * placement is checked the way the server opens a certificate
 * (schannel_cred_open); where it does not serve (Wine: LocalMachine\My is
 * not kept and Schannel refuses machine keys; a user without the right to
 * the machine key set) the certificate is made again in CurrentUser\My
 * with the user's key set, which serves a server running as this user.
 *
 * CryptoAPI, not CNG: an RSA key made by the Enhanced RSA and AES provider
 * in a named container is what CryptSignAndEncodeCertificate (certsign.c)
 * and Schannel both take on every Windows since 7, and what Wine 10 serves with (its CNG
 * key storage is too thin). The key size is read back from the key, not
 * assumed: a provider that gives less than asked is refused. */
#include "certmake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>
#include <sddl.h>

#include "certname.h"
#include "certrenew.h"
#include "certsign.h"
#include "passwd.h"
#include "schan.h"
#include "settings.h"
#include "svcacl.h"
#include "winerr.h"
#include "wstr.h"

#define NAME_MAX_CHARS 256

/* What the certificate is to be: from the command line, or the defaults. */
struct spec {
    DWORD bits;                /* the RSA key's size */
    unsigned days;             /* how long it lasts */
    const char *const *names;  /* --name, checked (certname.h); none: the host's */
    unsigned name_count;
};

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

/* The certificate's names as subjectAltName entries into alt (whose
 * strings and addresses live in names and ips): --name's in their order,
 * else the host's. The first is the subject's CN. */
static void spec_names(const struct spec *sp, wchar_t names[][NAME_MAX_CHARS],
                       struct certname ips[], CERT_ALT_NAME_ENTRY alt[], DWORD *count)
{
    char why[200];

    if (sp->name_count == 0) {
        host_names(names, count);
        for (DWORD i = 0; i < *count; i++) {
            alt[i].dwAltNameChoice = CERT_ALT_NAME_DNS_NAME;
            alt[i].pwszDNSName = names[i];
        }
        return;
    }
    for (unsigned i = 0; i < sp->name_count; i++) {
        const char *text = sp->names[i];
        size_t k;
        /* Checked when the options were parsed: ASCII, so widened byte by byte. */
        certname_parse(text, &ips[i], why, sizeof why);
        for (k = 0; text[k] != '\0' && k + 1 < NAME_MAX_CHARS; k++)
            names[i][k] = (wchar_t)(unsigned char)text[k];
        names[i][k] = L'\0';
        if (ips[i].kind == CERTNAME_IP) {
            alt[i].dwAltNameChoice = CERT_ALT_NAME_IP_ADDRESS;
            alt[i].IPAddress.cbData = (DWORD)ips[i].addr_len;
            alt[i].IPAddress.pbData = ips[i].addr;
        } else {
            alt[i].dwAltNameChoice = CERT_ALT_NAME_DNS_NAME;
            alt[i].pwszDNSName = names[i];
        }
    }
    *count = sp->name_count;
}

/* One placement: the key set and the store. */
struct place {
    DWORD key_flags; /* 0: the user's key set; CRYPT_MACHINE_KEYSET */
    DWORD store;     /* CERT_SYSTEM_STORE_CURRENT_USER or _LOCAL_MACHINE */
    const char *name;
};

static const struct place machine_place = {CRYPT_MACHINE_KEYSET, CERT_SYSTEM_STORE_LOCAL_MACHINE,
                                           "LocalMachine\\My"};
static const struct place user_place = {0, CERT_SYSTEM_STORE_CURRENT_USER, "CurrentUser\\My"};

/* What make_in made. */
struct made {
    const struct place *where;
    wchar_t container[64];
    BYTE sha1[20];
    DWORD bits, names;
    SYSTEMTIME end;
    char thumb[41], fingerprint[65], key_pin[65], first_name[NAME_MAX_CHARS * 3];
};

/* The key readable by SYSTEM, administrators and the service's account
 * only (sid, an SDDL SID). A machine key's default DACL lets only its maker
 * and SYSTEM in, so the service could not serve with it. */
static int protect_key(HCRYPTPROV prov, const wchar_t *sid)
{
    wchar_t sddl[300];
    PSECURITY_DESCRIPTOR sd = NULL;
    BOOL ok;

    swprintf(sddl, sizeof sddl / sizeof sddl[0], SVCACL_KEY, sid);
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
        return fail("the key's permissions");
    ok = CryptSetProvParam(prov, PP_KEYSET_SEC_DESCR, (const BYTE *)sd,
                           DACL_SECURITY_INFORMATION);
    LocalFree(sd);
    return ok ? 0 : fail("setting the key's permissions");
}

/* Takes back what make_in made: the certificate from its store, the key. */
static void unmake(const struct made *m)
{
    HCRYPTPROV prov = 0;

    certsign_remove(m->where->store, m->sha1);
    CryptAcquireContextW(&prov, m->container, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                         CRYPT_DELETEKEYSET | m->where->key_flags);
}

/* Makes the key and the certificate in one placement and adds it to its
 * store. Returns 0, or 1 with the reason printed and nothing left behind. */
static int make_in(const struct place *where, const wchar_t *sid, const struct spec *sp,
                   struct made *m)
{
    wchar_t names[CERTNAME_MAX_NAMES][NAME_MAX_CHARS], subject_text[NAME_MAX_CHARS + 6];
    struct certname ips[CERTNAME_MAX_NAMES];
    CERT_ALT_NAME_ENTRY alt[CERTNAME_MAX_NAMES];
    CERT_ALT_NAME_INFO alt_info;
    LPSTR server_auth = szOID_PKIX_KP_SERVER_AUTH;
    CERT_ENHKEY_USAGE eku = {1, &server_auth};
    CERT_EXTENSION ext[2];
    CRYPT_KEY_PROV_INFO kpi;
    struct certsign_request req;
    CERT_NAME_BLOB subject = {0, NULL};
    FILETIME now;
    HCRYPTPROV prov = 0;
    HCRYPTKEY key = 0;
    HCERTSTORE store = NULL;
    PCCERT_CONTEXT cert = NULL;
    BYTE *san = NULL, *usage = NULL;
    DWORD san_len = 0, usage_len = 0, len;
    int rc = 1;

    memset(m, 0, sizeof *m);
    m->where = where;
    spec_names(sp, names, ips, alt, &m->names);
    GetSystemTimeAsFileTime(&now);
    swprintf(m->container, sizeof m->container / sizeof m->container[0],
             L"mtserver-tls-%08lx%08lx", (unsigned long)now.dwHighDateTime,
             (unsigned long)now.dwLowDateTime);
    if (!CryptAcquireContextW(&prov, m->container, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                              CRYPT_NEWKEYSET | where->key_flags)) {
        rc = fail("CryptAcquireContext");
        goto out;
    }
    /* The key size goes in the upper 16 bits of the flags. */
    if (!CryptGenKey(prov, AT_KEYEXCHANGE, sp->bits << 16, &key)) {
        rc = fail("CryptGenKey");
        goto out;
    }
    len = sizeof m->bits;
    if (!CryptGetKeyParam(key, KP_KEYLEN, (BYTE *)&m->bits, &len, 0)) {
        rc = fail("CryptGetKeyParam");
        goto out;
    }
    if (m->bits < sp->bits) {
        fprintf(stderr, "mtserver: cert: asked for an RSA key of %lu bits, got %lu: refused\n",
                (unsigned long)sp->bits, (unsigned long)m->bits);
        goto out;
    }
    /* Once the key exists, so that its container's file has it to keep. */
    if (where->key_flags & CRYPT_MACHINE_KEYSET) {
        rc = protect_key(prov, sid);
        if (rc != 0)
            goto out;
        rc = 1;
    }
    /* Quoted: an IPv6 address's colons are no separators. */
    swprintf(subject_text, sizeof subject_text / sizeof subject_text[0], L"CN=\"%ls\"",
             names[0]);
    if (!CertStrToNameW(X509_ASN_ENCODING, subject_text, CERT_X500_NAME_STR, NULL, NULL,
                        &subject.cbData, NULL) ||
        (subject.pbData = malloc(subject.cbData)) == NULL ||
        !CertStrToNameW(X509_ASN_ENCODING, subject_text, CERT_X500_NAME_STR, NULL, subject.pbData,
                        &subject.cbData, NULL)) {
        rc = fail("CertStrToName");
        goto out;
    }
    alt_info.cAltEntry = m->names;
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
    kpi.pwszContainerName = m->container;
    kpi.pwszProvName = MS_ENH_RSA_AES_PROV_W;
    kpi.dwProvType = PROV_RSA_AES;
    kpi.dwFlags = where->key_flags;
    kpi.dwKeySpec = AT_KEYEXCHANGE;
    memset(&req, 0, sizeof req);
    req.key = prov;
    req.key_spec = AT_KEYEXCHANGE;
    req.kpi = &kpi;
    req.subject = &subject;
    req.extension_count = 2;
    req.extensions = ext;
    req.days = sp->days;
    cert = certsign_make(&req);
    if (cert == NULL || !FileTimeToSystemTime(&cert->pCertInfo->NotAfter, &m->end)) {
        rc = fail("signing the certificate");
        goto out;
    }
    store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0, where->store, L"MY");
    if (store == NULL || !CertAddCertificateContextToStore(store, cert, CERT_STORE_ADD_NEW, NULL)) {
        char what[80];
        snprintf(what, sizeof what, "adding the certificate to %s", where->name);
        rc = fail(what);
        goto out;
    }
    if (certsign_hashes(cert, m->sha1, m->thumb, m->fingerprint, m->key_pin) != 0) {
        rc = fail("hashing the certificate");
        unmake(m);
        goto out;
    }
    wstr_to_utf8_buf(names[0], m->first_name, sizeof m->first_name);
    rc = 0;
out:
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
            CryptAcquireContextW(&prov, m->container, MS_ENH_RSA_AES_PROV_W, PROV_RSA_AES,
                                 CRYPT_DELETEKEYSET | where->key_flags);
    }
    return rc;
}

/* The certificate where a service (account sid) can use it, else where a
 * server run by this user can (see the top of the file). 0 or 1. */
static int make_for_service(const wchar_t *sid, const struct spec *sp, struct made *m)
{
    char err[600];
    struct schannel_cred check;

    if (make_in(&machine_place, sid, sp, m) == 0) {
        if (schannel_cred_open(&check, m->thumb, NULL, 12, NULL, err, sizeof err) == 0) {
            schannel_cred_close(&check);
            return 0;
        }
        fprintf(stderr, "mtserver: cert: a certificate in LocalMachine\\My does not serve here "
                        "(%s); making it in CurrentUser\\My with this user's key instead\n",
                err);
        unmake(m);
    } else {
        fprintf(stderr, "mtserver: cert: no certificate in LocalMachine\\My (above); making it in "
                        "CurrentUser\\My with this user's key instead\n");
    }
    if (make_in(&user_place, sid, sp, m) != 0)
        return 1;
    /* Kept even when it cannot be checked: the server's start then names
     * the cause (a Schannel with no server side, Wine 8). */
    if (schannel_cred_open(&check, m->thumb, NULL, 12, NULL, err, sizeof err) == 0)
        schannel_cred_close(&check);
    else
        fprintf(stderr, "mtserver: cert: warning: the certificate cannot serve here yet: %s\n",
                err);
    return 0;
}

static void print_made(const struct made *m)
{
    printf("certificate for %s (and %lu more names), RSA %lu bits, valid until "
           "%04u-%02u-%02u, in %s\n",
           m->first_name, (unsigned long)(m->names - 1), (unsigned long)m->bits, m->end.wYear,
           m->end.wMonth, m->end.wDay, m->where->name);
}

void certmake_print_pins(const char *fingerprint, const char *key_pin)
{
    printf("SHA256:%s\n"
           "  the certificate's fingerprint: new with every certificate, renewals included\n"
           "SPKI-SHA256:%s\n"
           "  the key's pin: stays when mtserver cert --renew renews the certificate\n",
           fingerprint, key_pin);
}

/* The certificate opts ask for. */
static void spec_from(const struct server_options *opts, struct spec *sp)
{
    sp->bits = opts->key == OPTIONS_KEY_RSA3072 ? 3072u : 2048u;
    sp->days = opts->days != 0 ? opts->days : CERTSIGN_DAYS_DEFAULT;
    sp->names = opts->names;
    sp->name_count = opts->name_count;
}

int certmake_check_key(enum options_key key)
{
    if (key != OPTIONS_KEY_ECDSA_P256)
        return 0;
    /* Refused before anything is made: a certificate Schannel cannot serve
     * would pass `cert` and fail at the server's start (docs/WINE.md). */
    fprintf(stderr, "mtserver: cert: --key ecdsa-p256 is not made by this version: its key "
                    "would be a CNG key, which Wine cannot make (NTE_NOT_SUPPORTED) and whose "
                    "path is not yet checked on Windows (docs/ADMIN.md); use rsa2048 or "
                    "rsa3072. Nothing was made\n");
    return 2;
}

int certmake_run(const struct server_options *opts)
{
    struct spec sp;
    struct made m;
    wchar_t sid[128];
    char path[MAX_PATH * 3], err[1024];
    int rc;

    rc = certmake_check_key(opts->key);
    if (rc != 0)
        return rc;
    if (settings_config_path(opts->config, path, sizeof path, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 1;
    }
    /* Nothing is made that the configuration could not then name. */
    rc = passwd_check_key(path, "tls_certificate");
    if (rc != 0) {
        fprintf(stderr, "mtserver: cert: nothing was made\n");
        return rc;
    }
    if (opts->renew)
        return certrenew_run(path, opts->days != 0 ? opts->days : CERTSIGN_DAYS_DEFAULT);
    svcacl_account_sid(0, sid, sizeof sid / sizeof sid[0]);
    spec_from(opts, &sp);
    if (make_for_service(sid, &sp, &m) != 0)
        return 1;
    rc = passwd_set_key(path, "tls_certificate", m.thumb);
    if (rc != 0) {
        unmake(&m);
        fprintf(stderr, "mtserver: cert: the certificate and key just made were removed again\n");
        return rc;
    }
    print_made(&m);
    printf("thumbprint %s written to %s as tls_certificate\n", m.thumb, path);
    certmake_print_pins(m.fingerprint, m.key_pin);
    return 0;
}

int certmake_for_install(const struct server_options *opts, const wchar_t *sid, char thumb[41],
                         char fingerprint[65])
{
    struct spec sp;
    struct made m;

    spec_from(opts, &sp);
    if (make_for_service(sid, &sp, &m) != 0)
        return 1;
    print_made(&m);
    memcpy(thumb, m.thumb, 41);
    memcpy(fingerprint, m.fingerprint, 65);
    return 0;
}
