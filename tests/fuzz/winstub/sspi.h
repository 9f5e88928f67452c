/* sspi.h (stand-in) - the part of SSPI that common/win/tlsrec.c and the
 * fake Schannel (tests/unit/tlsfake.c) use, for their native fuzz build.
 * The sizes are Windows's (ULONG and LONG are 32 bits there, whatever the
 * host's long is), so lengths are cut to 32 bits here as they are on
 * Windows, and the status values are Windows's, so a status that is
 * misread shows up here too. */
#ifndef MTS_WINSTUB_SSPI_H
#define MTS_WINSTUB_SSPI_H

#include <stdint.h>

typedef int32_t SECURITY_STATUS;

typedef struct _SecBuffer {
    uint32_t cbBuffer;
    uint32_t BufferType;
    void *pvBuffer;
} SecBuffer;

typedef struct _SecBufferDesc {
    uint32_t ulVersion;
    uint32_t cBuffers;
    SecBuffer *pBuffers;
} SecBufferDesc;

#define SECBUFFER_VERSION 0
#define SECBUFFER_EMPTY 0
#define SECBUFFER_DATA 1
#define SECBUFFER_TOKEN 2
#define SECBUFFER_EXTRA 5
#define SECBUFFER_STREAM_TRAILER 6
#define SECBUFFER_STREAM_HEADER 7

/* Success and information codes, then errors (their HRESULTs as LONG). */
#define SEC_E_OK ((SECURITY_STATUS)0)
#define SEC_I_CONTINUE_NEEDED ((SECURITY_STATUS)0x00090312)
#define SEC_I_CONTEXT_EXPIRED ((SECURITY_STATUS)0x00090317)
#define SEC_I_RENEGOTIATE ((SECURITY_STATUS)0x00090321)
#define SEC_E_INVALID_TOKEN ((SECURITY_STATUS)(int32_t)0x80090308u)
#define SEC_E_INCOMPLETE_MESSAGE ((SECURITY_STATUS)(int32_t)0x80090318u)
#define SEC_E_ILLEGAL_MESSAGE ((SECURITY_STATUS)(int32_t)0x80090326u)
#define SEC_E_DECRYPT_FAILURE ((SECURITY_STATUS)(int32_t)0x80090330u)

#endif
