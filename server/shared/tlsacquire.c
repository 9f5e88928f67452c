/* tlsacquire.c - the server credential's AcquireCredentialsHandle: which
 * structure Schannel takes (SCH_CREDENTIALS, else SCHANNEL_CRED), which
 * versions it then offers, and the description of both for the start line
 * (see tlsacquire.h). From the thread that opens a credential. */
#include "tlsacquire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ncrypt.h>
/* SCH_CREDENTIALS and TLS_PARAMETERS: the SDK's, MinGW's and Wine's
 * schannel.h declare them only under SCHANNEL_USE_BLACKLISTS, and they hold
 * UNICODE_STRINGs, which winternl.h declares. */
#define SCHANNEL_USE_BLACKLISTS
#include <winternl.h>
#include <schannel.h>

#include "tlspolicy.h"

/* Every server-side stream protocol Schannel names, oldest first. */
#define SERVER_PROTOCOLS                                                                      \
    (SP_PROT_PCT1_SERVER | SP_PROT_SSL2_SERVER | SP_PROT_SSL3_SERVER | SP_PROT_TLS1_0_SERVER |  \
     SP_PROT_TLS1_1_SERVER | SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER)

/* The versions tls_min_version allows: TLS 1.2 and 1.3, or 1.3 alone. This
 * is the one place that says so; transport_tls.c holds each connection to
 * the same minimum after its handshake. */
static DWORD wanted_protocols(unsigned min_version)
{
    return min_version >= 13 ? SP_PROT_TLS1_3_SERVER
                             : SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER;
}

/* "TLS 1.0, TLS 1.2" style names of the server protocols in bits. */
static void protocol_names(DWORD bits, char *out, size_t cap)
{
    static const struct {
        DWORD bit;
        const char *name;
    } names[] = {
        {SP_PROT_PCT1_SERVER, "PCT 1"},   {SP_PROT_SSL2_SERVER, "SSL 2"},
        {SP_PROT_SSL3_SERVER, "SSL 3"},   {SP_PROT_TLS1_0_SERVER, "TLS 1.0"},
        {SP_PROT_TLS1_1_SERVER, "TLS 1.1"}, {SP_PROT_TLS1_2_SERVER, "TLS 1.2"},
        {SP_PROT_TLS1_3_SERVER, "TLS 1.3"},
    };
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < sizeof names / sizeof names[0] && used < cap; i++) {
        if (bits & names[i].bit) {
            int n = snprintf(out + used, cap - used, "%s%s", used > 0 ? ", " : "", names[i].name);
            used += n > 0 ? (size_t)n : 0;
        }
    }
    if (out[0] == '\0')
        snprintf(out, cap, "none");
}

/* The server protocols a credential will negotiate, as Schannel reports
 * them. Returns 0, or -1 when it cannot say: the query fails, or answers
 * none at all for a credential it has just made (Wine 8 does so for every
 * server credential). Then each connection's version is still checked
 * after its handshake (transport_tls.c). */
static int offered_protocols(CredHandle *h, DWORD *offered)
{
    SecPkgCred_SupportedProtocols p;

    if (QueryCredentialsAttributesW(h, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &p) != SEC_E_OK)
        return -1;
    *offered = p.grbitProtocol & SERVER_PROTOCOLS;
    return *offered != 0 ? 0 : -1;
}

/* SCH_CREDENTIALS (Windows 10 1809 and later): the only form that offers
 * TLS 1.3. It names the versions to refuse; everything not wanted is
 * refused, so that a version a later Windows adds is not offered before
 * this code has been checked with it. */
/* The algorithms the credential lists (SECPKG_ATTR_SUPPORTED_ALGS), as
 * names into c->algorithms for the start line, and whether static-RSA key
 * exchange is among them. Wine answers SEC_E_UNSUPPORTED_FUNCTION. */
