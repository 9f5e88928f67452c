/* refcore.c - the reference servers' listener and protocol (see refcore.h).
 *
 * The session is mtserver's (docs/PROTOCOL.md) cut down to what bench/
 * measures: "#Server Ready.", AUTH, FILE (raw bytes, then the success line),
 * GET ("#Sending N bytes.", N bytes, the success line), QUIT. Paths are
 * confined to the root in the simplest way: relative names without "..".
 *
 * Threads: main accepts; every connection thread owns its refconn and
 * shares only the read-only settings below. */
#define _GNU_SOURCE
#include "refcore.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Enough for OpenSSL's handshake too (osslref, thousands of handshakes);
 * only the pages touched cost memory (figure 4 measures refserver's). */
#define THREAD_STACK (64u << 10)

static int root_fd;
static const char *password;
static const struct reftransport *tp;

static int say(struct refconn *c, const char *text)
{
    return tp->send(c, text, strlen(text));
}

/* Returns the next line (CR/LF removed) in c->in, NUL-terminated, with its
 * length, or -1 when the peer closed or the line is too long. Bytes after the
 * line stay in the buffer for the next call. */
static long next_line(struct refconn *c, size_t *consumed)
{
    for (;;) {
        char *lf = memchr(c->in, '\n', c->have);
        if (lf != NULL) {
            size_t len = (size_t)(lf - c->in);
            *consumed = len + 1;
            if (len > 0 && c->in[len - 1] == '\r')
                len--;
            c->in[len] = '\0';
            return (long)len;
        }
        if (c->have >= REFCORE_LINE_MAX)
            return -1;
        long k = tp->recv(c, c->in + c->have, REFCORE_LINE_MAX - c->have);
        if (k <= 0)
            return -1;
        c->have += (size_t)k;
    }
}

/* FILE (counted = 0) and GET (counted = 1). */
static int send_file(struct refconn *c, const char *path, int counted)
{
    char reply[REFCORE_LINE_MAX + 64];
    struct stat st;
    int fd = -1, rc;

    if (path[0] != '/' && strstr(path, "..") == NULL)
        fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        snprintf(reply, sizeof reply, "!File %s could not be opened.\r\n", path);
        return say(c, reply);
    }
    snprintf(reply, sizeof reply, "#Sending %lld bytes.\r\n", (long long)st.st_size);
    rc = counted ? say(c, reply) : 0;
    if (rc == 0)
        rc = tp->send_file(c, fd, st.st_size);
    close(fd);
    if (rc != 0)
        return -1;
    snprintf(reply, sizeof reply, "#File %s sent successfully.\r\n", path);
    return say(c, reply);
}

static void *serve(void *arg)
{
    struct refconn *c = arg;
    int authed = 0;

    if ((tp->start != NULL && tp->start(c) != 0) || say(c, "#Server Ready.\r\n") != 0)
        goto out;
    for (;;) {
        size_t used = 0;
        long len = next_line(c, &used);
        char *line = c->in, *sp;
        int rc = 0;

        if (len < 0)
            break;
        sp = strchr(line, ' ');
        if (sp != NULL)
            *sp++ = '\0';
        if (strcasecmp(line, "QUIT") == 0)
            break;
        if (strcasecmp(line, "AUTH") == 0 && sp != NULL) {
            authed = strcmp(sp, password) == 0;
            rc = say(c, authed ? "#You are logged in.\r\n" : "!Bad password.\r\n");
        } else if ((strcasecmp(line, "FILE") == 0 || strcasecmp(line, "GET") == 0) && sp != NULL) {
            rc = authed ? send_file(c, sp, line[0] == 'G' || line[0] == 'g')
                        : say(c, "!You are not logged in.\r\n");
        } else if (len > 0) {
            rc = say(c, "!Invalid command.\r\n");
        }
        if (rc != 0)
            break;
        memmove(c->in, c->in + used, c->have - used);
        c->have -= used;
    }
out:
    if (tp->end != NULL)
        tp->end(c);
    close(c->sock);
    free(c);
    return NULL;
}

int refcore_serve(const char *root, const char *pass, unsigned port,
                  const struct reftransport *transport)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    pthread_attr_t attr;
    int one = 1, ls;

    signal(SIGPIPE, SIG_IGN);
    root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        perror(root);
        return 1;
    }
    password = pass;
    tp = transport;
    ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((unsigned short)port);
    if (bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, SOMAXCONN) != 0 ||
        getsockname(ls, (struct sockaddr *)&sa, &salen) != 0) {
        perror("listen");
        return 1;
    }
    printf("listening on 127.0.0.1:%u\n", ntohs(sa.sin_port));
    fflush(stdout);

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, THREAD_STACK);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (;;) {
        pthread_t t;
        struct refconn *c;
        int s = accept4(ls, NULL, NULL, SOCK_CLOEXEC);

        if (s < 0) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                usleep(10000);
            continue;
        }
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c = malloc(sizeof *c);
        if (c == NULL) {
            close(s);
            continue;
        }
        c->sock = s;
        c->tls = NULL;
        c->have = 0;
        if (pthread_create(&t, &attr, serve, c) != 0) {
            close(s);
            free(c);
        }
    }
}
