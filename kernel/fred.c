/* fred.c - FRED on and off, and the software dispatch of FRED events: the
 * C half of the entry pages in entry/fred_entry.inc (where the long
 * explanation is). Linux's counterparts: arch/x86/kernel/fred.c
 * (cpu_init_fred_exceptions, cpu_init_fred_rsps) for the set-up and
 * arch/x86/entry/entry_fred.c (fred_entry_from_user/_kernel) for the
 * dispatch, which is on the event type first, then the vector. */
#include "fred.h"
#include "abi.h"
#include "console.h"
#include "cpu.h"
#include "exception.h"
#include "gdt.h"
#include "kstacks.h"
#include "percpu.h"
#include "ssdt.h"

#define VEC_DE  0
#define VEC_DB  1
#define VEC_NMI 2
#define VEC_BP  3
#define VEC_OF  4
#define VEC_UD  6
#define VEC_DF  8
#define VEC_GP  13
#define VEC_MC  18

int fred_supported(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] < 7)
		return 0;
	cpuid(7, 0, r);
	if (r[0] < 1)                   /* leaf 7's highest subleaf */
		return 0;
	cpuid(7, 1, r);
	return (r[0] >> CPUID7_1_EAX_FRED) & 1;
}

/* The stack of each level. Level 0 takes every event from Ring 3, like
 * TSS.RSP0: the entry stack, which the shadow address space also maps
 * (an event that selects a shadow path leaves through it after the CR3
 * switch). Levels 1-3 reuse the IST stacks, guarded like every Ring 0
 * stack: #DF's for level 3 (#DF alone), NMI's for level 2 (NMI and #MC
 * share it, as in Linux), and #MC's IST stack for level 1 (#DB, Linux's
 * level 1; ringtrip never raises it). All tops are 4 KiB aligned, so the
 * 64-byte alignment WRMSR demands holds. */
static void stack_levels(void)
{
	wrmsr(MSR_FRED_RSP0 + 0, entry_stack_top());
	wrmsr(MSR_FRED_RSP0 + 1, ist_stack_top(IST_MC));
	wrmsr(MSR_FRED_RSP0 + 2, ist_stack_top(IST_NMI));
	wrmsr(MSR_FRED_RSP0 + 3, ist_stack_top(IST_DF));
	wrmsr(MSR_FRED_STKLVLS, FRED_STKLVL(VEC_DB, FRED_DB_LEVEL) |
				FRED_STKLVL(VEC_NMI, FRED_NMI_LEVEL) |
				FRED_STKLVL(VEC_MC, FRED_MC_LEVEL) |
				FRED_STKLVL(VEC_DF, FRED_DF_LEVEL));
}

void fred_enable(const void *entry_page)
{
	stack_levels();
	/* The entry page; external interrupts (never enabled here) on level
	 * 0; no red zone: the kernel is built with -mno-red-zone, so a Ring 0
	 * event may push its frame right below RSP (Linux reserves 64 bytes
	 * for its CALL emulation). Bits 1:0 are 0: written from an event
	 * taken at level 0, which is where every control call runs. */
	wrmsr(MSR_FRED_CONFIG, (uint64_t)entry_page | FRED_CONFIG_INT_LEVEL(0) |
			       FRED_CONFIG_REDZONE(0));
	if (!percpu0.fred) {
		write_cr4(read_cr4() | CR4_FRED);
		percpu0.fred = 1;
	}
}

void fred_disable(void)
{
	if (!percpu0.fred)
		return;
	/* the IDT, loaded all along, delivers the next event */
	write_cr4(read_cr4() & ~CR4_FRED);
	percpu0.fred = 0;
}

/* An event this kernel never causes (an external interrupt: IF is never
 * set; int n or syscall in Ring 0): report it and end the run. */
__attribute__((noreturn)) static void bad_event(struct trap_frame *tf, unsigned vector)
{
	tf->vector = vector;
	exception_panic(tf);
}

/* int n from Ring 3. FRED has no gates, so no DPL to check: any vector
 * arrives, and software decides what Ring 3 may raise (Linux's fred_intx
 * accepts 3, 4 and 0x80). Here: the vectors whose IDT gates have DPL 3
 * for system calls - 0x2E (KiSystemService; the fred_int2e path) and 0x2F
 * (the control gate) - and 3, 4 as #BP, #OF. Every other vector is a #GP
 * with error code 0 and RIP past the instruction, as Linux raises it:
 * not the IDT's (n << 3) | 2 at the instruction, which only a gate's DPL
 * check produces. (0x2B, the trap gate's vector, is not offered: FRED
 * clears RFLAGS on every delivery, there is no trap gate to mirror.) */
