/* ownerpol.h - whose folder or configuration file mtserver may adopt.
 *
 * Ordinary users may create folders in ProgramData, and the creator owns
 * what it makes, so a configuration folder or mtserver.ini that exists
 * before an install may have been planted (issue 13 item 1). mtserver
 * adopts one only when its owner is an account that could have written it
 * with an administrator's rights anyway. Pure: SIDs in their string form
 * (S-1-5-...), as ConvertSidToStringSid writes them. */
#ifndef MTS_OWNERPOL_H
#define MTS_OWNERPOL_H

#define OWNERPOL_ADMINISTRATORS "S-1-5-32-544"
#define OWNERPOL_SYSTEM "S-1-5-18"
#define OWNERPOL_TRUSTED_INSTALLER \
    "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"

/* 1 when owner (a SID string; NULL or "" when unknown) may be trusted:
 * BUILTIN\Administrators, SYSTEM, NT SERVICE\TrustedInstaller, or self,
 * the account running the command (NULL when unknown): the MSI's
 * LocalSystem, or the administrator at an elevated prompt whose objects
 * are owned by the account itself (the policy "default owner: object
 * creator"), which is also every file's owner under Wine. Else 0. */
int ownerpol_is_trusted(const char *owner, const char *self);

#endif
