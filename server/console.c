/* console.c - console mode (see console.h).
 *
 * The main thread waits for ESC; the console control handler runs on a
 * thread of its own made by the system. Both only set the server's stop
 * event, and the main thread does the stopping. */
#include "console.h"

#include <process.h>
#include <stdio.h>
#include <string.h>
#include <winsock2.h>

#include "server.h"
#include "settings.h"
#include "version.h"

#define STOP_WAIT_MS 5000
#define ESC 0x1b

static struct server the_server;
static struct config file_config; /* several KiB, and its strings outlive console_run's options */
static HANDLE stopped_event; /* set when the main thread has finished stopping */

static void say(const char *text)
{
    DWORD done;
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);

    WriteFile(out, text, (DWORD)strlen(text), &done, NULL);
}

static BOOL WINAPI on_console_event(DWORD event)
{
    server_request_stop(&the_server);
    /* After the handler returns from a close, logoff or shutdown event the
     * process is ended, so give the main thread its time to stop cleanly. */
    if (event == CTRL_CLOSE_EVENT || event == CTRL_LOGOFF_EVENT || event == CTRL_SHUTDOWN_EVENT)
        WaitForSingleObject(stopped_event, STOP_WAIT_MS);
    return TRUE;
}

static void wait_for_console_escape(HANDLE in)
{
    HANDLE waits[2];

    waits[0] = the_server.stop_event;
    waits[1] = in;
    while (WaitForMultipleObjects(2, waits, FALSE, INFINITE) == WAIT_OBJECT_0 + 1) {
        INPUT_RECORD rec[16];
        DWORD got = 0;
        if (!ReadConsoleInputW(in, rec, 16, &got))
            return;
        for (DWORD i = 0; i < got; i++) {
            if (rec[i].EventType == KEY_EVENT && rec[i].Event.KeyEvent.bKeyDown &&
                rec[i].Event.KeyEvent.wVirtualKeyCode == VK_ESCAPE)
                return;
        }
    }
}

/* stdin is a pipe or a file: an ESC byte stops the server, as the key does
 * on a console. At end of input the server keeps running. */
static unsigned __stdcall watch_piped_input(void *arg)
{
    HANDLE in = arg;
    char buf[256];
    DWORD got;

    while (ReadFile(in, buf, sizeof buf, &got, NULL) && got > 0) {
        if (memchr(buf, ESC, got) != NULL) {
            server_request_stop(&the_server);
            break;
        }
    }
    return 0;
}

static void wait_for_stop(void)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD mode;

    if (in != NULL && in != INVALID_HANDLE_VALUE && GetConsoleMode(in, &mode)) {
        wait_for_console_escape(in);
        server_request_stop(&the_server);
        return;
    }
    if (in != NULL && in != INVALID_HANDLE_VALUE) {
        HANDLE t = (HANDLE)_beginthreadex(NULL, 64u << 10, watch_piped_input, in,
                                          STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (t != NULL)
            CloseHandle(t); /* blocked in ReadFile; the process exit ends it */
    }
    WaitForSingleObject(the_server.stop_event, INFINITE);
}

/* MTS_PASSWORD first (tests and one-off runs), then the configuration's
 * password_hash, else a random password shown on the console. */
static int choose_credential(struct credential *c, int *generated, char *err, size_t errcap)
{
    *generated = 0;
    if (!credential_environment_has_password() && (file_config.set & CONFIG_PASSWORD_HASH))
        return credential_from_hash(c, file_config.password_hash, err, errcap);
    if (credential_from_environment(c, generated) != 0) {
        snprintf(err, errcap, "cannot set up the password");
        return -1;
    }
    return 0;
}

int console_run(const struct server_options *cmdline)
{
    struct server_options o = *cmdline, *opts = &o;
    struct server_settings settings;
    struct credential credential;
    struct logsink log;
    WSADATA wsa;
    char err[512], line[1024];
    int generated = 0, rc = 1;
    long left;

    SetConsoleOutputCP(CP_UTF8);
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "mtserver: WSAStartup failed\n");
        return 1;
    }
    stopped_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    config_init(&file_config);
    if (opts->config != NULL &&
        settings_load(opts->config, &file_config, opts, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        goto out_wsa;
    }
    if (choose_credential(&credential, &generated, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        goto out_wsa;
    }
    if (logsink_open(&log, 1, opts->log_file, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        goto out_credential;
    }
    logsink_set_rotation(&log, file_config.log_max_bytes, opts->log_keep);
    settings_for_server(opts, &settings);
    if (server_start(&the_server, &settings, &credential, &log, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        goto out_log;
    }
    SetConsoleCtrlHandler(on_console_event, TRUE);

    snprintf(line, sizeof line, "mtserver %s listening on %s, serving %s\r\n", MTS_VERSION,
             the_server.where, the_server.root.display);
    say(line);
    if (generated) {
        /* Shown on the console only, never written to the log file. */
        snprintf(line, sizeof line, "Password: %s\r\n", credential.password);
        say(line);
    }
    say("Press ESCAPE to terminate program\r\n");

    wait_for_stop();
    say("Stopping...\r\n");
    left = server_finish(&the_server, STOP_WAIT_MS);
    rc = 0;
    if (left > 0) {
        /* Those threads may still log or check a password: leave the log and
         * the credential alone and let the process exit end them. */
        snprintf(line, sizeof line, "%ld client(s) did not finish in time\r\n", left);
        say(line);
        SetEvent(stopped_event);
        return rc;
    }
    logsink_drain(&log, STOP_WAIT_MS); /* the log's lines before "Stopped." */
    say("Stopped.\r\n");
    SetEvent(stopped_event);
out_log:
    logsink_close(&log);
out_credential:
    credential_free(&credential);
out_wsa:
    WSACleanup();
    return rc;
}
