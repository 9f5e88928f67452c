/* tlsclient.c - mtsclient's TLS (see tlsclient.h).
 *
 * Schannel is told not to judge the certificate itself
 * (ISC_REQ_MANUAL_CRED_VALIDATION): this file does, after the handshake and
 * before the connection is handed back, so that a failed check ends the
 * connection before the greeting is read or the password sent. */
#include "tlsclient.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>
#define SECURITY_WIN32
#include <sspi.h>
#include <schannel.h>

#include "tlsrec.h"
#include "certpin.h"
#include "tlslib.h"
#include "hresult.h"
#include "ipacl.h"
#include "portsniff.h"
#include "winerr.h"
#include "wstr.h"

#define ISC_FLAGS                                                                             \
    (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |              \
     ISC_REQ_EXTENDED_ERROR | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM |                      \
     ISC_REQ_MANUAL_CRED_VALIDATION)
/* Received records kept: many, so one receive can bring a good part of a file. */
#define IN_CAP (256u << 10)

struct tlsclient {
    const struct tlslib *lib; /* every Schannel and crypt32 call goes through it */
    CredHandle cred;
    int have_cred;
    CtxtHandle ctx;
    int have_ctx;
    wchar_t *whost;
    /* An address given as the host (ipacl_is_literal): sent as no server
     * name, and looked for among the certificate's IP addresses. */
    int by_address, have_address;
    unsigned char address[16];
    struct tlsrec rec;
    char *out;
};

static SECURITY_STATUS step(void *arg, SecBufferDesc *in, SecBufferDesc *out)
{
    struct tlsclient *t = arg;
    ULONG attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS st;

    st = t->lib->sspi->InitializeSecurityContextW(&t->cred, t->have_ctx ? &t->ctx : NULL,
                                                  t->have_ctx || t->by_address ? NULL : t->whost,
                                                  ISC_FLAGS, 0, 0, in, 0, &t->ctx, out, &attrs,
                                                  &expiry);
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED)
        t->have_ctx = 1;
    /* A request for a client certificate: this client has none to give. */
    return st == SEC_I_INCOMPLETE_CREDENTIALS ? SEC_E_NO_CREDENTIALS : st;
}

static SECURITY_STATUS decrypt(void *arg, SecBufferDesc *msg)
{
    struct tlsclient *t = arg;

    return t->lib->sspi->DecryptMessage(&t->ctx, msg, 0, NULL);
}

static SECURITY_STATUS encrypt(void *arg, SecBufferDesc *msg)
{
    struct tlsclient *t = arg;

    return t->lib->sspi->EncryptMessage(&t->ctx, 0, msg, 0);
}

static void free_token(void *arg, void *token)
{
    ((struct tlsclient *)arg)->lib->sspi->FreeContextBuffer(token);
}

static const struct tlsrec_ops client_ops = {step, decrypt, encrypt, free_token};

void tlsclient_free(struct tlsclient *t)
{
    if (t == NULL)
        return;
    if (t->have_ctx)
        t->lib->sspi->DeleteSecurityContext(&t->ctx);
    if (t->have_cred)
        t->lib->sspi->FreeCredentialsHandle(&t->cred);
    tlsrec_free(&t->rec);
    free(t->whost);
    free(t->out);
    free(t);
}

static int send_token(struct sockio *io, struct tlsclient *t, void *token, size_t len,
                      unsigned timeout_ms)
{
    int rc = 0;

    if (token != NULL) {
        rc = len > 0 ? sockio_send_all(io, token, len, timeout_ms) : 0;
        tlsrec_free_token(&t->rec, token);
    }
    return rc;
}

/* How long to wait, after a plain answer, for the line in which mtserver
 * names its TLS port: it sends that line as soon as it has read the
 * ClientHello, a round trip after its greeting. */
#define PLAIN_ANSWER_MS 1000u

/* The server answered the ClientHello in plain text (first bytes: got[0..n)):
 * a TLS record starts with its type (20 to 24), mtserver's plain port with
 * a '#' or '!' line. Reads a little more for the line that names the TLS
 * port (REPLY_PLAIN_NOT_TLS_FMT, portsniff_tls_port_named) and says in err
 * which port to try. */
