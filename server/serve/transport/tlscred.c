/* tlscred.c - reference-counted TLS credentials in a replaceable slot (see
 * tlscred.h). */
#include "tlscred.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certstore.h"

struct tlscred *tlscred_open(const char *certificate, const char *pfx_password,
                             unsigned min_version, unsigned policy, const struct tlscred *live,
                             char *err, size_t errcap)
{
    struct tlscred *c = calloc(1, sizeof *c);

    if (c == NULL) {
        snprintf(err, errcap, "TLS: out of memory");
        return NULL;
    }
    if (schannel_cred_open_policy(&c->cred, certificate, pfx_password, min_version, policy,
                                  live != NULL ? &live->cred : NULL, err, errcap) != 0) {
        free(c);
        return NULL;
    }
    c->refs = 1;
    snprintf(c->setting, sizeof c->setting, "%s", certificate);
    return c;
}

void tlscred_release(struct tlscred *c)
{
    if (c != NULL && InterlockedDecrement(&c->refs) == 0) {
        schannel_cred_close(&c->cred);
        free(c);
    }
}

void tlscred_slot_init(struct tlscred_slot *s, struct tlscred *first)
{
    InitializeSRWLock(&s->reload);
    refslot_init(&s->slot, first);
}

struct tlscred *tlscred_take(struct tlscred_slot *s)
{
    return refslot_take(&s->slot, offsetof(struct tlscred, refs));
}

void tlscred_replace(struct tlscred_slot *s, struct tlscred *next)
{
    struct tlscred *old = refslot_swap(&s->slot, next);

    /* Before the last reference to old can go: its close must not delete a
     * key container next now serves from. */
    if (old != NULL && next != NULL)
        schannel_cred_hand_over_keys(&old->cred, &next->cred);
    tlscred_release(old); /* outside the slot's lock: it may free and delete a key */
}

void tlscred_thumbprint(struct tlscred_slot *s, char out[41])
{
    struct tlscred *c = tlscred_take(s);

    if (c != NULL)
        memcpy(out, c->cred.thumbprint, 41);
    else
        out[0] = '\0';
    tlscred_release(c);
}

void tlscred_slot_free(struct tlscred_slot *s)
{
    tlscred_replace(s, NULL);
}

/* tlscred_reload with the slot's reload lock held. */
static int reload_locked(struct tlscred_slot *s, const char *certificate,
                         const char *pfx_password, unsigned min_version, unsigned policy,
                         char *info, size_t cap)
{
    struct tlscred *next, *live;
    char old[41];

    tlscred_thumbprint(s, old);
    if (certificate == NULL) {
        snprintf(info, cap, "tls_certificate is no longer set: keeping certificate %s (restart "
                            "to turn TLS off)", old);
        return -1;
    }
    /* The same checks as at start, the Schannel probe included: a
     * certificate that could not serve never replaces one that can. */
    /* The current one, held while the new one is opened: a refusal must
     * not delete the key container it serves from (Wine shares one). */
    live = tlscred_take(s);
    next = tlscred_open(certificate, pfx_password, min_version, policy, live, info, cap);
    tlscred_release(live);
    if (next == NULL) {
        size_t n = strlen(info);
        snprintf(info + n, cap - n, "; keeping certificate %s", old);
        return -1;
    }
    snprintf(info, cap, "certificate %s replaces %s for new connections; sessions already "
                        "running keep theirs%s%s%s", next->cred.thumbprint, old,
             next->cred.chosen[0] != '\0' ? " (" : "", next->cred.chosen,
             next->cred.chosen[0] != '\0' ? ")" : "");
    tlscred_replace(s, next);
    return 0;
}

int tlscred_reload(struct tlscred_slot *s, const char *certificate, const char *pfx_password,
                   unsigned min_version, unsigned policy, char *info, size_t cap)
{
    int rc;

    AcquireSRWLockExclusive(&s->reload);
    rc = reload_locked(s, certificate, pfx_password, min_version, policy, info, cap);
    ReleaseSRWLockExclusive(&s->reload);
    return rc;
}

int tlscred_recheck(struct tlscred_slot *s, unsigned min_version, unsigned policy, char *info,
                    size_t cap)
{
    struct tlscred *cur;
    struct schannel_cred probe;
    char setting[sizeof cur->setting], current[41], note[320], err[600];
    int rc, same;

    AcquireSRWLockExclusive(&s->reload);
    cur = tlscred_take(s);
    if (cur == NULL) {
        ReleaseSRWLockExclusive(&s->reload);
        return 0;
    }
    memcpy(setting, cur->setting, sizeof setting);
    memcpy(current, cur->cred.thumbprint, sizeof current);
    tlscred_release(cur);
    /* Only finding it, as the start did: no key is opened for this. */
    memset(&probe, 0, sizeof probe);
    rc = certstore_resolve(&probe, setting, note, sizeof note, err, sizeof err);
    same = rc == 0 && strcmp(probe.thumbprint, current) == 0;
    schannel_cred_close(&probe);
    if (rc < 0) {
        snprintf(info, cap, "%s; keeping certificate %s", err, current);
        rc = -1;
    } else if (rc > 0 || same) {
        rc = 0; /* a PFX file, or the same certificate: nothing to do */
    } else {
        rc = reload_locked(s, setting, NULL, min_version, policy, info, cap) == 0 ? 1 : -1;
    }
    ReleaseSRWLockExclusive(&s->reload);
    return rc;
}
