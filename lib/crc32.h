/* crc32.h - CRC-32 (IEEE 802.3: reflected, polynomial 0xEDB88320, initial
 * value and final XOR 0xFFFFFFFF; zlib's crc32, Python's binascii.crc32).
 * The trailer's crc32= (CSV version 2) covers every line of the capture
 * before the trailer, from "# ringtrip csv=2" on, each with its '\n', in
 * order (bench/csv.h). */
#ifndef RINGTRIP_CRC32_H
#define RINGTRIP_CRC32_H
#include <stddef.h>
#include <stdint.h>

/* crc = crc32_update(0, ...) to start; chain calls to continue */
uint32_t crc32_update(uint32_t crc, const void *data, size_t n);

#endif
