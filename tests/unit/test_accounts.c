/* test_accounts.c - the account store: parsing, its errors, lookup, names,
 * and the three editors that keep every other byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "check.h"
#include "mts_error.h"

#define HASH                                                                                       \
    "pbkdf2-sha256$600000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

static struct accounts *table;
static char err[256];
static char out[1 << 16];
static size_t outlen;

static int parse(const char *text)
{
    accounts_free(table);
    table = NULL;
    return accounts_parse(text, strlen(text), &table, err, sizeof err);
}

/* Checks that text fails to parse with code rc and a message starting with want. */
static int fails(const char *text, int rc, const char *want)
{
    if (parse(text) != rc || table != NULL)
        return 0;
    if (strncmp(err, want, strlen(want)) != 0) {
        fprintf(stderr, "  message: %s\n  wanted:  %s\n", err, want);
        return 0;
    }
    return 1;
}

static void test_every_key_is_read(void)
{
    const struct account *a;

    CHECK_INT(parse("; the accounts\n"
                    "[account alice]\n"
                    "password_hash = " HASH "\n"
                    "root = D:\\share\\alice\n"
                    "enabled = no\n"
                    "max_sessions = 3\n"
                    "rate_limit = 1000000\n"
                    "\n"
                    "# bob has the defaults\n"
                    "[Account  Bob.Smith@example-1_2 ]\n"
                    "root = \" C:\\spaced \"\n"
                    "PASSWORD_HASH=" HASH "\n"),
              0);
    CHECK_INT(accounts_count(table), 2);
    a = accounts_at(table, 0);
    CHECK_STR(a->name, "alice");
    CHECK_STR(a->password_hash, HASH);
    CHECK_STR(a->root, "D:\\share\\alice");
    CHECK_INT(a->enabled, 0);
    CHECK_INT(a->max_sessions, 3);
    CHECK_INT(a->rate_limit, 1000000);
    CHECK_INT(a->line, 2);
    a = accounts_at(table, 1);
    CHECK_STR(a->name, "Bob.Smith@example-1_2");
    CHECK_STR(a->root, " C:\\spaced ");
    CHECK_INT(a->enabled, 1);
    CHECK_INT(a->max_sessions, 0);
    CHECK_INT(a->rate_limit, 0);
    CHECK_INT(a->line, 10);
    CHECK(accounts_at(table, 2) == NULL);
}

static void test_empty_store_and_bom_crlf(void)
{
    CHECK_INT(parse(""), 0);
    CHECK_INT(accounts_count(table), 0);
    CHECK(accounts_find(table, "a", 1) == NULL);
    CHECK_INT(parse("\xEF\xBB\xBF; nothing\r\n\r\n"), 0);
    CHECK_INT(accounts_count(table), 0);
    CHECK_INT(parse("\xEF\xBB\xBF[account a]\r\nroot = x\r\npassword_hash = " HASH), 0);
    CHECK_STR(accounts_at(table, 0)->root, "x");
    CHECK_STR(accounts_at(table, 0)->password_hash, HASH);
}

static void test_lookup_ignores_case(void)
{
    CHECK_INT(parse("[account Alice]\nroot=a\npassword_hash=" HASH "\n"
                    "[account bob]\nroot=b\npassword_hash=" HASH "\n"),
              0);
    CHECK_STR(accounts_find(table, "alice", 5)->root, "a");
    CHECK_STR(accounts_find(table, "ALICE", 5)->root, "a");
    CHECK_STR(accounts_find(table, "BoB", 3)->root, "b");
    CHECK(accounts_find(table, "alic", 4) == NULL);
    CHECK(accounts_find(table, "alicee", 6) == NULL);
    CHECK(accounts_find(table, "", 0) == NULL);
    /* The length counts, not a NUL: "bob" inside a longer buffer. */
    CHECK_STR(accounts_find(table, "bobby", 3)->root, "b");
}

