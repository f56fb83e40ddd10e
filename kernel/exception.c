/* exception.c - what happens on a CPU exception: a fault inside a routine
 * that expects one (the user-argument copy) resumes at its fixup; anything
 * else is reported in full on serial and screen and ends the run with
 * EXIT_PANIC. An unexpected exception is a finding, not a reboot. */
#include "exception.h"
#include "abi.h"
#include "console.h"
#include "cpu.h"
#include "exc_paths.h"
#include "exit.h"
#include "fred.h"
#include "kstacks.h"
#include "percpu.h"
#include "shared_page.h"

struct extable_entry {
	uint64_t first, last, fixup;
};
extern const struct extable_entry __extable_start[], __extable_end[];
extern const uint64_t __iret_user_start[], __iret_user_end[];
static struct rt_fault *user_fault;   /* where a recovered Ring 3 fault is told */
extern uint64_t kprobe_rip, kprobe_rsp;
struct kprobe_fault kprobe_fault;

/* a Ring 0 fault inside kernel_probe(): record it and resume the probe */
static int kernel_probe_fault(struct trap_frame *tf)
{
	if ((tf->cs & 3) || !kprobe_rip)
		return 0;
	kprobe_fault.vector = tf->vector;
	kprobe_fault.error = tf->error_code;
	kprobe_fault.rip = tf->rip;
	kprobe_fault.cr2 = read_cr2();
	tf->rip = kprobe_rip;
	tf->rsp = kprobe_rsp;
	kprobe_rip = 0;
	return 1;
}

static const char *const names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualization",
	"#CP control protection", "reserved 22", "reserved 23", "reserved 24",
	"reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

const char *exception_name(unsigned v)
{
	return v < 32 ? names[v] : "interrupt";
}

static int fixup(struct trap_frame *tf)
{
	if (tf->cs & 3)
		return 0;
	for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
		if (tf->rip >= e->first && tf->rip < e->last) {
			tf->rip = e->fixup;
			return 1;
		}
	}
	return 0;
}

static void reg(struct sbuf *sb, const char *name, uint64_t v)
{
	sb_putc(sb, ' ');
	sb_puts(sb, name);
	sb_putc(sb, '=');
	sb_hex(sb, v, 16);
}

/* Which stack the CPU gave the handler: an IST stack for NMI, #DF and #MC
 * (a known-good stack whatever state the kernel was in), TSS.RSP0 from
 * Ring 3, else the Ring 0 stack that was interrupted. */
static const char *handler_stack(const struct trap_frame *tf)
{
	int s = kstack_holding((uint64_t)tf);
	return s >= 0 ? kstack_name(s) : "an unknown stack";
}

/* A Ring 0 stack that ran into its guard page: the fault address (CR2) or
 * the interrupted RSP is in the unmapped page below a stack. The #PF could
 * not be pushed there, so the CPU raised #DF, delivered on IST1. */
static void report_overflow(struct sbuf *l, const struct trap_frame *tf)
{
	uint64_t cr2 = read_cr2();
	int s = -1;
	if (!(tf->cs & 3) && (tf->vector == 8 || tf->vector == 14)) {
		s = kstack_guard_hit(cr2);
		if (s < 0)
			s = kstack_guard_hit(tf->rsp);
	}
	if (s < 0)
		return;
	static const char *const short_name[KSTACK_COUNT] = {
		[KSTACK_BOOT] = "boot stack", [KSTACK_KERNEL] = "kernel stack",
		[KSTACK_ENTRY] = "entry stack", [KSTACK_IST1] = "IST1 stack",
		[KSTACK_IST2] = "IST2 stack", [KSTACK_IST3] = "IST3 stack",
		[KSTACK_IST4] = "IST4 stack",
	};
	sb_puts(l, "# panic: ");
	sb_puts(l, short_name[s]);
	sb_puts(l, " overflow: rsp=");
	sb_hex(l, tf->rsp, 16);
	sb_puts(l, " cr2=");
	sb_hex(l, cr2, 16);
	sb_puts(l, " in the guard page below ");
	sb_puts(l, kstack_name(s));
	sb_puts(l, " [");
	sb_hex(l, kstack_guard(s), 16);
	sb_puts(l, ", ");
	sb_hex(l, kstack_base(s), 16);
	sb_putc(l, ')');
	sb_endline(l);
	console_sb(CON_BOTH, l);
}

