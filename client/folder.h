/* folder.h - mtsclient's -l (list a folder) and -r (download a folder tree)
 * over an open, logged-in connection.
 *
 * Both send LIST and read the reply with common/listing.h. -l prints each
 * entry as it arrives (nothing is kept); -r keeps one folder's names at a
 * time, downloads its files with download_file() into the matching local
 * folder under -o, then walks its subfolders. Every name the server lists
 * must be a single usable Windows file name (clientpath_save_name gives it
 * back unchanged), so nothing is ever written outside -o. */
#ifndef MTS_FOLDER_H
#define MTS_FOLDER_H

#include "clientopts.h"
#include "conn.h"
#include "download.h"

/* Subfolder levels -r follows below the folder given: a bound for a server
 * whose links lead in a circle. */
#define FOLDER_MAX_DEPTH 32

/* Lists folder (NULL: the root) on stdout: a table, or with -q one name per
 * line. DOWNLOAD_SAVED when listed, DOWNLOAD_FAILED when the server would
 * not list it, DOWNLOAD_FATAL when the connection is gone or out of step. */
enum download_result folder_list(struct conn *c, const struct client_options *opts,
                                 const char *folder);

/* Downloads folder and everything below it into out_dir\<its base name>.
 * DOWNLOAD_SAVED when every file was saved, DOWNLOAD_FAILED when some was
 * not (the rest were tried), DOWNLOAD_FATAL as above. */
enum download_result folder_download(struct conn *c, const struct client_options *opts,
                                     const char *folder);

#endif
