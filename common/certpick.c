/* certpick.c - the certificate choice and expiry stages (see certpick.h). */
#include "certpick.h"

#include <string.h>

#define DAY INT64_C(86400)

static unsigned char lower(char c)
{
    unsigned char u = (unsigned char)c;

    if (u >= 'A' && u <= 'Z')
        u = (unsigned char)(u + ('a' - 'A'));
    return u;
}

int certpick_subject(const char *setting, const char **name)
{
    static const char prefix[] = "subject:";

    for (size_t i = 0; i < sizeof prefix - 1; i++) {
        if (lower(setting[i]) != (unsigned char)prefix[i])
            return 0;
    }
    if (setting[sizeof prefix - 1] == '\0')
        return 0;
    *name = setting + sizeof prefix - 1;
    return 1;
}

/* a[0..alen) equals b[0..blen) ignoring ASCII case. */
static int same(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        if (lower(a[i]) != lower(b[i]))
            return 0;
    }
    return 1;
}

static size_t without_dot(const char *s)
{
    size_t n = strlen(s);

    return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

int certpick_name_matches(const char *cert_name, const char *want)
{
    size_t cn = without_dot(cert_name), wn = without_dot(want);
    const char *dot;

    if (cn == 0 || wn == 0)
        return 0;
    if (same(cert_name, cn, want, wn))
        return 1;
    /* "*.example.com": the wanted name's first label is any one label. */
    if (cn > 2 && cert_name[0] == '*' && cert_name[1] == '.') {
        dot = memchr(want, '.', wn);
        return dot != NULL && dot > want && same(cert_name + 1, cn - 1, dot, wn - (size_t)(dot - want));
    }
    return 0;
}

static int names_it(const struct certpick_cert *c, const char *want)
{
    for (size_t i = 0; i < c->name_count && i < CERTPICK_MAX_NAMES; i++) {
        if (c->names[i] != NULL && certpick_name_matches(c->names[i], want))
            return 1;
    }
    return 0;
}

int certpick_fit(const struct certpick_cert *c, const char *want, int64_t now)
{
    if (!names_it(c, want))
        return 1;
    if (!c->server_auth)
        return 2;
    if (!c->has_key)
        return 3;
    if (now < c->not_before || now > c->not_after)
        return 4;
    return 0;
}

const char *certpick_miss_text(int rank)
{
    static const char *const misses[] = {
        "no certificate names it (CN or DNS name)",
        "the certificates naming it are not for server authentication (EKU)",
        "the certificates naming it have no private key here",
        "the certificates naming it are expired or not valid yet",
    };

    return misses[rank >= 1 && rank <= 4 ? rank - 1 : 0];
}

int certpick_newer(const struct certpick_cert *a, const struct certpick_cert *b)
{
    return a->not_before > b->not_before ||
           (a->not_before == b->not_before && a->not_after > b->not_after);
}

int certpick_choose(const struct certpick_cert *certs, size_t n, const char *want, int64_t now,
                    const char **why)
{
    int best = -1, miss = 1;

    for (size_t i = 0; i < n; i++) {
        int fit = certpick_fit(&certs[i], want, now);
        if (fit != 0)
            miss = fit > miss ? fit : miss; /* the nearest miss, for the message */
        else if (best < 0 || certpick_newer(&certs[i], &certs[best]))
            best = (int)i;
    }
    if (best < 0 && why != NULL)
        *why = certpick_miss_text(miss);
    return best;
}

enum certpick_stage certpick_expiry_stage(int64_t now, int64_t not_after)
{
    int64_t left = not_after - now;

    if (left < 0)
        return CERTPICK_EXPIRED;
    if (left <= 1 * DAY)
        return CERTPICK_1_DAY;
    if (left <= 7 * DAY)
        return CERTPICK_7_DAYS;
    if (left <= 30 * DAY)
        return CERTPICK_30_DAYS;
    return CERTPICK_FINE;
}

int certpick_expiry_due(enum certpick_stage *said, enum certpick_stage stage)
{
    if (stage <= *said)
        return 0;
    *said = stage;
    return 1;
}
