/* svcinstall.c - `mtserver install` and `mtserver configure` (see svcinstall.h).
 *
 * Runs on the main thread of a console process, one command per run. The
 * folders' permissions are svcacl.c's, the first configuration file is
 * firstini.c's; this file registers the service and puts them together. */
#include "svcinstall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "certmake.h"
#include "datadir.h"
#include "datalayout.h"
#include "eventlog.h"
#include "confowner.h"
#include "dirguard.h"
#include "firstini.h"
#include "inifile.h"
#include "ownerpol.h"
#include "passwd.h"
#include "pfxcheck.h"
#include "scm.h"
#include "service.h"
#include "settings.h"
#include "svcacl.h"
#include "winacct.h"
#include "winerr.h"
#include "wstr.h"

#define VIRTUAL_ACCOUNT L"NT SERVICE\\mtserver"
#define LOCAL_SERVICE L"NT AUTHORITY\\LocalService"
#define PATH_CAP FIRSTINI_PATH_CAP

/* The privileges the service keeps, as a REQUIRED_PRIVILEGES_INFO list
 * (each name, then an empty one) in list, and as text in shown. */
static void privilege_list(int windows_accounts, wchar_t *list, size_t cap, char *shown,
                           size_t shown_cap)
{
    const char *const *names = winacct_service_privileges(windows_accounts);
    size_t at = 0, used = 0, i, j;

    shown[0] = '\0';
    for (i = 0; names[i] != NULL; i++) {
        /* The names are ASCII and a few, so they fit the caller's buffers. */
        for (j = 0; names[i][j] != '\0' && at + 2 < cap; j++)
            list[at++] = (wchar_t)names[i][j];
        list[at++] = L'\0';
        used += (size_t)snprintf(shown + used, shown_cap - used, "%s%s", i > 0 ? ", " : "",
                                 names[i]);
    }
    list[at] = L'\0';
}

static void configure_service(SC_HANDLE svc, int windows_accounts)
{
    SERVICE_DESCRIPTIONW desc = {(LPWSTR)MTS_SERVICE_DESCRIPTION};
    SC_ACTION actions[3] = {{SC_ACTION_RESTART, 5000}, {SC_ACTION_RESTART, 10000},
                            {SC_ACTION_RESTART, 60000}};
    SERVICE_FAILURE_ACTIONSW failure = {86400, NULL, NULL, 3, NULL};
    SERVICE_SID_INFO sid = {SERVICE_SID_TYPE_UNRESTRICTED};
    SERVICE_PRESHUTDOWN_INFO pre = {15000};
    /* The service reads files, listens and logs: traversing folders is the
     * one privilege it uses, so the SCM strips every other from its token
     * (SeImpersonate, SeCreateGlobal, ... that service accounts get), unless
     * windows_accounts asks it to open files as the logged-on account, which
     * needs SeImpersonatePrivilege (common/winacct.c's list). */
    wchar_t needed[128];
    char shown[128], what[200];
    SERVICE_REQUIRED_PRIVILEGES_INFOW privileges = {needed};

    privilege_list(windows_accounts, needed, sizeof needed / sizeof needed[0], shown,
                   sizeof shown);
    failure.lpsaActions = actions;
    /* Each is a refinement: the service works without it, so a refusal is
     * reported and installation goes on. */
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_DESCRIPTION, &desc))
        scm_report("warning: cannot set the description", GetLastError());
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_FAILURE_ACTIONS, &failure))
        scm_report("warning: cannot set the recovery actions", GetLastError());
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_SERVICE_SID_INFO, &sid))
        scm_report("warning: cannot set the service SID type", GetLastError());
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_PRESHUTDOWN_INFO, &pre))
        scm_report("warning: cannot set the pre-shutdown timeout", GetLastError());
    snprintf(what, sizeof what, "warning: cannot set the privileges the service needs (%s)",
             shown);
    if (!ChangeServiceConfig2W(svc, SERVICE_CONFIG_REQUIRED_PRIVILEGES_INFO, &privileges))
        scm_report(what, GetLastError());
    else
        printf("mtserver: the service keeps the privileges %s\n", shown);
}

/* The configuration file (UTF-8 path) over the defaults, into *o; NULL
 * when it cannot be read or does not parse. */
static const struct config *load_config(const char *path, struct server_options *o)
{
    static struct config cfg; /* several KiB: not on the stack */

    options_init(o);
    config_init(&cfg);
    return settings_load(path, &cfg, o, NULL, 0) == 0 ? &cfg : NULL;
}

