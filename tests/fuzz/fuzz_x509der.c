/* fuzz_x509der.c - a certificate's serial and key info found in any bytes.
 *
 * Invariants: the reader never reads past the bytes (ASan), and what it
 * finds lies within them: a serial of at least one octet, and a
 * SubjectPublicKeyInfo that starts with a SEQUENCE tag, after the serial;
 * the reader is pure (the same bytes, the same answer). */
#include "fuzz.h"
#include "x509der.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct x509der_fields f, again;
    int rc = x509der_find(data, size, &f);

    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(x509der_find(data, size, &again) == rc);
    if (rc != 0)
        return 0;
    FUZZ_CHECK(f.serial.len >= 1 && f.serial.off + f.serial.len <= size);
    FUZZ_CHECK(f.spki.len >= 2 && f.spki.off + f.spki.len <= size);
    FUZZ_CHECK(f.spki.off >= f.serial.off + f.serial.len && data[f.spki.off] == 0x30);
    FUZZ_CHECK(again.serial.off == f.serial.off && again.spki.len == f.spki.len);
    FUZZ_CHECK(x509der_serial_negative(data, &f) == ((data[f.serial.off] & 0x80) != 0));
    return 0;
}
