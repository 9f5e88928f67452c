/* main.c - mtsclient: downloads files from an mtserver.
 *
 * One connection for all the files: connect, read the greeting, log in
 * (common/clientlogin.c reads the replies), then one file at a time (see
 * download.c and common/fetch.c), or one LIST per folder for -l and -r
 * (folder.c), then QUIT. Exit code 0 when every
 * file was saved, 1 when some file was not, 2 for a usage, connection or
 * login error (including a connection lost part way through the list).
 *
 * Without TLS the password goes only to a loopback address unless --plain
 * or MTS_PLAIN=1 says otherwise (common/plainpol.h): the check comes before
 * the password is asked for, and conn_open connects to no other address. */
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "args.h"
#include "clientlogin.h"
#include "session.h"
#include "clientopts.h"
#include "command.h"
#include "conn.h"
#include "download.h"
#include "folder.h"
#include "password.h"
#include "plainpol.h"
#include "say.h"
#include "version.h"
#include "winerr.h"
#include "wstr.h"

enum { EXIT_ALL_SAVED = 0, EXIT_SOME_FAILED = 1, EXIT_TROUBLE = 2 };

static struct conn the_conn; /* big buffers: not on the stack */

static int check_out_dir(const char *dir)
{
    wchar_t *w;
    DWORD attrs, e;

    if (dir == NULL)
        return 0;
    w = wstr_from_utf8(dir, strlen(dir));
    attrs = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;
    e = GetLastError();
    free(w);
    if (attrs == INVALID_FILE_ATTRIBUTES &&
        winerr_kind(e) == WINERR_NOT_FOUND) {
        say_err("mtsclient: the folder %s does not exist (make it first)\n", dir);
        return -1;
    }
    if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY)) {
        say_err("mtsclient: %s is not a folder\n", dir);
        return -1;
    }
    return 0;
}

/* Reads one line during the greeting or login and says what went wrong. */
static int login_line(struct conn *c, const char **line, size_t *len, const char *waiting_for)
{
    char why[300];
    int rc = conn_read_line(c, line, len);

    if (rc != CONN_OK) {
        say_err("mtsclient: %s: %s while waiting for %s\n", c->where,
                conn_describe(c, rc, why, sizeof why), waiting_for);
        return -1;
    }
    return 0;
}

/* Sends one login line (USER, AUTH) and reads the server's answer to it,
 * waiting_for naming that answer in a message. The line is wiped once
 * sent: AUTH's holds the password. */
static int login_exchange(struct conn *c, char *line, size_t len, const char *waiting_for,
                          const char **reply, size_t *reply_len)
{
    int rc;

    if (len == 0) {
        /* Nothing to send: waiting for an answer would only time out. */
        say_err("mtsclient: %s: cannot log in: no request line could be made\n", c->where);
        return -1;
    }
    rc = conn_send(c, line, len);
    SecureZeroMemory(line, len);
    if (rc != CONN_OK) {
        char why[300];
        say_err("mtsclient: %s: cannot log in: %s\n", c->where,
                conn_describe(c, rc, why, sizeof why));
        return -1;
    }
    return login_line(c, reply, reply_len, waiting_for);
}

/* USER and its answer, before AUTH: the server answers any name alike,
 * so only a server without accounts (or a name it cannot take) refuses. */
static int send_user(struct conn *c, const char *user)
{
    char line[16 + SESSION_USER_MAX];
    const char *reply, *said;
    size_t len = clientlogin_user_line(user, line, sizeof line), said_len;
    enum clientlogin_outcome outcome;

    if (login_exchange(c, line, len, "the answer to USER", &reply, &len) != 0)
        return -1;
    switch (outcome = clientlogin_user_answer(reply, len, &said, &said_len)) {
    case CLIENTLOGIN_GO_ON:
        return 0;
    case CLIENTLOGIN_REFUSED:
        say_err("mtsclient: %s: cannot log in as %s: %.*s\n", c->where, user, (int)said_len,
                said);
        return -1;
    default:
        say_err("mtsclient: %s: %s\n", c->where, clientlogin_describe(outcome));
        return -1;
    }
}

/* The greeting, USER (when user is not NULL), AUTH and their answers; what
 * each reply means is common/clientlogin.c's to say. */