/* windows_accounts for install and configure: given on the command line,
 * else the configuration file's (when it exists and loads), else off. */
static int windows_accounts_on(const struct server_options *opts, const wchar_t *config)
{
    struct server_options o;
    char path[PATH_CAP * 3];

    if (opts->set & SETTING_BIT(windows_accounts))
        return opts->windows_accounts != 0;
    if (GetFileAttributesW(config) == INVALID_FILE_ATTRIBUTES)
        return 0;
    wstr_to_utf8_buf(config, path, sizeof path);
    return load_config(path, &o) != NULL && o.windows_accounts != 0;
}

/* The configuration file's full path (--config, else the default under
 * ProgramData) and the folder it is in, and what install and configure may
 * do to that folder (ownerpol.h). A folder that is a volume's root
 * (firstini_config_paths), a link, or a folder or file some other user
 * owns is refused here (dirguard.h), before anything is changed. Returns
 * the plan, or -1 with the reason printed. */
static int config_paths(const struct server_options *opts, wchar_t *config, wchar_t *base)
{
    char text[PATH_CAP * 3], shown[PATH_CAP * 3], err[1200];
    wchar_t default_config[PATH_CAP];
    struct dirguard g;
    DWORD attr;
    int is_default;
    enum ownerpol_plan plan;

    if (firstini_config_paths(opts, config, base) != 0)
        return -1;
    is_default = !settings_config_named(opts) ||
                 (settings_config_path(NULL, text, sizeof text, err, sizeof err) == 0 &&
                  wstr_full_path(text, default_config, PATH_CAP) == 0 &&
                  lstrcmpiW(default_config, config) == 0);
    attr = GetFileAttributesW(base);
    wstr_to_utf8_buf(base, shown, sizeof shown);
    plan = ownerpol_folder_plan(shown, is_default,
                                attr != INVALID_FILE_ATTRIBUTES &&
                                    (attr & FILE_ATTRIBUTE_DIRECTORY));
    if (plan == OWNERPOL_REFUSE_ROOT)
        return -1; /* firstini_config_paths said so already */
    if (dirguard_open(base, CONFOWNER_CLAIM, &g, err, sizeof err) < 0 ||
        confowner_check(config, CONFOWNER_CLAIM, err, sizeof err) != 0) {
        dirguard_close(&g);
        fprintf(stderr, "mtserver: %s\n", err);
        return -1;
    }
    dirguard_close(&g);
    return (int)plan;
}

/* What a folder mtserver leaves alone means for the administrator. */
static void say_folder_kept(const wchar_t *base)
{
    char shown[PATH_CAP * 3];

    wstr_to_utf8_buf(base, shown, sizeof shown);
    printf("mtserver: %s keeps its own permissions (mtserver sets them only on folders it "
           "creates and on its default folder): make sure only administrators can change "
           "files in it\n",
           shown);
}

/* Whether the configuration file (UTF-8 path) sets a password_hash, for the
 * next steps install prints. */
static int has_password_hash(const char *path)
{
    struct server_options o;
    const struct config *cfg = load_config(path, &o);

    return cfg != NULL && (cfg->set & SETTING_BIT(password_hash));
}

#define PFX_PASSWORD_MAX 512

/* install --tls-certificate FILE.pfx (not a thumbprint): the file checked
 * before anything is registered, with the password read (--pfx-password)
 * into pw, "" without. Returns 0, or -1 with the reason printed. */