static void list_algorithms(struct schannel_cred *c, struct tlspolicy_outcome *o)
{
    static const struct {
        ALG_ID id;
        const char *name;
    } names[] = {
        {CALG_RSA_KEYX, "RSA-kx"},  {CALG_ECDH_EPHEM, "ECDHE"}, {CALG_DH_EPHEM, "DHE"},
        {CALG_ECDH, "ECDH"},        {CALG_AES_128, "AES-128"},  {CALG_AES_256, "AES-256"},
        {CALG_3DES, "3DES"},        {CALG_RC4, "RC4"},          {CALG_SHA1, "SHA1"},
        {CALG_SHA_256, "SHA256"},   {CALG_SHA_384, "SHA384"},   {CALG_RSA_SIGN, "RSA-sign"},
        {CALG_ECDSA, "ECDSA"},
    };
    SecPkgCred_SupportedAlgs algs;
    size_t used = 0;

    c->algorithms[0] = '\0';
    memset(&algs, 0, sizeof algs);
    if (QueryCredentialsAttributesW(&c->handle, SECPKG_ATTR_SUPPORTED_ALGS, &algs) != SEC_E_OK ||
        algs.palgSupportedAlgs == NULL) {
        snprintf(c->algorithms, sizeof c->algorithms, "Schannel does not list its algorithms");
        return;
    }
    o->algs_known = 1;
    for (DWORD i = 0; i < algs.cSupportedAlgs && used < sizeof c->algorithms; i++) {
        const char *name = NULL;
        char other[16];
        int n;
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            if (names[k].id == algs.palgSupportedAlgs[i])
                name = names[k].name;
        }
        if (name == NULL) {
            snprintf(other, sizeof other, "0x%04x", (unsigned)algs.palgSupportedAlgs[i]);
            name = other;
        }
        if (algs.palgSupportedAlgs[i] == CALG_RSA_KEYX)
            o->rsa_kx_left = 1;
        n = snprintf(c->algorithms + used, sizeof c->algorithms - used, "%s%s",
                     used > 0 ? " " : "Schannel lists: ", name);
        used += n > 0 ? (size_t)n : 0;
    }
    FreeContextBuffer(algs.palgSupportedAlgs);
}

/* The policy's rules as CRYPTO_SETTINGS, their names as UNICODE_STRINGs
 * over wide copies kept here (the rules' names are short ASCII). */
struct disabled {
    CRYPTO_SETTINGS set[TLSPOLICY_MAX_RULES];
    UNICODE_STRING mode[TLSPOLICY_MAX_RULES];
    wchar_t alg_text[TLSPOLICY_MAX_RULES][24], mode_text[TLSPOLICY_MAX_RULES][24];
    DWORD count;
};

static void wide_name(const char *ascii, wchar_t out[24], UNICODE_STRING *u)
{
    size_t n = 0;

    for (; ascii[n] != '\0' && n < 23; n++)
        out[n] = (wchar_t)(unsigned char)ascii[n];
    out[n] = L'\0';
    u->Buffer = out;
    u->Length = (USHORT)(n * sizeof(wchar_t)); /* bytes, without the NUL */
    u->MaximumLength = (USHORT)((n + 1) * sizeof(wchar_t));
}

static void disabled_from_policy(enum tlspolicy_level policy, struct disabled *d)
{
    size_t n = 0;
    const struct tlspolicy_rule *r = tlspolicy_rules(policy, &n);

    memset(d, 0, sizeof *d);
    for (size_t i = 0; i < n && i < TLSPOLICY_MAX_RULES; i++) {
        CRYPTO_SETTINGS *s = &d->set[d->count++];
        s->eAlgorithmUsage = r[i].usage == TLSPOLICY_KEY_EXCHANGE
                                 ? TlsParametersCngAlgUsageKeyExchange
                                 : TlsParametersCngAlgUsageCipher;
        wide_name(r[i].algorithm, d->alg_text[i], &s->strCngAlgId);
        if (r[i].chaining != NULL) {
            wide_name(r[i].chaining, d->mode_text[i], &d->mode[i]);
            s->cChainingModes = 1;
            s->rgstrChainingModes = &d->mode[i];
        }
        /* Bit lengths 0: every key size of the algorithm. */
    }
}

static SECURITY_STATUS acquire_current(struct schannel_cred *c, unsigned min_version,
                                       const struct disabled *d)
{
    TLS_PARAMETERS tp;
    SCH_CREDENTIALS sc;
    TimeStamp expiry;

    memset(&tp, 0, sizeof tp);
    tp.grbitDisabledProtocols = ~wanted_protocols(min_version);
    if (d != NULL && d->count > 0) {
        tp.cDisabledCrypto = d->count;
        tp.pDisabledCrypto = (PCRYPTO_SETTINGS)d->set;
    }
    memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCH_CREDENTIALS_VERSION;
    sc.cCreds = 1;
    sc.paCred = &c->cert;
    sc.dwFlags = SCH_CRED_NO_SYSTEM_MAPPER | SCH_USE_STRONG_CRYPTO;
    sc.cTlsParameters = 1;
    sc.pTlsParameters = &tp;
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL,
                                     &sc, NULL, NULL, &c->handle, &expiry);
}

/* SCHANNEL_CRED, for a Schannel that refuses SCH_CREDENTIALS (Windows
 * before 10 1809) or ignores its TLS parameters (Wine). It names the
 * versions to allow and predates TLS 1.3, so it is asked for TLS 1.2 only. */
static SECURITY_STATUS acquire_legacy(struct schannel_cred *c, DWORD protocols)
{
    SCHANNEL_CRED sc;
    TimeStamp expiry;

    memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cCreds = 1;
    sc.paCred = &c->cert;
    sc.grbitEnabledProtocols = protocols;
    sc.dwFlags = SCH_CRED_NO_SYSTEM_MAPPER | SCH_USE_STRONG_CRYPTO;
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL,
                                     &sc, NULL, NULL, &c->handle, &expiry);
}

