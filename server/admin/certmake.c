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
 * The key (certkey.c): RSA through CryptoAPI, ECDSA P-256 through CNG,
 * its size read back from the key, not assumed. */
#include "certmake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>

#include "certkey.h"
#include "certname.h"
#include "certrenew.h"
#include "certsign.h"
#include "inifile.h"
#include "schan.h"
#include "settings.h"
#include "svcacl.h"
#include "winerr.h"
#include "wstr.h"

#define NAME_MAX_CHARS 256

/* What the certificate is to be: from the command line, or the defaults. */
struct spec {
    enum options_key key;      /* RSA (of bits) or ECDSA P-256 */
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
    int machine_key; /* the machine's key set, else the user's */
    DWORD store;     /* CERT_SYSTEM_STORE_CURRENT_USER or _LOCAL_MACHINE */
    const char *name;
};

static const struct place machine_place = {1, CERT_SYSTEM_STORE_LOCAL_MACHINE, "LocalMachine\\My"};
static const struct place user_place = {0, CERT_SYSTEM_STORE_CURRENT_USER, "CurrentUser\\My"};

/* What make_in made. */
struct made {
    const struct place *where;
    struct certkey key; /* closed: what it is and where, for unmake */
    BYTE sha1[20];
    DWORD names;
    SYSTEMTIME end;
    char thumb[41], fingerprint[65], key_pin[65], first_name[NAME_MAX_CHARS * 3];
};

/* Takes back what make_in made: the certificate from its store, the key. */
static void unmake(const struct made *m)
{
    certsign_remove(m->where->store, m->sha1);
    certkey_remove(&m->key);
}

/* The certificate's subject (CN=the first name) and its two extensions:
 * the names, and server authentication as its one usage. 0, or -1 with
 * GetLastError() (the caller frees what was allocated either way). */
static int describe(const wchar_t *first_name, const CERT_ALT_NAME_INFO *alt_info,
                    CERT_NAME_BLOB *subject, CERT_EXTENSION ext[2])
{
    static LPSTR server_auth = szOID_PKIX_KP_SERVER_AUTH;
    CERT_ENHKEY_USAGE eku = {1, &server_auth};
    wchar_t subject_text[NAME_MAX_CHARS + 6];

    /* Quoted: an IPv6 address's colons are no separators. */
    swprintf(subject_text, sizeof subject_text / sizeof subject_text[0], L"CN=\"%ls\"",
             first_name);
    if (!CertStrToNameW(X509_ASN_ENCODING, subject_text, CERT_X500_NAME_STR, NULL, NULL,
                        &subject->cbData, NULL) ||
        (subject->pbData = malloc(subject->cbData)) == NULL ||
        !CertStrToNameW(X509_ASN_ENCODING, subject_text, CERT_X500_NAME_STR, NULL, subject->pbData,
                        &subject->cbData, NULL))
        return -1;
    ext[0].pszObjId = szOID_SUBJECT_ALT_NAME2;
    ext[0].fCritical = FALSE;
    ext[1].pszObjId = szOID_ENHANCED_KEY_USAGE;
    ext[1].fCritical = FALSE;
    if (!CryptEncodeObjectEx(X509_ASN_ENCODING, X509_ALTERNATE_NAME, alt_info,
                             CRYPT_ENCODE_ALLOC_FLAG, NULL, &ext[0].Value.pbData,
                             &ext[0].Value.cbData) ||
        !CryptEncodeObjectEx(X509_ASN_ENCODING, X509_ENHANCED_KEY_USAGE, &eku,
                             CRYPT_ENCODE_ALLOC_FLAG, NULL, &ext[1].Value.pbData,
                             &ext[1].Value.cbData))
        return -1;
    return 0;
}

/* Makes the key and the certificate in one placement and adds it to its
 * store. Returns 0, or with the reason printed and nothing left behind 2
 * when no placement can have that kind of key (certkey_make), else 1. */
