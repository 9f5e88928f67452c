/* certrenew.c - `mtserver cert --renew` (see certrenew.h).
 *
 * The key is whatever the old certificate's key property names: a
 * CryptoAPI container (what `mtserver cert` makes) or a CNG key (an
 * imported or enrolled certificate); CryptAcquireCertificatePrivateKey
 * opens either, and certsign_make signs with either. Nothing is written to
 * the configuration until the new certificate is in the store, and the new
 * certificate is taken out again when the configuration cannot be written. */
#include "certrenew.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>
#include <ncrypt.h>

#include "certmake.h"
#include "certsign.h"
#include "config.h"
#include "hexfmt.h"
#include "inifile.h"
#include "settings.h"
#include "winerr.h"

/* The renewal's old certificate, where it was found, and its key. */
struct old_cert {
    HCERTSTORE store;
    DWORD location;
    const char *store_name;
    PCCERT_CONTEXT cert;
    HCRYPTPROV_OR_NCRYPT_KEY_HANDLE key;
    DWORD key_spec;
    BOOL free_key;
    CRYPT_KEY_PROV_INFO *kpi;
};

static int say(const char *what, DWORD e)
{
    char why[300];

    fprintf(stderr, "mtserver: cert --renew: %s: %s\n", what, winerr_text(e, why, sizeof why));
    return 1;
}

