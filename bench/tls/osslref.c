/* osslref.c - the native reference over TLS: bench/refserver.c's server
 * (refcore.c: same listener, thread per connection, same protocol) with
 * OpenSSL as its transport, for bench/tls/tlsbench.py to set mtserver's
 * Schannel port beside. Not part of the product.
 *
 * Made to do the work mtserver's TLS port does, no less and no more:
 * - TLS 1.2 only: Wine 10's Schannel negotiates no TLS 1.3, so both servers
 *   make the same handshake (tlsbench.py prints the cipher each one chose;
 *   with Python's client both pick ECDHE-RSA-AES256-GCM-SHA384).
 * - No session tickets or session cache: every connection of the bench is a
 *   full handshake, as with mtserver, which resumes nothing.
 * - Files are read into a buffer and SSL_write-n, 64 KiB (four 16 KiB
 *   records) per write, as server/serve/transport/transport_tls.c sealed
 *   four records per send until issue 24 (19 now; kept at four so that runs
 *   compare, and a native send() costs little); no kTLS or sendfile, which
 *   Schannel has no counterpart for.
 *
 * It is linked with the static libssl.a/libcrypto.a (bench.mk) so that the
 * same binary runs on this host and inside the Debian 13 root where Wine 10
 * and tlsbench.py run (tests/wine10/enter), whatever OpenSSL that root has;
 * the host's openssl.cnf or the root's is not read either.
 *
 * Usage: osslref ROOT PASSWORD CERT.pem KEY.pem [PORT]
 *        osslref --version      (the OpenSSL linked in, for the bench's record)
 * Prints "listening on 127.0.0.1:PORT" once ready, and serves until killed.
 *
 * Threads: the SSL_CTX is made before the listener and only read after;
 * each connection's SSL belongs to its thread (refcore.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "refcore.h"

#define FILE_CHUNK (64u << 10)

static SSL_CTX *ctx;

static int tls_start(struct refconn *c)
{
    SSL *ssl = SSL_new(ctx);
    BIO *sock = BIO_new_socket(c->sock, BIO_NOCLOSE), *buf = BIO_new(BIO_f_buffer());

    c->tls = ssl;
    if (ssl == NULL || sock == NULL || buf == NULL ||
        BIO_set_write_buffer_size(buf, FILE_CHUNK + 4 * 256) != 1) {
        BIO_free(sock);
        BIO_free(buf);
        return -1;
    }
    /* The records of one SSL_write leave in one send(), as mtserver's four
     * records per send do, not one send() per record. */
    BIO_push(buf, sock);
    SSL_set_bio(ssl, buf, buf);
    return SSL_accept(ssl) == 1 ? 0 : -1;
}

static long tls_recv(struct refconn *c, char *p, size_t n)
{
    size_t got = 0;

    return SSL_read_ex(c->tls, p, n, &got) == 1 ? (long)got : -1;
}

static int tls_send(struct refconn *c, const char *p, size_t n)
{
    size_t put = 0;

    /* Without SSL_MODE_ENABLE_PARTIAL_WRITE it returns once all n are
     * sealed; the flush sends what the buffer BIO holds. */
    if (SSL_write_ex(c->tls, p, n, &put) != 1 || put != n)
        return -1;
    return BIO_flush(SSL_get_wbio(c->tls)) == 1 ? 0 : -1;
}

static int tls_send_file(struct refconn *c, int fd, off_t size)
{
    char *buf = malloc(FILE_CHUNK);
    off_t left = size;
    int rc = -1;

    if (buf == NULL)
        return -1;
    while (left > 0) {
        ssize_t k = read(fd, buf, left < FILE_CHUNK ? (size_t)left : FILE_CHUNK);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 || tls_send(c, buf, (size_t)k) != 0)
            goto out;
        left -= k;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

static void tls_end(struct refconn *c)
{
    if (c->tls != NULL) {
        SSL_shutdown(c->tls); /* close_notify, as mtserver sends; no wait for the reply */
        SSL_free(c->tls);
    }
}

int main(int argc, char **argv)
{
    static const struct reftransport tls = {tls_start, tls_recv, tls_send, tls_send_file, tls_end};

    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
        return 0;
    }
    if (argc < 5) {
        fprintf(stderr, "usage: osslref ROOT PASSWORD CERT.pem KEY.pem [PORT]\n");
        return 2;
    }
    /* A static OpenSSL 3.0 must not read a newer distribution's openssl.cnf. */
    OPENSSL_init_ssl(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
    ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL || SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_use_certificate_chain_file(ctx, argv[3]) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, argv[4], SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        ERR_print_errors_fp(stderr);
        return 1;
    }
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    return refcore_serve(argv[1], argv[2], argc > 5 ? (unsigned)atoi(argv[5]) : 0, &tls);
}
