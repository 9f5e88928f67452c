/* test_outcome.c - the outcomes' words and flags. */
#include <string.h>

#include "check.h"
#include "outcome.h"

/* Each word is the log's format: lower case words joined by '-', none twice. */
static void test_words_are_the_logs_and_unique(void)
{
    for (int i = 0; i < OUTCOME_COUNT; i++) {
        const char *w = outcome_word((enum outcome)i);
        CHECK(w[0] >= 'a' && w[0] <= 'z');
        CHECK(strspn(w, "abcdefghijklmnopqrstuvwxyz-") == strlen(w));
        for (int j = 0; j < i; j++)
            CHECK(strcmp(w, outcome_word((enum outcome)j)) != 0);
    }
    CHECK_STR(outcome_word(OUTCOME_OK), "ok");
    CHECK_STR(outcome_word(OUTCOME_TOO_MANY_FAILURES), "too-many-failures");
    CHECK_STR(outcome_word(OUTCOME_COUNT), "?");
}

/* The Event Log alert: sessions cut after too many failures, and banned
 * addresses; nothing else. */
static void test_alerts_are_the_password_attacks_only(void)
{
    int alerts = 0;

    for (int i = 0; i < OUTCOME_COUNT; i++)
        alerts += (outcome_flags((enum outcome)i) & OUTCOME_ALERT) != 0;
    CHECK_INT(alerts, 2);
    CHECK(outcome_flags(OUTCOME_TOO_MANY_FAILURES) & OUTCOME_ALERT);
    CHECK(outcome_flags(OUTCOME_BANNED) & OUTCOME_ALERT);
    CHECK_INT(outcome_flags(OUTCOME_COUNT), 0);
}

int main(void)
{
    RUN_TEST(test_words_are_the_logs_and_unique);
    RUN_TEST(test_alerts_are_the_password_attacks_only);
    return check_summary();
}
