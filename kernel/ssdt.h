/*
 * ssdt.h - the system-service dispatcher every entry path ends in.
 *
 * KeServiceDescriptorTable on Windows x64 is an array of descriptors
 *     { ServiceTableBase +0, ServiceCounterTableBase +8,
 *       NumberOfServices +0x10, ParamTableBase +0x18 }
 * slot 0 the native table (ntoskrnl), slot 1 the win32k table
 * (KeServiceDescriptorTableShadow). We keep the same layout, with one slot
 * for each value of the service number's table bits (12-13): slots 2 and 3
 * stay empty (limit 0), so the dispatcher's one limit compare also turns a
 * number naming a missing table away.
 */
#ifndef RINGTRIP_SSDT_H
#define RINGTRIP_SSDT_H
#include <stdint.h>
#include "abi.h"
#include "trapframe.h"

struct service_descriptor {
	const int32_t *base;     /* encoded entries, see ssdt_entry.h */
	uint64_t *count;         /* per-service counters; NULL as on free builds */
	uint64_t limit;          /* number of services; 0: no table here */
	const uint8_t *number;   /* bytes of stack arguments per service */
};
#define SSDT_SLOT_SHIFT 5        /* the dispatcher indexes slots by table << 5 */
_Static_assert(sizeof(struct service_descriptor) == 32 &&
	       sizeof(struct service_descriptor) == 1 << SSDT_SLOT_SHIFT,
	       "KSERVICE_TABLE_DESCRIPTOR");
#define SSDT_SLOTS (SVC_TABLE_MASK + 1)
_Static_assert(SVC_TABLES <= SSDT_SLOTS, "a table without a descriptor slot");

extern struct service_descriptor service_descriptor_table[SSDT_SLOTS];

/* Build the tables; returns 0, or -1 if a routine cannot be encoded. */
int ssdt_init(void);
/* kernel/ssdt_call.asm. ssdt_dispatch is called by every entry stub right
 * after it pushed the registers: the trap frame at [rsp + 8], EAX, R10,
 * RDX, R8, R9 still the caller's; it decodes EAX, copies the stack
 * arguments (a fault returns STATUS_ACCESS_VIOLATION), calls the service
 * and stores its status in the frame's RAX. Not callable from C.
 * ssdt_dispatch_frame is the same for a stub whose registers no longer
 * hold the arguments: it reloads them from the frame first. */
void ssdt_dispatch(void);
void ssdt_dispatch_frame(void);
/* The same from C, for a trap frame anywhere (kernel/fred.c): tf->rax gets
 * the status. */
void ssdt_dispatch_tf(struct trap_frame *tf);
/* Copy from Ring 3 memory; 0, or -1 on a bad range or a fault. */
int copy_from_user(void *dst, uint64_t user_src, uint64_t n);
int copy_from_user_raw(void *dst, uint64_t user_src, uint64_t n);

#endif
