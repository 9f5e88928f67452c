/* loadgen.c - the native load generator for bench/: speaks mtserver's
 * protocol (greeting, AUTH, FILE, raw bytes, trailer line, QUIT) to any of the
 * servers under test and reports what it saw as key=value lines on stdout.
 *
 * A session is: connect, read "#Server Ready.", AUTH, FILE of a file whose
 * size the caller gives (FILE carries no length, so the client must know it),
 * read exactly that many bytes and the "#File <path> sent successfully."
 * line, QUIT, and wait for the server to close. Anything else is a failure.
 *
 *   loadgen download HOST PORT PASS PATH SIZE RUNS     one session at a time
 *   loadgen rate     HOST PORT PASS PATH SIZE THREADS SECONDS
 *   loadgen burst    HOST PORT PASS PATH SIZE SESSIONS  all at once
 *   loadgen idle     HOST PORT N       hold N connections until stdin closes
 *
 * Threads: each worker owns its socket and buffer; results go to per-worker
 * slots or to counters guarded by a mutex. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IO_TIMEOUT_S 60
#define CONNECT_TIMEOUT_MS 60000
#define WORKER_STACK (256u << 10)

static struct sockaddr_in target;
static const char *password, *path;
static unsigned long long file_size;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct client {
    int sock;
    size_t have, off;
    size_t cap;
    char *buf;
};

/* Connects with a deadline: a server whose accept queue is full drops SYNs,
 * and the kernel's own retry schedule would wait two minutes. */
static int client_connect(struct client *c)
{
    int one = 1, err = 0;
    socklen_t errlen = sizeof err;
    struct timeval tv = {IO_TIMEOUT_S, 0};
    struct pollfd pfd;
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

    c->sock = -1;
    c->have = c->off = 0;
    if (s < 0)
        return -1;
    if (connect(s, (struct sockaddr *)&target, sizeof target) != 0 && errno != EINPROGRESS) {
        close(s);
        return -1;
    }
    pfd.fd = s;
    pfd.events = POLLOUT;
    if (poll(&pfd, 1, CONNECT_TIMEOUT_MS) != 1 ||
        getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &errlen) != 0 || err != 0) {
        close(s);
        return -1;
    }
    fcntl(s, F_SETFL, fcntl(s, F_GETFL) & ~O_NONBLOCK);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    c->sock = s;
    return 0;
}

static int fill(struct client *c)
{
    ssize_t k;

    if (c->off > 0) {
        memmove(c->buf, c->buf + c->off, c->have - c->off);
        c->have -= c->off;
        c->off = 0;
    }
    if (c->have == c->cap)
        return -1;
    do
        k = recv(c->sock, c->buf + c->have, c->cap - c->have, 0);
    while (k < 0 && errno == EINTR);
    if (k <= 0)
        return -1;
    c->have += (size_t)k;
    return 0;
}

/* Compares the next line (without CRLF) with want. */
static int expect_line(struct client *c, const char *want)
{
    for (;;) {
        char *lf = memchr(c->buf + c->off, '\n', c->have - c->off);
        if (lf != NULL) {
            char *line = c->buf + c->off;
            size_t len = (size_t)(lf - line);
            c->off += len + 1;
            if (len > 0 && line[len - 1] == '\r')
                len--;
            return len == strlen(want) && memcmp(line, want, len) == 0 ? 0 : -1;
        }
        if (fill(c) != 0)
            return -1;
    }
}

static int skip_bytes(struct client *c, unsigned long long n)
{
    while (n > 0) {
        size_t avail = c->have - c->off;
        size_t take = avail < n ? avail : (size_t)n;
        c->off += take;
        n -= take;
        if (n > 0) {
            c->have = c->off = 0;
            if (fill(c) != 0)
                return -1;
        }
    }
    return 0;
}

