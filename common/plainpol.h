/* plainpol.h - where mtsclient may send its password without TLS.
 *
 * On a plain connection AUTH carries the password in clear. A server with
 * a certificate refuses a plain AUTH, but by then the password has crossed
 * the network; so mtsclient decides before it connects: with TLS the
 * password may go anywhere (it goes only after the certificate check);
 * without it, only to a loopback address (it never leaves the machine),
 * unless the user said otherwise with --plain or MTS_PLAIN=1. The client
 * (client/main.c, client/conn.c) applies this to every address a name
 * resolves to: it connects to none but the loopback ones, and when there
 * is none it stops with plainpol_refusal's line and exit code 2.
 *
 * Pure decisions on flags, an environment value and address bytes. */
#ifndef MTS_PLAINPOL_H
#define MTS_PLAINPOL_H

#include <stddef.h>

enum plainpol_reach {
    PLAINPOL_ANYWHERE,      /* TLS, or the user allowed clear text */
    PLAINPOL_LOOPBACK_ONLY, /* no TLS: the password must not leave the machine */
};

/* tls: the connection is TLS (--tls, --fingerprint); plain_flag: --plain
 * was given; env_plain: MTS_PLAIN's value, NULL when it is not set (only
 * "1" says yes: "0", "" or "no" do not). */
enum plainpol_reach plainpol_reach(int tls, int plain_flag, const char *env_plain);

/* 1 when the address (4 bytes IPv4 or 16 bytes IPv6, network order) never
 * leaves the machine: 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped into IPv6
 * (::ffff:127.x.y.z). Anything else, 0.0.0.0 and :: included, is 0. */
int plainpol_is_loopback(const unsigned char *addr, size_t len);

/* The one line (no "mtsclient: " in front, no newline) that says the
 * password was not sent to host and names both ways on: --tls with the
 * TLS port, or --plain (MTS_PLAIN=1). Cut to fit cap (cap > 0). */
void plainpol_refusal(char *buf, size_t cap, const char *host, unsigned tls_port);

#endif
