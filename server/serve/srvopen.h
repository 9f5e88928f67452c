/* srvopen.h - what the server opens from its settings: the folder served,
 * the TLS certificate and the listeners. server_start opens them here, and
 * the service's checks (host.c: host_open's root rule, host_check) ask the
 * same functions, so that a check cannot drift from the start it foretells
 * (issue 22 found host_check copying server_start's order by hand).
 *
 * Each is called from the thread that starts or checks the server, before
 * any server thread runs; nothing here keeps state of its own. */
#ifndef MTS_SRVOPEN_H
#define MTS_SRVOPEN_H

#include <stddef.h>
#include <winsock2.h>

#include "options.h"
#include "rootfs.h"
#include "tlscred.h"

/* The folder settings serve, or the current folder when they name none
 * (console mode). rootfs_init's contract. */
int srvopen_root(struct rootfs *r, const struct server_options *settings, char *err, size_t errcap);

/* The service's rule for the root: it starts in System32, so the settings
 * must name a root (else "FROM sets no root folder", from naming the
 * configuration file) and it must be an existing folder. Returns 0, or -1
 * with the reason in err. */
int srvopen_check_root(const struct server_options *settings, const char *from, char *err,
                       size_t errcap);

/* The certificate the settings name, opened and checked as it will be
 * served (tlscred_open). Returns 0 with *out (NULL when they name none), or
 * -1 with the reason in err. */
int srvopen_certificate(const struct server_options *settings, struct tlscred **out, char *err,
                        size_t errcap);

/* A reload (PARAMCHANGE): the certificate next names, and its PFX
 * password, in the place of slot's, keeping now's versions and policy (they
 * wait for a restart). tlscred_reload's contract. */
int srvopen_reload_certificate(struct tlscred_slot *slot, const struct server_options *now,
                               const struct server_options *next, char *info, size_t cap);

/* After a refused reload: next names the certificate that still serves,
 * now's, so that the settings snapshot says what is served. */
void srvopen_keep_certificate(struct server_options *next, const struct server_options *now);

/* The listeners the settings ask for (options_ports): [0] the plain port,
 * [1] the TLS one when tls is set, each left INVALID_SOCKET when closed,
 * its address into where[i] (where_cap bytes each). Returns 0, or -1 or
 * LISTENER_NOT_YET with the reason in err; what was opened stays in
 * listener[] for the caller to close. Needs Winsock started. */
int srvopen_listeners(const struct server_options *settings, int tls, SOCKET listener[2],
                      char *const where[2], size_t where_cap, char *err, size_t errcap);

/* The service's checks after its log (host_check): server_start's steps
 * that can fail for a reason an administrator can fix, in its order, each
 * undone at once: the certificate (SERVER_FAIL_CERTIFICATE), then the
 * listeners (-1 or LISTENER_NOT_YET). Returns 0, or that code with the
 * reason in err. Needs Winsock started. */
int srvopen_check(const struct server_options *settings, char *err, size_t errcap);

#endif
