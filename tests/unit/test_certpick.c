/* test_certpick.c - the certificate choice behind tls_certificate =
 * subject:NAME, and the expiry warnings' stages. */
#include <string.h>

#include "certpick.h"
#include "check.h"

#define DAY 86400

static void test_subject_setting(void)
{
    const char *name = NULL;

    CHECK_INT(certpick_subject("subject:files.example.com", &name), 1);
    CHECK_STR(name, "files.example.com");
    CHECK_INT(certpick_subject("SUBJECT:host", &name), 1);
    CHECK_STR(name, "host");
    CHECK_INT(certpick_subject("subject:", &name), 0);
    CHECK_INT(certpick_subject("subjec", &name), 0);
    CHECK_INT(certpick_subject("59FD585F51C25559A68F2686CB28E812FFF352D9", &name), 0);
    CHECK_INT(certpick_subject("C:\\certs\\subject.pfx", &name), 0);
}

static void test_names(void)
{
    CHECK_INT(certpick_name_matches("files.example.com", "FILES.example.com"), 1);
    CHECK_INT(certpick_name_matches("files.example.com.", "files.example.com"), 1);
    CHECK_INT(certpick_name_matches("files.example.com", "files.example.com."), 1);
    CHECK_INT(certpick_name_matches("files.example.com", "files.example.co"), 0);
    CHECK_INT(certpick_name_matches("files.example.com", "xfiles.example.com"), 0);
    CHECK_INT(certpick_name_matches("*.example.com", "files.example.com"), 1);
    CHECK_INT(certpick_name_matches("*.example.com", "example.com"), 0);
    CHECK_INT(certpick_name_matches("*.example.com", "a.b.example.com"), 0);
    CHECK_INT(certpick_name_matches("*.example.com", ".example.com"), 0);
    CHECK_INT(certpick_name_matches("*.", "a."), 0);
    CHECK_INT(certpick_name_matches("", ""), 0);
    CHECK_INT(certpick_name_matches("host", ""), 0);
}

static struct certpick_cert cert(int64_t from, int64_t until, const char *name)
{
    struct certpick_cert c;

    memset(&c, 0, sizeof c);
    c.not_before = from;
    c.not_after = until;
    c.has_key = 1;
    c.server_auth = 1;
    c.names[0] = "other.example.com";
    c.names[1] = name;
    c.name_count = 2;
    return c;
}

/* The newest valid one wins: a renewal made beside the old certificate. */
static void test_newest_valid_wins(void)
{
    const int64_t now = 1000 * DAY;
    struct certpick_cert c[5];
    const char *why = NULL;

    c[0] = cert(now - 300 * DAY, now + 60 * DAY, "files.example.com");  /* the old one */
    c[1] = cert(now - 1 * DAY, now + 397 * DAY, "files.example.com");   /* its renewal */
    c[2] = cert(now + 1 * DAY, now + 400 * DAY, "files.example.com");   /* not valid yet */
    c[3] = cert(now - 0 * DAY, now + 397 * DAY, "mail.example.com");    /* another name */
    c[4] = cert(now - 0 * DAY, now + 397 * DAY, "files.example.com");   /* newest, no key */
    c[4].has_key = 0;
    CHECK_INT(certpick_choose(c, 5, "files.example.com", now, &why), 1);
    CHECK_INT(certpick_choose(c, 1, "files.example.com", now, &why), 0);
    /* Same start: the one that lasts longer. */
    c[0].not_before = c[1].not_before;
    c[0].not_after = c[1].not_after + 1;
    CHECK_INT(certpick_choose(c, 5, "files.example.com", now, &why), 0);
}

/* Nothing fits: the nearest miss is named. */
static void test_misses(void)
{
    const int64_t now = 1000 * DAY;
    struct certpick_cert c[2];
    const char *why = NULL;

    memset(c, 0, sizeof c);
    CHECK_INT(certpick_choose(c, 0, "files.example.com", now, &why), -1);
    CHECK(strstr(why, "no certificate names it") != NULL);
    c[0] = cert(now - 10, now + 10, "files.example.com");
    c[0].server_auth = 0;
    CHECK_INT(certpick_choose(c, 1, "files.example.com", now, &why), -1);
    CHECK(strstr(why, "server authentication") != NULL);
    c[1] = cert(now - 10, now + 10, "files.example.com");
    c[1].has_key = 0;
    CHECK_INT(certpick_choose(c, 2, "files.example.com", now, &why), -1);
    CHECK(strstr(why, "private key") != NULL);
    c[1] = cert(now - 20, now - 10, "files.example.com");
    CHECK_INT(certpick_choose(c, 2, "files.example.com", now, &why), -1);
    CHECK(strstr(why, "expired") != NULL);
    CHECK_INT(certpick_choose(c, 2, "mail.example.com", now, &why), -1);
}

static void test_expiry_stages(void)
{
    const int64_t until = 1000 * DAY;
    enum certpick_stage said = CERTPICK_FINE;

    CHECK_INT(certpick_expiry_stage(until - 31 * DAY, until), CERTPICK_FINE);
    CHECK_INT(certpick_expiry_stage(until - 30 * DAY, until), CERTPICK_30_DAYS);
    CHECK_INT(certpick_expiry_stage(until - 7 * DAY, until), CERTPICK_7_DAYS);
    CHECK_INT(certpick_expiry_stage(until - DAY, until), CERTPICK_1_DAY);
    CHECK_INT(certpick_expiry_stage(until, until), CERTPICK_1_DAY);
    CHECK_INT(certpick_expiry_stage(until + 1, until), CERTPICK_EXPIRED);
    /* Each stage once, the hourly check after it says nothing more. */
    CHECK_INT(certpick_expiry_due(&said, CERTPICK_FINE), 0);
    CHECK_INT(certpick_expiry_due(&said, CERTPICK_30_DAYS), 1);
    CHECK_INT(certpick_expiry_due(&said, CERTPICK_30_DAYS), 0);
    /* A server started 5 days before expiry warns of 7 days at once, once. */
    CHECK_INT(certpick_expiry_due(&said, CERTPICK_7_DAYS), 1);
    CHECK_INT(certpick_expiry_due(&said, CERTPICK_7_DAYS), 0);
    CHECK_INT(certpick_expiry_due(&said, CERTPICK_EXPIRED), 1);
    CHECK_INT(certpick_expiry_due(&said, CERTPICK_1_DAY), 0);
    CHECK_INT(said, CERTPICK_EXPIRED);
}

int main(void)
{
    RUN_TEST(test_subject_setting);
    RUN_TEST(test_names);
    RUN_TEST(test_newest_valid_wins);
    RUN_TEST(test_misses);
    RUN_TEST(test_expiry_stages);
    return check_summary();
}
