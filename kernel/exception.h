#ifndef RINGTRIP_EXCEPTION_H
#define RINGTRIP_EXCEPTION_H
#include "trapframe.h"
void exception_dispatch(struct trap_frame *tf);
struct rt_shared;
struct kprobe_fault {
	uint64_t vector, error, rip, cr2;
};
extern struct kprobe_fault kprobe_fault;
int kernel_probe(void (*fn)(uint64_t), uint64_t arg);
extern struct rt_shared *shared_page;
const char *exception_name(unsigned vector);
#endif
