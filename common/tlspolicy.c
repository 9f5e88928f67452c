/* tlspolicy.c - the TLS cipher policy's rules and words (see tlspolicy.h). */
#include "tlspolicy.h"

#include <stdio.h>
#include <string.h>

/* Static RSA key exchange carries no forward secrecy; CBC with SHA-1 is
 * the LUCKY13 class; 3DES exists only in CBC and is too weak anyway. What
 * is left on a current Schannel is ECDHE (and DHE) with AES-GCM. */
static const struct tlspolicy_rule intermediate[] = {
    {TLSPOLICY_KEY_EXCHANGE, "RSA", NULL, "static-RSA key exchange"},
    {TLSPOLICY_BULK_CIPHER, "AES", "ChainingModeCBC", "CBC ciphers"},
    {TLSPOLICY_BULK_CIPHER, "3DES", NULL, "3DES"},
};

const char *tlspolicy_name(enum tlspolicy_level level)
{
    return level == TLSPOLICY_COMPATIBLE ? "compatible" : "intermediate";
}

const struct tlspolicy_rule *tlspolicy_rules(enum tlspolicy_level level, size_t *count)
{
    if (level == TLSPOLICY_COMPATIBLE) {
        *count = 0;
        return NULL;
    }
    *count = sizeof intermediate / sizeof intermediate[0];
    return intermediate;
}

enum tlspolicy_form tlspolicy_form_of(enum tlspolicy_took took, int versions_honoured)
{
    if (took == TLSPOLICY_TOOK_NONE)
        return TLSPOLICY_FORM_REFUSED;
    if (versions_honoured == 0)
        return TLSPOLICY_FORM_IGNORED;
    if (versions_honoured < 0)
        return TLSPOLICY_FORM_UNVERIFIED;
    return took == TLSPOLICY_TOOK_WITH_RULES ? TLSPOLICY_FORM_CURRENT
                                             : TLSPOLICY_FORM_RULES_REFUSED;
}

int tlspolicy_falls_back(enum tlspolicy_form form)
{
    return form == TLSPOLICY_FORM_REFUSED || form == TLSPOLICY_FORM_IGNORED;
}

int tlspolicy_in_force(enum tlspolicy_level level, const struct tlspolicy_outcome *o)
{
    size_t n;

    tlspolicy_rules(level, &n);
    if (n == 0)
        return 1;
    /* A Schannel that ignored the protocol list of SCH_CREDENTIALS cannot
     * be trusted with its algorithm list either; one that lists RSA key
     * exchange after being told not to did not take it. */
    return o->form == TLSPOLICY_FORM_CURRENT && !(o->algs_known && o->rsa_kx_left);
}

void tlspolicy_describe(enum tlspolicy_level level, const struct tlspolicy_outcome *o, char *out,
                        size_t cap)
{
    size_t n = 0;
    const struct tlspolicy_rule *r = tlspolicy_rules(level, &n);
    char what[160] = "";
    size_t used = 0;

    for (size_t i = 0; i < n && used < sizeof what; i++) {
        int w = snprintf(what + used, sizeof what - used, "%sno %s", i > 0 ? ", " : "", r[i].why);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (n == 0) {
        snprintf(out, cap, "policy %s: every suite Schannel enables on this machine",
                 tlspolicy_name(level));
        return;
    }
    if (tlspolicy_in_force(level, o)) {
        snprintf(out, cap, "policy %s (%s), asked of Schannel by SCH_CREDENTIALS%s",
                 tlspolicy_name(level), what,
                 o->algs_known ? "; it lists no RSA key exchange" : "; it does not list its suites");
        return;
    }
    snprintf(out, cap,
             "policy %s NOT in force: %s; the machine's own suite list applies (ADMIN.md, "
             "Cipher suites)",
             tlspolicy_name(level),
             o->form == TLSPOLICY_FORM_REFUSED  ? "this Schannel refuses SCH_CREDENTIALS"
             : o->form == TLSPOLICY_FORM_RULES_REFUSED
                 ? "this Schannel refuses SCH_CREDENTIALS' CRYPTO_SETTINGS"
             : o->form == TLSPOLICY_FORM_UNVERIFIED
                 ? "this Schannel does not say what it offers, so not whether it took them"
             : o->form == TLSPOLICY_FORM_IGNORED ? "this Schannel ignores SCH_CREDENTIALS' parameters"
                                                 : "this Schannel still lists RSA key exchange");
}
