/* test_sockio.c - sockio's send buffer reservation on a loopback pair
 * (under Wine). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "check.h"
#include "sockio.h"

/* A connected loopback pair: *server is accepted from *client's connect. */
static int make_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in at;
    int len = sizeof at;
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    *client = *server = INVALID_SOCKET;
    if (l == INVALID_SOCKET)
        return -1;
    memset(&at, 0, sizeof at);
    at.sin_family = AF_INET;
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&at, sizeof at) != 0 || listen(l, 1) != 0 ||
        getsockname(l, (struct sockaddr *)&at, &len) != 0 ||
        (*client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET ||
        connect(*client, (struct sockaddr *)&at, sizeof at) != 0 ||
        (*server = accept(l, NULL, NULL)) == INVALID_SOCKET) {
        closesocket(l);
        return -1;
    }
    closesocket(l);
    return 0;
}

static int send_buffer(SOCKET s)
{
    int now = 0, len = sizeof now;

    return getsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&now, &len) == 0 ? now : -1;
}

static void test_reserve_grows_the_send_buffer_and_never_shrinks_it(void)
{
    SOCKET client, server;
    struct sockio io;

    CHECK(make_pair(&client, &server) == 0);
    CHECK(sockio_init(&io, server, NULL) == 0);
    CHECK(send_buffer(server) < (1 << 20)); /* the system's default is smaller */
    CHECK_INT(sockio_reserve_send_buffer(&io, 1 << 20), 0);
    CHECK(send_buffer(server) >= (1 << 20));
    CHECK_INT(sockio_reserve_send_buffer(&io, 4096), 0);
    CHECK(send_buffer(server) >= (1 << 20));
    sockio_close(&io);
    closesocket(client);
}

static void test_a_refusal_says_why(void)
{
    struct sockio io;

    CHECK(sockio_init(&io, INVALID_SOCKET, NULL) == 0);
    CHECK_INT(sockio_reserve_send_buffer(&io, 1 << 20), -1);
    CHECK_INT(io.last_error, WSAENOTSOCK);
    sockio_close(&io);
}

int main(void)
{
    WSADATA wsa;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    RUN_TEST(test_reserve_grows_the_send_buffer_and_never_shrinks_it);
    RUN_TEST(test_a_refusal_says_why);
    return check_summary();
}