static void plain_port_answer(struct sockio *io, const char *got, size_t n, unsigned timeout_ms,
                              char *err, size_t errcap)
{
    char seen[1024];
    size_t len = n < sizeof seen ? n : sizeof seen;
    ULONGLONG until = GetTickCount64() + (timeout_ms < PLAIN_ANSWER_MS ? timeout_ms
                                                                       : PLAIN_ANSWER_MS);
    long port;

    memcpy(seen, got, len);
    while ((port = portsniff_tls_port_named(seen, len)) < 0 && len < sizeof seen) {
        ULONGLONG now = GetTickCount64();
        int more;
        if (now >= until)
            break;
        more = sockio_recv(io, seen + len, (int)(sizeof seen - len), (unsigned)(until - now));
        if (more <= 0)
            break;
        len += (size_t)more;
    }
    if (port > 0)
        snprintf(err, errcap,
                 "TLS: this port speaks plain text, not TLS; the server says its TLS port is "
                 "%ld: give -p %ld with --tls, or leave out --tls",
                 port, port);
    else if (port == 0)
        snprintf(err, errcap,
                 "TLS: this port speaks plain text, and the server says it has no TLS port: "
                 "leave out --tls");
    else
        snprintf(err, errcap,
                 "TLS: this port speaks plain text (the server answered with a '%c' line, "
                 "not TLS): leave out --tls, or give the server's TLS port",
                 got[0]);
}

static int handshake(struct tlsclient *t, struct sockio *io, unsigned timeout_ms, char *err,
                     size_t errcap)
{
    SecBuffer out[1];
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, out};
    SECURITY_STATUS st;
    char why[300];
    size_t received = 0;

    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].pvBuffer = NULL;
    out[0].cbBuffer = 0;
    st = step(t, NULL, &out_desc);
    if (st != SEC_I_CONTINUE_NEEDED) {
        snprintf(err, errcap, "TLS: InitializeSecurityContext failed: %s",
                 hresult_format((unsigned long)st, why, sizeof why));
        if (out[0].pvBuffer != NULL)
            free_token(t, out[0].pvBuffer);
        return -1;
    }
    if (send_token(io, t, out[0].pvBuffer, out[0].cbBuffer, timeout_ms) != 0)
        goto send_failed;
    /* From here the whole ClientHello is sent: what comes back, or not,
     * tells a busy or refusing server and a plain port from a TLS one. */
    for (;;) {
        void *token;
        size_t len, cap;
        char *space;
        int rc = tlsrec_handshake(&t->rec, &token, &len), n;
        if (send_token(io, t, token, len, timeout_ms) != 0)
            goto send_failed;
        if (rc == TLSREC_DONE)
            return 0;
        if (rc == TLSREC_CONTINUE)
            continue;
        if (rc != TLSREC_NEED_MORE) {
            snprintf(err, errcap, "TLS: the handshake failed: %s",
                     hresult_format((unsigned long)t->rec.last_status, why, sizeof why));
            return -1;
        }
        space = tlsrec_space(&t->rec, &cap);
        n = sockio_recv(io, space, (int)cap, timeout_ms);
        if (received == 0 &&
            (n == SOCKIO_CLOSED || (n < 0 && n != SOCKIO_TIMEOUT &&
                                    winerr_kind(io->last_error) == WINERR_PEER_GONE))) {
            /* No alert, no record: mtserver's TLS port closes so, at once
             * (a reset when the ClientHello was not read yet), when it is
             * full or the address is banned or not allowed (server.c's
             * refuse); a refusal by TLS itself would come as an alert. */
            snprintf(err, errcap,
                     "TLS: the server closed the connection after the ClientHello without a "
                     "TLS alert: it is busy or refused this client (too many clients, or this "
                     "address banned or not allowed)");
            return -1;
        }
        if (n <= 0) {
            snprintf(err, errcap, "TLS: the handshake failed: %s",
                     n == SOCKIO_CLOSED    ? "the server closed the connection (is this its TLS port?)"
                     : n == SOCKIO_TIMEOUT ? "no answer from the server"
                                           : winerr_text(io->last_error, why, sizeof why));
            return -1;
        }
        if (received == 0 && portsniff_plain_reply(space, (size_t)n) == 1) {
            plain_port_answer(io, space, (size_t)n, timeout_ms, err, errcap);
            return -1;
        }
        received += (size_t)n;
        tlsrec_received(&t->rec, (size_t)n);
    }
send_failed:
    snprintf(err, errcap, "TLS: the handshake failed: %s",
             winerr_text(io->last_error, why, sizeof why));
    return -1;
}

/* 1 when one of the certificate's subject alternative names is the
 * address (RFC 6125 leaves the common name out for addresses). */
static int names_address(const struct tlslib *lib, PCCERT_CONTEXT cert,
                         const unsigned char address[16])
{
    PCERT_EXTENSION ext = lib->find_extension(szOID_SUBJECT_ALT_NAME2, cert->pCertInfo->cExtension,
                                              cert->pCertInfo->rgExtension);
    CERT_ALT_NAME_INFO *names = NULL;
    DWORD size = 0;
    int found = 0;

    if (ext == NULL || !lib->decode_object(X509_ASN_ENCODING, X509_ALTERNATE_NAME,
                                           ext->Value.pbData, ext->Value.cbData,
                                           CRYPT_DECODE_ALLOC_FLAG, NULL, &names, &size))
        return 0;
    for (DWORD i = 0; i < names->cAltEntry && !found; i++) {
        const CERT_ALT_NAME_ENTRY *e = &names->rgAltEntry[i];
        if (e->dwAltNameChoice == CERT_ALT_NAME_IP_ADDRESS)
            found = ipacl_same_address(address, e->IPAddress.pbData, e->IPAddress.cbData);
    }
    LocalFree(names);
    return found;
}

