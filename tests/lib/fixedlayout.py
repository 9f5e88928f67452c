"""Wine programs started with the address-space randomization of Linux off.

Debian's Wine 8 runs without wine64-preloader: wine64 is loaded at
0x7d000000 and Linux puts the process's heap (brk) anywhere in the 1 GB
above it. When the heap's first pages cover 0x7ffe0000, where Wine must map
the shared user data, the process ends in ntdll before any of the program
runs: `virtual_alloc_first_teb` fails with STATUS_CONFLICTING_ADDRESSES
(c0000018), says so on the err channel that WINEDEBUG=-all hides, and calls
exit(1). About one start in 8,000 (docs/WINE.md: the silent exit 1).

With ADDR_NO_RANDOMIZE the heap starts right after wine64, 45 MB below
that page. The personality is inherited by every process started after it,
so the runner sets it once for itself, its workers and every Wine program
and wineserver they start."""
import ctypes
import sys

ADDR_NO_RANDOMIZE = 0x0040000
QUERY = 0xFFFFFFFF


def keep_for_children():
    """Turns address-space randomization off for this process's children
    to come (Linux only; elsewhere nothing). Returns the personality now
    in force, or None where there is none to set."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    now = libc.personality(QUERY)
    if now == -1:
        return None
    if not now & ADDR_NO_RANDOMIZE:
        libc.personality(now | ADDR_NO_RANDOMIZE)
    return libc.personality(QUERY)