static void test_duplicate_names_name_both_lines(void)
{
    CHECK(fails("[account alice]\nroot=a\npassword_hash=" HASH "\n"
                "[account bob]\nroot=b\npassword_hash=" HASH "\n"
                "[account ALICE]\nroot=c\npassword_hash=" HASH "\n",
                MTS_ESYNTAX,
                "line 7: account 'ALICE' is given twice (first on line 1 as 'alice')"));
    /* Of two pairs, the one whose repeat comes first. */
    CHECK(fails("[account b]\nroot=a\npassword_hash=" HASH "\n"
                "[account z]\nroot=a\npassword_hash=" HASH "\n"
                "[account Z]\nroot=a\npassword_hash=" HASH "\n"
                "[account B]\nroot=a\npassword_hash=" HASH "\n",
                MTS_ESYNTAX, "line 7: account 'Z' is given twice (first on line 4 as 'z')"));
}

static void test_errors_name_the_line(void)
{
    CHECK(fails("root = x\n", MTS_ESYNTAX, "line 1: key 'root' outside an [account NAME] section"));
    CHECK(fails("[account a]\nroot=x\n", MTS_EMISSING, "line 1: account 'a' has no password_hash"));
    CHECK(fails("[account a]\npassword_hash=" HASH "\n\n[account b]\n", MTS_EMISSING,
                "line 1: account 'a' has no root"));
    CHECK(fails("[account a]\nroot=x\nroot=y\n", MTS_ESYNTAX,
                "line 3: key 'root' is given twice (first on line 2)"));
    CHECK(fails("[account a]\nhome=x\n", MTS_EUNKNOWN, "line 2: unknown key 'home'"));
    CHECK(fails("[account a]\nroot\n", MTS_ESYNTAX, "line 2: expected 'key = value', got 'root'"));
    CHECK(fails("[account a]\nroot =\n", MTS_EMISSING, "line 2: key 'root' needs a value"));
    CHECK(fails("[account a]\nroot = \"x\n", MTS_ESYNTAX,
                "line 2: value of 'root' has no closing '\"'"));
    CHECK(fails("[account a]\nenabled = maybe\n", MTS_ERANGE,
                "line 2: key 'enabled' wants yes or no"));
    CHECK(fails("[account a]\nmax_sessions = 100001\n", MTS_ERANGE,
                "line 2: key 'max_sessions' wants a number from 0 to 100000"));
    CHECK(fails("[account a]\nrate_limit = 4294967296\n", MTS_ERANGE,
                "line 2: key 'rate_limit' wants a number from 0 to 4294967295"));
    CHECK(fails("[account a]\nrate_limit = -1\n", MTS_ESYNTAX,
                "line 2: key 'rate_limit' wants a number from 0 to 4294967295"));
    CHECK(fails("[account a]\npassword_hash = hunter2\n", MTS_ESYNTAX,
                "line 2: key 'password_hash': password_hash has 1 field(s)"));
    CHECK(fails("[mtserver]\n", MTS_EUNKNOWN,
                "line 1: unknown section [mtserver] (a section is [account NAME] or "
                "[windows(-group) NAME])"));
    CHECK(fails("[account]\n", MTS_EUNKNOWN, "line 1: unknown section [account]"));
    CHECK(fails("[accounts x]\n", MTS_EUNKNOWN, "line 1: unknown section [accounts x]"));
    CHECK(fails("[account a\n", MTS_ESYNTAX, "line 1: section header without its closing ']'"));
    CHECK(fails("\n[account a b]\n", MTS_EBADCHAR, "line 2: an account name is letters"));
    CHECK(fails("[account a]\nroot = \xC3\n", MTS_EBADCHAR, "line 2: not valid UTF-8"));
}

static void test_value_length_is_capped(void)
{
    static char text[3000];
    size_t n;

    n = (size_t)snprintf(text, sizeof text, "[account a]\npassword_hash=" HASH "\nroot = ");
    memset(text + n, 'x', ACCOUNTS_VALUE_MAX - 1);
    text[n + ACCOUNTS_VALUE_MAX - 1] = '\0';
    CHECK_INT(parse(text), 0);
    CHECK_INT(strlen(accounts_at(table, 0)->root), ACCOUNTS_VALUE_MAX - 1);
    text[n + ACCOUNTS_VALUE_MAX - 1] = 'x';
    text[n + ACCOUNTS_VALUE_MAX] = '\0';
    CHECK(fails(text, MTS_ETOOLONG, "line 3: value of 'root' is too long (at most 1023 bytes)"));
}