/* The chain engine's verdict on cert for host, with the SSL policy. For an
 * address the policy is given no name and the address is looked for here:
 * Wine's SSL policy matches names only, never an IP address entry. */
static int check_chain(const struct tlsclient *t, PCCERT_CONTEXT cert, const char *host,
                       char *err, size_t errcap)
{
    LPSTR server_auth = szOID_PKIX_KP_SERVER_AUTH;
    CERT_CHAIN_PARA para;
    PCCERT_CHAIN_CONTEXT chain = NULL;
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl;
    CERT_CHAIN_POLICY_PARA policy;
    CERT_CHAIN_POLICY_STATUS status;
    char why[300];
    int rc = -1;

    memset(&para, 0, sizeof para);
    para.cbSize = sizeof para;
    para.RequestedUsage.dwType = USAGE_MATCH_TYPE_AND;
    para.RequestedUsage.Usage.cUsageIdentifier = 1;
    para.RequestedUsage.Usage.rgpszUsageIdentifier = &server_auth;
    if (!t->lib->get_chain(NULL, cert, NULL, cert->hCertStore, &para, 0, NULL, &chain)) {
        snprintf(err, errcap, "TLS: cannot build the certificate chain: %s",
                 winerr_text(GetLastError(), why, sizeof why));
        return -1;
    }
    /* The chain's own verdict first: Wine's SSL policy was seen to pass a
     * chain that ends at a root nobody trusts (CERT_TRUST_IS_PARTIAL_CHAIN). */
    if (chain->TrustStatus.dwErrorStatus != CERT_TRUST_NO_ERROR) {
        DWORD e = chain->TrustStatus.dwErrorStatus;
        snprintf(err, errcap, "TLS: the server's certificate %s %s (trust status 0x%08lX)",
                 (e & (CERT_TRUST_IS_UNTRUSTED_ROOT | CERT_TRUST_IS_PARTIAL_CHAIN))
                     ? "does not chain to a trusted root for"
                 : (e & CERT_TRUST_IS_NOT_TIME_VALID) ? "has expired or is not valid yet, for"
                                                      : "is not accepted for",
                 host, (unsigned long)e);
        t->lib->free_chain(chain);
        return -1;
    }
    memset(&ssl, 0, sizeof ssl);
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    ssl.pwszServerName = t->by_address ? NULL : t->whost;
    memset(&policy, 0, sizeof policy);
    policy.cbSize = sizeof policy;
    policy.pvExtraPolicyPara = &ssl;
    memset(&status, 0, sizeof status);
    status.cbSize = sizeof status;
    if (!t->lib->verify_chain_policy(CERT_CHAIN_POLICY_SSL, chain, &policy, &status)) {
        snprintf(err, errcap, "TLS: cannot check the certificate: %s",
                 winerr_text(GetLastError(), why, sizeof why));
    } else if (status.dwError != 0) {
        const char *what = status.dwError == (DWORD)CERT_E_CN_NO_MATCH ? "is not for"
                           : status.dwError == (DWORD)CERT_E_UNTRUSTEDROOT
                               ? "does not chain to a trusted root for"
                           : status.dwError == (DWORD)CERT_E_EXPIRED ? "has expired, for"
                                                                     : "is not accepted for";
        snprintf(err, errcap, "TLS: the server's certificate %s %s (%s)", what, host,
                 hresult_format((unsigned long)status.dwError, why, sizeof why));
    } else if (t->by_address && !(t->have_address && names_address(t->lib, cert, t->address))) {
        snprintf(err, errcap, "TLS: the server's certificate is not for %s (%s)", host,
                 hresult_format((unsigned long)CERT_E_CN_NO_MATCH, why, sizeof why));
    } else {
        rc = 0;
    }
    t->lib->free_chain(chain);
    return rc;
}

