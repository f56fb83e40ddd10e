#ifndef RINGTRIP_SERVICES_H
#define RINGTRIP_SERVICES_H
#include <stdint.h>

/* A service: what the table encodes and the tests name. Routines use the
 * Windows x64 calling convention (ms_abi), as NT services do, so the
 * dispatcher's stack layout is the real one: home area, then arguments. */
struct service_def {
	const char *name;
	const void *routine;
	unsigned nargs;
};

extern const struct service_def native_services[];
extern const struct service_def win32k_services[];

#endif
