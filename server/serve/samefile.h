/* samefile.h - whether a name leads to a file already open, told by what
 * no writer can set: the change time (the inode's ctime under Wine), with
 * the write time, the size and whether it is a folder beside it.
 *
 * For rootfs.c's check under Wine, where a file's NT name can hide a
 * difference (rootfs.c, confirmed_below_root). Asked by name, without
 * opening it: under Wine an open is a wineserver round trip and more, and
 * cost a tenth of a plain session's rate (bench/RESULTS.md); these are a
 * stat and an fstat. Not the index number (only a handle gives it) nor the
 * volume serial number (under Wine a round trip to the mount manager). */
#ifndef SAMEFILE_H
#define SAMEFILE_H

#include <wchar.h>
#include <windows.h>

/* 1 when nt_path (an NT path, "\??\Z:\srv\a.txt") names the file `file`
 * has open, as far as those four say; 0 when not, or when either cannot be
 * asked. A file changed between the two looks is taken for another. */
int samefile_named(const wchar_t *nt_path, HANDLE file);

#endif
