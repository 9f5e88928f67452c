/* svcctl.c - install, uninstall, start, stop and status (see svcctl.h).
 *
 * Runs on the main thread of a console process, one command per run. */
#include "svcctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <aclapi.h>
#include <bcrypt.h>
#include <sddl.h>
#include <shellapi.h>

#include "config.h"
#include "credential.h"
#include "eventlog.h"
#include "host.h"
#include "service.h"
#include "settings.h"
#include "winerr.h"
#include "wstr.h"

#define WAIT_LIMIT_MS 60000
#define POLL_MS 250
#define VIRTUAL_ACCOUNT L"NT SERVICE\\mtserver"
#define LOCAL_SERVICE L"NT AUTHORITY\\LocalService"
#define PATH_CAP 1024 /* UTF-16 units; the configuration's text values fit too */
/* The data folders' permissions, completed with the service's SID: the
 * configuration (it holds the password hash) is for SYSTEM, administrators
 * and the service to read; the logs folder the service may also write. The
 * whole DACL is spelt out (not inherited), as Wine maps a DACL to Unix
 * permissions without inheritance. */
#define CONFIG_FOLDER_SDDL L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;%ls)"
#define LOGS_FOLDER_SDDL L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;%ls)"
#define SDDL_CAP 400

static void win_error(const char *what, DWORD code)
{
    char why[300];

    fprintf(stderr, "mtserver: %s: %s\n", what, winerr_text(code, why, sizeof why));
}

static int needs_administrator(void)
{
    fprintf(stderr, "mtserver: this command needs administrator rights "
                    "(run it from an elevated prompt)\n");
    return SVCCTL_EXIT_ACCESS;
}

static SC_HANDLE open_scm(DWORD access, int *rc)
{
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, access);

    if (scm == NULL) {
        DWORD e = GetLastError();
        if (e == ERROR_ACCESS_DENIED) {
            *rc = needs_administrator();
        } else {
            win_error("cannot open the Service Control Manager", e);
            *rc = SVCCTL_EXIT_FAILED;
        }
    }
    return scm;
}

static SC_HANDLE open_service(SC_HANDLE scm, DWORD access, int *rc)
{
    SC_HANDLE svc = OpenServiceW(scm, MTS_SERVICE_NAME, access);

    if (svc == NULL) {
        DWORD e = GetLastError();
        if (e == ERROR_SERVICE_DOES_NOT_EXIST) {
            fprintf(stderr, "mtserver: the service mtserver is not installed (see mtserver install)\n");
            *rc = SVCCTL_EXIT_NOT_INSTALLED;
        } else if (e == ERROR_ACCESS_DENIED) {
            *rc = needs_administrator();
        } else {
            win_error("cannot open the service mtserver", e);
            *rc = SVCCTL_EXIT_FAILED;
        }
    }
    return svc;
}

static const char *state_name(DWORD state)
{
    switch (state) {
    case SERVICE_STOPPED: return "STOPPED";
    case SERVICE_START_PENDING: return "START_PENDING";
    case SERVICE_STOP_PENDING: return "STOP_PENDING";
    case SERVICE_RUNNING: return "RUNNING";
    case SERVICE_CONTINUE_PENDING: return "CONTINUE_PENDING";
    case SERVICE_PAUSE_PENDING: return "PAUSE_PENDING";
    case SERVICE_PAUSED: return "PAUSED";
    }
    return "UNKNOWN";
}

static int query(SC_HANDLE svc, SERVICE_STATUS_PROCESS *st)
{
    DWORD need;

    return QueryServiceStatusEx(svc, SC_STATUS_PROCESS_INFO, (LPBYTE)st, sizeof *st, &need) ? 0
                                                                                           : -1;
}

/* Polls until the service leaves `pending` (or the time limit passes).
 * Returns 0 with the last status in *st, or -1 when it could not ask. */