/* Keeps the credential just acquired when what it offers is within
 * tls_min_version, or cannot be known; else releases it and says why in
 * `why`. note: added to the description, "" for none. Returns 1 when kept
 * and checked, -1 when kept unchecked (Schannel does not say), 0 when
 * released. */
static int keep_if_within(struct schannel_cred *c, unsigned min_version, const char *form,
                          const char *note, char *why, size_t whycap)
{
    DWORD wanted = wanted_protocols(min_version), offered = 0;
    int known = offered_protocols(&c->handle, &offered) == 0;
    char names[80];

    if (known && ((offered & ~wanted) != 0 || (offered & wanted) == 0)) {
        protocol_names(offered, names, sizeof names);
        snprintf(why, whycap, "given %s, it offers %s", form, names);
        FreeCredentialsHandle(&c->handle);
        return 0;
    }
    c->have_handle = 1;
    protocol_names(known ? offered : wanted, names, sizeof names);
    snprintf(c->offered, sizeof c->offered, "%s (%s%s%s)", names, form,
             known ? "" : "; Schannel does not say which it offers", note);
    return known ? 1 : -1;
}

/* The credential: SCH_CREDENTIALS where Schannel takes and honours it,
 * else SCHANNEL_CRED for TLS 1.2; nothing older than tls_min_version either
 * way. Returns 0, or -1 with the cause in err. */
int tlsacquire_credential(struct schannel_cred *c, unsigned min_version, unsigned policy,
                          char *err, size_t errcap)
{
    DWORD legacy = wanted_protocols(min_version) & ~SP_PROT_TLS1_3_SERVER;
    struct disabled *d = calloc(1, sizeof *d);
    struct tlspolicy_outcome outcome = {TLSPOLICY_FORM_REFUSED, 0, 0};
    enum tlspolicy_took took;
    SECURITY_STATUS st;
    int honoured;
    char why[200], why_legacy[200], note[240], status[80];

    if (d == NULL) {
        snprintf(err, errcap, "TLS: out of memory");
        return -1;
    }
    disabled_from_policy((enum tlspolicy_level)policy, d);
    st = acquire_current(c, min_version, d);
    took = st == SEC_E_OK ? TLSPOLICY_TOOK_WITH_RULES : TLSPOLICY_TOOK_NONE;
    /* A Schannel that takes SCH_CREDENTIALS but not these algorithm names
     * still gets its versions from it (TLS 1.3 needs it); the policy is
     * then not in force, and the start line says so. */
    if (st != SEC_E_OK && d->count > 0 && acquire_current(c, min_version, NULL) == SEC_E_OK)
        took = TLSPOLICY_TOOK_WITHOUT_RULES;
    free(d);
    honoured = took != TLSPOLICY_TOOK_NONE
                   ? keep_if_within(c, min_version, "SCH_CREDENTIALS", "", why, sizeof why)
                   : 0;
    outcome.form = tlspolicy_form_of(took, honoured);
    if (!tlspolicy_falls_back(outcome.form)) {
        if (outcome.form == TLSPOLICY_FORM_CURRENT)
            list_algorithms(c, &outcome);
        tlspolicy_describe((enum tlspolicy_level)policy, &outcome, c->policy, sizeof c->policy);
        return 0;
    }
    if (took == TLSPOLICY_TOOK_NONE)
        snprintf(why, sizeof why, "it refuses SCH_CREDENTIALS: %s",
                 schannel_status_text(st, status, sizeof status));
    if (legacy == 0) {
        snprintf(err, errcap,
                 "TLS: tls_min_version is 13, but this system's Schannel offers no TLS 1.3 "
                 "server for certificate %s (%s)",
                 c->thumbprint, why);
        return -1;
    }
    st = acquire_legacy(c, legacy);
    if (st != SEC_E_OK) {
        snprintf(err, errcap, "TLS: AcquireCredentialsHandle for certificate %s failed: %s%s",
                 c->thumbprint, schannel_status_text(st, status, sizeof status),
                 st == SEC_E_UNKNOWN_CREDENTIALS ? " (its private key cannot be used)" : "");
        return -1;
    }
    snprintf(note, sizeof note, "; %s", why);
    if (keep_if_within(c, min_version, "SCHANNEL_CRED", note, why_legacy, sizeof why_legacy) ==
        0) {
        snprintf(err, errcap,
                 "TLS: this system's Schannel offers no credential for certificate %s within "
                 "tls_min_version %u (%s; %s)",
                 c->thumbprint, min_version, why, why_legacy);
        return -1;
    }
    list_algorithms(c, &outcome);
    tlspolicy_describe((enum tlspolicy_level)policy, &outcome, c->policy, sizeof c->policy);
    return 0;
}
