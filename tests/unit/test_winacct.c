/* test_winacct.c - Windows accounts' names, accounts.ini's [windows] and
 * [windows-group] sections, which section a logged-on account gets, and the
 * service's privileges. */
#include <stdlib.h>

#include "check.h"
#include "mts_error.h"
#include "winacct.h"

static char err[300];

static int split(const char *name, struct winacct_name *n)
{
    err[0] = '\0';
    return winacct_split_name(name, strlen(name), n, err, sizeof err);
}

static int parse(const char *text, struct winacct_table **t)
{
    err[0] = '\0';
    return winacct_parse(text, strlen(text), t, err, sizeof err);
}

static void test_both_name_forms_split(void)
{
    struct winacct_name n;

    CHECK_INT(split("CORP\\alice", &n), 0);
    CHECK_INT(n.form, WINACCT_FORM_DOWNLEVEL);
    CHECK_STR(n.domain, "CORP");
    CHECK_STR(n.user, "alice");
    CHECK_INT(split("alice.smith@corp.example.com", &n), 0);
    CHECK_INT(n.form, WINACCT_FORM_UPN);
    CHECK_STR(n.domain, "corp.example.com");
    CHECK_STR(n.user, "alice.smith");
    CHECK_INT(split(".\\Jürgen Meier", &n), 0); /* this machine; UTF-8 and a space */
    CHECK_STR(n.domain, ".");
    CHECK_STR(n.user, "Jürgen Meier");
}

static void test_bad_names_are_refused_without_echo(void)
{
    static const struct {
        const char *name;
        int rc;
    } cases[] = {
        {"alice", MTS_ESYNTAX},           /* no domain */
        {"CORP\\al@ice", MTS_ESYNTAX},    /* both separators */
        {"CORP\\a\\b", MTS_EBADCHAR},     /* a second '\' is the user's */
        {"a@b@c", MTS_EBADCHAR},          /* a second '@' is the domain's */
        {"\\alice", MTS_EINVAL},          /* empty domain */
        {"CORP\\", MTS_EINVAL},           /* empty user */
        {"@corp", MTS_EINVAL},
        {"CORP\\al:ice", MTS_EBADCHAR},
        {"CORP\\al*ice", MTS_EBADCHAR},
        {"CORP\\al\tice", MTS_EBADCHAR},
        {"CO RP\\alice", MTS_EBADCHAR},
        {"CO/RP\\alice", MTS_EBADCHAR},
        {"CORP\\...", MTS_EBADCHAR},
        {"CORP\\\xC3\x28", MTS_EBADCHAR}, /* not UTF-8 */
        {"", MTS_EINVAL},
    };
    struct winacct_name n;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_INT(split(cases[i].name, &n), cases[i].rc);
        CHECK(err[0] != '\0');
        CHECK(cases[i].name[0] == '\0' || strstr(err, cases[i].name) == NULL);
    }
    CHECK_INT(winacct_split_name("CORP\\a\0b", 8, &n, err, sizeof err), MTS_EBADCHAR);
}

static void test_name_lengths_have_limits(void)
{
    char name[WINACCT_NAME_MAX + 2];
    struct winacct_name n;

    memset(name, 'd', sizeof name);
    name[WINACCT_DOMAIN_MAX] = '\\';
    strcpy(name + WINACCT_DOMAIN_MAX + 1, "u");
    CHECK_INT(split(name, &n), 0);
    CHECK_INT(strlen(n.domain), WINACCT_DOMAIN_MAX);
    memset(name, 'd', sizeof name);
    name[WINACCT_DOMAIN_MAX + 1] = '\\';
    strcpy(name + WINACCT_DOMAIN_MAX + 2, "u");
    CHECK_INT(split(name, &n), MTS_EINVAL);
    memset(name, 'u', sizeof name);
    name[0] = 'D';
    name[1] = '\\';
    name[WINACCT_NAME_MAX] = '\0';
    CHECK_INT(split(name, &n), MTS_EINVAL); /* 510 bytes of user name */
    name[WINACCT_NAME_MAX + 1] = '\0';
    name[WINACCT_NAME_MAX] = 'u';
    CHECK_INT(split(name, &n), MTS_EINVAL); /* 513 bytes in all */
}

