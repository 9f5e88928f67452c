/* reply.h - every line the server sends, in one place.
 *
 * The article's texts are kept byte for byte; lines end in CRLF. Formatters
 * write into the caller's buffer and return the length, or 0 when it does not
 * fit (REPLY_MAX always fits a path from a line of LINEBUF_MAX bytes). */
#ifndef MTS_REPLY_H
#define MTS_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "linebuf.h"

#define REPLY_MAX (LINEBUF_MAX + 128)

#define REPLY_READY "#Server Ready.\r\n"
#define REPLY_LOGGED_IN "#You are logged in.\r\n"
#define REPLY_BAD_PASSWORD "!Bad password.\r\n"
#define REPLY_NOT_LOGGED_IN "!You are not logged in.\r\n"
#define REPLY_INVALID_COMMAND "!Invalid command.\r\n"
#define REPLY_TOO_MANY_FAILURES "!Too many failures.\r\n"
#define REPLY_LINE_TOO_LONG "!Line too long.\r\n"
#define REPLY_BAD_CHARS "!Invalid characters.\r\n"
#define REPLY_SERVER_BUSY "!Server busy.\r\n"
#define REPLY_IDLE_TIMEOUT "!Idle timeout.\r\n"
#define REPLY_SERVER_STOPPING "!Server is stopping.\r\n"
/* AUTH on the plain port of a server with a certificate; %u: the TLS port. */
#define REPLY_AUTH_NEEDS_TLS_FMT "!Passwords are not taken on this port: connect with TLS to port %u.\r\n"
/* A TLS ClientHello on the plain port (common/portsniff.h): the line names
 * the TLS port (%u), or says there is none; the connection then closes.
 * mtsclient --tls finds the port in it (portsniff_tls_port_named). */
#define REPLY_PLAIN_NOT_TLS_HEAD "!This port speaks plain text, not TLS: TLS is on port "
#define REPLY_PLAIN_NOT_TLS_FMT REPLY_PLAIN_NOT_TLS_HEAD "%u.\r\n"
#define REPLY_PLAIN_NO_TLS "!This port speaks plain text, and this server has no TLS port.\r\n"
/* Text that is not TLS on the TLS port (a person typing AUTH): sent in
 * clear, as the connection closes. */
#define REPLY_TLS_NOT_PLAIN "!This port speaks TLS: connect with TLS (mtsclient --tls).\r\n"
#define REPLY_USAGE_AUTH "!Usage: AUTH <password>.\r\n"
#define REPLY_USAGE_PATH "!Usage: FILE <path> or GET <path>.\r\n"
#define REPLY_BAD_OFFSET "!Invalid offset.\r\n"
#define REPLY_OFFSET_PAST_END "!Offset is past the end of the file.\r\n"
#define REPLY_HELP                                                                                 \
    "#Commands: USER <name>, AUTH <password>, FILE <path>, GET <path>, REST <offset>, "            \
    "LIST [folder], HASH <path>, HELP, QUIT.\r\n"
#define REPLY_USAGE_HASH "!Usage: HASH <path>.\r\n"
/* USER names an account for the next AUTH. It is answered alike whether or
 * not the account exists, so that names cannot be probed; only a name no
 * account could have (accounts.ini's rules) is refused at once. */
#define REPLY_USER_ACCEPTED "#User accepted; send AUTH <password>.\r\n"
#define REPLY_USAGE_USER "!Usage: USER <name>.\r\n"
#define REPLY_BAD_USER_NAME "!Invalid user name.\r\n"
#define REPLY_ALREADY_LOGGED_IN "!You are already logged in.\r\n"
/* An account's right password, and yet no login: the account has all the
 * sessions it may have at once (max_sessions), or its folder cannot be
 * served. Neither is said to a wrong password. */
#define REPLY_ACCOUNT_FULL "!Too many sessions for this account.\r\n"
#define REPLY_ACCOUNT_NO_ROOT "!This account's folder cannot be served.\r\n"
/* The account was removed or disabled while its session was open. */
#define REPLY_ACCOUNT_ENDED "!Your account was removed or disabled.\r\n"
/* A bare AUTH on a server with accounts and no shared password. */
#define REPLY_USER_FIRST "!Send USER <name> before AUTH.\r\n"

/* "#File <path> sent successfully." */
size_t reply_file_sent(char *buf, size_t cap, const char *path, size_t path_len);
/* "!File <path> could not be opened." */
size_t reply_file_failed(char *buf, size_t cap, const char *path, size_t path_len);
/* "#Sending <n> bytes." */
size_t reply_sending(char *buf, size_t cap, uint64_t bytes);
/* "#Restarting at <offset>." */
size_t reply_restarting(char *buf, size_t cap, uint64_t offset);

/* "!Folder <folder> could not be listed." ("." for the root) */
size_t reply_list_failed(char *buf, size_t cap, const char *path, size_t path_len);
/* "#SHA-256 <64 hex digits> <path>" */
size_t reply_hash(char *buf, size_t cap, const char *hex, const char *path, size_t path_len);
/* "!File <path> could not be hashed." */
size_t reply_hash_failed(char *buf, size_t cap, const char *path, size_t path_len);
/* "!File <path> changed while it was hashed." */
size_t reply_hash_changed(char *buf, size_t cap, const char *path, size_t path_len);

#endif
