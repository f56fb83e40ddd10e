/* checksum.h - what the args4/args8/args16 services return, and what Ring 3
 * recomputes to check the arguments arrived intact and in order. Each
 * argument is mixed with its position, so a swapped, shifted or dropped
 * argument changes the result. */
#ifndef RINGTRIP_CHECKSUM_H
#define RINGTRIP_CHECKSUM_H
#include <stdint.h>

static inline uint64_t rt_checksum(const uint64_t *arg, unsigned n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ n;
	for (unsigned i = 0; i < n; i++) {
		h ^= arg[i] + (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL;
		h *= 0x100000001b3ULL;
		h ^= h >> 29;
	}
	return h;
}

#endif