static int wait_while(SC_HANDLE svc, DWORD pending, SERVICE_STATUS_PROCESS *st)
{
    ULONGLONG until = GetTickCount64() + WAIT_LIMIT_MS;

    for (;;) {
        if (query(svc, st) != 0)
            return -1;
        if (st->dwCurrentState != pending || GetTickCount64() >= until)
            return 0;
        Sleep(POLL_MS);
    }
}

static const char *exit_meaning(DWORD code)
{
    switch (code) {
    case HOST_FAIL_CONFIG: return "the configuration file is missing or invalid";
    case HOST_FAIL_PASSWORD: return "password_hash is missing or invalid";
    case HOST_FAIL_ROOT: return "the root folder is not set or does not exist";
    case HOST_FAIL_LOG: return "the access log file cannot be opened";
    case HOST_FAIL_START: return "the server could not start (is the port in use?)";
    case HOST_FAIL_SYSTEM: return "a system call failed";
    }
    return "unknown";
}

static void describe_exit(const SERVICE_STATUS_PROCESS *st)
{
    if (st->dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR)
        printf("mtserver: last exit: service-specific error %lu (%s)\n",
               (unsigned long)st->dwServiceSpecificExitCode,
               exit_meaning(st->dwServiceSpecificExitCode));
    else if (st->dwWin32ExitCode != NO_ERROR) {
        char why[300];
        printf("mtserver: last exit: %s\n", winerr_text(st->dwWin32ExitCode, why, sizeof why));
    }
}

/* The service's configuration as the SCM holds it (malloc'd), or NULL. */
static QUERY_SERVICE_CONFIGW *service_config(SC_HANDLE svc)
{
    QUERY_SERVICE_CONFIGW *qc;
    DWORD need = 0;

    QueryServiceConfigW(svc, NULL, 0, &need);
    qc = need > 0 ? malloc(need) : NULL;
    if (qc != NULL && !QueryServiceConfigW(svc, qc, need, &need)) {
        free(qc);
        qc = NULL;
    }
    return qc;
}

/* The options the installed service runs with: its command line as the SCM
 * holds it, parsed as main() would. The strings live until the process ends. */
static int service_options(SC_HANDLE svc, struct server_options *o)
{
    QUERY_SERVICE_CONFIGW *qc = NULL;
    wchar_t **wargv = NULL;
    char **argv = NULL, err[300];
    int argc = 0, rc = -1;

    options_init(o);
    qc = service_config(svc);
    if (qc == NULL)
        goto out;
    wargv = CommandLineToArgvW(qc->lpBinaryPathName, &argc);
    argv = wargv != NULL ? calloc((size_t)argc + 1, sizeof *argv) : NULL;
    if (argv == NULL)
        goto out;
    for (int i = 0; i < argc; i++) {
        argv[i] = wstr_to_utf8(wargv[i]);
        if (argv[i] == NULL)
            goto out; /* the strings made so far are kept, as promised */
    }
    rc = options_parse(o, argc, argv, err, sizeof err) == 0 ? 0 : -1;
out:
    if (wargv != NULL)
        LocalFree(wargv);
    free(qc);
    return rc;
}

/* After a failed start, repeats the service's own checks here, where a
 * person can read the answer (the Event Log has it too, on Windows). */
static void diagnose(SC_HANDLE svc)
{
    struct server_options o;
    char err[1024];

    if (service_options(svc, &o) != 0)
        return;
    if (host_check(&o, err, sizeof err) != 0)
        fprintf(stderr, "mtserver: %s\n", err);
}

/* ---- install ---- */

/* The SID of NT SERVICE\<name>, as the system derives it: S-1-5-80- and the
 * SHA-1 of the upper-case service name in UTF-16LE, as five little-endian
 * 32-bit numbers. Computed rather than looked up, because the account only
 * exists once the system has made it, and Wine never does. */
