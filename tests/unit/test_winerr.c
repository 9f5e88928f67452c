/* test_winerr.c - Win32 and Winsock codes as text and as kinds (under Wine). */
#include <string.h>
#include <winsock2.h>
#include <windows.h>

#include "check.h"
#include "winerr.h"

static void test_each_code_has_the_kind_its_callers_test_for(void)
{
    static const struct {
        unsigned long code;
        enum winerr_kind kind;
    } rows[] = {
        {ERROR_FILE_NOT_FOUND, WINERR_NOT_FOUND},  {ERROR_PATH_NOT_FOUND, WINERR_NOT_FOUND},
        {ERROR_INVALID_NAME, WINERR_BAD_NAME},     {ERROR_BAD_PATHNAME, WINERR_BAD_NAME},
        {ERROR_ALREADY_EXISTS, WINERR_EXISTS},     {ERROR_FILE_EXISTS, WINERR_EXISTS},
        {WSAEWOULDBLOCK, WINERR_WOULD_BLOCK},      {WSAECONNRESET, WINERR_PEER_GONE},
        {WSAECONNABORTED, WINERR_PEER_GONE},       {WSAEADDRINUSE, WINERR_ADDR_IN_USE},
        {WSAEADDRNOTAVAIL, WINERR_ADDR_NOT_LOCAL}, {ERROR_ACCESS_DENIED, WINERR_DENIED},
        {ERROR_SHARING_VIOLATION, WINERR_BUSY},    {ERROR_LOCK_VIOLATION, WINERR_BUSY},
        {ERROR_NETNAME_DELETED, WINERR_PEER_GONE}, {ERROR_CONNECTION_ABORTED, WINERR_PEER_GONE},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        CHECK_INT(winerr_kind(rows[i].code), rows[i].kind);
}

/* The service commands' (scm.c, svcinstall.c, svcctl.c) and the sockets'
 * (sockio.c, the client's connect and TLS start) decisions. */
static void test_service_and_socket_codes_have_their_kinds(void)
{
    static const struct {
        unsigned long code;
        enum winerr_kind kind;
    } rows[] = {
        {ERROR_SERVICE_DOES_NOT_EXIST, WINERR_NOT_FOUND},
        {ERROR_SERVICE_EXISTS, WINERR_EXISTS},
        {ERROR_SERVICE_NOT_ACTIVE, WINERR_NOT_RUNNING},
        {ERROR_SERVICE_ALREADY_RUNNING, WINERR_RUNNING},
        {ERROR_SERVICE_REQUEST_TIMEOUT, WINERR_TIMED_OUT},
        {ERROR_TIMEOUT, WINERR_TIMED_OUT},
        {WSAETIMEDOUT, WINERR_TIMED_OUT},
        {ERROR_IO_PENDING, WINERR_PENDING},
        {WSA_IO_PENDING, WINERR_PENDING},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        CHECK_INT(winerr_kind(rows[i].code), rows[i].kind);
}

/* Codes that sound alike are not folded in: a caller that treats "not
 * found" as "use the defaults" must not do so for "access denied"; nor
 * "installed already" for a display name another service holds, nor the
 * missing service for one marked for deletion. */
static void test_other_codes_are_other(void)
{
    static const unsigned long others[] = {ERROR_SUCCESS,
                                           ERROR_NOT_FOUND,
                                           ERROR_INVALID_PARAMETER,
                                           WSAEACCES,
                                           WSAECONNREFUSED,
                                           0x80090302ul,
                                           ERROR_DUPLICATE_SERVICE_NAME,
                                           ERROR_SERVICE_MARKED_FOR_DELETE,
                                           ERROR_INVALID_SERVICE_ACCOUNT,
                                           ERROR_SERVICE_SPECIFIC_ERROR,
                                           ERROR_NO_MORE_FILES,
                                           ERROR_MORE_DATA};

    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        CHECK_INT(winerr_kind(others[i]), WINERR_OTHER);
}

static void test_the_text_keeps_the_raw_code(void)
{
    char buf[300];

    CHECK(strncmp(winerr_text(WSAEADDRINUSE, buf, sizeof buf), "error 10048: ", 13) == 0);
    CHECK(strncmp(winerr_text(ERROR_FILE_NOT_FOUND, buf, sizeof buf), "error 2", 7) == 0);
}

int main(void)
{
    RUN_TEST(test_each_code_has_the_kind_its_callers_test_for);
    RUN_TEST(test_service_and_socket_codes_have_their_kinds);
    RUN_TEST(test_other_codes_are_other);
    RUN_TEST(test_the_text_keeps_the_raw_code);
    return check_summary();
}
