/* listener.c - opens the listening socket (see listener.h). */
#include "listener.h"

#include <stdio.h>
#include <string.h>
#include <ws2tcpip.h>

#include "winerr.h"

#define BACKLOG SOMAXCONN

void listener_format_address(const struct sockaddr *sa, char *buf, size_t cap)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
        snprintf(buf, cap, "%s:%u", host, port);
        return;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        port = ntohs(in6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof host);
            snprintf(buf, cap, "%s:%u", host, port);
            return;
        }
        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
        snprintf(buf, cap, "[%s]:%u", host, port);
        return;
    }
    snprintf(buf, cap, "?");
}

unsigned listener_port(SOCKET s)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;

    if (getsockname(s, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int report(char *err, size_t errcap, const char *what, int code)
{
    char why[300];

    snprintf(err, errcap, "%s: %s", what, winerr_text((unsigned long)code, why, sizeof why));
    return -1;
}

static int open_on(const struct sockaddr *sa, int salen, int dual_stack, SOCKET *out,
                   char *err, size_t errcap)
{
    SOCKET s = socket(sa->sa_family, SOCK_STREAM, IPPROTO_TCP);
    BOOL on = TRUE;
    DWORD off = 0;
    int code;

    if (s == INVALID_SOCKET)
        return report(err, errcap, "socket", WSAGetLastError());
    /* SO_EXCLUSIVEADDRUSE: no other process may bind over our port. */
    if (setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof on) != 0 ||
        (dual_stack &&
         setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof off) != 0)) {
        code = WSAGetLastError();
        closesocket(s);
        return report(err, errcap, "setsockopt", code);
    }
    if (bind(s, sa, salen) != 0) {
        char where[64], why[300];
        enum winerr_kind kind;
        code = WSAGetLastError();
        closesocket(s);
        listener_format_address(sa, where, sizeof where);
        winerr_text((unsigned long)code, why, sizeof why);
        kind = winerr_kind((unsigned long)code);
        /* Say what to change: the two common causes name their setting. */
        if (kind == WINERR_ADDR_IN_USE)
            snprintf(err, errcap,
                     "bind %s: %s; another program is using port %u: stop it, or choose another "
                     "port (port in the configuration file, --port on the command line)",
                     where, why, (unsigned)ntohs(((const struct sockaddr_in *)sa)->sin_port));
        else if (kind == WINERR_ADDR_NOT_LOCAL)
            snprintf(err, errcap,
                     "bind %s: %s; that address is not one of this machine's: correct bind in "
                     "the configuration file (--bind on the command line), or leave it out to "
                     "listen on every address",
                     where, why);
        else
            snprintf(err, errcap, "bind %s: %s", where, why);
        return kind == WINERR_ADDR_NOT_LOCAL || kind == WINERR_ADDR_IN_USE ? LISTENER_NOT_YET : -1;
    }
    if (listen(s, BACKLOG) != 0) {
        code = WSAGetLastError();
        closesocket(s);
        return report(err, errcap, "listen", code);
    }
    *out = s;
    return 0;
}

int listener_address_ok(const char *bind)
{
    struct addrinfo hints, *ai = NULL;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(bind, NULL, &hints, &ai) != 0 || ai == NULL)
        return 0;
    freeaddrinfo(ai);
    return 1;
}

int listener_open(const char *bind, unsigned port, SOCKET *out, char *where, size_t where_cap,
                  char *err, size_t errcap)
{
    struct sockaddr_storage ss;
    int salen = (int)sizeof ss, rc;

    *out = INVALID_SOCKET;
    memset(&ss, 0, sizeof ss);
    if (bind == NULL) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        struct sockaddr_in in4;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_any;
        in6->sin6_port = htons((u_short)port);
        rc = open_on((struct sockaddr *)in6, sizeof *in6, 1, out, err, errcap);
        if (rc != 0) {
            /* A host without IPv6 still serves IPv4. */
            memset(&in4, 0, sizeof in4);
            in4.sin_family = AF_INET;
            in4.sin_addr.s_addr = htonl(INADDR_ANY);
            in4.sin_port = htons((u_short)port);
            rc = open_on((struct sockaddr *)&in4, sizeof in4, 0, out, err, errcap);
        }
    } else {
        struct addrinfo hints, *ai = NULL;
        char service[8];
        memset(&hints, 0, sizeof hints);
        hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE | AI_NUMERICSERV;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_protocol = IPPROTO_TCP;
        snprintf(service, sizeof service, "%u", port);
        if (getaddrinfo(bind, service, &hints, &ai) != 0 || ai == NULL) {
            snprintf(err, errcap, "bind %s is not a numeric IPv4 or IPv6 address (such as "
                     "127.0.0.1 or ::1; host names are not resolved)", bind);
            return -1;
        }
        rc = open_on(ai->ai_addr, (int)ai->ai_addrlen, 0, out, err, errcap);
        freeaddrinfo(ai);
    }
    if (rc != 0)
        return rc;
    if (getsockname(*out, (struct sockaddr *)&ss, &salen) == 0) {
        listener_format_address((struct sockaddr *)&ss, where, where_cap);
    } else {
        snprintf(where, where_cap, "?");
    }
    return 0;
}

void listener_turn_away(SOCKET s, int tls, const char *reply)
{
    u_long nonblocking = 1;

    ioctlsocket(s, FIONBIO, &nonblocking);
    if (!tls)
        send(s, reply, (int)strlen(reply), 0);
    shutdown(s, SD_SEND);
    closesocket(s);
}
