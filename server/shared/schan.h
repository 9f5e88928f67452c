/* schan.h - every SSPI and certificate call of the TLS server side.
 *
 * The server's credential (certificate, private key, protocol versions) is
 * made once at start and shared read-only by every client thread; each
 * connection has a security context of its own (struct schannel_ctx), used
 * by one thread. tlsrec.c reaches the context through schannel_ops. */
#ifndef MTS_SCHAN_H
#define MTS_SCHAN_H

#include <stddef.h>
#include <windows.h>
#include <wincrypt.h>
#define SECURITY_WIN32
#include <sspi.h>

#include "tlsrec.h"

struct schannel_cred {
    CredHandle handle;
    int have_handle;
    PCCERT_CONTEXT cert;
    HCERTSTORE store;
    char thumbprint[41]; /* SHA-1, hex, of the certificate served */
    /* The versions served and how they were asked for, for the log:
     * "TLS 1.2, TLS 1.3 (SCH_CREDENTIALS)". */
    char offered[320];
    char chosen[320];     /* how subject: or a renewal chain chose it; "" otherwise */
    char policy[320];     /* tls_policy and whether Schannel took it (tlspolicy.h) */
    char algorithms[320]; /* what Schannel lists for it, or that it does not */
    int from_pfx; /* store is the PFX's: its persisted keys go with the credential */
    const char *store_name; /* "LocalMachine\\My" or "CurrentUser\\My"; NULL for a PFX */
};

/* certificate: a SHA-1 thumbprint (40 hex digits; blanks, colons and the
 * marks certmgr copies allowed: hexfmt_parse_loose) looked up in
 * LocalMachine\My, then CurrentUser\My, and followed along its renewals;
 * subject:NAME, the newest certificate there that may serve NAME now
 * (certstore.h); or the path of a PFX (PKCS #12) file, opened with
 * pfx_password (NULL: none).
 * live: the credential serving now (a reload), or NULL: a PFX refused after
 * its import does not delete the key container live's certificate uses
 * (Wine imports every PFX of a user into one container).
 * min_version: 12 (TLS 1.2 and 1.3) or 13 (TLS 1.3 only): SCH_CREDENTIALS
 * where Schannel takes and honours it, else SCHANNEL_CRED (TLS 1.2 only;
 * then min_version 13 cannot be served). Refuses, with the cause in err,
 * a certificate that is missing, not yet or no longer valid, has no private
 * key or one that cannot be read, and a Schannel that cannot act as a TLS
 * server at all (Wine before 9). Returns 0 or -1. */
int schannel_cred_open(struct schannel_cred *c, const char *certificate, const char *pfx_password,
                       unsigned min_version, const struct schannel_cred *live, char *err,
                       size_t errcap);
/* As schannel_cred_open, with policy (enum tlspolicy_level: tls_policy)
 * asked of Schannel; schannel_cred_open asks for the default. */
int schannel_cred_open_policy(struct schannel_cred *c, const char *certificate,
                              const char *pfx_password, unsigned min_version, unsigned policy,
                              const struct schannel_cred *live, char *err, size_t errcap);
/* Frees the credential; for a PFX, deletes the key containers its import
 * made (no credential or context may still use them). */
void schannel_cred_close(struct schannel_cred *c);

/* When next was imported into the key container old's key is in (Wine
 * names every import's container after the user; Windows never reuses
 * one), that container is next's now: old no longer deletes it. */
void schannel_cred_hand_over_keys(struct schannel_cred *old, const struct schannel_cred *next);

struct schannel_ctx {
    const struct schannel_cred *cred;
    CtxtHandle handle;
    int have_handle;
};

extern const struct tlsrec_ops schannel_ops; /* ctx: a struct schannel_ctx */

void schannel_ctx_init(struct schannel_ctx *x, const struct schannel_cred *cred);
void schannel_ctx_free(struct schannel_ctx *x);

/* After the handshake: the record sizes (SECPKG_ATTR_STREAM_SIZES), and
 * "TLSv1.2/TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" style text for the log
 * (protocol/suite; common/suitename.h). *version is 12 or 13 (0 older). */
int schannel_ctx_sizes(struct schannel_ctx *x, unsigned long *header, unsigned long *trailer,
                       unsigned long *max_message);
void schannel_ctx_describe(struct schannel_ctx *x, char *out, size_t cap, unsigned *version);

/* The close_notify alert to send, allocated (tlsrec_free_token); NULL when
 * none could be made. */
void *schannel_ctx_close_notify(struct schannel_ctx *x, size_t *len);

/* "0x80090302 (SEC_E_UNSUPPORTED_FUNCTION)" style text for a status. */
const char *schannel_status_text(SECURITY_STATUS st, char *buf, size_t cap);

#endif