static void test_route_goes_to_windows_only_when_on_and_not_in_the_store(void)
{
    CHECK_INT(winacct_route_name(1, 0, "CORP\\alice", 10), WINACCT_ROUTE_WINDOWS);
    CHECK_INT(winacct_route_name(1, 0, "alice@corp", 10), WINACCT_ROUTE_WINDOWS);
    CHECK_INT(winacct_route_name(1, 1, "alice@corp", 10), WINACCT_ROUTE_STORE);
    CHECK_INT(winacct_route_name(1, 0, "alice", 5), WINACCT_ROUTE_STORE);
    CHECK_INT(winacct_route_name(0, 0, "CORP\\alice", 10), WINACCT_ROUTE_STORE);
    CHECK_INT(winacct_route_name(1, 0, "", 0), WINACCT_ROUTE_STORE);
}

static const char store[] = "\xEF\xBB\xBF; accounts.ini\r\n"
                            "[account bob]\r\n"
                            "password_hash = pbkdf2-sha256$x\r\n"
                            "root = D:\\share\\bob\r\n"
                            "[windows-group CORP\\Staff]\r\n"
                            "root = D:\\share\\staff\r\n"
                            "rate_limit = 1048576\r\n"
                            "\r\n"
                            "[windows-group CORP\\Everyone]\r\n"
                            "root = D:\\share\\all\r\n"
                            "[Windows\t CORP\\alice ]\r\n"
                            "  root =  D:\\share\\alice  \r\n"
                            "max_sessions = 2\r\n"
                            "# a comment\r\n"
                            "[account carol]\r\n"
                            "root = D:\\share\\carol\r\n";

static int same_entry(const struct winacct_entry *e, enum winacct_kind kind, const char *name,
                      const char *root, unsigned max_sessions, uint64_t rate_limit, unsigned line)
{
    if (e == NULL)
        return 0;
    if (e->kind != kind || strcmp(e->name, name) != 0 || strcmp(e->root, root) != 0 ||
        e->max_sessions != max_sessions || e->rate_limit != rate_limit || e->line != line) {
        printf("  got %d [%s] root %s, %u sessions, %llu B/s, line %u\n", (int)e->kind, e->name,
               e->root, e->max_sessions, (unsigned long long)e->rate_limit, e->line);
        return 0;
    }
    return 1;
}

static void test_store_sections_are_read_and_accounts_skipped(void)
{
    struct winacct_table *t;

    CHECK_INT(parse(store, &t), 0);
    CHECK_INT(winacct_count(t), 3);
    /* kind, name, root, max_sessions, rate_limit, line of each */
    CHECK(same_entry(winacct_at(t, 0), WINACCT_GROUP, "CORP\\Staff", "D:\\share\\staff", 0,
                     1048576, 5));
    CHECK(same_entry(winacct_at(t, 1), WINACCT_GROUP, "CORP\\Everyone", "D:\\share\\all", 0, 0,
                     9));
    CHECK(same_entry(winacct_at(t, 2), WINACCT_USER, "CORP\\alice", "D:\\share\\alice", 2, 0,
                     11));
    CHECK(winacct_at(t, 3) == NULL);
    winacct_free(t);
    CHECK_INT(parse("", &t), 0);
    CHECK_INT(winacct_count(t), 0);
    winacct_free(t);
}

