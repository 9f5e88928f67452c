/* test_tlspolicy.c - the TLS cipher policy: its words, its rules, and what
 * the start line says for each way Schannel may take (or not take) it. */
#include <string.h>

#include "check.h"
#include "tlspolicy.h"

static void test_words(void)
{
    CHECK_STR(tlspolicy_name(TLSPOLICY_COMPATIBLE), "compatible");
    CHECK_STR(tlspolicy_name(TLSPOLICY_INTERMEDIATE), TLSPOLICY_DEFAULT_NAME);
}

/* The rules Schannel gets: RSA key exchange and CBC out; compatible none. */
static void test_rules(void)
{
    size_t n = 99;
    const struct tlspolicy_rule *r = tlspolicy_rules(TLSPOLICY_INTERMEDIATE, &n);
    int rsa = 0, cbc = 0;

    CHECK(n >= 2 && n <= TLSPOLICY_MAX_RULES);
    for (size_t i = 0; i < n; i++) {
        if (r[i].usage == TLSPOLICY_KEY_EXCHANGE && strcmp(r[i].algorithm, "RSA") == 0 &&
            r[i].chaining == NULL)
            rsa = 1;
        if (r[i].usage == TLSPOLICY_BULK_CIPHER && strcmp(r[i].algorithm, "AES") == 0 &&
            r[i].chaining != NULL && strcmp(r[i].chaining, "ChainingModeCBC") == 0)
            cbc = 1;
    }
    CHECK_INT(rsa, 1);
    CHECK_INT(cbc, 1);
    CHECK(tlspolicy_rules(TLSPOLICY_COMPATIBLE, &n) == NULL);
    CHECK_INT((int)n, 0);
}

/* In force only where SCH_CREDENTIALS was taken and honoured. */
static void test_in_force(void)
{
    struct tlspolicy_outcome o = {TLSPOLICY_FORM_CURRENT, 0, 0};

    CHECK_INT(tlspolicy_in_force(TLSPOLICY_INTERMEDIATE, &o), 1);
    o.algs_known = 1;
    CHECK_INT(tlspolicy_in_force(TLSPOLICY_INTERMEDIATE, &o), 1);
    o.rsa_kx_left = 1;
    CHECK_INT(tlspolicy_in_force(TLSPOLICY_INTERMEDIATE, &o), 0);
    o.form = TLSPOLICY_FORM_IGNORED;
    o.algs_known = o.rsa_kx_left = 0;
    CHECK_INT(tlspolicy_in_force(TLSPOLICY_INTERMEDIATE, &o), 0);
    o.form = TLSPOLICY_FORM_REFUSED;
    CHECK_INT(tlspolicy_in_force(TLSPOLICY_INTERMEDIATE, &o), 0);
    o.form = TLSPOLICY_FORM_UNVERIFIED;
    CHECK_INT(tlspolicy_in_force(TLSPOLICY_INTERMEDIATE, &o), 0);
    o.form = TLSPOLICY_FORM_REFUSED;
    CHECK_INT(tlspolicy_in_force(TLSPOLICY_COMPATIBLE, &o), 1);
}

/* The structure a credential ends in, for each way Schannel answers. */
static void test_choice_of_structures(void)
{
    /* Windows 10 1809 and later: SCH_CREDENTIALS with the rules, kept. */
    CHECK_INT(tlspolicy_form_of(TLSPOLICY_TOOK_WITH_RULES, 1), TLSPOLICY_FORM_CURRENT);
    CHECK_INT(tlspolicy_falls_back(TLSPOLICY_FORM_CURRENT), 0);
    /* One that refuses the algorithm names: SCH_CREDENTIALS without them. */
    CHECK_INT(tlspolicy_form_of(TLSPOLICY_TOOK_WITHOUT_RULES, 1), TLSPOLICY_FORM_RULES_REFUSED);
    CHECK_INT(tlspolicy_falls_back(TLSPOLICY_FORM_RULES_REFUSED), 0);
    /* Wine 10: taken, versions ignored: SCHANNEL_CRED for TLS 1.2. */
    CHECK_INT(tlspolicy_form_of(TLSPOLICY_TOOK_WITH_RULES, 0), TLSPOLICY_FORM_IGNORED);
    CHECK_INT(tlspolicy_form_of(TLSPOLICY_TOOK_WITHOUT_RULES, 0), TLSPOLICY_FORM_IGNORED);
    CHECK_INT(tlspolicy_falls_back(TLSPOLICY_FORM_IGNORED), 1);
    /* Windows before 1809: refused outright: SCHANNEL_CRED. */
    CHECK_INT(tlspolicy_form_of(TLSPOLICY_TOOK_NONE, 0), TLSPOLICY_FORM_REFUSED);
    CHECK_INT(tlspolicy_form_of(TLSPOLICY_TOOK_NONE, 1), TLSPOLICY_FORM_REFUSED);
    CHECK_INT(tlspolicy_falls_back(TLSPOLICY_FORM_REFUSED), 1);
    /* Wine 8: taken, and nothing said of what it offers: kept, not trusted. */
    CHECK_INT(tlspolicy_form_of(TLSPOLICY_TOOK_WITH_RULES, -1), TLSPOLICY_FORM_UNVERIFIED);
    CHECK_INT(tlspolicy_falls_back(TLSPOLICY_FORM_UNVERIFIED), 0);
}

static void test_start_line(void)
{
    struct tlspolicy_outcome o = {TLSPOLICY_FORM_CURRENT, 0, 0};
    char out[400];

    tlspolicy_describe(TLSPOLICY_INTERMEDIATE, &o, out, sizeof out);
    CHECK(strstr(out, "policy intermediate (no static-RSA key exchange, no CBC ciphers") != NULL);
    CHECK(strstr(out, "SCH_CREDENTIALS") != NULL);
    CHECK(strstr(out, "NOT") == NULL);
    o.form = TLSPOLICY_FORM_IGNORED; /* Wine 10 */
    tlspolicy_describe(TLSPOLICY_INTERMEDIATE, &o, out, sizeof out);
    CHECK(strstr(out, "policy intermediate NOT in force: this Schannel ignores") != NULL);
    CHECK(strstr(out, "ADMIN.md") != NULL);
    o.form = TLSPOLICY_FORM_REFUSED; /* Windows before 10 1809 */
    tlspolicy_describe(TLSPOLICY_INTERMEDIATE, &o, out, sizeof out);
    CHECK(strstr(out, "refuses SCH_CREDENTIALS") != NULL);
    o.form = TLSPOLICY_FORM_RULES_REFUSED;
    tlspolicy_describe(TLSPOLICY_INTERMEDIATE, &o, out, sizeof out);
    CHECK(strstr(out, "NOT in force: this Schannel refuses SCH_CREDENTIALS' CRYPTO_SETTINGS") != NULL);
    tlspolicy_describe(TLSPOLICY_COMPATIBLE, &o, out, sizeof out);
    CHECK(strstr(out, "policy compatible: every suite") != NULL);
    /* A short buffer is cut, never overrun. */
    out[9] = 'x';
    tlspolicy_describe(TLSPOLICY_INTERMEDIATE, &o, out, 8);
    CHECK_INT((int)strlen(out), 7);
    CHECK_INT(out[9], 'x');
}

int main(void)
{
    RUN_TEST(test_words);
    RUN_TEST(test_rules);
    RUN_TEST(test_in_force);
    RUN_TEST(test_choice_of_structures);
    RUN_TEST(test_start_line);
    return check_summary();
}
