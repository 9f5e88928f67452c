/* certmake.h - `mtserver cert`: a self-signed TLS certificate for this host. */
#ifndef MTS_CERTMAKE_H
#define MTS_CERTMAKE_H

#include "options.h"

/* Makes an RSA 3072 key (persisted in the user's key set) and a self-signed
 * certificate for this host's names (its DNS host name, its full name and
 * localhost as subject alternative names; server authentication; two
 * years), adds it to CurrentUser\My, writes its thumbprint as
 * tls_certificate into the configuration file (opts->config, else the
 * default) and prints the thumbprint and the SHA-256 fingerprint clients
 * pin. Returns the process exit code: 0 done, 1 failed, 5 no right to write
 * the file. */
int certmake_run(const struct server_options *opts);

#endif
