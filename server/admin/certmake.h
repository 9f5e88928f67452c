/* certmake.h - `mtserver cert`: a self-signed TLS certificate for this host. */
#ifndef MTS_CERTMAKE_H
#define MTS_CERTMAKE_H

#include <wchar.h>

#include "options.h"

/* Makes an RSA key (--key: 2048 bits by default, or 3072) and a
 * self-signed certificate for --name's names, else this host's (its DNS
 * host name, its full name and localhost), as subject alternative names
 * (dNSName or iPAddress) with the first as the CN; server authentication; --days,
 * 397 by default; a positive serial: certsign.h), in LocalMachine\My with a machine key that only SYSTEM,
 * administrators and the service may read, or, where that cannot serve
 * (Wine; a user who is not an administrator), in CurrentUser\My with the
 * user's key (certmake.c says how that is decided); writes its thumbprint as
 * tls_certificate into the configuration file (--config FILE, else the
 * default) and prints the thumbprint, the SHA-256 fingerprint and the key
 * pin clients pin (certmake_print_pins). The file is checked before any
 * key is made, and what was made is removed again when it cannot be
 * written after all. With --renew: certrenew.h. Returns the process exit
 * code: 0 done, 1 failed, 5 no right to write the file. */
int certmake_run(const struct server_options *opts);

/* Prints the certificate's fingerprint and the key pin, and which of the
 * two a renewal by `mtserver cert --renew` keeps. */
void certmake_print_pins(const char *fingerprint, const char *key_pin);

/* The same certificate for `install --self-signed` (opts: --days, --name,
 * --key), readable by the service's account sid (an SDDL SID, svcacl.h):
 * prints where it went, and hands back its thumbprint (for the
 * configuration), its SHA-256 fingerprint and its key pin. Returns 0, or 1 with the
 * reason printed. */
int certmake_for_install(const struct server_options *opts, const wchar_t *sid, char thumb[41],
                         char fingerprint[65], char key_pin[65]);

#endif