/* The thumbprint tls_certificate gives in the file at path. 0 or 1. */
static int configured_thumbprint(const char *path, BYTE hash[20])
{
    static struct config cfg; /* several KiB: not on the stack */
    struct server_options o;
    const char *name;
    char err[1200];

    options_init(&o);
    config_init(&cfg);
    if (settings_load(path, &cfg, &o, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return 1;
    }
    /* o has no command line: what it names is the file's. */
    switch (options_certificate(&o, &name, hash)) {
    case OPTIONS_CERT_NONE:
        fprintf(stderr, "mtserver: cert --renew: %s sets no tls_certificate, so there is no "
                        "key to keep (mtserver cert without --renew makes a first one)\n",
                path);
        return 1;
    case OPTIONS_CERT_OTHER:
        fprintf(stderr, "mtserver: cert --renew: tls_certificate is %s, not a thumbprint of "
                        "a certificate in a store; a PFX file is renewed where it was issued\n",
                name);
        return 1;
    case OPTIONS_CERT_THUMBPRINT: break;
    }
    return 0;
}

/* The certificate with this hash, its store (writable) and its key. 0 or 1. */
static int open_old(const BYTE hash[20], struct old_cert *o)
{
    static const DWORD where[] = {CERT_SYSTEM_STORE_LOCAL_MACHINE, CERT_SYSTEM_STORE_CURRENT_USER};
    static const char *const names[] = {"LocalMachine\\My", "CurrentUser\\My"};
    CRYPT_HASH_BLOB blob = {20, (BYTE *)hash};
    DWORD size = 0;
    char thumb[41];

    for (size_t i = 0; i < 2 && o->cert == NULL; i++) {
        o->store = CertOpenStore(CERT_STORE_PROV_SYSTEM_W, 0, 0,
                                 where[i] | CERT_STORE_OPEN_EXISTING_FLAG, L"MY");
        if (o->store == NULL)
            continue;
        o->cert = CertFindCertificateInStore(o->store, X509_ASN_ENCODING | PKCS_7_ASN_ENCODING,
                                             0, CERT_FIND_SHA1_HASH, &blob, NULL);
        o->location = where[i];
        o->store_name = names[i];
        if (o->cert == NULL) {
            CertCloseStore(o->store, 0);
            o->store = NULL;
        }
    }
    hexfmt_upper(hash, 20, thumb);
    if (o->cert == NULL) {
        fprintf(stderr, "mtserver: cert --renew: no certificate with thumbprint %s (the "
                        "configured tls_certificate) in LocalMachine\\My or CurrentUser\\My\n",
                thumb);
        return 1;
    }
    if (!CertGetCertificateContextProperty(o->cert, CERT_KEY_PROV_INFO_PROP_ID, NULL, &size) ||
        (o->kpi = malloc(size)) == NULL ||
        !CertGetCertificateContextProperty(o->cert, CERT_KEY_PROV_INFO_PROP_ID, o->kpi, &size))
        return say("the certificate names no private key to keep", GetLastError());
    if (!CryptAcquireCertificatePrivateKey(o->cert,
                                           CRYPT_ACQUIRE_SILENT_FLAG |
                                               CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG,
                                           NULL, &o->key, &o->key_spec, &o->free_key))
        return say("its private key cannot be opened", GetLastError());
    return 0;
}

static void close_old(struct old_cert *o)
{
    if (o->free_key) {
        if (o->key_spec == CERT_NCRYPT_KEY_SPEC)
            NCryptFreeObject(o->key);
        else
            CryptReleaseContext(o->key, 0);
    }
    free(o->kpi);
    if (o->cert != NULL)
        CertFreeCertificateContext(o->cert);
    if (o->store != NULL)
        CertCloseStore(o->store, 0);
}

int certrenew_run(const char *path, unsigned days)
{
    struct old_cert old;
    struct certsign_request req;
    PCCERT_CONTEXT made = NULL;
    BYTE hash[20], sha1[20];
    CRYPT_HASH_BLOB renewal;
    SYSTEMTIME until;
    char old_thumb[41], thumb[41], fingerprint[65], key_pin[65];
    int rc = 1;

    memset(&old, 0, sizeof old);
    if (configured_thumbprint(path, hash) != 0 || open_old(hash, &old) != 0)
        goto out;
    hexfmt_upper(hash, 20, old_thumb);
    memset(&req, 0, sizeof req);
    req.key = old.key;
    req.key_spec = old.key_spec;
    req.kpi = old.kpi;
    req.subject = &old.cert->pCertInfo->Subject;
    req.extension_count = old.cert->pCertInfo->cExtension;
    req.extensions = old.cert->pCertInfo->rgExtension;
    req.days = days;
    made = certsign_make(&req);
    if (made == NULL) {
        rc = say("signing the new certificate", GetLastError());
        goto out;
    }
    if (certsign_hashes(made, sha1, thumb, fingerprint, key_pin) != 0 ||
        !FileTimeToSystemTime(&made->pCertInfo->NotAfter, &until)) {
        rc = say("hashing the new certificate", GetLastError());
        goto out;
    }
    if (!CertAddCertificateContextToStore(old.store, made, CERT_STORE_ADD_NEW, NULL)) {
        rc = say(old.location == CERT_SYSTEM_STORE_LOCAL_MACHINE
                     ? "adding the certificate to LocalMachine\\My"
                     : "adding the certificate to CurrentUser\\My",
                 GetLastError());
        goto out;
    }
    rc = inifile_set_key(path, "tls_certificate", thumb);
    if (rc != 0) {
        certsign_remove(old.location, sha1);
        fprintf(stderr, "mtserver: cert --renew: the new certificate was removed again\n");
        goto out;
    }
    /* As certreq and win-acme mark a renewal: a service that follows the
     * chain finds the new one even from the old thumbprint. A refusal
     * changes nothing above. */
    renewal.cbData = 20;
    renewal.pbData = sha1;
    CertSetCertificateContextProperty(old.cert, CERT_RENEWAL_PROP_ID, 0, &renewal);
    printf("renewed certificate %s with the same key: %s, valid until %04u-%02u-%02u, in %s\n",
           old_thumb, thumb, until.wYear, until.wMonth, until.wDay, old.store_name);
    printf("thumbprint %s written to %s as tls_certificate\n", thumb, path);
    certmake_print_pins(fingerprint, key_pin);
    printf("the old certificate stays in %s until you delete it; the service serves the new "
           "one after sc control mtserver paramchange (or a restart)\n",
           old.store_name);
out:
    if (made != NULL)
        CertFreeCertificateContext(made);
    close_old(&old);
    return rc;
}
