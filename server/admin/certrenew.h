/* certrenew.h - `mtserver cert --renew`: a new certificate for the key of
 * the one the configuration serves, so that clients that pin the key
 * (`--fingerprint SPKI-SHA256:`) keep connecting after the renewal. */
#ifndef MTS_CERTRENEW_H
#define MTS_CERTRENEW_H

/* Finds the certificate the configuration file at path names by thumbprint
 * (tls_certificate) in LocalMachine\My, else CurrentUser\My, signs a new
 * one with its private key (same subject and extensions, a new serial,
 * valid days from now) into the same store, writes its thumbprint as
 * tls_certificate, and prints both pins. The old certificate stays in its
 * store, marked as renewed by the new one (CERT_RENEWAL_PROP_ID). Returns
 * the process exit code: 0 done, 1 failed, 5 no right to write the file. */
int certrenew_run(const char *path, unsigned days);

#endif