static void report(const struct trap_frame *tf)
{
	KLINE(l);
	console_fresh_line();           /* "# panic" lines must start a line */
	report_overflow(&l, tf);
	sb_puts(&l, "# panic: unexpected exception vector=");
	sb_u64(&l, tf->vector);
	sb_puts(&l, " (");
	sb_puts(&l, exception_name((unsigned)tf->vector));
	sb_puts(&l, ") error=");
	sb_hex(&l, tf->error_code, 1);
	sb_puts(&l, tf->cs & 3 ? " in Ring 3\n" : " in Ring 0\n");
	console_sb(CON_BOTH, &l);
	fred_describe_event(&l, tf);    /* nothing unless FRED delivered it */
	if (l.len)
		console_sb(CON_BOTH, &l);
	sb_puts(&l, "# panic: handled on ");
	sb_puts(&l, handler_stack(tf));
	sb_endline(&l);
	console_sb(CON_BOTH, &l);

	sb_puts(&l, "# panic:");
	reg(&l, "rip", tf->rip);
	reg(&l, "cs", tf->cs);
	reg(&l, "rflags", tf->rflags);
	sb_endline(&l);
	console_sb(CON_BOTH, &l);
	sb_puts(&l, "# panic:");
	reg(&l, "rsp", tf->rsp);
	reg(&l, "ss", tf->ss);
	reg(&l, "cr2", read_cr2());
	sb_endline(&l);
	console_sb(CON_BOTH, &l);

	const struct { const char *n; uint64_t v; } g[] = {
		{ "rax", tf->rax }, { "rbx", tf->rbx }, { "rcx", tf->rcx },
		{ "rdx", tf->rdx }, { "rsi", tf->rsi }, { "rdi", tf->rdi },
		{ "rbp", tf->rbp }, { "r8", tf->r8 }, { "r9", tf->r9 },
		{ "r10", tf->r10 }, { "r11", tf->r11 }, { "r12", tf->r12 },
		{ "r13", tf->r13 }, { "r14", tf->r14 }, { "r15", tf->r15 },
		{ "cr0", read_cr0() }, { "cr3", read_cr3() }, { "cr4", read_cr4() },
	};
	for (unsigned i = 0; i < sizeof g / sizeof g[0]; i += 3) {
		sb_puts(&l, "# panic:");
		for (unsigned j = i; j < i + 3 && j < sizeof g / sizeof g[0]; j++)
			reg(&l, g[j].n, g[j].v);
		sb_endline(&l);
		console_sb(CON_BOTH, &l);
	}
}

/* Did an iretq back to Ring 3 fault? Then the exception was taken in Ring 0,
 * on the kernel stack, with the user's GS loaded and the rejected frame
 * (RIP, CS, RFLAGS, RSP, SS) at the faulting RSP. Put the kernel GS back
 * and make the frame say what Ring 3 was being returned to, so the fault is
 * handled as Ring 3's own. */
static int iret_to_user_faulted(struct trap_frame *tf)
{
	if (tf->cs & 3)
		return 0;
	for (const uint64_t *p = __iret_user_start; p < __iret_user_end; p++) {
		const uint64_t *rejected = (const uint64_t *)tf->rsp;
		if (tf->rip != *p || (rejected[1] & 3) != 3)
			continue;
		__asm__ volatile("swapgs" ::: "memory");
		tf->rip = rejected[0];
		tf->cs = rejected[1];
		tf->rflags = rejected[2];
		tf->rsp = rejected[3];
		tf->ss = rejected[4];
		return 1;
	}
	return 0;
}

void exception_tell_user_faults(struct rt_fault *f)
{
	user_fault = f;
}

/* A fault in Ring 3 while Ring 3 has armed a recovery point: record it in
 * the shared page and resume Ring 3 there (a one-shot setjmp/longjmp, the
 * way a Windows exception reaches KiUserExceptionDispatcher). */
static int recover_in_user(struct trap_frame *tf, int ring)
{
	if (!(tf->cs & 3) || !percpu0.recover_rip || !user_fault)
		return 0;
	if (tf->vector == 2 || tf->vector == 8 || tf->vector == 18)
		return 0;     /* NMI, #DF, #MC are never what a self-test expects */
	struct rt_fault *f = user_fault;
	f->count++;
	f->vector = tf->vector;
	f->error = tf->error_code;
	f->rip = tf->rip;
	f->cr2 = tf->vector == 14 ? read_cr2() : 0;
	f->ring = (uint64_t)ring;
	f->iret_fallbacks = percpu0.iret_fallbacks;
	tf->rip = percpu0.recover_rip;
	tf->rsp = percpu0.recover_rsp;
	percpu0.recover_rip = 0;
	return 1;
}

void exception_panic(struct trap_frame *tf)
{
	report(tf);
	rt_exit(EXIT_PANIC);
}

void exception_dispatch(struct trap_frame *tf)
{
	if (fixup(tf) || kernel_probe_fault(tf))
		return;
	int ring = tf->cs & 3 ? 3 : 0;
	if (iret_to_user_faulted(tf) && recover_in_user(tf, ring))
		return;
	/* a recovery point first: a self-test expecting a fault arms one */
	if (ring == 3 && recover_in_user(tf, ring))
		return;
	if (ring == 3 && exc_path_handle(tf))
		return;
	report(tf);
	rt_exit(EXIT_PANIC);
}
