/* outcome.h - every outcome the access log can give a request or a
 * connection, named once.
 *
 * OUTCOME_LIST is the one table (X-macro, as mts_error.h): a row's name,
 * the word the log writes (ADMIN.md's list of results; the words are the
 * log's format, so they never change), and flags the code tests instead of
 * the word:
 *   OUTCOME_ALERT   an attack on passwords: raises the Event Log alert
 *                   (logsink.c) */
#ifndef MTS_OUTCOME_H
#define MTS_OUTCOME_H

#define OUTCOME_ALERT 1u

/* clang-format off */
#define OUTCOME_LIST(X) \
    X(OK, "ok", 0) \
    X(ABORTED, "aborted", 0) \
    X(BAD_OFFSET, "bad-offset", 0) \
    X(DENIED, "denied", 0) \
    X(MISSING, "missing", 0) \
    X(FAILED, "failed", 0) \
    X(CHANGED, "changed", 0) \
    X(CACHED, "cached", 0) \
    X(SERVER_STOPPING, "server-stopping", 0) \
    X(IDLE_TIMEOUT, "idle-timeout", 0) \
    X(REFUSED, "refused", 0) \
    X(NEEDS_TLS, "needs-tls", 0) \
    X(BAD_PASSWORD, "bad-password", 0) \
    X(BAD_PASSWORD_DELAYED, "bad-password-delayed", 0) \
    X(TOO_MANY_FAILURES, "too-many-failures", OUTCOME_ALERT) \
    X(BANNED, "banned", OUTCOME_ALERT) \
    X(BUSY, "busy", 0) \
    X(BUSY_ADDRESS, "busy-address", 0) \
    X(BUSY_RATE, "busy-rate", 0) \
    X(BUSY_TABLE, "busy-table", 0) \
    X(BUSY_THREAD, "busy-thread", 0) \
    X(BUSY_AUTH, "busy-auth", 0) \
    X(BUSY_TLS, "busy-tls", 0) \
    X(NOT_TLS, "not-tls", 0) \
    X(TLS_ON_PLAIN, "tls-on-plain", 0) \
    X(ACCOUNT_FULL, "account-full", 0) \
    X(ACCOUNT_NO_ROOT, "account-no-root", 0) \
    X(ACCOUNT_ENDED, "account-ended", 0)
/* clang-format on */

enum outcome {
#define OUTCOME_ENUM(name, word, flags) OUTCOME_##name,
    OUTCOME_LIST(OUTCOME_ENUM)
#undef OUTCOME_ENUM
        OUTCOME_COUNT
};

/* The word the log writes for o ("?" for a value outside the table). */
const char *outcome_word(enum outcome o);

/* The OUTCOME_* flags of o (0 outside the table). */
unsigned outcome_flags(enum outcome o);

#endif
