/* tlsclient.h - mtsclient's side of TLS: Schannel's client calls, the check
 * of the server's certificate, and the records (common/win/tlsrec.c) over
 * the connection's sockio. Used by the main thread only. */
#ifndef MTS_TLSCLIENT_H
#define MTS_TLSCLIENT_H

#include <stddef.h>

#include "sockio.h"

struct tlsclient; /* opaque */

/* Runs the handshake over io (connected) and checks the server's
 * certificate: against pin (64 upper-case hex digits of its SHA-256, or
 * with pin_key of its SubjectPublicKeyInfo's: common/win/certpin.h) when
 * pin is not "", else with Windows' chain engine against the host name
 * (CertGetCertificateChain, CertVerifyCertificateChainPolicy with the SSL
 * policy). No protocol byte moves before the check passes. Returns the new
 * client, or NULL with one line in err saying what did not match or fail. */
struct tlsclient *tlsclient_open(struct sockio *io, const char *host, const char *pin,
                                 int pin_key, unsigned timeout_ms, char *err, size_t errcap);

/* Decrypted bytes (> 0) into buf, or a sockio_result (SOCKIO_CLOSED on
 * close_notify; SOCKIO_ERROR for bad records). */
int tlsclient_recv(struct tlsclient *t, struct sockio *io, char *buf, size_t cap,
                   unsigned timeout_ms);
/* 0 when all of buf went out encrypted, else a sockio_result. */
int tlsclient_send(struct tlsclient *t, struct sockio *io, const char *buf, size_t len,
                   unsigned timeout_ms);
/* Frees t (the socket stays io's). */
void tlsclient_free(struct tlsclient *t);

#endif