static void test_names(void)
{
    static const char sixty_four[] =
        "abcdefghijABCDEFGHIJ0123456789.-_@abcdefghijABCDEFGHIJ0123456789";
    static const char *const bad[] = {"a b", "a/b", "a\\b", "é", "a:b", "a]", "a\tb", "a%"};

    CHECK_INT(sizeof sixty_four - 1, 64);
    CHECK_INT(accounts_check_name(sixty_four, 64, err, sizeof err), 0);
    CHECK_INT(accounts_check_name(sixty_four, 0, err, sizeof err), MTS_EMISSING);
    CHECK_INT(
        accounts_check_name("abcdefghijABCDEFGHIJ0123456789.-_@abcdefghijABCDEFGHIJ0123456789x", 65,
                            err, sizeof err),
        MTS_ETOOLONG);
    CHECK_STR(err, "an account name has at most 64 characters");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT(accounts_check_name(bad[i], strlen(bad[i]), err, sizeof err), MTS_EBADCHAR);
    CHECK_INT(accounts_check_name("a", 1, err, sizeof err), 0);
}

/* Builds a store of n accounts named u0..u(n-1) in a malloc'd buffer. */
static char *many(size_t n, size_t *len)
{
    size_t cap = n * 160 + 1, used = 0;
    char *text = malloc(cap);

    for (size_t i = 0; text != NULL && i < n; i++)
        used += (size_t)snprintf(text + used, cap - used,
                                 "[account u%lu]\nroot = R%lu\npassword_hash = %s\n",
                                 (unsigned long)i, (unsigned long)i, HASH);
    *len = used;
    return text;
}

static void test_ten_thousand_accounts(void)
{
    size_t len;
    char *text = many(10000, &len);
    char name[16];
    int rc;

    CHECK(text != NULL);
    accounts_free(table);
    rc = accounts_parse(text, len, &table, err, sizeof err);
    free(text);
    CHECK_INT(rc, 0);
    CHECK_INT(accounts_count(table), 10000);
    for (unsigned i = 0; i < 10000; i += 997) {
        char root[16];
        snprintf(name, sizeof name, "U%u", i);
        snprintf(root, sizeof root, "R%u", i);
        CHECK(accounts_find(table, name, strlen(name)) != NULL);
        CHECK_STR(accounts_find(table, name, strlen(name))->root, root);
    }
    CHECK(accounts_find(table, "u10000", 6) == NULL);
}

static void test_same_access(void)
{
    struct account a = {"alice", HASH, "D:\\alice", 1, 0, 0, 3};
    struct account b = a;

    b.name = "ALICE"; /* the spelling and the place are not access */
    b.line = 9;
    CHECK(accounts_same_access(&a, &b));
    b.password_hash = "pbkdf2-sha256$600000$other";
    CHECK(!accounts_same_access(&a, &b));
    b = a;
    b.root = "D:\\other";
    CHECK(!accounts_same_access(&a, &b));
    b = a;
    b.enabled = 0;
    CHECK(!accounts_same_access(&a, &b));
    b = a;
    b.max_sessions = 2;
    CHECK(!accounts_same_access(&a, &b));
    b = a;
    b.rate_limit = 65536;
    CHECK(!accounts_same_access(&a, &b));
}

/* 200,000 sessions over 10,000 accounts, scattered: one sort, where a
 * count per session (the old way, under the server's lock) would be 4e10
 * steps. Each account once, in file order, with its count. */
