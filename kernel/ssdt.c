/* ssdt.c - see ssdt.h. Builds KeServiceDescriptorTable's slots from the
 * service lists; the dispatcher itself is asm (ssdt_call.asm), as
 * KiSystemCall64's is. */
#include "ssdt.h"
#include "abi.h"
#include "services.h"
#include "ssdt_entry.h"
#include "../lib/string.h"

#define MAX_SERVICES 16

struct service_descriptor service_descriptor_table[SSDT_SLOTS];
static int32_t entries[SVC_TABLES][MAX_SERVICES];
static uint8_t arg_bytes[SVC_TABLES][MAX_SERVICES];

static int build(unsigned t, const struct service_def *defs)
{
	unsigned n = 0;
	uint64_t base = (uint64_t)entries[t];
	for (; defs[n].routine && n < MAX_SERVICES; n++) {
		unsigned nstack = ssdt_stack_args_for(defs[n].nargs);
		if (ssdt_encode(base, (uint64_t)defs[n].routine, nstack, &entries[t][n]))
			return -1;
		arg_bytes[t][n] = (uint8_t)(nstack * 8);
	}
	service_descriptor_table[t].base = entries[t];
	service_descriptor_table[t].count = 0;
	service_descriptor_table[t].limit = n;
	service_descriptor_table[t].number = arg_bytes[t];
	return 0;
}

/* slots SVC_TABLES.. stay zero: limit 0, every index is past it */
int ssdt_init(void)
{
	return build(0, native_services) | build(1, win32k_services);
}

int copy_from_user(void *dst, uint64_t src, uint64_t n)
{
	if (src + n < src || src + n > USER_PROBE_ADDRESS)
		return -1;
	return copy_from_user_raw(dst, src, n);
}
