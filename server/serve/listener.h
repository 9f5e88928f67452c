/* listener.h - the listening socket: dual-stack by default, or one address. */
#ifndef MTS_LISTENER_H
#define MTS_LISTENER_H

#include <stddef.h>
#include <winsock2.h>

/* A failure that may pass: the address is not assigned yet (a service started
 * before the network is up) or the port is still held (by a process that is
 * ending). */
#define LISTENER_NOT_YET (-2)

/* bind NULL: every IPv6 and IPv4 address (IPV6_V6ONLY off), falling back to
 * IPv4 alone where the host has no IPv6. Otherwise a numeric IPv4 or IPv6
 * address. On success sets *out, writes "[::]:20248"-style text to where
 * and returns 0; else -1 or LISTENER_NOT_YET with a message in err. */
int listener_open(const char *bind, unsigned port, SOCKET *out, char *where, size_t where_cap,
                  char *err, size_t errcap);

/* 1 when bind is a numeric IPv4 or IPv6 address (host names are not
 * resolved: a server listens on an address, and a name may have several or
 * change); 0 otherwise. Needs Winsock started. */
int listener_address_ok(const char *bind);

/* The port a listening socket is bound to (0 when it cannot be read). */
unsigned listener_port(SOCKET s);

/* Formats a socket address as "1.2.3.4:5" or "[::1]:5"; IPv4-mapped IPv6
 * addresses are shown as IPv4. */
void listener_format_address(const struct sockaddr *sa, char *buf, size_t cap);

/* Closes a connection accepted and not served, never blocking: on the
 * plain port reply (a "!" line) goes first if the send buffer takes it at
 * once, else it is dropped. On the TLS port (tls) nothing is said: the
 * line could only go in clear, before a handshake (which a TLS client
 * reads as a broken record), and a handshake first would spend what a
 * refusal is there to save. */
void listener_turn_away(SOCKET s, int tls, const char *reply);

#endif
