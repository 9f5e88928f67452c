/* tlsfake.h - a fake Schannel behind struct tlsrec_ops, shared by the
 * record layer's unit test (tests/unit/test_tlsrec.c, under Wine or on
 * Windows) and its fuzz target (tests/fuzz/fuzz_tlsrec.c, natively with
 * the stand-in SSPI headers of tests/fuzz/winstub/), so both hold
 * common/win/tlsrec.c to the same Schannel.
 *
 * Its records look like TLS's: type, 0x03 0x03, a 16-bit length, then the
 * payload. The handshake is two handshake records, each answered with a
 * two-byte token ("S1", then "S2"); anything else there is refused with
 * the alert token "A!". An application record's payload is the plain text
 * XORed with 0x5A followed by the 4-byte "MAC"; an alert record is
 * close_notify; a handshake record after the handshake is what Schannel
 * reports as SEC_I_RENEGOTIATE (a TLS 1.2 renegotiation, a TLS 1.3
 * post-handshake message), and handed to the handshake step it is
 * answered with "KU" and all of what followed it as EXTRA. It names
 * EXTRA by size only (pvBuffer NULL), as Schannel may. */
#ifndef MTS_TLSFAKE_H
#define MTS_TLSFAKE_H

#include <stddef.h>

#include "tlsrec.h"

#define TLSFAKE_HANDSHAKE 0x16
#define TLSFAKE_DATA 0x17
#define TLSFAKE_ALERT 0x15
#define TLSFAKE_MAC "MACx"
#define TLSFAKE_MAC_LEN 4u
#define TLSFAKE_XOR 0x5A
#define TLSFAKE_STEPS 2 /* handshake records before the handshake is done */

struct tlsfake {
    int step;      /* handshake records accepted */
    int allocated; /* tokens handed out and not yet freed */
    int stall;     /* the handshake answers CONTINUE, no token, all input EXTRA */
};

/* The table; its ctx is a struct tlsfake. */
extern const struct tlsrec_ops tlsfake_ops;

/* Writes one record of the given type to s: for TLSFAKE_DATA, plain's n
 * bytes sealed; otherwise plain as the payload. Returns its length (5 +
 * payload). The caller gives s room for n + 9 bytes. */
size_t tlsfake_put_record(char *s, int type, const char *plain, size_t n);

#endif
