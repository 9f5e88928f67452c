/* datadir.h - `mtserver prepare`: the configuration folder and the first
 * configuration, made as `install` makes them but without registering the
 * service. It is the MSI's CreateConfig action (installer/mtserver.wxs),
 * run as LocalSystem after InstallFiles and before InstallServices. Exit
 * codes as in scm.h. */
#ifndef MTS_DATADIR_H
#define MTS_DATADIR_H

#include "options.h"

/* The file a first MSI install leaves in the configuration folder it made,
 * while the install runs: the MSI's rollback action removes the folder
 * only when this file is in it, and its last action deletes the file
 * (installer/mtserver.wxs names it too). */
#define DATADIR_ROLLBACK_MARK L"install-rollback"

/* Makes the configuration folder when it is missing, owned by the
 * Administrators and closed to other users from the moment it exists (no
 * window in which a user could plant a file in it), then its logs\ and
 * files\ folders and, when there is none, the first configuration
 * (firstini.h). A folder or configuration file that exists is adopted only
 * when its owner may be trusted (ownerpol.h), and never when it is a link;
 * otherwise nothing is changed and the reason is printed. When the folder
 * is made here, DATADIR_ROLLBACK_MARK is left in it; when it was there
 * already, a mark left by an earlier run is deleted. Returns 0 or
 * SCM_EXIT_FAILED. */
int datadir_prepare(const struct server_options *opts);

#endif
