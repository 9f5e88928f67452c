/* tlsacquire.h - AcquireCredentialsHandle for the server's certificate. */
#ifndef MTS_TLSACQUIRE_H
#define MTS_TLSACQUIRE_H

#include <stddef.h>

#include "schan.h"

/* The credential for c->cert: SCH_CREDENTIALS where Schannel takes and
 * honours it, else SCHANNEL_CRED for TLS 1.2; nothing older than
 * min_version either way. policy (enum tlspolicy_level) becomes the
 * CRYPTO_SETTINGS of SCH_CREDENTIALS; c->policy says whether it is in
 * force, c->algorithms what Schannel lists (SECPKG_ATTR_SUPPORTED_ALGS).
 * Sets c->handle, c->have_handle and c->offered.
 * Returns 0, or -1 with the cause in err. */
int tlsacquire_credential(struct schannel_cred *c, unsigned min_version, unsigned policy,
                          char *err, size_t errcap);

#endif