static int check_pfx(const struct server_options *opts, const char *file, char *pw,
                     char fingerprint[65], char key_pin[65])
{
    char err[1200];

    pw[0] = '\0';
    if (opts->pfx_password &&
        passwd_read_secret("PFX password: ", 0, pw, PFX_PASSWORD_MAX + 1) < 0)
        return -1;
    if (pfxcheck_file(file, opts->pfx_password ? pw : NULL, fingerprint,
                      key_pin, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s; the service was not installed\n", err);
        return -1;
    }
    return 0;
}

/* Takes back a service just created (and its event source): install could
 * not give it what it needs. */
static void undo(SC_HANDLE svc)
{
    if (DeleteService(svc))
        eventlog_uninstall();
}

int svcinstall_run(const struct server_options *given)
{
    /* --self-signed adds the certificate made, a PFX file gets its full path */
    struct server_options o = *given, *opts = &o;
    char thumb[41], fingerprint[65], key_pin[65], pfx_fingerprint[65] = "", pfx_pin[65];
    char pfx_path[PATH_CAP * 3];
    wchar_t pfx_full[PATH_CAP];
    char pfx_pw[PFX_PASSWORD_MAX + 1] = "";
    const char *cert;
    int pfx = options_certificate(given, &cert, NULL) == OPTIONS_CERT_OTHER;
    wchar_t exe[PATH_CAP], config[PATH_CAP], base[PATH_CAP], cmd[3 * PATH_CAP];
    wchar_t sid[128];
    char text[PATH_CAP * 3], shown[PATH_CAP * 3], root[PATH_CAP * 3], log[PATH_CAP * 3];
    const wchar_t *account = VIRTUAL_ACCOUNT;
    int local_service = 0, plan;
    SC_HANDLE scm = NULL, svc = NULL;
    char err[600];
    DWORD n, attr, e;
    long reg;
    int rc = SCM_EXIT_FAILED;

    n = GetModuleFileNameW(NULL, exe, PATH_CAP);
    if (n == 0 || n >= PATH_CAP) {
        scm_report("cannot find mtserver.exe's own path", GetLastError());
        return rc;
    }
    plan = config_paths(opts, config, base);
    if (plan < 0)
        return rc;
    if (pfx && check_pfx(opts, cert, pfx_pw, pfx_fingerprint, pfx_pin) != 0)
        goto out_secret;
    /* Written as a full path: the service starts in System32, where a
     * path relative to the folder install ran in names another file. */
    if (pfx && wstr_full_path(cert, pfx_full, PATH_CAP) == 0) {
        wstr_to_utf8_buf(pfx_full, pfx_path, sizeof pfx_path);
        options_set_certificate(&o, pfx_path);
        cert = pfx_path;
    }
    if (settings_config_named(opts))
        swprintf(cmd, 3 * PATH_CAP, L"\"%ls\" --config \"%ls\"", exe, config);
    else
        swprintf(cmd, 3 * PATH_CAP, L"\"%ls\"", exe);

    scm = scm_open_manager(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, &rc);
    if (scm == NULL)
        goto out_secret;
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
        e = GetLastError();
        if (winerr_kind(e) == WINERR_EXISTS)
            fprintf(stderr, "mtserver: the service mtserver is already installed (to upgrade: "
                            "mtserver stop, replace mtserver.exe, mtserver start)\n");
        else if (winerr_kind(e) == WINERR_DENIED) {
            rc = scm_needs_administrator();
        } else
            scm_report("cannot create the service", e);
        goto out;
    }
    configure_service(svc, windows_accounts_on(opts, config));
    reg = eventlog_install(exe);
    if (reg != 0)
        scm_report("warning: cannot register the event source", (DWORD)reg);

    svcacl_account_sid(local_service, sid, sizeof sid / sizeof sid[0]);
    /* The configuration folder, then its logs\ (as configure does): a link
     * or a stranger's folder that appeared since config_paths looked, or a
     * logs\ a user made while the folder was open to users, is refused:
     * nothing may be written into it. */
    if (plan == OWNERPOL_LOCK && datalayout_adopt(base, sid, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s; the service was not installed\n", err);
        undo(svc);
        goto out;
    }
    if (plan == OWNERPOL_LOCK)
        datadir_refresh_mark(base);
    /* The folders it was given, made as the default ones are; one that
     * cannot be made undoes the install, since the service could not start. */
    if (firstini_given_folders(opts, sid, root, log, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: %s; the service was not installed\n", err);
        undo(svc);
        goto out;
    }
    /* Asked for TLS: without the certificate the service would serve plain
     * only, so a failure here undoes the install too. */
    fingerprint[0] = '\0';
    if (opts->self_signed) {
        if (certmake_for_install(opts, sid, thumb, fingerprint, key_pin) != 0) {
            fprintf(stderr, "mtserver: no certificate was made; the service was not "
                            "installed\n");
            undo(svc);
            goto out;
        }
        options_set_certificate(&o, thumb);
    }
    wstr_to_utf8_buf(config, shown, sizeof shown);
    attr = GetFileAttributesW(config);
    if (attr != INVALID_FILE_ATTRIBUTES) {
        int changed = 0;
        if (firstini_update(shown, opts, root[0] != '\0' ? root : NULL,
                            log[0] != '\0' ? log : NULL, &changed, err, sizeof err) != 0)
            fprintf(stderr,
                    "mtserver: warning: cannot apply the settings given to %s: %s; edit it "
                    "by hand\n",
                    shown, err);
        else if (changed > 0)
            printf("mtserver: set %d setting(s) in the existing configuration %s (its other "
                   "lines and comments kept)\n",
                   changed, shown);
        else
            printf("mtserver: keeping the existing configuration %s\n", shown);
    } else if (firstini_write(config, base, opts, sid, err, sizeof err) != 0) {
        fprintf(stderr, "mtserver: warning: cannot write the configuration file: %s\n", err);
    } else {
        /* In a folder left as it was, the file keeps the hash to itself. */
        e = plan == OWNERPOL_LEAVE ? svcacl_protect_file(config, sid) : ERROR_SUCCESS;
        if (e != ERROR_SUCCESS)
            scm_report("warning: cannot set the configuration file's permissions", e);
        printf("mtserver: wrote the configuration %s\n", shown);
    }
    /* Beside the password_hash, in the file only administrators and the
     * service may read. */
    if (pfx && opts->pfx_password && inifile_set_key(shown, "tls_pfx_password", pfx_pw) != 0)
        fprintf(stderr, "mtserver: warning: tls_pfx_password was not written to %s; set it "
                        "there by hand\n",
                shown);
    if (plan == OWNERPOL_LEAVE)
        say_folder_kept(base);
    wstr_to_utf8_buf(cmd, text, sizeof text);
    printf("mtserver: installed the service mtserver (MT File Server)\n"
           "  command line: %s\n"
           "  account: %s\n",
           text, local_service ? "NT AUTHORITY\\LocalService" : "NT SERVICE\\mtserver");
    if (fingerprint[0] != '\0')
        printf("  TLS certificate: %s; clients pin it with --fingerprint SHA256:%s, or its "
               "key with --fingerprint SPKI-SHA256:%s\n",
               thumb, fingerprint, key_pin);
    if (pfx_fingerprint[0] != '\0')
        printf("  TLS certificate: %s (checked: it opens, has its private key, serves for "
               "server authentication)%s\n"
               "  clients pin it with --fingerprint SHA256:%s, or its key with --fingerprint "
               "SPKI-SHA256:%s\n",
               cert, opts->pfx_password ? "; tls_pfx_password set" : "",
               pfx_fingerprint, pfx_pin);
    if (has_password_hash(shown))
        printf("Next: mtserver start\n");
    else
        printf("Next: mtserver passwd%s%s, then mtserver start\n",
               settings_config_named(opts) ? " --config " : "",
               settings_config_named(opts) ? shown : "");
    rc = 0;
out:
    if (svc != NULL)
        CloseServiceHandle(svc);
    CloseServiceHandle(scm);
out_secret:
    SecureZeroMemory(pfx_pw, sizeof pfx_pw);
    return rc;
}

int svcinstall_configure(const struct server_options *opts)
{
    wchar_t config[PATH_CAP], base[PATH_CAP], sid[128];
    char shown[PATH_CAP * 3], err[1200];
    SC_HANDLE scm, svc;
    DWORD e;
    int rc = SCM_EXIT_FAILED, plan;

    plan = config_paths(opts, config, base);
    if (plan < 0)
        return rc;
    scm = scm_open_manager(SC_MANAGER_CONNECT, &rc);
    if (scm == NULL)
        return rc;
    svc = scm_open_service(scm, SERVICE_CHANGE_CONFIG | SERVICE_QUERY_CONFIG, &rc);
    if (svc != NULL) {
        QUERY_SERVICE_CONFIGW *qc = scm_service_config(svc);
        /* The MSI registers the virtual account; install may have fallen
         * back to LocalService. */
        int local_service = qc != NULL && qc->lpServiceStartName != NULL &&
                            lstrcmpiW(qc->lpServiceStartName, LOCAL_SERVICE) == 0;

        free(qc);
        configure_service(svc, windows_accounts_on(opts, config));
        CloseServiceHandle(svc);
        svcacl_account_sid(local_service, sid, sizeof sid / sizeof sid[0]);
        if (plan == OWNERPOL_LOCK) {
            if (datalayout_adopt(base, sid, err, sizeof err) != 0) {
                fprintf(stderr, "mtserver: %s\n", err);
                CloseServiceHandle(scm);
                return SCM_EXIT_FAILED;
            }
            datadir_refresh_mark(base);
        } else {
            e = datalayout_secure_logs(base, sid);
            if (e != ERROR_SUCCESS)
                scm_report("warning: cannot set the logs folder's permissions", e);
        }
        wstr_to_utf8_buf(base, shown, sizeof shown);
        printf("mtserver: configured the service mtserver and the folder %s\n", shown);
        if (plan == OWNERPOL_LEAVE)
            say_folder_kept(base);
        rc = 0;
    }
    CloseServiceHandle(scm);
    return rc;
}