static void test_bad_sections_are_refused_with_their_line(void)
{
    static const struct {
        const char *text;
        int rc;
        const char *starts;
    } cases[] = {
        {"[windows CORP\\a]\n", MTS_EMISSING, "line 1: the section has no root"},
        {"[windows CORP\\a]\nroot =\n", MTS_EMISSING, "line 2: key 'root' needs a value"},
        {"[windows CORP\\a]\nroot = x\nroot = y\n", MTS_ESYNTAX, "line 3: root given twice"},
        {"[windows CORP\\a]\nroot = x\npassword_hash = y\n", MTS_EUNKNOWN, "line 3: unknown key"},
        {"[windows CORP\\a]\nroot = x\nmax_sessions = 100001\n", MTS_ERANGE,
         "line 3: max_sessions"},
        {"[windows CORP\\a]\nroot = x\nrate_limit = -1\n", MTS_ERANGE, "line 3: rate_limit"},
        {"[windows CORP\\a]\nroot = x\nrate_limit = 4294967296\n", MTS_ERANGE,
         "line 3: rate_limit must be a whole number of bytes a second from 0 to 4294967295"},
        {"[windows CORP\\a]\nroot = x\nrate_limit = 1\nrate_limit = 2\n", MTS_ESYNTAX,
         "line 4: a key given twice"},
        {"[windows CORP\\a]\nroot\n", MTS_ESYNTAX, "line 2: expected 'key = value'"},
        {"root = x\n", MTS_ESYNTAX, "line 1: a key outside a section"},
        {"[windows alice]\nroot = x\n", MTS_ESYNTAX, "line 1: a Windows account is named"},
        {"[windows]\nroot = x\n", MTS_EINVAL, "line 1: a Windows account's name"},
        {"[windws CORP\\a]\nroot = x\n", MTS_EUNKNOWN, "line 1: unknown section"},
        {"[windows CORP\\a\nroot = x\n", MTS_ESYNTAX, "line 1: section header without its closing"},
        {"[windows CORP\\a]\nroot = \xff\n", MTS_EBADCHAR, "line 2: not valid UTF-8"},
        {"[windows CORP\\a]\nroot = x\n[windows corp\\A]\nroot = y\n", MTS_ESYNTAX,
         "line 3: the same section as line 1"},
    };
    struct winacct_table *t;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t = (struct winacct_table *)&t; /* must come back NULL */
        CHECK_INT(parse(cases[i].text, &t), cases[i].rc);
        CHECK(t == NULL);
        CHECK_MEM_STR(err, strlen(cases[i].starts), cases[i].starts);
    }
}

static void test_a_quoted_root_keeps_its_outer_spaces(void)
{
    struct winacct_table *t;

    CHECK_INT(parse("[windows CORP\\a]\nroot = \" D:\\x \"\n", &t), 0);
    CHECK_STR(winacct_at(t, 0)->root, " D:\\x ");
    winacct_free(t);
}

static void test_a_user_and_a_group_of_the_same_name_may_both_be_given(void)
{
    struct winacct_table *t;

    CHECK_INT(parse("[windows CORP\\x]\nroot = a\n[windows-group corp\\X]\nroot = b\n", &t), 0);
    CHECK_INT(winacct_count(t), 2);
    winacct_free(t);
}

/* A fake answer to "is the logged-on account this section's?": the names
 * of the user and its groups, and every section asked, in order. */
struct fake {
    const char *user;
    const char *groups[4];
    const char *unreadable; /* a section whose lookup fails */
    char asked[200];
};

static int fake_match(void *ctx, const struct winacct_entry *e)
{
    struct fake *f = ctx;
    size_t i;

    strcat(f->asked, e->name);
    strcat(f->asked, ";");
    if (f->unreadable != NULL && strcmp(f->unreadable, e->name) == 0)
        return -1;
    if (e->kind == WINACCT_USER)
        return f->user != NULL && strcmp(f->user, e->name) == 0;
    for (i = 0; i < 4 && f->groups[i] != NULL; i++)
        if (strcmp(f->groups[i], e->name) == 0)
            return 1;
    return 0;
}