static void swint(struct trap_frame *tf, unsigned vector)
{
	switch (vector) {
	case VEC_INT2E:
	case VEC_CONTROL:
		tf->vector = vector;
		ssdt_dispatch_tf(tf);
		return;
	case VEC_BP:
	case VEC_OF:
		tf->vector = vector;
		exception_dispatch(tf);
		return;
	default:
		tf->vector = VEC_GP;
		tf->error_code = 0;
		exception_dispatch(tf);
	}
}

/* Type first, then vector (Linux: fred_entry_from_user / _kernel). The
 * trap frame's vector slot gets what the IDT paths put there: the
 * exception vector, the int n vector, or TF_VECTOR_SYSCALL. */
static void dispatch(struct trap_frame *tf, int from_user)
{
	uint64_t ev = tf->ss >> FRED_SS_EVENT_SHIFT;
	unsigned vector = FRED_EV_VECTOR(ev);
	switch (FRED_EV_TYPE(ev)) {
	case FRED_TYPE_OTHER:
		if (!from_user)
			break;
		if (vector == FRED_OTHER_SYSCALL && (ev & FRED_EV_64BIT)) {
			tf->vector = TF_VECTOR_SYSCALL;
			ssdt_dispatch_tf(tf);
			return;
		}
		/* SYSENTER, or SYSCALL outside 64-bit mode: #UD, as Linux */
		tf->vector = VEC_UD;
		exception_dispatch(tf);
		return;
	case FRED_TYPE_SWINT:
		if (!from_user)
			break;
		swint(tf, vector);
		return;
	case FRED_TYPE_NMI:
	case FRED_TYPE_HWEXC:
	case FRED_TYPE_PRIV_SWEXC:
	case FRED_TYPE_SWEXC:
		/* the same handling as the IDT's vectors 0-31 (isr.asm):
		 * extable, kernel probe, Ring 3 recovery point, the selected
		 * exception path, else a report */
		tf->vector = vector;
		exception_dispatch(tf);
		return;
	}
	bad_event(tf, vector);
}

int fred_entry_from_user(struct trap_frame *tf)
{
	dispatch(tf, 1);
	if (percpu0.fred)
		return FRED_EXIT_ERETU;
	/* The event selected a path without FRED (SVC_SELECT_PATH): CR4.FRED
	 * is off, ERETU is #UD, and the stub leaves by iretq, which takes
	 * only selectors from the CS and SS slots. */
	tf->cs &= 0xFFFF;
	tf->ss &= 0xFFFF;
	return FRED_EXIT_IRETQ;
}

void fred_entry_from_kernel(struct trap_frame *tf)
{
	dispatch(tf, 0);
}

static const char *type_name(unsigned type)
{
	static const char *const names[8] = {
		"external interrupt", "reserved", "NMI", "hardware exception",
		"software interrupt", "privileged software exception",
		"software exception", "other (syscall/sysenter)",
	};
	return type < 8 ? names[type] : "reserved";
}

void fred_describe_event(struct sbuf *sb, const struct trap_frame *tf)
{
	if (!percpu0.fred)
		return;
	const struct fred_frame *f = (const struct fred_frame *)&tf->error_code;
	uint64_t ev = f->ss >> FRED_SS_EVENT_SHIFT;
	sb_puts(sb, "# panic: delivered by FRED: type=");
	sb_u64(sb, FRED_EV_TYPE(ev));
	sb_puts(sb, " (");
	sb_puts(sb, type_name(FRED_EV_TYPE(ev)));
	sb_puts(sb, ") vector=");
	sb_u64(sb, FRED_EV_VECTOR(ev));
	sb_puts(sb, " stack_level_before=");
	sb_u64(sb, FRED_CS_LEVEL(f->cs));
	sb_puts(sb, " nested=");
	sb_u64(sb, !!(ev & FRED_EV_NESTED));
	sb_puts(sb, " insn_len=");
	sb_u64(sb, FRED_EV_INSN_LEN(ev));
	sb_puts(sb, " event_data=");
	sb_hex(sb, f->event_data, 1);
	sb_endline(sb);
}
