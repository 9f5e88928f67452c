/* fileid.h - whether two handles open one and the same file, by the file
 * system's index number (NTFS's file reference, the inode under Wine).
 *
 * For rootfs.c's check under Wine, where a file's NT name can hide a
 * difference (rootfs.c, same_file_below_root). Not the volume serial
 * number: under Wine that is a round trip to the mount manager's process
 * (bench/RESULTS.md); two files the same name leads to from one root are
 * on one volume unless a mount lies between. */
#ifndef FILEID_H
#define FILEID_H

#include <windows.h>

/* 1 when both handles give the same index number, 0 when not or when
 * either cannot be asked. */
int fileid_same(HANDLE a, HANDLE b);

#endif
