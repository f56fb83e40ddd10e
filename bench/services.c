/* services.c - the services every path is measured on, and the arguments
 * they are called with. The arguments differ per position and per call so
 * a dropped, swapped or stale argument changes the checksum. */
#include "user.h"
#include "../lib/checksum.h"
#include "../lib/options.h"
#include "../lib/string.h"

/* services= names them (lib/options.h); Ring 3 measures them in this order:
 * the same names in the same places, or the build stops */
#define SERVICE_AT(name, number, nargs) SERVICE_AT_##name,
enum { BENCH_SERVICES(SERVICE_AT) };
#define OPTION_AT(e, name) OPTION_AT_##name = e,
enum { OPT_SERVICE_NAMES(OPTION_AT, OPTION_AT) };
#define SAME_PLACE(name, number, nargs) \
	_Static_assert((int)SERVICE_AT_##name == (int)OPTION_AT_##name, \
		       "services=: " #name " is not where lib/options.h has it");
BENCH_SERVICES(SAME_PLACE)
_Static_assert(BENCH_SERVICE_COUNT == OPT_SERVICE_COUNT, "BENCH_SERVICES and OPT_SERVICE_NAMES differ");

#define SERVICE_ROW(n, num, args) { .name = #n, .number = num, .nargs = args },
const struct bench_service bench_services[] = { BENCH_SERVICES(SERVICE_ROW) };
const unsigned bench_service_count = sizeof bench_services / sizeof bench_services[0];
_Static_assert(sizeof bench_services / sizeof bench_services[0] == BENCH_SERVICE_COUNT,
	       "BENCH_SERVICE_COUNT");

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
