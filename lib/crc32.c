/* crc32.c - bitwise CRC-32: no table, so nothing to place or initialise in
 * either ring; a capture is a few tens of KiB, printed outside any timed
 * region, and the UART is far slower than this loop anyway. */
#include "crc32.h"

uint32_t crc32_update(uint32_t crc, const void *data, size_t n)
{
	const uint8_t *p = data;
	crc = ~crc;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
	}
	return ~crc;
}
