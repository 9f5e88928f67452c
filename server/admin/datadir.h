/* datadir.h - `mtserver prepare`: the configuration folder and the first
 * configuration, made as `install` makes them but without registering the
 * service. It is the MSI's CreateConfig action (installer/mtserver.wxs),
 * run as LocalSystem after InstallFiles and before InstallServices. Exit
 * codes as in scm.h. */
#ifndef MTS_DATADIR_H
#define MTS_DATADIR_H

#include "options.h"

/* The file older versions left in a folder they made, which their MSI
 * rollback read; prepare deletes it from a folder it has checked. */
#define DATADIR_OLD_MARK L"install-rollback"

/* Makes the configuration folder when it is missing, owned by the
 * Administrators and closed to other users from the moment it exists (no
 * window in which a user could plant a file in it), then its logs\ and
 * files\ folders and, when there is none, the first configuration
 * (firstini.h). A folder that exists is opened without following a link
 * and adopted only when it is no link and its owner may be trusted
 * (dirguard.h), before anything in it is touched; otherwise nothing is
 * changed and the reason is printed. A folder made here is marked in
 * HKLM\SOFTWARE\mtserver (its file ID, owner and DACL, dirpol.h) for the
 * MSI's rollback; a mark an earlier run left is forgotten when the folder
 * was there already. Returns 0 or SCM_EXIT_FAILED. */
int datadir_prepare(const struct server_options *opts);

/* `mtserver prepare-rollback`, the MSI's rollback of prepare: when the
 * mark names the folder that is there now (same file ID, owner and DACL,
 * not a link), removes its known entries (the configuration file, the
 * default log, logs\ and files\ when empty) and the folder when empty;
 * never a tree. Forgets the mark. Returns 0 or SCM_EXIT_FAILED. */
int datadir_rollback(const struct server_options *opts);

/* After install or configure set the permissions of the folder base:
 * when it is the folder prepare marked (the same file ID), the mark takes
 * its owner and DACL as they are now, so that the rollback knows them. On
 * Windows a folder prepare made keeps its protected DACL; Wine keeps no
 * DACL and shows a changed one after each. */
void datadir_refresh_mark(const wchar_t *base);

/* `mtserver prepare-keep`, the MSI's last step: the install succeeded, so
 * the folder stays; forgets the mark. Returns 0. */
int datadir_keep(void);

#endif
