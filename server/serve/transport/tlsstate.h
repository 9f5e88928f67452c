/* tlsstate.h - one TLS connection's state, shared by the transport's two
 * files: transport_tls.c (records in and out, the end) and tlshandshake.c
 * (the handshake). Nothing else sees it: others hold a struct transport. */
#ifndef MTS_TLSSTATE_H
#define MTS_TLSSTATE_H

#include <stddef.h>

#include "transport_tls.h" /* first: winsock2.h before windows.h */

#include "schan.h"
#include "sockio.h"
#include "tlsrec.h"

/* How long a goodbye in clear (not-tls-told) or a close_notify may take to leave. */
#define TLS_CLOSE_NOTIFY_MS 1000u

struct tls {
    struct sockio io;
    struct tlscred *cred; /* taken at open, released when ctx is freed */
    struct schannel_ctx sc;
    struct tlsrec rec;
    unsigned handshake_timeout_ms, min_version;
    HANDLE stop;
    struct authgate *gate;     /* tls_handshakes: NULL, none */
    volatile LONG *gate_waits; /* steps that found the gate full */
    int gate_timed_out;        /* a step waited for the gate until the deadline */
    unsigned fault_step_ms;
    int ready; /* the handshake completed */
    char *out;
    size_t out_cap;
    char why[120]; /* why receive last failed, for the log (transport_failure) */
};

/* Milliseconds from now to deadline (GetTickCount64), 0 once past. */
unsigned tls_left_of(ULONGLONG deadline);

/* Receives more ciphertext into the record buffer; a transport_result, or
 * the count received. */
int tls_receive_more(struct tls *s, unsigned timeout_ms);

/* Handshake steps until Schannel is done: the handshake itself, or a TLS
 * 1.3 post-handshake message (stage "post-handshake"). Tokens go out as
 * they come; every wait ends at deadline. 0, or a transport_result with
 * "<stage>-<reason>" in why. */
int tls_run_handshake(struct tls *s, ULONGLONG deadline, const char *stage, char *why, size_t cap);

/* The transport's start operation (transport.h): the first bytes, the
 * handshake, the version check and the record sizes. */
int tls_handshake_start(void *ctx, char *info, size_t cap);

#endif
