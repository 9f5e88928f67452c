/* test_portsniff.c - the first bytes of a connection: TLS or not, text or
 * not, and the TLS port named in a plain port's answer. */
#include "check.h"
#include "portsniff.h"

#define SNIFF(lit) portsniff_tls_record((lit), sizeof(lit) - 1)
#define NAMED(lit) portsniff_tls_port_named((lit), sizeof(lit) - 1)

static void test_a_handshake_header_is_tls_whatever_its_minor_version(void)
{
    CHECK_INT(SNIFF("\x16\x03\x01\x02\x00"), PORTSNIFF_TLS);
    CHECK_INT(SNIFF("\x16\x03\x03\x00\x01"), PORTSNIFF_TLS);
    CHECK_INT(SNIFF("\x16\x03\x00\x40\x00"), PORTSNIFF_TLS); /* SSL 3.0: Schannel says no */
    CHECK_INT(SNIFF("\x16\x03\x01\x02\x00\x01\x00"), PORTSNIFF_TLS);
}

static void test_too_few_bytes_wait_for_more(void)
{
    CHECK_INT(portsniff_tls_record("", 0), PORTSNIFF_MORE);
    CHECK_INT(SNIFF("\x16"), PORTSNIFF_MORE);
    CHECK_INT(SNIFF("\x16\x03"), PORTSNIFF_MORE);
    CHECK_INT(SNIFF("\x16\x03\x01\x02"), PORTSNIFF_MORE);
}

static void test_text_is_told_at_its_first_byte(void)
{
    CHECK_INT(SNIFF("A"), PORTSNIFF_TEXT);
    CHECK_INT(SNIFF("AUTH yellow\r\n"), PORTSNIFF_TEXT);
    CHECK_INT(SNIFF("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), PORTSNIFF_TEXT);
    CHECK_INT(SNIFF("~"), PORTSNIFF_TEXT);
}

static void test_other_bytes_are_not_tls(void)
{
    /* An SSLv2-framed hello: a two-byte length with the top bit set. */
    CHECK_INT(SNIFF("\x80\x2e\x01\x03\x01"), PORTSNIFF_BINARY);
    CHECK_INT(SNIFF("\r\n"), PORTSNIFF_BINARY);
    CHECK_INT(SNIFF("\x17\x03\x03\x00\x10"), PORTSNIFF_BINARY); /* data before a handshake */
    CHECK_INT(SNIFF("\x16\x02"), PORTSNIFF_BINARY);
    CHECK_INT(SNIFF("\x16\x03\x01\x00\x00"), PORTSNIFF_BINARY);  /* empty */
    CHECK_INT(SNIFF("\x16\x03\x01\x40\x01"), PORTSNIFF_BINARY);  /* 2^14 + 1 */
    CHECK_INT(SNIFF("\x16\x03\x01\x40\x00"), PORTSNIFF_TLS);     /* 2^14 */
    CHECK_INT(SNIFF("\x16\x03\x01\xff\xff"), PORTSNIFF_BINARY);
}

static void test_client_hello_on_the_plain_port(void)
{
    CHECK_INT(portsniff_client_hello("", 0), -1);
    CHECK_INT(portsniff_client_hello("\x16", 1), -1);
    CHECK_INT(portsniff_client_hello("\x16\x03", 2), 1);
    CHECK_INT(portsniff_client_hello("\x16\x03\x01", 3), 1);
    CHECK_INT(portsniff_client_hello("\x16\x02", 2), 0);
    CHECK_INT(portsniff_client_hello("A", 1), 0);
    CHECK_INT(portsniff_client_hello("\x80\x2e", 2), 0);
}

static void test_plain_reply_and_the_tls_port_it_names(void)
{
    static const char both[] = "#Server Ready.\r\n"
                               "!This port speaks plain text, not TLS: TLS is on port 2122.\r\n";
    static const char none[] = "#Server Ready.\r\n"
                               "!This port speaks plain text, and this server has no TLS port.\r\n";
    static const char old[] = "#Server Ready.\r\n!Invalid characters.\r\n";

    CHECK_INT(portsniff_plain_reply("", 0), -1);
    CHECK_INT(portsniff_plain_reply("#", 1), 1);
    CHECK_INT(portsniff_plain_reply("!x", 2), 1);
    CHECK_INT(portsniff_plain_reply("\x16\x03", 2), 0);
    CHECK_INT(portsniff_plain_reply("\x15\x03", 2), 0); /* an alert */
    CHECK_INT(portsniff_tls_port_named(both, sizeof both - 1), 2122);
    CHECK_INT(portsniff_tls_port_named(none, sizeof none - 1), 0);
    CHECK_INT(portsniff_tls_port_named(old, sizeof old - 1), -1);
    /* A line not yet ended might lose digits: not read. */
    CHECK_INT(portsniff_tls_port_named(both, sizeof both - 5), -1);
    CHECK_INT(portsniff_tls_port_named("", 0), -1);
    CHECK_INT(NAMED("!This port speaks plain text, not TLS: TLS is on port 0.\r\n"), -1);
    CHECK_INT(NAMED("!This port speaks plain text, not TLS: TLS is on port 65536.\r\n"), -1);
    CHECK_INT(NAMED("!This port speaks plain text, not TLS: TLS is on port .\r\n"), -1);
    /* Only at a line's start. */
    CHECK_INT(NAMED("x!This port speaks plain text, not TLS: TLS is on port 21.\r\n"), -1);
}

int main(void)
{
    RUN_TEST(test_a_handshake_header_is_tls_whatever_its_minor_version);
    RUN_TEST(test_too_few_bytes_wait_for_more);
    RUN_TEST(test_text_is_told_at_its_first_byte);
    RUN_TEST(test_other_bytes_are_not_tls);
    RUN_TEST(test_client_hello_on_the_plain_port);
    RUN_TEST(test_plain_reply_and_the_tls_port_it_names);
    return check_summary();
}
