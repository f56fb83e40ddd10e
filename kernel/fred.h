/*
 * fred.h - Intel FRED (Flexible Return and Event Delivery): what the kernel
 * turns on while a FRED path is selected, the frame the CPU delivers, and
 * the software dispatch that replaces the IDT's vector table.
 *
 * The long explanation - what the CPU does on a FRED event and on ERETU /
 * ERETS, and how ringtrip's entry pages use it - is beside the entry macro,
 * entry/fred_entry.inc. Facts are from the FRED specification as Bochs
 * implements it (cpu/fred.cc) and Linux uses it (arch/x86/entry/entry_fred.c,
 * entry_64_fred.S, arch/x86/kernel/fred.c, arch/x86/include/asm/fred.h).
 */
#ifndef RINGTRIP_FRED_H
#define RINGTRIP_FRED_H
#include <stddef.h>
#include <stdint.h>
#include "trapframe.h"

/* Enumeration: CPUID.(EAX=7,ECX=1):EAX bit 17 FRED, bit 18 LKGS */
#define CPUID7_1_EAX_FRED   17
#define CPUID7_1_EAX_LKGS   18
/* CR4.FRED: bit 32 - only a 64-bit MOV to CR4 can set it, in long mode */
#define CR4_FRED            (1ULL << 32)

/* MSRs */
#define MSR_FRED_RSP0       0x1CC   /* RSP0..RSP3: 0x1CC-0x1CF, 64-byte aligned */
#define MSR_FRED_STKLVLS    0x1D0   /* 2 bits per vector 0-31: its stack level */
#define MSR_FRED_SSP1       0x1D1   /* shadow stacks: not used here */
#define MSR_FRED_CONFIG     0x1D4   /* entry page | int level << 9 | red zone << 6 */
#define FRED_CONFIG_REDZONE(n64) ((uint64_t)(n64) << 6)  /* in 64-byte units */
#define FRED_CONFIG_INT_LEVEL(l) ((uint64_t)(l) << 9)    /* external interrupts */
#define FRED_STKLVL(vector, level) ((uint64_t)(level) << (2 * (vector)))

/* Linux's stack levels (arch/x86/kernel/fred.c): every event from Ring 3
 * is taken on level 0; in Ring 0 these four raise the level, so they get a
 * known-good stack (what IST does for the IDT). */
#define FRED_DB_LEVEL       1
#define FRED_NMI_LEVEL      2
#define FRED_MC_LEVEL       2
#define FRED_DF_LEVEL       3

/* The frame FRED delivery writes, 64 bytes at a 64-byte aligned address,
 * lowest first; RSP points at its error-code slot when the entry runs,
 * and ERETU / ERETS pop it from there. Its first six words are a struct
 * trap_frame's error_code..ss (asserted below), so an entry stub pushes
 * the vector slot and the registers under it and has the trap frame every
 * other path builds: Linux's pt_regs ends the same way (orig_ax, ip, cs,
 * flags, sp, ss), with struct fred_info (event data, reserved) above it. */
struct fred_frame {
	uint64_t error_code;  /* the exception's, or 0: the slot always exists */
	uint64_t rip;         /* faults: the instruction; traps, int n, syscall: the next */
	uint64_t cs;          /* [15:0] selector, [17:16] stack level at the event */
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;          /* [15:0] selector, [16] STI blocking, [17] syscall/
				 sysenter/int n, [18] NMI; [63:32] the event */
	uint64_t event_data;  /* #PF: CR2; #DB: DR6 bits; else 0 */
	uint64_t reserved;
};
#define FRED_FRAME_SIZE 64

/* The event, bits [63:32] of the SS slot (Linux: struct fred_ss) */
#define FRED_SS_EVENT_SHIFT  32
#define FRED_EV_VECTOR(ev)   ((unsigned)(ev) & 0xFF)          /* [39:32] */
#define FRED_EV_TYPE(ev)     ((unsigned)((ev) >> 16) & 0xF)   /* [51:48] */
#define FRED_EV_64BIT        (1u << 25)                       /* [57] */
#define FRED_EV_NESTED       (1u << 26)                       /* [58] */
#define FRED_EV_INSN_LEN(ev) ((unsigned)((ev) >> 28) & 0xF)   /* [63:60] */
#define FRED_CS_LEVEL(cs)    ((unsigned)((cs) >> 16) & 3)     /* [17:16] */

/* Event types (Linux: EVENT_TYPE_*, arch/x86/include/asm/trapnr.h) */
#define FRED_TYPE_EXTINT     0   /* maskable interrupt */
#define FRED_TYPE_NMI        2
#define FRED_TYPE_HWEXC      3   /* every exception but #BP/#OF from int3/into */
#define FRED_TYPE_SWINT      4   /* int n */
#define FRED_TYPE_PRIV_SWEXC 5   /* int1 (F1) */
#define FRED_TYPE_SWEXC      6   /* int3 (CC), into (CE) */
#define FRED_TYPE_OTHER      7   /* syscall (vector 1), sysenter (vector 2) */
#define FRED_OTHER_SYSCALL   1
#define FRED_OTHER_SYSENTER  2

/* An entry page's hot event: the event word's type, vector and 64-bit bit
 * compared in one go (entry/fred_entry.inc) */
#define FRED_HOT_MASK        (FRED_EV_64BIT | (0xFu << 16) | 0xFFu)
#define FRED_HOT_EVENT(type, vector) (FRED_EV_64BIT | ((unsigned)(type) << 16) | (vector))

/* What a user entry stub does after fred_entry_from_user() */
#define FRED_EXIT_ERETU      0   /* FRED is still on */
#define FRED_EXIT_IRETQ      1   /* the event selected a path without FRED:
				    CR4.FRED is off, leave as the IDT stubs do */

#define FRED_TF_SLOT(member)                                              \
	_Static_assert(offsetof(struct trap_frame, member) -              \
		       offsetof(struct trap_frame, error_code) ==         \
		       offsetof(struct fred_frame, member),               \
		       "trap_frame." #member " is fred_frame." #member)
FRED_TF_SLOT(error_code);
FRED_TF_SLOT(rip);
FRED_TF_SLOT(cs);
FRED_TF_SLOT(rflags);
FRED_TF_SLOT(rsp);
FRED_TF_SLOT(ss);
#undef FRED_TF_SLOT
_Static_assert(sizeof(struct fred_frame) == FRED_FRAME_SIZE, "FRED frame size");
/* the stubs push the vector slot and 15 registers under the frame: 128
 * bytes, so the 64-byte aligned frame leaves RSP 16-aligned at the call */
_Static_assert((offsetof(struct trap_frame, error_code)) % 16 == 0,
	       "the registers and vector slot keep a FRED entry's RSP 16-aligned");

/* 1 if this CPU enumerates FRED */
int fred_supported(void);
/* Turn FRED on with events from Ring 3 entering at entry_page (4 KiB
 * aligned; Ring 0 events at entry_page + 256), or, if it is on, point it
 * there. The IDT stays loaded but unused. */
void fred_enable(const void *entry_page);
/* Back to IDT delivery (CR4.FRED = 0), if FRED is on. */
void fred_disable(void);

/* Called by the entry stubs with the trap frame under the FRED frame. */
int fred_entry_from_user(struct trap_frame *tf);     /* FRED_EXIT_* */
void fred_entry_from_kernel(struct trap_frame *tf);

/* For a panic report: how the event in tf was delivered, if by FRED (a
 * line in sb, else nothing). */
struct sbuf;
void fred_describe_event(struct sbuf *sb, const struct trap_frame *tf);

#endif
