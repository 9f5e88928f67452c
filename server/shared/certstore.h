/* certstore.h - the server certificate in the system stores. */
#ifndef MTS_CERTSTORE_H
#define MTS_CERTSTORE_H

#include <stddef.h>

#include "schan.h"

/* The certificate with this SHA-1 hash in LocalMachine\My, else in
 * CurrentUser\My, into c->cert, c->store and c->store_name (c->thumbprint
 * names it in the message). Returns 0, or -1 with the cause in err. */
int certstore_find(struct schannel_cred *c, const BYTE hash[20], char *err, size_t errcap);

/* The certificate a store setting names, into c->cert, c->store,
 * c->store_name and c->thumbprint: subject:NAME (the newest certificate
 * that may serve NAME now, certpick.h), or a thumbprint followed along its
 * renewal chain (CERT_RENEWAL_PROP_ID) to the newest. note: how it was
 * chosen, for the log ("" when the thumbprint itself serves). Returns 0; 1
 * when the setting names no store certificate (a PFX path); or -1 with the
 * cause in err. */
int certstore_resolve(struct schannel_cred *c, const char *setting, char *note, size_t notecap,
                      char *err, size_t errcap);

/* Whether the certificate's private key opens (silently; the handle is
 * freed again). On 0 the last error says why. */
int certstore_key_opens(PCCERT_CONTEXT cert);

/* Whether the certificate has a private key (a property that names one). */
int certstore_has_key(PCCERT_CONTEXT cert);

/* For `mtserver status`: the certificate a tls_certificate value names,
 * found as schannel_cred_open finds it, as "subject, thumbprint T, valid
 * until YYYY-MM-DD, in STORE" in out; a PFX path is only named. Returns 0,
 * or -1 with the reason in out. */
int certstore_describe(const char *certificate, char *out, size_t cap);

#endif