static void test_tally_of_many_sessions(void)
{
    enum { ACCOUNTS = 10000, SESSIONS = 200000 };
    size_t len, cap = (size_t)ACCOUNTS * 16;
    char *text = many(ACCOUNTS, &len), *said = malloc(cap), small[12];
    size_t *seen = malloc(SESSIONS * sizeof seen[0]);
    const char *at;
    unsigned entries = 0;
    int rc;

    CHECK(text != NULL && said != NULL && seen != NULL);
    accounts_free(table);
    rc = accounts_parse(text, len, &table, err, sizeof err);
    free(text);
    CHECK_INT(rc, 0);
    for (size_t i = 0; i < SESSIONS; i++)
        seen[i] = accounts_index_of(table, accounts_at(table, (i * 7919u) % ACCOUNTS));
    accounts_tally(table, seen, SESSIONS, said, cap);
    CHECK_MEM_STR(said, 16, "u0=20 u1=20 u2=2");
    for (at = said; at != NULL; at = strchr(at + 1, ' '))
        entries++;
    CHECK_INT(entries, ACCOUNTS);
    CHECK(strstr(said, " u9999=20") != NULL);
    CHECK_INT(said[strlen(said) - 1], '0');
    /* Cut short at a whole entry: "u0=20 u1=20" is 11 bytes and its NUL. */
    accounts_tally(table, seen, SESSIONS, small, sizeof small);
    CHECK_STR(small, "u0=20 u1=20");
    accounts_tally(table, seen, SESSIONS, small, 11);
    CHECK_STR(small, "u0=20");
    accounts_tally(table, seen, 0, small, sizeof small);
    CHECK_STR(small, "");
    free(said);
    free(seen);
}

#define HASH_100K                                                                                  \
    "pbkdf2-sha256$100000$c2FsdFNBTFRzYWx0U0FMVA$AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"

/* One iteration count for a store, or which accounts differ (a mixed store
 * lets a prober tell names apart by the answer's time). */
static void test_iteration_counts(void)
{
    const struct account *odd = NULL;
    unsigned long n = 1;
    char said[400];

    CHECK_INT(parse(""), 0);
    CHECK_INT(accounts_iterations(table, NULL, &n, &odd), ACCOUNTS_ITER_NONE);
    CHECK_INT(n, 0);
    CHECK_INT(parse("[account a]\nroot = R\npassword_hash = " HASH "\n"
                    "[account b]\nroot = R\npassword_hash = " HASH "\n"),
              0);
    CHECK_INT(accounts_iterations(table, NULL, &n, &odd), ACCOUNTS_ITER_ONE);
    CHECK_INT(n, 600000);
    CHECK(odd == NULL);
    CHECK_INT(accounts_describe_mix(table, said, sizeof said), 0);
    CHECK_STR(said, "");
    CHECK_INT(parse("[account a]\nroot = R\npassword_hash = " HASH "\n"
                    "[account b]\nroot = R\npassword_hash = " HASH "\n"
                    "[account Carol]\nroot = R\npassword_hash = " HASH_100K "\n"),
              0);
    CHECK_INT(accounts_iterations(table, NULL, &n, &odd), ACCOUNTS_ITER_MIXED);
    CHECK_INT(n, 600000);
    CHECK(odd != NULL);
    CHECK_STR(odd->name, "Carol");
    CHECK_INT(accounts_describe_mix(table, said, sizeof said), 1);
    CHECK_STR(said, "PBKDF2 iteration counts differ: 600000 for [account a] (line 1), 100000 "
                    "for [account Carol] (line 7): the time of an answer can tell names apart; "
                    "give every account one count (mtserver user passwd)");
    /* The account a command changes is left out: its new hash decides. */
    CHECK_INT(accounts_iterations(table, accounts_find(table, "carol", 5), &n, NULL),
              ACCOUNTS_ITER_ONE);
    CHECK_INT(n, 600000);
    CHECK_INT(parse("[account Carol]\nroot = R\npassword_hash = " HASH_100K "\n"), 0);
    CHECK_INT(accounts_iterations(table, accounts_at(table, 0), &n, NULL), ACCOUNTS_ITER_NONE);
    CHECK_INT(accounts_iterations(table, NULL, &n, NULL), ACCOUNTS_ITER_ONE);
    CHECK_INT(n, 100000);
}

