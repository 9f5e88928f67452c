/* tlspolicy.h - which cipher suites the TLS server asks Schannel to leave
 * out, and what the start line says about it, decided portably.
 *
 * "intermediate" (the default) follows Mozilla's intermediate profile as far
 * as Schannel's CRYPTO_SETTINGS can express it: no static-RSA key exchange
 * (no forward secrecy) and no CBC bulk cipher (the LUCKY13 class, SHA-1
 * MACs). "compatible" leaves both in for old clients. Only SCH_CREDENTIALS
 * (Windows 10 1809 / Server 2019 and later) carries the rules; a Schannel
 * that takes only SCHANNEL_CRED, or ignores SCH_CREDENTIALS' parameters
 * (Wine), serves whatever the machine enables, and the start line says so. */
#ifndef MTS_TLSPOLICY_H
#define MTS_TLSPOLICY_H

#include <stddef.h>

enum tlspolicy_level { TLSPOLICY_INTERMEDIATE = 0, TLSPOLICY_COMPATIBLE = 1 };

#define TLSPOLICY_DEFAULT_NAME "intermediate"

/* The level's word; the setting's words (setting.h: tls_policy's arg) are
 * in the enum's order, which test_options.c holds. */
const char *tlspolicy_name(enum tlspolicy_level level);

/* One CRYPTO_SETTINGS entry: an algorithm Schannel is told not to use.
 * usage: key exchange or bulk cipher; algorithm: the CNG algorithm
 * identifier (BCRYPT_*_ALGORITHM text); chaining: a CNG chaining mode
 * (BCRYPT_CHAIN_MODE_* text), or NULL for every mode of the algorithm. */
enum tlspolicy_usage { TLSPOLICY_KEY_EXCHANGE, TLSPOLICY_BULK_CIPHER };
#define TLSPOLICY_MAX_RULES 4
struct tlspolicy_rule {
    enum tlspolicy_usage usage;
    const char *algorithm;
    const char *chaining;
    const char *why; /* for the log: "static RSA key exchange" */
};

/* The rules of a level; *count of them (0 for compatible). */
const struct tlspolicy_rule *tlspolicy_rules(enum tlspolicy_level level, size_t *count);

/* What became of the request, as the credential code found it. */
enum tlspolicy_form {
    TLSPOLICY_FORM_CURRENT, /* SCH_CREDENTIALS taken, its protocol list honoured */
    TLSPOLICY_FORM_IGNORED, /* SCH_CREDENTIALS taken, its protocol list not honoured */
    TLSPOLICY_FORM_REFUSED, /* SCH_CREDENTIALS refused: SCHANNEL_CRED used */
    TLSPOLICY_FORM_RULES_REFUSED, /* SCH_CREDENTIALS taken only without the rules */
    TLSPOLICY_FORM_UNVERIFIED,    /* SCH_CREDENTIALS taken; what it offers unknown */
};
/* How AcquireCredentialsHandle took SCH_CREDENTIALS: with the rules, only
 * without them (a second try), or not at all. */
enum tlspolicy_took {
    TLSPOLICY_TOOK_NONE,
    TLSPOLICY_TOOK_WITH_RULES,
    TLSPOLICY_TOOK_WITHOUT_RULES,
};

/* The form the credential ends in. versions_honoured: 1 when the
 * SCH_CREDENTIALS credential offers only the versions asked for
 * (SUPPORTED_PROTOCOLS), 0 when it offers others (Wine 10 takes the
 * structure and offers SSL 3 to TLS 1.2 all the same), -1 when Schannel
 * does not say (Wine 8): kept, but the rules cannot be taken as kept either. */
enum tlspolicy_form tlspolicy_form_of(enum tlspolicy_took took, int versions_honoured);

/* Whether that form needs the SCHANNEL_CRED credential instead (TLS 1.2
 * only): SCH_CREDENTIALS refused, or taken and ignored. */
int tlspolicy_falls_back(enum tlspolicy_form form);

struct tlspolicy_outcome {
    enum tlspolicy_form form;
    int algs_known;   /* SECPKG_ATTR_SUPPORTED_ALGS answered */
    int rsa_kx_left;  /* ...and still lists static-RSA key exchange */
};

/* Whether the level is in force: 1 when every rule reached a Schannel that
 * honours SCH_CREDENTIALS (and, where it says, lists no RSA key exchange),
 * or when the level has no rules; else 0. */
int tlspolicy_in_force(enum tlspolicy_level level, const struct tlspolicy_outcome *o);

/* The start line's words, e.g. "policy intermediate (no static-RSA key
 * exchange, no CBC ciphers), asked of Schannel by SCH_CREDENTIALS" or
 * "policy intermediate NOT in force: ...; the machine's own suite list
 * applies (ADMIN.md, Cipher suites)". */
void tlspolicy_describe(enum tlspolicy_level level, const struct tlspolicy_outcome *o, char *out,
                        size_t cap);

#endif
