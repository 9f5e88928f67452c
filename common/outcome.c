/* outcome.c - the outcomes' words and flags (see outcome.h). */
#include "outcome.h"

static const struct {
    const char *word;
    unsigned flags;
} rows[OUTCOME_COUNT] = {
#define OUTCOME_ROW(name, word, flags) {word, flags},
    OUTCOME_LIST(OUTCOME_ROW)
#undef OUTCOME_ROW
};

const char *outcome_word(enum outcome o)
{
    return (unsigned)o < OUTCOME_COUNT ? rows[o].word : "?";
}

unsigned outcome_flags(enum outcome o)
{
    return (unsigned)o < OUTCOME_COUNT ? rows[o].flags : 0;
}