static void test_pick_prefers_the_account_then_the_first_group(void)
{
    struct winacct_table *t;
    struct fake alice = {"CORP\\alice", {"CORP\\Everyone", "CORP\\Staff", NULL}, NULL, ""};
    struct fake dave = {"CORP\\dave", {"CORP\\Everyone", "CORP\\Staff", NULL}, NULL, ""};
    struct fake erin = {"CORP\\erin", {"CORP\\Everyone", NULL}, NULL, ""};
    struct fake stranger = {"OTHER\\x", {"OTHER\\Staff", NULL}, NULL, ""};
    const struct winacct_entry *e;

    CHECK_INT(parse(store, &t), 0);
    /* alice: her own section, though both her groups come first in the file */
    e = winacct_pick(t, fake_match, &alice);
    CHECK(e != NULL);
    CHECK_STR(e->root, "D:\\share\\alice");
    CHECK_STR(alice.asked, "CORP\\alice;");
    /* dave: no section of his own; Staff is the first of his groups in the file */
    e = winacct_pick(t, fake_match, &dave);
    CHECK(e != NULL);
    CHECK_STR(e->root, "D:\\share\\staff");
    CHECK_STR(dave.asked, "CORP\\alice;CORP\\Staff;");
    e = winacct_pick(t, fake_match, &erin);
    CHECK(e != NULL);
    CHECK_STR(e->root, "D:\\share\\all");
    /* no matching section: nothing, so the login is refused */
    CHECK(winacct_pick(t, fake_match, &stranger) == NULL);
    CHECK_STR(stranger.asked, "CORP\\alice;CORP\\Staff;CORP\\Everyone;");
    winacct_free(t);
}

static void test_pick_never_matches_a_failed_lookup(void)
{
    struct winacct_table *t;
    struct fake dave = {"CORP\\dave", {"CORP\\Everyone", "CORP\\Staff", NULL}, "CORP\\Staff", ""};
    struct fake alice = {"CORP\\alice", {NULL}, "CORP\\alice", ""};
    const struct winacct_entry *e;

    CHECK_INT(parse(store, &t), 0);
    e = winacct_pick(t, fake_match, &dave);
    CHECK(e != NULL);
    CHECK_STR(e->root, "D:\\share\\all");
    CHECK(winacct_pick(t, fake_match, &alice) == NULL);
    CHECK(winacct_pick(NULL, fake_match, &alice) == NULL);
    winacct_free(t);
}

static void test_service_privileges_add_impersonation_only_when_on(void)
{
    const char *const *off = winacct_service_privileges(0);
    const char *const *on = winacct_service_privileges(1);

    CHECK_STR(off[0], "SeChangeNotifyPrivilege");
    CHECK(off[1] == NULL);
    CHECK_STR(on[0], "SeChangeNotifyPrivilege");
    CHECK_STR(on[1], "SeImpersonatePrivilege");
    CHECK(on[2] == NULL);
}

/* USER's rule: the store's names always; Windows names only when on, and
 * then only what winacct_split_name takes. */
static void test_user_names_store_first_then_windows(void)
{
    CHECK_INT(winacct_check_user_name("bob", 3, 0, err, sizeof err), 0);
    CHECK_INT(winacct_check_user_name("bob@corp", 8, 0, err, sizeof err), 0);
    CHECK_INT(winacct_check_user_name("CORP\\bob", 8, 0, err, sizeof err), MTS_EBADCHAR);
    CHECK_STR(err, "an account name is letters, digits, '.', '-', '_' and '@' only (character 5 "
                   "is not)");
    CHECK_INT(winacct_check_user_name("CORP\\bob", 8, 1, err, sizeof err), 0);
    CHECK_INT(winacct_check_user_name("J\xc3\xbcrgen Meier@corp", 18, 1, err, sizeof err), 0);
    CHECK_INT(winacct_check_user_name("CORP\\b:ob", 9, 1, err, sizeof err), MTS_EBADCHAR);
    /* No separator: the store's answer, on or off. */
    CHECK_INT(winacct_check_user_name("caf\xc3\xa9", 5, 1, err, sizeof err), MTS_EBADCHAR);
    CHECK_STR(err, "an account name is letters, digits, '.', '-', '_' and '@' only (character 4 "
                   "is not)");
}

