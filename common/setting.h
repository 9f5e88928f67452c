/* setting.h - every setting of mtserver, named once.
 *
 * SETTING_LIST is the one table of settings (the X-macro idiom; PuTTY's
 * conf.h is the model). A row gives, in this order:
 *   field   the field's name in struct server_options and struct config
 *   kind    TEXT, ADDRS (an ipacl.h list, checked), NUM (unsigned), BIG
 *           (uint64_t) or WORD (one of the words of `arg`, "a|b", kept as
 *           its index, unsigned; def is an index too)
 *   option  the command-line name without "--", or NULL: the file only
 *   key     the INI key, or NULL: the command line only
 *   arg     what --help shows for the value
 *   min, max, def   a number's range and default (0 for texts, whose
 *           default is always "not given")
 *   flags   SETTING_SECRET: never on a command line, where other users of
 *           the machine could read it, and never printed;
 *           SETTING_RELOAD: a running server takes a new value from the
 *           file on a reload (PARAMCHANGE) for the sessions that begin
 *           after it (server/serve/settingsnap.h); every other setting
 *           needs a restart. Only what a session can take at its start:
 *           never what needs a new listener, thread or pool
 *   help    its --help text, defaults included (a unit test holds each
 *           number's "(default N" to def)
 * From it are made: both structs' fields, the bits that say a setting was
 * given (SETTING_BIT), both parsers, both sets of defaults and the Options
 * part of --help, in the rows' order (also the order in which install adds
 * keys missing from a configuration). A new setting is a row here, its
 * user, and its docs. */
#ifndef MTS_SETTING_H
#define MTS_SETTING_H

#include <stddef.h>
#include <stdint.h>

#include "throttle.h"

#define SETTING_SECRET 1u
#define SETTING_RELOAD 2u