static int service_sid_string(wchar_t *out, size_t cap)
{
    static const wchar_t upper[] = L"MTSERVER";
    BCRYPT_ALG_HANDLE alg = NULL;
    BCRYPT_HASH_HANDLE hash = NULL;
    unsigned char d[20], bytes[sizeof upper - sizeof upper[0]];
    unsigned long part[5];
    int ok;

    for (size_t i = 0; i + 1 < sizeof upper / sizeof upper[0]; i++) {
        bytes[2 * i] = (unsigned char)(upper[i] & 0xff);
        bytes[2 * i + 1] = (unsigned char)(upper[i] >> 8);
    }
    ok = BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA1_ALGORITHM, NULL, 0)) &&
         BCRYPT_SUCCESS(BCryptCreateHash(alg, &hash, NULL, 0, NULL, 0, 0)) &&
         BCRYPT_SUCCESS(BCryptHashData(hash, bytes, sizeof bytes, 0)) &&
         BCRYPT_SUCCESS(BCryptFinishHash(hash, d, sizeof d, 0));
    if (hash != NULL)
        BCryptDestroyHash(hash);
    if (alg != NULL)
        BCryptCloseAlgorithmProvider(alg, 0);
    if (!ok)
        return -1;
    for (int i = 0; i < 5; i++)
        part[i] = (unsigned long)d[4 * i] | (unsigned long)d[4 * i + 1] << 8 |
                  (unsigned long)d[4 * i + 2] << 16 | (unsigned long)d[4 * i + 3] << 24;
    return swprintf(out, cap, L"S-1-5-80-%lu-%lu-%lu-%lu-%lu", part[0], part[1], part[2], part[3],
                    part[4]) > 0
               ? 0
               : -1;
}

/* Makes a folder with the permissions sddl_format gives with the service's
 * SID (NULL: inherited ones). A folder that exists gets them only while it
 * still inherits its permissions (made by the MSI, or by hand): one whose
 * permissions an administrator has set is left as it is. */
static int secure_folder(const wchar_t *path, const wchar_t *sddl_format, const wchar_t *sid)
{
    wchar_t sddl[SDDL_CAP];
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, FALSE};
    PSECURITY_DESCRIPTOR now = NULL;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    PACL dacl = NULL;
    BOOL present = FALSE, defaulted = FALSE;
    DWORD revision, rc = ERROR_SUCCESS;

    if (sddl_format != NULL) {
        swprintf(sddl, SDDL_CAP, sddl_format, sid);
        if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1,
                                                                  &sa.lpSecurityDescriptor, NULL))
            return -1;
    }
    if (CreateDirectoryW(path, sa.lpSecurityDescriptor != NULL ? &sa : NULL))
        goto out;
    rc = GetLastError();
    if (rc != ERROR_ALREADY_EXISTS || sa.lpSecurityDescriptor == NULL) {
        rc = rc == ERROR_ALREADY_EXISTS ? ERROR_SUCCESS : rc;
        goto out;
    }
    rc = GetNamedSecurityInfoW(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL, NULL,
                               NULL, &now);
    if (rc != ERROR_SUCCESS)
        goto out;
    if (!GetSecurityDescriptorControl(now, &control, &revision)) {
        rc = GetLastError();
        goto out;
    }
    if (control & SE_DACL_PROTECTED)
        goto out; /* set on purpose: not ours to change */
    if (!GetSecurityDescriptorDacl(sa.lpSecurityDescriptor, &present, &dacl, &defaulted)) {
        rc = GetLastError();
        goto out;
    }
    /* Protected: no longer inherits from ProgramData, where users may read. */
    rc = SetNamedSecurityInfoW((LPWSTR)path, SE_FILE_OBJECT,
                               DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                               NULL, NULL, dacl, NULL);
out:
    if (now != NULL)
        LocalFree(now);
    if (sa.lpSecurityDescriptor != NULL)
        LocalFree(sa.lpSecurityDescriptor);
    SetLastError(rc);
    return rc == ERROR_SUCCESS ? 0 : -1;
}

static int full_path(const char *utf8, wchar_t *out, DWORD cap)
{
    wchar_t *w = wstr_from_utf8(utf8, strlen(utf8));
    DWORD n = w != NULL ? GetFullPathNameW(w, cap, out, NULL) : 0;

    free(w);
    return n > 0 && n < cap ? 0 : -1;
}

