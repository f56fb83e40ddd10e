/* services.c - the services every path is measured on, and the arguments
 * they are called with. The arguments differ per position and per call so
 * a dropped, swapped or stale argument changes the checksum. */
#include "user.h"
#include "../lib/checksum.h"
#include "../lib/string.h"

const struct bench_service bench_services[] = {
	{ "null", SVC_NULL, 0 },
	{ "args4", SVC_ARGS4, 4 },
	{ "args8", SVC_ARGS8, 8 },
	{ "args16", SVC_ARGS16, 16 },
	{ "win32k_null", SVC_W32_NULL, 0 },
};
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
	return s->nargs ? rt_checksum(c->arg, s->nargs) : STATUS_SUCCESS;
}