static int log_in(struct conn *c, const char *user, const char *password)
{
    char line[16 + PASSWORD_MAX];
    const char *reply, *said;
    size_t plen = strlen(password), len, said_len;
    enum clientlogin_outcome outcome;
    int rc;

    rc = conn_read_line(c, &reply, &len);
    if (rc == CONN_CLOSED) {
        /* Closed before a word: what the server's allow/deny rules do. */
        say_err("mtsclient: %s: %s\n", c->where, clientlogin_describe(CLIENTLOGIN_CLOSED));
        return -1;
    }
    if (rc != CONN_OK) {
        char why[300];
        say_err("mtsclient: %s: %s while waiting for the greeting\n", c->where,
                conn_describe(c, rc, why, sizeof why));
        return -1;
    }
    switch (outcome = clientlogin_greeting(reply, len, &said, &said_len)) {
    case CLIENTLOGIN_GO_ON:
        break;
    case CLIENTLOGIN_NOT_MTSERVER:
        say_err("mtsclient: %s %s\n", c->where, clientlogin_describe(outcome));
        return -1;
    case CLIENTLOGIN_REFUSED:
        say_err("mtsclient: %s: %s: %.*s\n", c->where, clientlogin_describe(outcome),
                (int)said_len, said);
        return -1;
    default:
        say_err("mtsclient: %s: %s\n", c->where, clientlogin_describe(outcome));
        return -1;
    }
    if (user != NULL && send_user(c, user) != 0)
        return -1;
    len = clientlogin_auth_line(password, plen, line, sizeof line);
    if (login_exchange(c, line, len, "the answer to the password", &reply, &len) != 0)
        return -1;
    switch (outcome = clientlogin_answer(reply, len, &said, &said_len)) {
    case CLIENTLOGIN_GO_ON:
        return 0;
    case CLIENTLOGIN_REFUSED:
        say_err("mtsclient: %s: cannot log in: %.*s\n", c->where, (int)said_len, said);
        return -1;
    default:
        say_err("mtsclient: %s: %s\n", c->where, clientlogin_describe(outcome));
        return -1;
    }
}

/* A password AUTH cannot carry (a control character, only blanks) is
 * refused before connecting, in command_password_problem's words, rather
 * than sent for the server to refuse. */
static int check_password(const char *password)
{
    char line[16 + PASSWORD_MAX];
    size_t plen = strlen(password), len = clientlogin_auth_line(password, plen, line, sizeof line);
    const char *why;

    SecureZeroMemory(line, sizeof line);
    if (len > 0)
        return 0;
    why = command_password_problem(password, plen);
    say_err("mtsclient: the password %s\n", why != NULL ? why : "does not fit one request line");
    return -1;
}

/* MTS_PLAIN's value for plainpol_reach: "1", something else, or NULL when
 * it is not set. Only "1" counts, so a few characters are enough. */
static const char *plain_from_environment(char *buf, size_t cap)
{
    wchar_t w[8];
    DWORD n = GetEnvironmentVariableW(L"MTS_PLAIN", w, sizeof w / sizeof w[0]);
    size_t i;

    if (n == 0)
        return NULL;
    if (n >= sizeof w / sizeof w[0])
        return "(long)";
    for (i = 0; i < n && i + 1 < cap; i++)
        buf[i] = w[i] < 0x80 ? (char)w[i] : '?';
    buf[i] = '\0';
    return buf;
}

/* The account to log in as: -u, else MTS_USER (NULL: neither, the shared
 * password). A name no account could have is refused before the password
 * is asked for; *bad is then 1. Only ASCII can make a name, so anything
 * else becomes '?', which the check refuses. */
static const char *user_from(const struct client_options *opts, char *buf, size_t cap, int *bad)
{
    wchar_t w[SESSION_USER_MAX + 2];
    const char *name = opts->user;
    char why[120];
    DWORD n;
    size_t i;

    *bad = 0;
    if (name == NULL) {
        n = GetEnvironmentVariableW(L"MTS_USER", w, sizeof w / sizeof w[0]);
        if (n == 0)
            return NULL;
        if (n >= sizeof w / sizeof w[0])
            n = SESSION_USER_MAX + 1; /* too long: cut, and refused as such below */
        for (i = 0; i < n && i + 1 < cap; i++)
            buf[i] = w[i] > 0 && w[i] < 0x80 ? (char)w[i] : '?';
        buf[i] = '\0';
        name = buf;
    }
    if (clientlogin_user_problem(name, why, sizeof why) != 0) {
        say_err("mtsclient: %s: %s\n", opts->user != NULL ? "-u" : "MTS_USER", why);
        *bad = 1;
        return NULL;
    }
    return name;
}

