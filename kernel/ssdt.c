/* ssdt.c - see ssdt.h. The C half of KiSystemCall64's dispatch: pick the
 * table from EAX bits 12-13, bounds-check the index, decode the entry, clamp
 * the user stack pointer (MmUserProbeAddress) and hand over to ssdt_call. */
#include "ssdt.h"
#include "abi.h"
#include "services.h"
#include "ssdt_entry.h"
#include "../lib/string.h"

#define MAX_SERVICES 16

struct service_descriptor service_descriptor_table[SVC_TABLES];
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

int ssdt_init(void)
{
	return build(0, native_services) | build(1, win32k_services);
}

void ssdt_dispatch(struct trap_frame *tf)
{
	uint32_t number = (uint32_t)tf->rax;
	unsigned table = (number >> SVC_TABLE_SHIFT) & SVC_TABLE_MASK;
	unsigned index = number & SVC_INDEX_MASK;

	if (table >= SVC_TABLES || index >= service_descriptor_table[table].limit) {
		tf->rax = STATUS_INVALID_SYSTEM_SERVICE;
		return;
	}
	const struct service_descriptor *d = &service_descriptor_table[table];
	int32_t e = d->base[index];
	uint64_t routine = ssdt_decode_routine((uint64_t)d->base, e);
	uint64_t nstack = ssdt_decode_stack_args(e);

	/* Arguments 5.. sit above the caller's return address and 32-byte home
	 * area (USER_STACK_ARGS_OFFSET, trapframe.h). Whatever RSP Ring 3 left,
	 * a source at or past the probe address is replaced by the probe
	 * address, which is never mapped: the copy then faults and the caller
	 * gets STATUS_ACCESS_VIOLATION. */
	uint64_t src = tf->rsp + USER_STACK_ARGS_OFFSET;
	if (nstack && (src < tf->rsp || src >= USER_PROBE_ADDRESS ||
		       USER_PROBE_ADDRESS - src < nstack * 8))
		src = USER_PROBE_ADDRESS;
	tf->rax = ssdt_call(tf, routine, src, nstack);
}

int copy_from_user(void *dst, uint64_t src, uint64_t n)
{
	if (src + n < src || src + n > USER_PROBE_ADDRESS)
		return -1;
	return copy_from_user_raw(dst, src, n);
}
