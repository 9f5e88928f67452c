/* refserver.c - the native reference server: what this Linux host can do.
 *
 * It speaks the session shape mtserver speaks (greeting, AUTH, FILE with the
 * raw bytes and the "#File ... sent successfully." trailer, QUIT) with the
 * fastest plain means Linux offers: one thread per connection, TCP_NODELAY,
 * and sendfile(2) straight from the page cache to the socket. It is a
 * yardstick for bench/, not a product: no timeouts, no logging, no REST.
 *
 * Usage: refserver ROOT PASSWORD [PORT]   (PORT 0 or absent: any free port)
 * Prints "listening on 127.0.0.1:PORT" once ready, and serves until killed.
 *
 * Threads: the main thread accepts; every connection thread owns its socket
 * and its buffers and shares only the read-only settings below. */
#define _GNU_SOURCE
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
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINE_MAX_BYTES 8192
#define THREAD_STACK (64u << 10)

static int root_fd;
static const char *password;

struct conn {
    int sock;
    size_t have;
    char in[LINE_MAX_BYTES + 2];
};

static int send_all(int s, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = send(s, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int say(int s, const char *text)
{
    return send_all(s, text, strlen(text));
}

/* Returns the next line (CR/LF removed) in c->in, NUL-terminated, with its
 * length, or -1 when the peer closed or the line is too long. Bytes after the
 * line stay in the buffer for the next call. */
static long next_line(struct conn *c, size_t *consumed)
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
        if (c->have >= LINE_MAX_BYTES)
            return -1;
        ssize_t k = recv(c->sock, c->in + c->have, LINE_MAX_BYTES - c->have, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        c->have += (size_t)k;
    }
}

static int send_file(int s, const char *path)
{
    char reply[LINE_MAX_BYTES + 64];
    struct stat st;
    off_t off = 0;
    int fd = -1;

    /* Root-confined in the simplest way: relative names without "..". */
    if (path[0] != '/' && strstr(path, "..") == NULL)
        fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        snprintf(reply, sizeof reply, "!File %s could not be opened.\r\n", path);
        return say(s, reply);
    }
    while (off < st.st_size) {
        ssize_t k = sendfile(s, fd, &off, (size_t)(st.st_size - off));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            close(fd);
            return -1;
        }
    }
    close(fd);
    snprintf(reply, sizeof reply, "#File %s sent successfully.\r\n", path);
    return say(s, reply);
}

static void *serve(void *arg)
{
    struct conn *c = arg;
    int authed = 0;

    if (say(c->sock, "#Server Ready.\r\n") != 0)
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
            rc = say(c->sock, authed ? "#You are logged in.\r\n" : "!Bad password.\r\n");
        } else if (strcasecmp(line, "FILE") == 0 && sp != NULL) {
            rc = authed ? send_file(c->sock, sp) : say(c->sock, "!You are not logged in.\r\n");
        } else if (len > 0) {
            rc = say(c->sock, "!Invalid command.\r\n");
        }
        if (rc != 0)
            break;
        memmove(c->in, c->in + used, c->have - used);
        c->have -= used;
    }
out:
    close(c->sock);
    free(c);
    return NULL;
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    pthread_attr_t attr;
    int one = 1, ls;

    if (argc < 3) {
        fprintf(stderr, "usage: refserver ROOT PASSWORD [PORT]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    root_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) {
        perror(argv[1]);
        return 1;
    }
    password = argv[2];
    ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((unsigned short)(argc > 3 ? atoi(argv[3]) : 0));
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
        struct conn *c;
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
        c->have = 0;
        if (pthread_create(&t, &attr, serve, c) != 0) {
            close(s);
            free(c);
        }
    }
}