static const char store[] = "; accounts of the test\r\n"
                            "\r\n"
                            "[account alice]\r\n"
                            "  password_hash = " HASH "\r\n"
                            "; her share\r\n"
                            "root=\"D:\\alice\"\r\n"
                            "; bob's comment\r\n"
                            "\r\n"
                            "[account bob]\r\n"
                            "root = D:\\bob\r\n"
                            "password_hash = " HASH "\r\n"
                            "# trailing comment";

static int edited(const char *want)
{
    if (outlen != strlen(want) || memcmp(out, want, outlen) != 0) {
        fprintf(stderr, "  got:    %.*s\n  wanted: %s\n", (int)outlen, out, want);
        return 0;
    }
    return 1;
}

/* Whether out is the test store with its first `from` made `to`. */
static int edited_store(const char *from, const char *to)
{
    static char want[sizeof store + 256];
    const char *at = strstr(store, from);
    size_t head = at != NULL ? (size_t)(at - store) : 0;

    if (at == NULL)
        return 0;
    snprintf(want, sizeof want, "%.*s%s%s", (int)head, store, to, at + strlen(from));
    return edited(want);
}

static void test_add_appends_a_section(void)
{
    struct account_new a = {"Carol", HASH, "E:\\carol", 1, 2, 500};

    CHECK_INT(accounts_add(store, strlen(store), &a, out, sizeof out, &outlen, err, sizeof err), 0);
    CHECK(edited_store("# trailing comment", "# trailing comment\r\n"
                                             "\r\n"
                                             "[account Carol]\r\n"
                                             "password_hash = " HASH "\r\n"
                                             "root = E:\\carol\r\n"
                                             "enabled = yes\r\n"
                                             "max_sessions = 2\r\n"
                                             "rate_limit = 500\r\n"));
    CHECK_INT(accounts_add("", 0, &a, out, sizeof out, &outlen, err, sizeof err), 0);
    CHECK(edited("[account Carol]\npassword_hash = " HASH "\nroot = E:\\carol\nenabled = yes\n"
                 "max_sessions = 2\nrate_limit = 500\n"));
    /* A store that ends with a blank line gets no second one. */
    a.enabled = 0;
    a.max_sessions = 0;
    a.rate_limit = 0;
    CHECK_INT(accounts_add("; x\n\n", 4, &a, out, sizeof out, &outlen, err, sizeof err), 0);
    CHECK(edited("; x\n\n[account Carol]\npassword_hash = " HASH "\nroot = E:\\carol\n"
                 "enabled = no\nmax_sessions = 0\nrate_limit = 0\n"));
}

static void test_add_refusals(void)
{
    struct account_new a = {"ALICE", HASH, "E:\\x", 1, 0, 0};
    size_t len = strlen(store);

    CHECK_INT(accounts_add(store, len, &a, out, sizeof out, &outlen, err, sizeof err), MTS_EEXIST);
    CHECK_STR(err, "an account named 'alice' exists already (line 3)");
    a.name = "a b";
    CHECK_INT(accounts_add(store, len, &a, out, sizeof out, &outlen, err, sizeof err),
              MTS_EBADCHAR);
    a.name = "c";
    a.root = "E:\\x\ny = z";
    CHECK_INT(accounts_add(store, len, &a, out, sizeof out, &outlen, err, sizeof err), MTS_EINVAL);
    CHECK_STR(err, "the value for 'root' cannot be written to the file as it is");
    a.root = "E:\\x";
    a.password_hash = "secret";
    CHECK_INT(accounts_add(store, len, &a, out, sizeof out, &outlen, err, sizeof err), MTS_ESYNTAX);
    a.password_hash = HASH;
    a.max_sessions = ACCOUNTS_MAX_SESSIONS + 1;
    CHECK_INT(accounts_add(store, len, &a, out, sizeof out, &outlen, err, sizeof err), MTS_ERANGE);
    a.max_sessions = 0;
    CHECK_INT(accounts_add("[x]\n", 4, &a, out, sizeof out, &outlen, err, sizeof err),
              MTS_EUNKNOWN);
    CHECK_STR(err, "the account store does not parse: line 1: unknown section [x] "
                   "(a section is [account NAME] or [windows(-group) NAME])");
    CHECK_INT(accounts_add(store, len, &a, out, 10, &outlen, err, sizeof err), MTS_ENOSPC);
    CHECK(outlen > len);
}

