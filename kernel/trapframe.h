/*
 * trapframe.h - the register image every entry path and exception builds on
 * the kernel stack, lowest address first, and the hardware frames it is
 * built from.
 *
 * It is shaped like the hardware's interrupt frame on purpose: the syscall
 * entry pushes SS/RSP/RFLAGS/CS/RIP itself so the dispatcher, the exception
 * reporter and the iretq fallback see one layout (Windows' KTRAP_FRAME and
 * Linux's pt_regs do the same).
 *
 * NASM never spells an offset into these frames: kernel/asm_offsets.c turns
 * them into TF_*, IRET_* and CALLGATE_* in build/gen/asm_offsets.inc, and the
 * _Static_asserts below pin every slot, so the push order in the stubs
 * (kernel/trapframe.inc's PUSH_GPRS, the hardware frame pushed top down) and
 * these structures cannot drift apart unnoticed.
 */
#ifndef RINGTRIP_TRAPFRAME_H
#define RINGTRIP_TRAPFRAME_H
#include <stddef.h>
#include <stdint.h>

/* What the CPU pushes on an interrupt or exception in 64-bit mode, whatever
 * the CPL, and iretq pops (Intel SDM Vol. 3A, "64-Bit Mode Stack Frame");
 * an error code, when there is one, sits below RIP. */
struct iret_frame {
	uint64_t rip, cs, rflags, rsp, ss;
};

/* What a far call through a 64-bit call gate pushes on the new stack: the
 * caller's SS and RSP, then its CS and RIP - no RFLAGS, and no parameters
 * are copied (Intel SDM Vol. 2A CALL, the 64-bit call-gate case; Vol. 3A,
 * "Stack Switching in 64-bit Mode"). `o64 retf` pops it. */
struct callgate_frame {
	uint64_t rip, cs, rsp, ss;
};

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;      /* exception vector, or the gate's vector */
	uint64_t error_code;  /* CPU's error code, or 0 */
	/* what the CPU pushes (or the syscall stub pushes for it): a struct
	 * iret_frame, slot for slot (asserted below) */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define TRAP_FRAME_GPRS 15

/* FRAME_SLOT(type, member, n): member is the n-th 8-byte word of type. */
#define FRAME_SLOT(type, member, n)                                       \
	_Static_assert(offsetof(struct type, member) == (n) * 8,          \
		       #type "." #member " must be word " #n)

/* PUSH_GPRS pushes rax first, so r15 is lowest */
FRAME_SLOT(trap_frame, r15, 0);
FRAME_SLOT(trap_frame, r14, 1);
FRAME_SLOT(trap_frame, r13, 2);
FRAME_SLOT(trap_frame, r12, 3);
FRAME_SLOT(trap_frame, r11, 4);
FRAME_SLOT(trap_frame, r10, 5);
FRAME_SLOT(trap_frame, r9, 6);
FRAME_SLOT(trap_frame, r8, 7);
FRAME_SLOT(trap_frame, rbp, 8);
FRAME_SLOT(trap_frame, rdi, 9);
FRAME_SLOT(trap_frame, rsi, 10);
FRAME_SLOT(trap_frame, rdx, 11);
FRAME_SLOT(trap_frame, rcx, 12);
FRAME_SLOT(trap_frame, rbx, 13);
FRAME_SLOT(trap_frame, rax, 14);
_Static_assert(TRAP_FRAME_GPRS == 15, "PUSH_GPRS pushes 15 registers");
/* the stubs push the error-code slot (or the CPU does), then the vector */
FRAME_SLOT(trap_frame, vector, 15);
FRAME_SLOT(trap_frame, error_code, 16);
FRAME_SLOT(trap_frame, rip, 17);
FRAME_SLOT(trap_frame, cs, 18);
FRAME_SLOT(trap_frame, rflags, 19);
FRAME_SLOT(trap_frame, rsp, 20);
FRAME_SLOT(trap_frame, ss, 21);
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame size");
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "keeps the stack 16-aligned");

/* the hardware's order, lowest address first */
FRAME_SLOT(iret_frame, rip, 0);
FRAME_SLOT(iret_frame, cs, 1);
FRAME_SLOT(iret_frame, rflags, 2);
FRAME_SLOT(iret_frame, rsp, 3);
FRAME_SLOT(iret_frame, ss, 4);
_Static_assert(sizeof(struct iret_frame) == 5 * 8, "iret frame size");

FRAME_SLOT(callgate_frame, rip, 0);
FRAME_SLOT(callgate_frame, cs, 1);
FRAME_SLOT(callgate_frame, rsp, 2);
FRAME_SLOT(callgate_frame, ss, 3);
_Static_assert(sizeof(struct callgate_frame) == 4 * 8, "call gate frame size");

/* the trap frame ends in an iret frame: the stubs iretq from its RIP slot */
#define TF_IRET_SLOT(member)                                              \
	_Static_assert(offsetof(struct trap_frame, member) ==             \
		       offsetof(struct trap_frame, rip) +                 \
		       offsetof(struct iret_frame, member),               \
		       "trap_frame." #member " is iret_frame." #member)
TF_IRET_SLOT(rip);
TF_IRET_SLOT(cs);
TF_IRET_SLOT(rflags);
TF_IRET_SLOT(rsp);
TF_IRET_SLOT(ss);
_Static_assert(offsetof(struct trap_frame, rip) + sizeof(struct iret_frame) ==
	       sizeof(struct trap_frame), "the iret frame ends the trap frame");

#undef FRAME_SLOT
#undef TF_IRET_SLOT

/*
 * The Windows x64 call frame, which a system service sees as NT's do: at a
 * call, RSP+0 .. HOME_AREA_SIZE-1 is the callee's home area for RCX, RDX,
 * R8, R9 and argument 5 follows (kernel/ssdt_call.asm builds one for each
 * service). ntdll's NtXxx stub is itself called, so at its `syscall` the
 * caller's return address is at RSP+0, the home area above it, and argument
 * 5 at USER_STACK_ARGS_OFFSET: the dispatcher copies the stack arguments
 * from the trap frame's RSP + USER_STACK_ARGS_OFFSET (kernel/ssdt.c), and
 * the Ring 3 stubs (entry/invoke.inc) put them there.
 */
#define HOME_AREA_SIZE         0x20
#define USER_STACK_ARGS_OFFSET (8 + HOME_AREA_SIZE)   /* 0x28 */

#endif
