/* progress.h - the text of the client's progress bar, without any I/O.
 *
 * "[#########...........]  12.3 MiB of 50.0 MiB  24%  8.1 MiB/s"
 * The caller decides when and where to show it (a console only). */
#ifndef MTS_PROGRESS_H
#define MTS_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#define PROGRESS_BAR_WIDTH 20

/* Formats done of total bytes, elapsed_ms after this run began at byte
 * resumed_at (0, or where a resumed download picked up: the rate counts only
 * this run's bytes); writes NUL-terminated text and returns its length (0
 * when cap is too small). A total of 0 is shown as complete; done is capped
 * at total. */
size_t progress_format(char *buf, size_t cap, uint64_t done, uint64_t total, uint64_t resumed_at,
                       uint64_t elapsed_ms);

/* A byte count as "512 B", "1.5 KiB", "12.3 MiB", "4.0 GiB", ... */
size_t progress_format_bytes(char *buf, size_t cap, uint64_t bytes);

#endif