static void utf8_of(const wchar_t *w, char *out, size_t cap)
{
    char *u = wstr_to_utf8(w);

    snprintf(out, cap, "%s", u != NULL ? u : "?");
    free(u);
}

/* Appends "key = value" for a number given on the command line, else the
 * default as a comment, so that the file lists every setting. *n is the
 * length so far, or negative once the text does not fit. */
static void append_number(char *text, size_t cap, int *n, const char *key, unsigned value,
                          int given)
{
    int more;

    if (*n < 0 || (size_t)*n >= cap)
        return;
    more = snprintf(text + *n, cap - (size_t)*n, "%s%s = %u\r\n", given ? "" : "; ", key, value);
    *n = more < 0 ? -1 : *n + more;
}

#define NUMBER_LINE(field, option, key, min, max, def, option_bit, config_bit) \
    append_number(text, sizeof text, &n, key, o->field, (o->set & (option_bit)) != 0);

/* Writes the first configuration: the install command's options, defaults
 * for the rest, and folders next to the configuration file. */
static int write_default_config(const wchar_t *config, const wchar_t *base,
                                const struct server_options *o, const wchar_t *sid)
{
    static char text[8 * PATH_CAP * 3];
    wchar_t wroot[PATH_CAP], wlog[PATH_CAP], logs[PATH_CAP];
    char root[PATH_CAP * 3], log[PATH_CAP * 3], bind[300];
    HANDLE f;
    DWORD done;
    int n;

    if (o->root != NULL) {
        if (full_path(o->root, wroot, PATH_CAP) != 0)
            return -1;
    } else {
        swprintf(wroot, PATH_CAP, L"%ls\\files", base);
        secure_folder(wroot, NULL, sid); /* inherits the base folder's permissions */
    }
    swprintf(logs, PATH_CAP, L"%ls\\logs", base);
    if (o->log_file != NULL) {
        if (full_path(o->log_file, wlog, PATH_CAP) != 0)
            return -1;
    } else {
        secure_folder(logs, LOGS_FOLDER_SDDL, sid);
        swprintf(wlog, PATH_CAP, L"%ls\\access.log", logs);
    }
    utf8_of(wroot, root, sizeof root);
    utf8_of(wlog, log, sizeof log);
    if (o->bind != NULL)
        snprintf(bind, sizeof bind, "bind = %s", o->bind);
    else
        snprintf(bind, sizeof bind, "; bind = 127.0.0.1");
    n = snprintf(text, sizeof text,
                 "; mtserver configuration, UTF-8. Every key is described in docs/ADMIN.md.\r\n"
                 "; Lines are \"key = value\"; lines starting with ';' or '#' are comments.\r\n"
                 "; The service reads this file when it starts: restart it after a change.\r\n"
                 "[mtserver]\r\n"
                 "%s\r\n"
                 "root = %s\r\n"
                 "log_file = %s\r\n"
                 "log_max_bytes = %u\r\n"
                 "; password_hash is written by \"mtserver passwd\"; the service needs one.\r\n"
                 "; The numbers not given to \"mtserver install\" are shown at their defaults.\r\n",
                 bind, root, log, CONFIG_DEFAULT_LOG_MAX_BYTES);
    OPTIONS_NUMBERS(NUMBER_LINE)
    if (n < 0 || (size_t)n >= sizeof text)
        return -1;
    f = CreateFileW(config, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return -1;
    if (!WriteFile(f, text, (DWORD)n, &done, NULL) || done != (DWORD)n) {
        CloseHandle(f);
        DeleteFileW(config);
        return -1;
    }
    CloseHandle(f);
    return 0;
}

static void configure_service(SC_HANDLE svc)
{
    SERVICE_DESCRIPTIONW desc = {(LPWSTR)MTS_SERVICE_DESCRIPTION};
    SC_ACTION actions[3] = {{SC_ACTION_RESTART, 5000}, {SC_ACTION_RESTART, 10000},
                            {SC_ACTION_RESTART, 60000}};
    SERVICE_FAILURE_ACTIONSW failure = {86400, NULL, NULL, 3, NULL};
    SERVICE_SID_INFO sid = {SERVICE_SID_TYPE_UNRESTRICTED};
    SERVICE_PRESHUTDOWN_INFO pre = {15000};

    failure.lpsaActions = actions;
    /* Each is a refinement: the service works without it, so a refusal is
     * reported and installation goes on. */
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_DESCRIPTION, &desc))
        win_error("warning: cannot set the description", GetLastError());
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS, &failure))
        win_error("warning: cannot set the recovery actions", GetLastError());
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_SERVICE_SID_INFO, &sid))
        win_error("warning: cannot set the service SID type", GetLastError());
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_PRESHUTDOWN_INFO, &pre))
        win_error("warning: cannot set the pre-shutdown timeout", GetLastError());
}

