/* download.h - fetches one file over an open, logged-in connection.
 *
 * The file is written to "<name>.mtspart" in the target folder and renamed
 * to "<name>" only when exactly the announced number of bytes arrived and
 * the server confirmed the transfer with "#File <path> sent successfully.".
 * A partial file keeps its .mtspart name, where -c can continue it. With
 * --verify the SHA-256 of what was written must also match the server's
 * HASH before the rename; a mismatch leaves the .mtspart file aside. */
#ifndef MTS_DOWNLOAD_H
#define MTS_DOWNLOAD_H

#include "clientopts.h"
#include "conn.h"

#define DOWNLOAD_PART_SUFFIX ".mtspart"

enum download_result {
    DOWNLOAD_SAVED,  /* the file is under its final name */
    DOWNLOAD_FAILED, /* this file failed; the connection is fine for the next */
    DOWNLOAD_FATAL,  /* the connection is gone or out of step: stop */
};

/* request: the file argument as given. out_dir: NULL for the current folder.
 * Prints the outcome ("x has been saved." or a one-line error). */
enum download_result download_file(struct conn *c, const struct client_options *opts,
                                   const char *request);

#endif
