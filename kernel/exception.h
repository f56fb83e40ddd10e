#ifndef RINGTRIP_EXCEPTION_H
#define RINGTRIP_EXCEPTION_H
#include "trapframe.h"
void exception_dispatch(struct trap_frame *tf);
struct rt_shared;
extern struct rt_shared *shared_page;
const char *exception_name(unsigned vector);
#endif
