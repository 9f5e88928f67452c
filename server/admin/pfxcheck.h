/* pfxcheck.h - `install --tls-certificate FILE.pfx`: the file checked as
 * `--self-signed` checks the certificate it makes, before the service is
 * registered, so that a wrong file or password is said at install and not
 * found at the service's first start. */
#ifndef MTS_PFXCHECK_H
#define MTS_PFXCHECK_H

#include <stddef.h>

/* Opens the PFX (PKCS #12) file at path (UTF-8) with password (NULL: none)
 * without keeping its key anywhere, and checks that it holds a certificate
 * with its private key that is valid now and is for server authentication
 * (or has no usage limits at all). Hands back that certificate's SHA-256
 * fingerprint and key pin (certpin.h). Returns 0, or -1 with the reason in
 * err. */
int pfxcheck_file(const char *path, const char *password, char fingerprint[65],
                  char key_pin[65], char *err, size_t errcap);

#endif