static void test_sid_text(void)
{
    /* S-1-5-21-11-22-33-1001, laid out as Windows keeps it. */
    static const unsigned char sid[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 11, 0, 0, 0,
                                        22, 0, 0, 0, 33, 0, 0, 0, 0xe9, 3, 0, 0};
    static const unsigned char world[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    static const unsigned char big[] = {1, 1, 0, 0, 0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff};
    char out[WINACCT_SID_TEXT_MAX];

    CHECK_INT(winacct_sid_text(sid, sizeof sid, out, sizeof out), 22);
    CHECK_STR(out, "S-1-5-21-11-22-33-1001");
    CHECK_INT(winacct_sid_text(world, sizeof world, out, sizeof out), 7);
    CHECK_STR(out, "S-1-1-0");
    CHECK_INT(winacct_sid_text(big, sizeof big, out, sizeof out), 16);
    CHECK_STR(out, "S-1-5-4294967295");
    /* Not a SID: a short buffer, another revision, a count the bytes do not hold. */
    CHECK_INT(winacct_sid_text(sid, 7, out, sizeof out), 0);
    CHECK_INT(winacct_sid_text(sid, sizeof sid - 1, out, sizeof out), 0);
    CHECK_INT(winacct_sid_text((const unsigned char *)"\2\1\0\0\0\0\0\1\0\0\0\0", 12, out,
                               sizeof out),
              0);
    /* Too small a buffer is 0, never a cut key. */
    CHECK_INT(winacct_sid_text(sid, sizeof sid, out, 22), 0);
    CHECK_INT(winacct_sid_text(sid, sizeof sid, out, 23), 22);
}

/* A session finds the section it logged in by in a table read later: by
 * kind and name, case folded; a user's section is not its group's. */
static void test_find_a_section_by_kind_and_name(void)
{
    struct winacct_table *t = NULL;

    CHECK_INT(parse("[windows CORP\\Staff]\nroot = D:\\u\n"
                    "[windows-group corp\\staff]\nroot = D:\\g\n",
                    &t),
              0);
    CHECK_STR(winacct_find(t, WINACCT_GROUP, "CORP\\STAFF", 10)->root, "D:\\g");
    CHECK_STR(winacct_find(t, WINACCT_USER, "corp\\staff", 10)->root, "D:\\u");
    CHECK(winacct_find(t, WINACCT_USER, "corp\\staf", 9) == NULL);
    CHECK(winacct_find(t, WINACCT_USER, "corp\\stafff", 11) == NULL);
    CHECK(winacct_find(NULL, WINACCT_USER, "corp\\staff", 10) == NULL);
    winacct_free(t);
}

int main(void)
{
    RUN_TEST(test_both_name_forms_split);
    RUN_TEST(test_bad_names_are_refused_without_echo);
    RUN_TEST(test_name_lengths_have_limits);
    RUN_TEST(test_route_goes_to_windows_only_when_on_and_not_in_the_store);
    RUN_TEST(test_store_sections_are_read_and_accounts_skipped);
    RUN_TEST(test_bad_sections_are_refused_with_their_line);
    RUN_TEST(test_a_quoted_root_keeps_its_outer_spaces);
    RUN_TEST(test_a_user_and_a_group_of_the_same_name_may_both_be_given);
    RUN_TEST(test_pick_prefers_the_account_then_the_first_group);
    RUN_TEST(test_pick_never_matches_a_failed_lookup);
    RUN_TEST(test_service_privileges_add_impersonation_only_when_on);
    RUN_TEST(test_user_names_store_first_then_windows);
    RUN_TEST(test_sid_text);
    RUN_TEST(test_find_a_section_by_kind_and_name);
    return check_summary();
}