static int run(const struct client_options *opts)
{
    char password[PASSWORD_MAX + 1], err[600], plain_env[8], user_env[SESSION_USER_MAX + 2];
    const char *user;
    int bad_user;
    WSADATA wsa;
    int failed = 0, code = EXIT_TROUBLE, wsa_error, loopback_only;

    if (check_out_dir(opts->out_dir) != 0)
        return EXIT_TROUBLE;
    user = user_from(opts, user_env, sizeof user_env, &bad_user);
    if (bad_user)
        return EXIT_TROUBLE;
    /* WSAStartup returns its error rather than setting the last error. */
    wsa_error = WSAStartup(MAKEWORD(2, 2), &wsa);
    if (wsa_error != 0) {
        char why[300];
        say_err("mtsclient: Winsock would not start: %s\n",
                winerr_text((unsigned long)wsa_error, why, sizeof why));
        return EXIT_TROUBLE;
    }
    /* Without TLS the password crosses the network in clear: it may go only
     * to this machine unless the user said otherwise (common/plainpol.h).
     * Checked before the password is asked for, and enforced by conn_open
     * on the addresses it connects to. */
    loopback_only = plainpol_reach(opts->tls, opts->plain,
                                   plain_from_environment(plain_env, sizeof plain_env)) ==
                    PLAINPOL_LOOPBACK_ONLY;
    if (loopback_only && conn_reaches_loopback(opts->host, opts->port, err, sizeof err) ==
                             CONN_OPEN_NOT_LOOPBACK) {
        say_err("mtsclient: %s\n", err);
        WSACleanup();
        return EXIT_TROUBLE;
    }
    /* Ask for the password before connecting, so the server's idle timer does
     * not run while the user types. */
    if (password_get(password, sizeof password, err, sizeof err) != 0) {
        say_err("mtsclient: %s\n", err);
        WSACleanup();
        return EXIT_TROUBLE;
    }
    if (check_password(password) != 0) {
        password_forget(password, sizeof password);
        WSACleanup();
        return EXIT_TROUBLE;
    }
    if (conn_open(&the_conn, opts->host, opts->port, opts->timeout_s * 1000u, opts->tls,
                  opts->fingerprint, opts->pin_key, loopback_only, err, sizeof err) != 0) {
        say_err("mtsclient: %s\n", err);
        goto out;
    }
    if (log_in(&the_conn, user, password) != 0)
        goto out;
    password_forget(password, sizeof password);
    for (int i = 0; i < opts->nfiles || (opts->list && i == 0); i++) {
        enum download_result res =
            opts->list   ? folder_list(&the_conn, opts, opts->nfiles ? opts->files[i] : NULL)
            : opts->tree ? folder_download(&the_conn, opts, opts->files[i])
                         : download_file(&the_conn, opts, opts->files[i]);
        if (res == DOWNLOAD_SAVED)
            continue;
        failed++;
        if (res == DOWNLOAD_FATAL) {
            if (i + 1 < opts->nfiles)
                say_err("mtsclient: %d more file(s) not downloaded\n", opts->nfiles - i - 1);
            conn_close(&the_conn);
            goto out;
        }
    }
    conn_quit(&the_conn);
    code = failed == 0 ? EXIT_ALL_SAVED : EXIT_SOME_FAILED;
out:
    password_forget(password, sizeof password);
    conn_close(&the_conn);
    WSACleanup();
    return code;
}

int main(void)
{
    struct client_options opts;
    char err[512], **argv, **files;
    int argc;

    if (args_utf8(&argc, &argv) != 0) {
        say_err("mtsclient: cannot read the command line\n");
        return EXIT_TROUBLE;
    }
    files = calloc((size_t)argc + 1, sizeof *files);
    if (files == NULL) {
        say_err("mtsclient: out of memory\n");
        return EXIT_TROUBLE;
    }
    clientopts_init(&opts);
    if (clientopts_parse(&opts, argc, argv, files, err, sizeof err) != 0) {
        say_err("mtsclient: %s\n", err);
        return EXIT_TROUBLE;
    }
    if (opts.help) {
        say_out("%s", clientopts_usage());
        return EXIT_ALL_SAVED;
    }
    if (opts.version) {
        say_out("mtsclient %s\n", MTS_VERSION);
        return EXIT_ALL_SAVED;
    }
    if (opts.nfiles == 0 && !opts.list) {
        say_err("%s", clientopts_usage());
        return EXIT_TROUBLE;
    }
    return run(&opts);
}
