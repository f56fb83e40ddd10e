#ifndef RINGTRIP_EXCEPTION_H
#define RINGTRIP_EXCEPTION_H
#include "trapframe.h"
void exception_dispatch(struct trap_frame *tf);
/* Report tf as an unexpected exception and end the run (EXIT_PANIC). */
__attribute__((noreturn)) void exception_panic(struct trap_frame *tf);
struct kprobe_fault {
	uint64_t vector, error, rip, cr2;
};
extern struct kprobe_fault kprobe_fault;
int kernel_probe(void (*fn)(uint64_t), uint64_t arg);
struct rt_fault;
/* where a Ring 3 fault that a recovery point catches is recorded (the
 * shared page's, which kernel/main.c owns); none until this is called */
void exception_tell_user_faults(struct rt_fault *f);
const char *exception_name(unsigned vector);
#endif
