/* certpick.h - which certificate the TLS server serves, decided portably.
 *
 * tls_certificate = subject:NAME names a certificate by the host name it is
 * for rather than by thumbprint, so that a renewal (a new certificate, a new
 * thumbprint, the same name) is picked up without editing the file. The
 * platform layer reads the stores into struct certpick_cert rows; the rules
 * (which names match, which certificate wins, when to warn of expiry) are
 * here, unit-tested. Times are in seconds of any one epoch. */
#ifndef MTS_CERTPICK_H
#define MTS_CERTPICK_H

#include <stddef.h>
#include <stdint.h>

#define CERTPICK_MAX_NAMES 16   /* names of one certificate looked at (CN, DNS SANs) */
#define CERTPICK_MAX_RENEWALS 8 /* steps of a renewal chain followed; more is a loop */

struct certpick_cert {
    int64_t not_before, not_after;
    int has_key;     /* its private key is there */
    int server_auth; /* its EKU names server authentication, or it has no EKU */
    const char *names[CERTPICK_MAX_NAMES];
    size_t name_count;
};

/* "subject:NAME" (the prefix in any case): 1 with *name pointing at NAME,
 * which is not empty; else 0 (a thumbprint or a PFX path). */
int certpick_subject(const char *setting, const char **name);

/* Whether a certificate's name (CN or DNS SAN) covers want: equal ignoring
 * ASCII case and one final dot; a wildcard "*.example.com" covers exactly
 * one more label ("a.example.com", not "example.com" or "a.b.example.com"). */
int certpick_name_matches(const char *cert_name, const char *want);

/* How near one certificate comes to serving want at time now: 0 when it
 * fits (names want, server-auth usage, its key, valid now), else the rank of
 * what it lacks, 1 (not named) to 4 (not valid now): a higher rank is a
 * nearer miss. certpick_miss_text(rank) says it in words. */
int certpick_fit(const struct certpick_cert *c, const char *want, int64_t now);
const char *certpick_miss_text(int rank);

/* Whether a is newer than b: later not_before, then later not_after. */
int certpick_newer(const struct certpick_cert *a, const struct certpick_cert *b);

/* The certificate to serve for want at time now: valid now, with its key
 * and server-auth usage, naming want; of those the newest (latest
 * not_before, then latest not_after, then the first). Returns its index, or
 * -1 with *why saying what the nearest miss lacked. */
int certpick_choose(const struct certpick_cert *certs, size_t n, const char *want, int64_t now,
                    const char **why);

/* Expiry warnings: 30, 7 and 1 day before, then expired; each once. */
enum certpick_stage {
    CERTPICK_FINE = 0,
    CERTPICK_30_DAYS,
    CERTPICK_7_DAYS,
    CERTPICK_1_DAY,
    CERTPICK_EXPIRED,
};
enum certpick_stage certpick_expiry_stage(int64_t now, int64_t not_after);

/* Whether stage is news after *said (the last stage warned of for this
 * certificate, CERTPICK_FINE at first): 1 and *said updated, or 0. */
int certpick_expiry_due(enum certpick_stage *said, enum certpick_stage stage);

#endif
