/* accountkey.c - an account section's keys and their values (see
 * accountkey.h). */
#include "accountkey.h"

#include <stdio.h>

#include "accounts.h"
#include "iniline.h"
#include "mts_error.h"
#include "numparse.h"
#include "pwhash.h"

const char *const accountkey_names[KEY_COUNT] = {"password_hash", "root", "enabled", "max_sessions",
                                                 "rate_limit"};

int accountkey_by_name(const char *s, size_t len)
{
    for (int k = 0; k < KEY_COUNT; k++) {
        if (iniline_same_word(s, len, accountkey_names[k]))
            return k;
    }
    return -1;
}

int accountkey_check(int key, const char *v, size_t len, uint64_t *n, char *err, size_t errcap)
{
    struct pwhash h;
    char why[160];
    int rc;

    *n = 0;
    if (len >= ACCOUNTS_VALUE_MAX) {
        snprintf(err, errcap, "value of '%s' is too long (at most %u bytes)", accountkey_names[key],
                 (unsigned)ACCOUNTS_VALUE_MAX - 1u);
        return MTS_ETOOLONG;
    }
    switch (key) {
    case KEY_HASH:
        rc = pwhash_parse(&h, v, len, why, sizeof why);
        if (rc != 0)
            snprintf(err, errcap, "key 'password_hash': %s", why);
        return rc;
    case KEY_ENABLED:
        if (iniline_same_word(v, len, "yes") || iniline_same_word(v, len, "no")) {
            *n = iniline_same_word(v, len, "yes");
            return 0;
        }
        snprintf(err, errcap, "key 'enabled' wants yes or no");
        return MTS_ERANGE;
    case KEY_MAX_SESSIONS:
    case KEY_RATE: {
        uint64_t max = key == KEY_RATE ? ACCOUNTS_MAX_RATE : ACCOUNTS_MAX_SESSIONS;
        rc = numparse_u64(v, len, max, n);
        if (rc != 0)
            snprintf(err, errcap, "key '%s' wants a number from 0 to %llu", accountkey_names[key],
                     (unsigned long long)max);
        return rc;
    }
    default: return 0;
    }
}
