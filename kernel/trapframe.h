/*
 * trapframe.h - the register image every entry path and exception builds on
 * the kernel stack, lowest address first.
 *
 * It is shaped like the hardware's interrupt frame on purpose: the syscall
 * entry pushes SS/RSP/RFLAGS/CS/RIP itself so the dispatcher, the exception
 * reporter and the iretq fallback see one layout (Windows' KTRAP_FRAME and
 * Linux's pt_regs do the same).
 */
#ifndef RINGTRIP_TRAPFRAME_H
#define RINGTRIP_TRAPFRAME_H
#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;      /* exception vector, or the gate's vector */
	uint64_t error_code;  /* CPU's error code, or 0 */
	/* what the CPU pushes (or the syscall stub pushes for it) */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define TRAP_FRAME_GPRS 15
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "keeps the stack 16-aligned");

#endif
