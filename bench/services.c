/* services.c - the services every path is measured on, and the arguments
 * they are called with. The arguments differ per position and per call so
 * a dropped, swapped or stale argument changes the checksum. */
#include "user.h"
#include "../lib/checksum.h"
#include "../lib/string.h"

/* kernel/abi.h's list, in its order: the CSV's and services='s */
#define SERVICE_ROW(n, num) { .name = #n, .number = num, .nargs = num##_NARGS },
const struct bench_service bench_services[] = { BENCH_SERVICES(SERVICE_ROW) };
const unsigned bench_service_count = sizeof bench_services / sizeof bench_services[0];

void call_prepare(struct rt_call *c, const struct bench_service *s)
{
	memset(c, 0, sizeof *c);
	c->number = s->number;
	for (unsigned i = 0; i < 16; i++)
		c->arg[i] = 0x0101010101010101ULL * (i + 1) ^ ((uint64_t)s->number << 40);
}

uint64_t call_expected(const struct rt_call *c, const struct bench_service *s)
{
	if (s->fixed)
		return s->result;
	return s->nargs ? rt_checksum(c->arg, s->nargs) : STATUS_SUCCESS;
}