/* The configuration file's full path (--config, else the default under
 * ProgramData) and the folder it is in. */
static int config_paths(const struct server_options *opts, wchar_t *config, wchar_t *base)
{
    char text[PATH_CAP * 3], err[400];
    wchar_t *slash;

    if (settings_config_path(opts->config, text, sizeof text, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s\n", err);
        return -1;
    }
    if (full_path(text, config, PATH_CAP) != 0) {
        fprintf(stderr, "mtserver: bad configuration file name %s\n", text);
        return -1;
    }
    wcscpy(base, config);
    slash = wcsrchr(base, L'\\');
    if (slash != NULL)
        *slash = L'\0';
    return 0;
}

/* The SID the folders' permissions name: the service's own, or LocalService's. */
static void account_sid(int local_service, wchar_t *sid, size_t cap)
{
    if (local_service || service_sid_string(sid, cap) != 0)
        wcscpy(sid, L"LS");
}

int svcctl_install(const struct server_options *opts)
{
    wchar_t exe[PATH_CAP], config[PATH_CAP], base[PATH_CAP], cmd[3 * PATH_CAP], sid[128];
    char text[PATH_CAP * 3], shown[PATH_CAP * 3];
    const wchar_t *account = VIRTUAL_ACCOUNT;
    int local_service = 0;
    SC_HANDLE scm = NULL, svc = NULL;
    DWORD n, attr;
    long reg;
    int rc = SVCCTL_EXIT_FAILED;

    n = GetModuleFileNameW(NULL, exe, PATH_CAP);
    if (n == 0 || n >= PATH_CAP) {
        win_error("cannot find mtserver.exe's own path", GetLastError());
        return rc;
    }
    if (config_paths(opts, config, base) != 0)
        return rc;
    if (opts->config != NULL)
        swprintf(cmd, 3 * PATH_CAP, L"\"%ls\" --config \"%ls\"", exe, config);
    else
        swprintf(cmd, 3 * PATH_CAP, L"\"%ls\"", exe);

    scm = open_scm(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, &rc);
    if (scm == NULL)
        return rc;
    svc = CreateServiceW(scm, MTS_SERVICE_NAME, MTS_SERVICE_DISPLAY_NAME, SERVICE_ALL_ACCESS,
                         SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL, cmd,
                         NULL, NULL, NULL, account, NULL);
    if (svc == NULL && GetLastError() == ERROR_INVALID_SERVICE_ACCOUNT) {
        /* No virtual accounts here (older or unusual systems). */
        account = LOCAL_SERVICE;
        local_service = 1;
        svc = CreateServiceW(scm, MTS_SERVICE_NAME, MTS_SERVICE_DISPLAY_NAME, SERVICE_ALL_ACCESS,
                             SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
                             cmd, NULL, NULL, NULL, account, NULL);
    }
    if (svc == NULL) {
        DWORD e = GetLastError();
        if (e == ERROR_SERVICE_EXISTS)
            fprintf(stderr, "mtserver: the service mtserver is already installed (to upgrade: "
                            "mtserver stop, replace mtserver.exe, mtserver start)\n");
        else if (e == ERROR_ACCESS_DENIED) {
            rc = needs_administrator();
        } else
            win_error("cannot create the service", e);
        goto out;
    }
    configure_service(svc);
    reg = eventlog_install(exe);
    if (reg != 0)
        win_error("warning: cannot register the event source", (DWORD)reg);

    account_sid(local_service, sid, sizeof sid / sizeof sid[0]);
    if (secure_folder(base, CONFIG_FOLDER_SDDL, sid) != 0)
        win_error("warning: cannot create the configuration folder", GetLastError());
    utf8_of(config, shown, sizeof shown);
    attr = GetFileAttributesW(config);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        printf("mtserver: keeping the existing configuration %s\n", shown);
    } else if (write_default_config(config, base, opts, sid) != 0) {
        win_error("warning: cannot write the configuration file", GetLastError());
    } else {
        printf("mtserver: wrote the configuration %s\n", shown);
    }
    utf8_of(cmd, text, sizeof text);
    printf("mtserver: installed the service mtserver (MT File Server)\n"
           "  command line: %s\n"
           "  account: %s\n"
           "Next: mtserver passwd%s%s, then mtserver start\n",
           text, local_service ? "NT AUTHORITY\\LocalService" : "NT SERVICE\\mtserver",
           opts->config != NULL ? " --config " : "", opts->config != NULL ? shown : "");
    rc = 0;
out:
    if (svc != NULL)
        CloseServiceHandle(svc);
    CloseServiceHandle(scm);
    return rc;
}