static int check_certificate(struct tlsclient *t, const char *host, const char *pin, int pin_key,
                             char *err, size_t errcap)
{
    PCCERT_CONTEXT cert = NULL;
    char got[CERTPIN_HEX + 1], why[300];
    const char *form = pin_key ? "SPKI-SHA256" : "SHA256";
    int rc = -1;

    if (t->lib->sspi->QueryContextAttributesW(&t->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert) !=
            SEC_E_OK ||
        cert == NULL) {
        snprintf(err, errcap, "TLS: the server showed no certificate");
        return -1;
    }
    if (pin[0] != '\0') {
        if ((pin_key ? certpin_key : certpin_fingerprint)(cert->pbCertEncoded,
                                                         cert->cbCertEncoded, got) != 0) {
            snprintf(err, errcap, "TLS: cannot hash the certificate: %s",
                     winerr_text(GetLastError(), why, sizeof why));
            goto out;
        }
        if (strcmp(got, pin) != 0) {
            snprintf(err, errcap, "TLS: the server's %s is %s:%s, not the pinned %s:%s",
                     pin_key ? "key" : "certificate", form, got, form, pin);
            goto out;
        }
        rc = 0;
        goto out;
    }
    rc = check_chain(t, cert, host, err, errcap);
out:
    t->lib->free_certificate(cert);
    return rc;
}

struct tlsclient *tlsclient_open(struct sockio *io, const char *host, const char *pin,
                                 int pin_key, unsigned timeout_ms, char *err, size_t errcap)
{
    const struct tlslib *lib = tlslib_get();
    struct tlsclient *t;
    SCHANNEL_CRED sc;
    SecPkgContext_StreamSizes sizes;
    TimeStamp expiry;
    SECURITY_STATUS st;

    if (lib == NULL) {
        char why[300];
        snprintf(err, errcap, "TLS: cannot load Schannel (secur32.dll, crypt32.dll): %s",
                 winerr_text(GetLastError(), why, sizeof why));
        return NULL;
    }
    if ((t = calloc(1, sizeof *t)) != NULL)
        t->lib = lib;
    if (t == NULL || tlsrec_init(&t->rec, &client_ops, t, IN_CAP) != 0 ||
        (t->whost = wstr_from_utf8(host, strlen(host))) == NULL) {
        snprintf(err, errcap, "TLS: out of memory");
        goto fail;
    }
    /* A zone ("fe80::1%12") does not parse: such an address matches no
     * certificate entry, and so is refused unless pinned. */
    t->by_address = ipacl_is_literal(host, strlen(host));
    t->have_address = t->by_address && ipacl_parse_address(host, strlen(host), t->address) == 0;
    memset(&sc, 0, sizeof sc);
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    sc.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    st = t->lib->sspi->AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W,
                                                 SECPKG_CRED_OUTBOUND, NULL, &sc, NULL, NULL,
                                                 &t->cred, &expiry);
    if (st != SEC_E_OK) {
        char why[80];
        snprintf(err, errcap, "TLS: AcquireCredentialsHandle failed: %s",
                 hresult_format((unsigned long)st, why, sizeof why));
        goto fail;
    }
    t->have_cred = 1;
    if (handshake(t, io, timeout_ms, err, errcap) != 0 ||
        check_certificate(t, host, pin, pin_key, err, errcap) != 0)
        goto fail;
    if (t->lib->sspi->QueryContextAttributesW(&t->ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) !=
        SEC_E_OK) {
        snprintf(err, errcap, "TLS: no record sizes after the handshake");
        goto fail;
    }
    t->rec.header = sizes.cbHeader;
    t->rec.trailer = sizes.cbTrailer;
    t->rec.max_message = sizes.cbMaximumMessage;
    t->out = malloc(tlsrec_record_cap(&t->rec));
    if (t->out == NULL) {
        snprintf(err, errcap, "TLS: out of memory");
        goto fail;
    }
    return t;
fail:
    tlsclient_free(t);
    return NULL;
}

int tlsclient_recv(struct tlsclient *t, struct sockio *io, char *buf, size_t cap,
                   unsigned timeout_ms)
{
    for (;;) {
        size_t got = 0, room;
        char *space;
        int rc = tlsrec_take(&t->rec, buf, cap, &got), n;
        if (rc == TLSREC_OK)
            return (int)got;
        if (rc == TLSREC_CLOSED)
            return SOCKIO_CLOSED;
        if (rc != TLSREC_NEED_MORE) {
            io->last_error = (unsigned long)t->rec.last_status;
            return SOCKIO_ERROR;
        }
        space = tlsrec_space(&t->rec, &room);
        n = sockio_recv(io, space, (int)room, timeout_ms);
        if (n <= 0)
            return n;
        tlsrec_received(&t->rec, (size_t)n);
    }
}

int tlsclient_send(struct tlsclient *t, struct sockio *io, const char *buf, size_t len,
                   unsigned timeout_ms)
{
    while (len > 0) {
        size_t n = len < t->rec.max_message ? len : t->rec.max_message, rec_len;
        int rc;
        memcpy(t->out + t->rec.header, buf, n);
        if (tlsrec_seal(&t->rec, t->out, n, &rec_len) != 0) {
            io->last_error = (unsigned long)t->rec.last_status;
            return SOCKIO_ERROR;
        }
        rc = sockio_send_all(io, t->out, rec_len, timeout_ms);
        if (rc != 0)
            return rc;
        buf += n;
        len -= n;
    }
    return 0;
}