static void test_remove_keeps_the_rest(void)
{
    size_t len = strlen(store);

    CHECK_INT(accounts_remove(store, len, "ALICE", out, sizeof out, &outlen, err, sizeof err), 0);
    CHECK(edited_store("[account alice]\r\n"
                       "  password_hash = " HASH "\r\n"
                       "; her share\r\n"
                       "root=\"D:\\alice\"\r\n",
                       ""));
    CHECK_INT(accounts_remove(store, len, "bob", out, sizeof out, &outlen, err, sizeof err), 0);
    CHECK(edited_store("[account bob]\r\n"
                       "root = D:\\bob\r\n"
                       "password_hash = " HASH "\r\n",
                       ""));
    CHECK_INT(accounts_remove(store, len, "carol", out, sizeof out, &outlen, err, sizeof err),
              MTS_ENOTFOUND);
    CHECK_STR(err, "there is no account named 'carol'");
}

/* Windows accounts' sections share the file (common/winacct.h): passed
 * over with their keys, which are not an account's, and kept by the
 * editors. */
static void test_windows_sections_are_passed_over_and_kept(void)
{
    static const char text[] = "[windows CORP\\alice]\r\n"
                               "root = D:\\alice\r\n"
                               "something_of_its_own = 1\r\n"
                               "[account bob]\r\n"
                               "password_hash = " HASH "\r\n"
                               "root = D:\\bob\r\n"
                               "[windows-group CORP\\Staff]\r\n"
                               "root = D:\\staff\r\n";
    size_t len = sizeof text - 1;

    CHECK_INT(parse(text), 0);
    CHECK_INT(accounts_count(table), 1);
    CHECK_STR(accounts_at(table, 0)->name, "bob");
    CHECK(accounts_find(table, "CORP\\alice", 10) == NULL);
    CHECK_INT(accounts_remove(text, len, "bob", out, sizeof out, &outlen, err, sizeof err), 0);
    CHECK(strstr(out, "[windows CORP\\alice]\r\nroot = D:\\alice\r\n") != NULL);
    CHECK(strstr(out, "[windows-group CORP\\Staff]\r\nroot = D:\\staff\r\n") != NULL);
    CHECK(strstr(out, "[account bob]") == NULL);
    /* Any other section is still refused, naming the three kinds. */
    CHECK(fails("[windowsx a]\nroot = x\n", MTS_EUNKNOWN, "line 1: unknown section [windowsx a]"));
    CHECK(strstr(err, "[windows(-group) NAME]") != NULL);
}

static void test_set_changes_one_line(void)
{
    size_t len = strlen(store);

    /* A quoted value loses its quotes; the line's indentation stays, and
     * a space goes after the '=', as mtserver.ini's editor does. */
    CHECK_INT(accounts_set(store, len, "Alice", "root", "F:\\new", out, sizeof out, &outlen, err,
                           sizeof err),
              0);
    CHECK(edited_store("root=\"D:\\alice\"", "root= F:\\new"));
    /* A key the section lacks goes after its last key, before comments. */
    CHECK_INT(accounts_set(store, len, "alice", "enabled", "no", out, sizeof out, &outlen, err,
                           sizeof err),
              0);
    CHECK(edited_store("root=\"D:\\alice\"\r\n", "root=\"D:\\alice\"\r\nenabled = no\r\n"));
    CHECK_INT(accounts_set(store, len, "BOB", "max_sessions", "4", out, sizeof out, &outlen, err,
                           sizeof err),
              0);
    CHECK(edited_store("password_hash = " HASH "\r\n#",
                       "password_hash = " HASH "\r\nmax_sessions = 4\r\n#"));
}