/* clang-format off */
#define SETTING_LIST(X) \
    X(bind, TEXT, "bind", "bind", "ADDR", 0, 0, 0, 0, \
      "listen on this address only (default: all, IPv6 and IPv4)") \
    X(root, TEXT, "root", "root", "DIR", 0, 0, 0, 0, \
      "folder to serve files from (default: the current folder)") \
    X(log_file, TEXT, "log", "log_file", "FILE", 0, 0, 0, 0, \
      "also append the access log to FILE") \
    X(tls_certificate, TEXT, "tls-certificate", "tls_certificate", \
      "THUMBPRINT|subject:NAME|FILE.pfx", 0, 0, 0, SETTING_RELOAD, \
      "serve TLS with this certificate: a SHA-1 thumbprint in LocalMachine\\My (or " \
      "CurrentUser\\My), subject:NAME (the newest valid one there for host NAME), or a " \
      "PFX file") \
    /* 0 lets the OS choose; the server prints the port it got */ \
    X(port, NUM, "port", "port", "N", 0, 65535, 20248, 0, \
      "TCP port to listen on (default 20248; 0 picks a free one)") \
    X(max_clients, NUM, "max-clients", "max_clients", "N", 1, 100000, 1024, 0, \
      "clients served at once; more get \"!Server busy.\" (default 1024)") \
    X(idle_timeout, NUM, "idle-timeout", "idle_timeout", "S", 1, 86400, 300, SETTING_RELOAD, \
      "seconds a client may stay silent (default 300)") \
    X(send_timeout, NUM, "send-timeout", "send_timeout", "S", 1, 86400, 60, SETTING_RELOAD, \
      "seconds a client may stall a download (default 60)") \
    X(max_per_address, NUM, "max-per-address", "max_per_address", "N", 0, 100000, \
      THROTTLE_DEFAULT_MAX_PER_ADDRESS, 0, \
      "connections per address, IPv4 or IPv6 host (default 32; 0: no limit)") \
    X(max_per_prefix, NUM, "max-per-prefix", "max_per_prefix", "N", 0, 1000000, \
      THROTTLE_DEFAULT_MAX_PER_PREFIX, 0, \
      "connections per global IPv6 /64 (default 128; 0: no limit)") \
    X(auth_free_failures, NUM, "auth-free-failures", "auth_free_failures", "N", 0, 1000, \
      THROTTLE_DEFAULT_FREE_FAILURES, 0, \
      "AUTH failures per address before answers slow (default 5)") \
    X(auth_window, NUM, "auth-window", "auth_window", "S", 1, 86400, THROTTLE_DEFAULT_WINDOW_S, \
      0, "quiet seconds that clear an address's failures (default 60)") \
    X(auth_delay_max, NUM, "auth-delay-max", "auth_delay_max", "S", 0, 3600, \
      THROTTLE_DEFAULT_DELAY_MAX_S, 0, "longest AUTH delay; it doubles from 1 s (default 60)") \
    X(auth_ban_failures, NUM, "auth-ban-failures", "auth_ban_failures", "N", 0, 100000, \
      THROTTLE_DEFAULT_BAN_FAILURES, 0, \
      "AUTH failures that ban the address (default 20; 0: never)") \
    X(auth_prefix_ban_failures, NUM, "auth-prefix-ban-failures", "auth_prefix_ban_failures", \
      "N", 0, 1000000, THROTTLE_DEFAULT_PREFIX_BAN_FAILURES, 0, \
      "AUTH failures of all hosts of a global IPv6 /64 that ban the /64 (default 80; 0: " \
      "never)") \
    X(auth_ban_time, NUM, "auth-ban-time", "auth_ban_time", "S", 1, 604800, \
      THROTTLE_DEFAULT_BAN_S, 0, "seconds a ban lasts (default 300)") \
    X(refuse_hard_links, NUM, "refuse-hard-links", "refuse_hard_links", "N", 0, 1, 0, \
      SETTING_RELOAD, \
      "1: refuse files with more than one hard link, as another name may lie outside " \
      "the root (default 0)") \
    X(auth_concurrency, NUM, "auth-concurrency", "auth_concurrency", "N", 0, 1024, 0, 0, \
      "password_hash checks at once; the others wait up to the idle timeout (default 0: " \
      "one per processor)") \
    X(log_keep, NUM, "log-keep", "log_keep", "N", 1, 1000, 5, 0, \
      "old access logs kept when it is rotated, FILE.1 to FILE.N (default 5)") \
    X(stats_interval, NUM, "stats-interval", "stats_interval", "S", 0, 86400, 3600, 0, \
      "seconds between stats lines in the log (default 3600; 0: off)") \
    X(stop_drain, NUM, "stop-drain", "stop_drain", "S", 0, 3600, 10, 0, \
      "seconds a stop lets downloads in flight finish before it cancels them (default 10; " \
      "0: at once)") \
    X(tls_port, NUM, "tls-port", "tls_port", "N", 0, 65535, 20249, 0, \
      "the TLS port (default 20249; 0 picks a free one)") \
    X(tls_handshake_timeout, NUM, "tls-handshake-timeout", "tls_handshake_timeout", "S", 1, \
      300, 10, SETTING_RELOAD, "seconds a client has for the TLS handshake (default 10)") \
    X(tls_min_version, NUM, "tls-min-version", "tls_min_version", "V", 12, 13, 12, 0, \
      "12: TLS 1.2 and later, 13: TLS 1.3 only (default 12)") \
    /* the words in enum tlspolicy_level's order (tlspolicy.h; a unit test holds it) */ \
    X(tls_policy, WORD, "tls-policy", "tls_policy", "intermediate|compatible", 0, 1, 0, 0, \
      "intermediate: no static-RSA key exchange or CBC suites where Schannel takes it " \
      "(default); compatible: every suite the machine enables") \
    X(plain_logins, NUM, "plain-logins", "plain_logins", "N", 0, 1, 0, SETTING_RELOAD, \
      "1: allow AUTH on the plain port with a certificate (default 0)") \
    X(plain_port, NUM, "plain-port", "plain_port", "N", 0, 1, 1, 0, \
      "0: with a certificate, do not open the plain port (default 1)") \
    X(max_hashes, NUM, "max-hashes", "max_hashes", "N", 1, 64, 2, 0, \
      "HASH commands reading files at once; more wait (default 2)") \
    X(list_hidden, NUM, "list-hidden", "list_hidden", "N", 0, 1, 0, SETTING_RELOAD, \
      "1: LIST shows hidden and system entries (default 0: left out)") \
    /* USER DOMAIN\\name logs on with Windows (connacct.c); install and configure give \
     * the service SeImpersonatePrivilege only when it is 1 */ \
    X(windows_accounts, NUM, "windows-accounts", "windows_accounts", "N", 0, 1, 0, 0, \
      "1: USER DOMAIN\\name or name@domain logs on with a Windows account, rooted by " \
      "accounts.ini's [windows] and [windows-group] sections; the service keeps " \
      "SeImpersonatePrivilege " \
      "(default 0)") \
    X(connect_rate, NUM, "connect-rate", "connect_rate", "N", 0, 100000, \
      THROTTLE_DEFAULT_CONNECT_RATE, 0, \
      "new connections per second one address may open, once it has used its burst " \
      "(default 20; 0: no limit)") \
    X(connect_burst, NUM, "connect-burst", "connect_burst", "N", 1, 100000, \
      THROTTLE_DEFAULT_CONNECT_BURST, 0, \
      "new connections one address may open at once (default 300)") \
    X(tls_handshakes, NUM, "tls-handshakes", "tls_handshakes", "N", 0, 1024, 0, 0, \
      "TLS handshakes computing at once; the others wait up to the handshake timeout " \
      "(default 0: two per processor)") \
    X(max_lists, NUM, "max-lists", "max_lists", "N", 1, 64, 4, 0, \
      "LIST commands reading folders at once; more wait (default 4)") \
    X(max_sessions_per_account, NUM, "max-sessions-per-account", "max_sessions_per_account", \
      "N", 0, 100000, 0, SETTING_RELOAD, \
      "sessions one account may have at once, where its own max_sessions is 0 (default 0: " \
      "no limit)") \
    /* an account's own rate_limit replaces it for that account's sessions */ \
    X(rate_limit, NUM, "rate-limit", "rate_limit", "BYTES", 0, 4294967295u, 0, SETTING_RELOAD, \
      "bytes per second each download (FILE, GET) may send (default 0: no limit)") \
    X(allow, ADDRS, "allow", "allow", "LIST", 0, 0, 0, SETTING_RELOAD, \
      "only these addresses and ranges may connect, e.g. \"10.0.0.0/8, 2001:db8::/32\" " \
      "(default: all)") \
    X(deny, ADDRS, "deny", "deny", "LIST", 0, 0, 0, SETTING_RELOAD, \
      "these addresses and ranges may not connect (default: none)") \
    X(tls_pfx_password, TEXT, NULL, "tls_pfx_password", "", 0, 0, 0, \
      SETTING_SECRET | SETTING_RELOAD, "") \
    X(log_max_bytes, BIG, NULL, "log_max_bytes", "", 4096, (UINT64_C(1) << 40), 10485760, 0, \
      "") \
    X(password_hash, TEXT, NULL, "password_hash", "", 0, 0, 0, SETTING_SECRET, "") \
    X(config, TEXT, "config", NULL, "FILE", 0, 0, 0, 0, "read settings from this INI file")