static int make_in(const struct place *where, const wchar_t *sid, const struct spec *sp,
                   struct made *m)
{
    wchar_t names[CERTNAME_MAX_NAMES][NAME_MAX_CHARS], container[64];
    struct certname ips[CERTNAME_MAX_NAMES];
    CERT_ALT_NAME_ENTRY alt[CERTNAME_MAX_NAMES];
    CERT_ALT_NAME_INFO alt_info;
    CERT_EXTENSION ext[2];
    struct certsign_request req;
    CERT_NAME_BLOB subject = {0, NULL};
    FILETIME now;
    HCERTSTORE store = NULL;
    PCCERT_CONTEXT cert = NULL;
    int rc = 1, have_key = 0;

    memset(m, 0, sizeof *m);
    memset(ext, 0, sizeof ext);
    m->where = where;
    spec_names(sp, names, ips, alt, &m->names);
    GetSystemTimeAsFileTime(&now);
    swprintf(container, sizeof container / sizeof container[0], L"mtserver-tls-%08lx%08lx",
             (unsigned long)now.dwHighDateTime, (unsigned long)now.dwLowDateTime);
    rc = certkey_make(&m->key, sp->key, sp->bits, where->machine_key, container, sid);
    if (rc != 0)
        goto out;
    rc = 1;
    have_key = 1;
    alt_info.cAltEntry = m->names;
    alt_info.rgAltEntry = alt;
    if (describe(names[0], &alt_info, &subject, ext) != 0) {
        rc = fail("describing the certificate");
        goto out;
    }
    memset(&req, 0, sizeof req);
    req.key = certkey_signer(&m->key, &req.key_spec);
    req.kpi = &m->key.kpi;
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
        certkey_close(&m->key);
        unmake(m);
        have_key = 0;
        goto out;
    }
    wstr_to_utf8_buf(names[0], m->first_name, sizeof m->first_name);
    rc = 0;
out:
    free(subject.pbData);
    if (ext[0].Value.pbData != NULL)
        LocalFree(ext[0].Value.pbData);
    if (ext[1].Value.pbData != NULL)
        LocalFree(ext[1].Value.pbData);
    if (cert != NULL)
        CertFreeCertificateContext(cert);
    if (store != NULL)
        CertCloseStore(store, 0);
    if (have_key) {
        certkey_close(&m->key);
        /* A key whose certificate was not made (or not kept) is not left behind. */
        if (rc != 0)
            certkey_remove(&m->key);
    }
    return rc;
}

/* The certificate where a service (account sid) can use it, else where a
 * server run by this user can (see the top of the file). 0 or 1. */
static int make_for_service(const wchar_t *sid, const struct spec *sp, struct made *m)
{
    char err[600];
    struct schannel_cred check;

    int rc = make_in(&machine_place, sid, sp, m);

    if (rc == 2)
        return 1;
    if (rc == 0) {
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
    char key[40];

    certkey_describe(&m->key, key, sizeof key);
    printf("certificate for %s (and %lu more names), %s, valid until %04u-%02u-%02u, in %s\n",
           m->first_name, (unsigned long)(m->names - 1), key, m->end.wYear, m->end.wMonth,
           m->end.wDay, m->where->name);
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
    sp->key = opts->key;
    sp->bits = opts->key == OPTIONS_KEY_RSA3072 ? 3072u : 2048u;
    sp->days = opts->days != 0 ? opts->days : CERTSIGN_DAYS_DEFAULT;
    sp->names = opts->names;
    sp->name_count = opts->name_count;
}

int certmake_run(const struct server_options *opts)
{
    struct spec sp;
    struct made m;
    wchar_t sid[128];
    char path[MAX_PATH * 3], err[1024];
    int rc;

    if (settings_config_path_of(opts, path, sizeof path, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 1;
    }
    /* Nothing is made that the configuration could not then name. */
    rc = inifile_check_key(path, "tls_certificate");
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
    rc = inifile_set_key(path, "tls_certificate", m.thumb);
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
                         char fingerprint[65], char key_pin[65])
{
    struct spec sp;
    struct made m;

    spec_from(opts, &sp);
    if (make_for_service(sid, &sp, &m) != 0)
        return 1;
    print_made(&m);
    memcpy(thumb, m.thumb, 41);
    memcpy(fingerprint, m.fingerprint, 65);
    memcpy(key_pin, m.key_pin, 65);
    return 0;
}
