/* ntname.h - an open file's NT object name, as the object manager keeps it.
 *
 * The name after every link and junction on the way was followed: the
 * volume's device and the path on it in one string ("\Device\HarddiskVolume3
 * \srv\a.txt" on Windows, "\??\Z:\srv\a.txt" under Wine), so that a single
 * prefix comparison says both "same volume" and "below this folder". */
#ifndef NTNAME_H
#define NTNAME_H

#include <stddef.h>
#include <wchar.h>
#include <windows.h>

/* The name into buf (cap characters, terminated) or, when longer, into a
 * malloc'd copy (*heap, freed by the caller; NULL otherwise). NULL when the
 * handle has no name to give or memory ran out. */
wchar_t *ntname_of(HANDLE h, wchar_t *buf, size_t cap, wchar_t **heap);

#endif
