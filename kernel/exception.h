#ifndef RINGTRIP_EXCEPTION_H
#define RINGTRIP_EXCEPTION_H
#include "trapframe.h"
void exception_dispatch(struct trap_frame *tf);
const char *exception_name(unsigned vector);
#endif
