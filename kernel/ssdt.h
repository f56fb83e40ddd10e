/*
 * ssdt.h - the system-service dispatcher every entry path ends in.
 *
 * KeServiceDescriptorTable on Windows x64 is an array of descriptors
 *     { ServiceTableBase +0, ServiceCounterTableBase +8,
 *       NumberOfServices +0x10, ParamTableBase +0x18 }
 * slot 0 the native table (ntoskrnl), slot 1 the win32k table
 * (KeServiceDescriptorTableShadow). We keep the same layout.
 */
#ifndef RINGTRIP_SSDT_H
#define RINGTRIP_SSDT_H
#include <stdint.h>
#include "trapframe.h"

struct service_descriptor {
	const int32_t *base;     /* encoded entries, see ssdt_entry.h */
	uint64_t *count;         /* per-service counters; NULL as on free builds */
	uint64_t limit;          /* number of services */
	const uint8_t *number;   /* bytes of stack arguments per service */
};
_Static_assert(sizeof(struct service_descriptor) == 32, "KSERVICE_TABLE_DESCRIPTOR");

extern struct service_descriptor service_descriptor_table[];

/* Build both tables; returns 0, or -1 if a routine cannot be encoded. */
int ssdt_init(void);
/* Decode tf->rax, copy the arguments, call the service, store its status in
 * tf->rax. Called by every entry stub with the trap frame it built. */
void ssdt_dispatch(struct trap_frame *tf);
/* The asm half: copy nstack arguments from user_src onto the kernel stack
 * (a fault returns STATUS_ACCESS_VIOLATION) and call routine, ms_abi. */
uint64_t ssdt_call(const struct trap_frame *tf, uint64_t routine,
		   uint64_t user_src, uint64_t nstack);
/* Copy from Ring 3 memory; 0, or -1 on a bad range or a fault. */
int copy_from_user(void *dst, uint64_t user_src, uint64_t n);
int copy_from_user_raw(void *dst, uint64_t user_src, uint64_t n);

#endif