static int say(struct client *c, const char *text)
{
    size_t n = strlen(text);
    const char *p = text;

    while (n > 0) {
        ssize_t k = send(c->sock, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* One whole session. *file_s, when given, gets the time from FILE to trailer. */
static int session(struct client *c, double *file_s)
{
    char line[1024];
    double t0;
    int rc = -1;

    if (client_connect(c) != 0)
        return -1;
    if (expect_line(c, "#Server Ready.") != 0)
        goto out;
    snprintf(line, sizeof line, "AUTH %s\r\n", password);
    if (say(c, line) != 0 || expect_line(c, "#You are logged in.") != 0)
        goto out;
    t0 = now_s();
    snprintf(line, sizeof line, "FILE %s\r\n", path);
    if (say(c, line) != 0 || skip_bytes(c, file_size) != 0)
        goto out;
    snprintf(line, sizeof line, "#File %s sent successfully.", path);
    if (expect_line(c, line) != 0)
        goto out;
    if (file_s != NULL)
        *file_s = now_s() - t0;
    if (say(c, "QUIT\r\n") != 0)
        goto out;
    /* The session ends when the server has closed its side. */
    c->have = c->off = 0;
    while (fill(c) == 0)
        c->have = c->off = 0;
    rc = 0;
out:
    close(c->sock);
    c->sock = -1;
    return rc;
}

static int client_alloc(struct client *c, size_t cap)
{
    c->cap = cap;
    c->buf = malloc(cap);
    return c->buf != NULL ? 0 : -1;
}

static size_t io_buffer(void)
{
    return file_size + 4096 < (1u << 20) ? (size_t)file_size + 4096 : (1u << 20);
}

static int run_download(int runs)
{
    struct client c;
    double best = 0;
    int failed = 0;

    if (client_alloc(&c, 1u << 20) != 0)
        return 1;
    for (int i = 0; i < runs; i++) {
        double s = 0;
        if (session(&c, &s) != 0) {
            failed++;
            continue;
        }
        double mbps = (double)file_size / 1e6 / s;
        printf("run%d_mbps=%.1f\n", i + 1, mbps);
        fflush(stdout);
        if (mbps > best)
            best = mbps;
    }
    printf("failed=%d\nbest_mbps=%.1f\n", failed, best);
    return failed == runs;
}

/* --- rate: THREADS workers loop over sessions until the time is up --- */
static double rate_until;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long rate_ok, rate_failed;

static void *rate_worker(void *arg)
{
    struct client c;
    long ok = 0, failed = 0;

    (void)arg;
    if (client_alloc(&c, io_buffer()) != 0)
        return NULL;
    while (now_s() < rate_until) {
        if (session(&c, NULL) == 0)
            ok++;
        else
            failed++;
    }
    free(c.buf);
    pthread_mutex_lock(&lock);
    rate_ok += ok;
    rate_failed += failed;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static int start_workers(pthread_t *t, int n, void *(*fn)(void *), void *args, size_t arg_size)
{
    pthread_attr_t attr;
    int started = 0;

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    for (int i = 0; i < n; i++) {
        if (pthread_create(&t[i], &attr, fn, (char *)args + (size_t)i * arg_size) != 0)
            break;
        started++;
    }
    pthread_attr_destroy(&attr);
    return started;
}

static int run_rate(int threads, double seconds)
{
    pthread_t *t = calloc((size_t)threads, sizeof *t);
    double began = now_s();
    int n;

    rate_until = began + seconds;
    n = start_workers(t, threads, rate_worker, NULL, 0);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    double took = now_s() - began;
    printf("threads=%d\nok=%ld\nfailed=%ld\nseconds=%.2f\nsessions_per_s=%.1f\n", n, rate_ok,
           rate_failed, took, (double)rate_ok / took);
    free(t);
    return n != threads;
}

/* --- burst: SESSIONS workers wait at a barrier, then all go at once --- */
struct burst_slot {
    double latency_ms;
    int ok;
};
static pthread_barrier_t gate;

static void *burst_worker(void *arg)
{
    struct burst_slot *slot = arg;
    struct client c;
    double t0;

    slot->ok = 0;
    if (client_alloc(&c, io_buffer()) != 0) {
        pthread_barrier_wait(&gate);
        return NULL;
    }
    pthread_barrier_wait(&gate);
    t0 = now_s();
    slot->ok = session(&c, NULL) == 0;
    slot->latency_ms = (now_s() - t0) * 1e3;
    free(c.buf);
    return NULL;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int run_burst(int sessions)
{
    pthread_t *t = calloc((size_t)sessions, sizeof *t);
    struct burst_slot *slots = calloc((size_t)sessions, sizeof *slots);
    double *lat = calloc((size_t)sessions, sizeof *lat);
    double began;
    int n, ok = 0;

    pthread_barrier_init(&gate, NULL, (unsigned)sessions + 1);
    n = start_workers(t, sessions, burst_worker, slots, sizeof *slots);
    if (n != sessions) {
        fprintf(stderr, "loadgen: only %d of %d threads started\n", n, sessions);
        return 1; /* the barrier can never open; exiting ends the threads */
    }
    pthread_barrier_wait(&gate);
    began = now_s();
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    double wall = now_s() - began;
    for (int i = 0; i < n; i++) {
        lat[i] = slots[i].latency_ms;
        ok += slots[i].ok;
    }
    qsort(lat, (size_t)n, sizeof *lat, by_double);
    printf("sessions=%d\nok=%d\nfailed=%d\nwall_s=%.3f\np50_ms=%.1f\np99_ms=%.1f\nmax_ms=%.1f\n",
           n, ok, n - ok, wall, lat[n / 2], lat[(n * 99) / 100], lat[n - 1]);
    return ok != n;
}

/* --- idle: hold N logged-out connections open, each past its greeting --- */
static int run_idle(int n)
{
    struct client *cs = calloc((size_t)n, sizeof *cs);
    int held = 0, refused = 0;
    char sink[256];

    for (int i = 0; i < n; i++) {
        if (client_alloc(&cs[i], 256) != 0 || client_connect(&cs[i]) != 0) {
            refused++;
            continue;
        }
        if (expect_line(&cs[i], "#Server Ready.") != 0) {
            close(cs[i].sock);
            cs[i].sock = -1;
            refused++;
            continue;
        }
        held++;
    }
    printf("held=%d\nrefused=%d\n", held, refused);
    fflush(stdout);
    /* The caller measures the server now, then closes our stdin. */
    while (read(0, sink, sizeof sink) > 0)
        ;
    for (int i = 0; i < n; i++)
        if (cs[i].sock >= 0)
            close(cs[i].sock);
    return held != n;
}

static void usage(void)
{
    fprintf(stderr, "usage: loadgen download|rate|burst HOST PORT PASS PATH SIZE ARGS...\n"
                    "       loadgen idle HOST PORT N\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct rlimit rl;

    if (argc < 5)
        usage();
    signal(SIGPIPE, SIG_IGN);
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    memset(&target, 0, sizeof target);
    target.sin_family = AF_INET;
    target.sin_port = htons((unsigned short)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &target.sin_addr) != 1)
        usage();
    if (strcmp(argv[1], "idle") == 0)
        return run_idle(atoi(argv[4]));
    if (argc < 8)
        usage();
    password = argv[4];
    path = argv[5];
    file_size = strtoull(argv[6], NULL, 10);
    if (strcmp(argv[1], "download") == 0)
        return run_download(atoi(argv[7]));
    if (strcmp(argv[1], "rate") == 0 && argc >= 9)
        return run_rate(atoi(argv[7]), atof(argv[8]));
    if (strcmp(argv[1], "burst") == 0)
        return run_burst(atoi(argv[7]));
    usage();
    return 2;
}