int svcctl_configure(const struct server_options *opts)
{
    wchar_t config[PATH_CAP], base[PATH_CAP], logs[PATH_CAP], sid[128];
    char shown[PATH_CAP * 3];
    SC_HANDLE scm, svc;
    int rc = SVCCTL_EXIT_FAILED;

    if (config_paths(opts, config, base) != 0)
        return rc;
    scm = open_scm(SC_MANAGER_CONNECT, &rc);
    if (scm == NULL)
        return rc;
    svc = open_service(scm, SERVICE_CHANGE_CONFIG | SERVICE_QUERY_CONFIG, &rc);
    if (svc != NULL) {
        QUERY_SERVICE_CONFIGW *qc = service_config(svc);
        /* The MSI registers the virtual account; install may have fallen
         * back to LocalService. */
        int local_service = qc != NULL && qc->lpServiceStartName != NULL &&
                            lstrcmpiW(qc->lpServiceStartName, LOCAL_SERVICE) == 0;

        free(qc);
        configure_service(svc);
        CloseServiceHandle(svc);
        account_sid(local_service, sid, sizeof sid / sizeof sid[0]);
        swprintf(logs, PATH_CAP, L"%ls\\logs", base);
        /* The configuration folder first: its permissions pass on to the
         * logs folder, which then gets its own. */
        if (secure_folder(base, CONFIG_FOLDER_SDDL, sid) != 0)
            win_error("warning: cannot set the configuration folder's permissions",
                      GetLastError());
        if (secure_folder(logs, LOGS_FOLDER_SDDL, sid) != 0)
            win_error("warning: cannot set the logs folder's permissions", GetLastError());
        utf8_of(base, shown, sizeof shown);
        printf("mtserver: configured the service mtserver and the folder %s\n", shown);
        rc = 0;
    }
    CloseServiceHandle(scm);
    return rc;
}

/* ---- uninstall, start, stop, status ---- */

/* Asks the service to stop and waits. Returns 0 when it is stopped. */
static int stop_and_wait(SC_HANDLE svc, SERVICE_STATUS_PROCESS *st)
{
    SERVICE_STATUS ss;
    ULONGLONG until;

    if (query(svc, st) != 0)
        return -1;
    if (st->dwCurrentState == SERVICE_STOPPED)
        return 0;
    /* A starting service accepts no controls yet. */
    if (st->dwCurrentState == SERVICE_START_PENDING &&
        wait_while(svc, SERVICE_START_PENDING, st) != 0)
        return -1;
    if (st->dwCurrentState != SERVICE_STOPPED && st->dwCurrentState != SERVICE_STOP_PENDING &&
        !ControlService(svc, SERVICE_CONTROL_STOP, &ss) &&
        GetLastError() != ERROR_SERVICE_NOT_ACTIVE) {
        win_error("cannot stop the service", GetLastError());
        return -1;
    }
    until = GetTickCount64() + WAIT_LIMIT_MS;
    while (query(svc, st) == 0 && st->dwCurrentState != SERVICE_STOPPED &&
           GetTickCount64() < until)
        Sleep(POLL_MS);
    return st->dwCurrentState == SERVICE_STOPPED ? 0 : -1;
}