static void test_set_at_the_end_of_the_file(void)
{
    static const char text[] = "[account x]\nroot=1\npassword_hash=" HASH;

    CHECK_INT(accounts_set(text, strlen(text), "x", "rate_limit", "9", out, sizeof out, &outlen,
                           err, sizeof err),
              0);
    CHECK(edited("[account x]\nroot=1\npassword_hash=" HASH "\nrate_limit = 9\n"));
    CHECK_INT(accounts_remove(text, strlen(text), "x", out, sizeof out, &outlen, err, sizeof err),
              0);
    CHECK(edited(""));
}

static void test_set_refusals(void)
{
    size_t len = strlen(store);

    CHECK_INT(
        accounts_set(store, len, "alice", "home", "x", out, sizeof out, &outlen, err, sizeof err),
        MTS_EUNKNOWN);
    CHECK_INT(accounts_set(store, len, "alice", "enabled", "perhaps", out, sizeof out, &outlen, err,
                           sizeof err),
              MTS_ERANGE);
    CHECK_INT(
        accounts_set(store, len, "alice", "root", " x", out, sizeof out, &outlen, err, sizeof err),
        MTS_EINVAL);
    CHECK_INT(
        accounts_set(store, len, "alice", "root", "", out, sizeof out, &outlen, err, sizeof err),
        MTS_EINVAL);
    CHECK_INT(
        accounts_set(store, len, "nobody", "root", "x", out, sizeof out, &outlen, err, sizeof err),
        MTS_ENOTFOUND);
    CHECK_INT(accounts_set(store, len, "alice", "password_hash", "pbkdf2-sha256$1$a$b", out,
                           sizeof out, &outlen, err, sizeof err),
              MTS_ERANGE);
}

static void test_path_beside_the_configuration(void)
{
    char path[32];

    CHECK_INT(accounts_path_beside("C:\\ProgramData\\mtserver\\mtserver.ini", out, sizeof out), 0);
    CHECK_STR(out, "C:\\ProgramData\\mtserver\\accounts.ini");
    CHECK_INT(accounts_path_beside("Z:/tmp/x/m.ini", out, sizeof out), 0);
    CHECK_STR(out, "Z:/tmp/x/accounts.ini");
    CHECK_INT(accounts_path_beside("D:m.ini", out, sizeof out), 0);
    CHECK_STR(out, "D:accounts.ini");
    CHECK_INT(accounts_path_beside("m.ini", out, sizeof out), 0);
    CHECK_STR(out, "accounts.ini");
    /* "C:\\a\\accounts.ini" and its NUL take 18 bytes. */
    CHECK_INT(accounts_path_beside("C:\\a\\m.ini", path, 18), 0);
    CHECK_STR(path, "C:\\a\\accounts.ini");
    CHECK_INT(accounts_path_beside("C:\\a\\m.ini", path, 17), MTS_ENOSPC);
}

int main(void)
{
    RUN_TEST(test_every_key_is_read);
    RUN_TEST(test_empty_store_and_bom_crlf);
    RUN_TEST(test_lookup_ignores_case);
    RUN_TEST(test_duplicate_names_name_both_lines);
    RUN_TEST(test_errors_name_the_line);
    RUN_TEST(test_value_length_is_capped);
    RUN_TEST(test_names);
    RUN_TEST(test_ten_thousand_accounts);
    RUN_TEST(test_same_access);
    RUN_TEST(test_tally_of_many_sessions);
    RUN_TEST(test_iteration_counts);
    RUN_TEST(test_add_appends_a_section);
    RUN_TEST(test_add_refusals);
    RUN_TEST(test_remove_keeps_the_rest);
    RUN_TEST(test_windows_sections_are_passed_over_and_kept);
    RUN_TEST(test_set_changes_one_line);
    RUN_TEST(test_set_at_the_end_of_the_file);
    RUN_TEST(test_set_refusals);
    RUN_TEST(test_path_beside_the_configuration);
    accounts_free(table);
    return check_summary();
}
