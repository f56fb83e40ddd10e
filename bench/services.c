/* services.c - the services every path is measured on, and the arguments
 * they are called with. The arguments differ per position and per call so
 * a dropped, swapped or stale argument changes the checksum. */
#include "user.h"
#include "../lib/checksum.h"
#include "../lib/string.h"

const struct bench_service bench_services[] = {
	{ .name = "null", .number = SVC_NULL, .nargs = 0 },
	{ .name = "args4", .number = SVC_ARGS4, .nargs = 4 },
	{ .name = "args8", .number = SVC_ARGS8, .nargs = 8 },
	{ .name = "args16", .number = SVC_ARGS16, .nargs = 16 },
	{ .name = "win32k_null", .number = SVC_W32_NULL, .nargs = 0 },
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
	if (s->fixed)
		return s->result;
	return s->nargs ? rt_checksum(c->arg, s->nargs) : STATUS_SUCCESS;
}