/* Opens the service with `access`, runs the command on it and closes both
 * handles: the part every command but install shares. */
static int on_service(DWORD access, int (*command)(SC_HANDLE svc))
{
    SC_HANDLE scm, svc;
    int rc = SVCCTL_EXIT_FAILED;

    scm = open_scm(SC_MANAGER_CONNECT, &rc);
    if (scm == NULL)
        return rc;
    svc = open_service(scm, access, &rc);
    if (svc != NULL) {
        rc = command(svc);
        CloseServiceHandle(svc);
    }
    CloseServiceHandle(scm);
    return rc;
}

static int uninstall(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;
    long reg;

    if (stop_and_wait(svc, &st) != 0) {
        fprintf(stderr, "mtserver: the service did not stop; not removed\n");
        return SVCCTL_EXIT_FAILED;
    }
    if (!DeleteService(svc)) {
        win_error("cannot remove the service", GetLastError());
        return SVCCTL_EXIT_FAILED;
    }
    reg = eventlog_uninstall();
    if (reg != 0)
        win_error("warning: cannot remove the event source", (DWORD)reg);
    printf("mtserver: removed the service mtserver (its configuration and logs are kept)\n");
    return 0;
}

static int start(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;

    if (!StartServiceW(svc, 0, NULL) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
        win_error("cannot start the service", GetLastError());
        return SVCCTL_EXIT_FAILED;
    }
    /* The SCM may still show STOPPED for a moment after StartService. */
    for (int i = 0; i < 8 && query(svc, &st) == 0 && st.dwCurrentState == SERVICE_STOPPED &&
                    st.dwWin32ExitCode == NO_ERROR;
         i++)
        Sleep(POLL_MS);
    if (wait_while(svc, SERVICE_START_PENDING, &st) != 0) {
        win_error("cannot query the service", GetLastError());
        return SVCCTL_EXIT_FAILED;
    }
    printf("mtserver: %s", state_name(st.dwCurrentState));
    if (st.dwCurrentState == SERVICE_RUNNING) {
        printf(" (process %lu)\n", (unsigned long)st.dwProcessId);
        return 0;
    }
    printf("\n");
    describe_exit(&st);
    if (st.dwCurrentState == SERVICE_STOPPED)
        diagnose(svc);
    return SVCCTL_EXIT_FAILED;
}

static int stop(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;
    int rc = stop_and_wait(svc, &st) == 0 ? 0 : SVCCTL_EXIT_FAILED;

    printf("mtserver: %s\n", state_name(st.dwCurrentState));
    return rc;
}

static int status(SC_HANDLE svc)
{
    SERVICE_STATUS_PROCESS st;

    if (query(svc, &st) != 0) {
        win_error("cannot query the service", GetLastError());
        return SVCCTL_EXIT_FAILED;
    }
    printf("mtserver: %s", state_name(st.dwCurrentState));
    if (st.dwProcessId != 0)
        printf(" (process %lu)", (unsigned long)st.dwProcessId);
    printf("\n");
    if (st.dwCurrentState == SERVICE_STOPPED)
        describe_exit(&st);
    return st.dwCurrentState == SERVICE_RUNNING ? 0 : SVCCTL_EXIT_FAILED;
}

int svcctl_uninstall(void)
{
    return on_service(DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS, uninstall);
}

int svcctl_start(void)
{
    return on_service(SERVICE_START | SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, start);
}

int svcctl_stop(void)
{
    return on_service(SERVICE_STOP | SERVICE_QUERY_STATUS, stop);
}

int svcctl_status(void)
{
    return on_service(SERVICE_QUERY_STATUS, status);
}