/* clang-format on */

enum setting_kind { SETTING_TEXT, SETTING_ADDRS, SETTING_NUM, SETTING_BIG, SETTING_WORD };

/* Each setting's number: its row in setting_rows and its bit in a "set"
 * mask (struct server_options, struct config). */
enum setting_id {
#define SETTING_ID(field, kind, option, key, arg, min, max, def, flags, help) SETTING_ID_##field,
    SETTING_LIST(SETTING_ID)
#undef SETTING_ID
        SETTING_COUNT
};

_Static_assert(SETTING_COUNT <= 64, "a uint64_t holds one bit per setting");

#define SETTING_ID_BIT(id) (UINT64_C(1) << (id))
#define SETTING_BIT(field) SETTING_ID_BIT(SETTING_ID_##field)

/* The C type of a kind in struct server_options (text points into argv or
 * into a struct config). */
#define SETTING_TYPE_TEXT const char *
#define SETTING_TYPE_ADDRS const char *
#define SETTING_TYPE_NUM unsigned
#define SETTING_TYPE_BIG uint64_t
#define SETTING_TYPE_WORD unsigned
#define SETTING_FIELD(field, kind, option, key, arg, min, max, def, flags, help) \
    SETTING_TYPE_##kind field;

struct setting_row {
    const char *name; /* the field's name, for messages and tests */
    const char *option; /* NULL: file only */
    const char *key;    /* NULL: command line only */
    const char *arg;
    const char *help;
    uint64_t min, max, def;
    enum setting_kind kind;
    unsigned flags;
};

extern const struct setting_row setting_rows[SETTING_COUNT];

/* The setting whose command-line option is name[0..len), or -1. */
int setting_by_option(const char *name, size_t len);

/* The setting whose INI key is name[0..len) (ASCII, any case), or -1. */
int setting_by_key(const char *name, size_t len);

/* Checks value[0..len) for setting id: a number in its range (stored in
 * *number), an address list that parses, or any text. Returns 0, or a
 * negative mts_error with what is wrong in why ("a whole number from 1 to
 * 64", or ipacl's reason); the caller says where the value came from. */
int setting_check(int id, const char *value, size_t len, uint64_t *number, char *why,
                  size_t whycap);

/* The word a WORD setting's index names, into buf; "" when out of range. */
const char *setting_word(int id, unsigned index, char *buf, size_t cap);

/* Writes the --help lines of every setting with a command-line option, in
 * table order, each "  --option ARG" and its text wrapped at 80 columns.
 * Returns the length written (or needed, when it exceeds cap). */
size_t setting_write_help(char *out, size_t cap);

#endif
