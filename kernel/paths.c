/* paths.c - the path table (see paths.h) and what installing each path
 * means: which MSR, gate or descriptor points at its stub, and which
 * address space Ring 3 runs on while it is selected. */
#include "paths.h"
#include "abi.h"
#include "cpu.h"
#include "exc_paths.h"
#include "gdt.h"
#include "idt.h"
#include "paging.h"
#include "percpu.h"
#include "protect.h"
#include "shadow.h"
#include "../lib/cpufeat.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

#define STUBS(p) extern const char p##_invoke[], p##_baseline[], p##_call[], \
	p##_invoke_pmc[], p##_baseline_pmc[], p##_invoke_lf[], p##_baseline_lf[]
#define STUB_FIELDS(p) .invoke = p##_invoke, .baseline = p##_baseline, .call = p##_call, \
	.invoke_pmc = p##_invoke_pmc, .baseline_pmc = p##_baseline_pmc, \
	.invoke_lf = p##_invoke_lf, .baseline_lf = p##_baseline_lf

STUBS(syscall);
STUBS(syscall_iret);
STUBS(shadow);
STUBS(shadow_pcid);
STUBS(int2e);
STUBS(trapgate);
STUBS(int2e_shadow);
STUBS(sysenter);
STUBS(callgate);
STUBS(int_ist);
STUBS(exc_bp);
STUBS(exc_ud);
STUBS(exc_de);
STUBS(exc_gp);
STUBS(exc_pf);
extern const char syscall_entry[], syscall_iret_entry[], shadow_entry[],
	shadow_pcid_entry[], int2e_entry[], trapgate_entry[],
	int2e_shadow_entry[], sysenter_entry[], callgate_entry[], int_ist_entry[];

#define CR4_PCIDE     (1ULL << 17)
#define CR3_NOFLUSH   (1ULL << 63)
#define KERNEL_PCID   1
#define USER_PCID     2

/* Which CR3 Ring 0 and Ring 3 run on. The entry stubs load
 * percpu0.kernel_cr3 / user_cr3 verbatim, so PCID and no-flush bits go in
 * the stored values. CR4.PCIDE may only be set while CR3[11:0] = 0; turning
 * it off flushes every PCID, so stale tags never outlive a selection. */
enum space { FULL, SHADOW, SHADOW_PCID };

static void use_space(enum space s)
{
	uint64_t cr4 = read_cr4();
	exc_select(0);          /* no exception path until one is installed */
	if ((cr4 & CR4_PCIDE) && s != SHADOW_PCID) {
		write_cr4(cr4 & ~CR4_PCIDE);
		write_cr3(kernel_cr3);
	}
	switch (s) {
	case FULL:
		percpu0.kernel_cr3 = percpu0.user_cr3 = kernel_cr3;
		break;
	case SHADOW:
		percpu0.kernel_cr3 = kernel_cr3;
		percpu0.user_cr3 = shadow_cr3();
		break;
	case SHADOW_PCID:
		if (!(cr4 & CR4_PCIDE)) {
			write_cr3(kernel_cr3);
			write_cr4(cr4 | CR4_PCIDE);
			write_cr3(kernel_cr3 | KERNEL_PCID);   /* flushes PCID 1 */
		}
		percpu0.kernel_cr3 = kernel_cr3 | KERNEL_PCID | CR3_NOFLUSH;
		percpu0.user_cr3 = shadow_cr3() | USER_PCID | CR3_NOFLUSH;
		break;
	}
}

static void syscall_msrs(const char *entry)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* STAR[47:32]: kernel CS (SS = +8). STAR[63:48]: the user32 CS that
	 * SYSRETQ adds 16 (CS) and 8 (SS) to. Windows writes 0x0023001000000000. */
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UCODE32 | RPL3) << 48) |
			((uint64_t)SEL_KCODE << 32));
	/* with SMAP, AC too: Ring 3 must not enter Ring 0 with SMAP disarmed */
	wrmsr(MSR_SFMASK, SFMASK_VALUE | (percpu0.smap ? RFLAGS_AC : 0));
	wrmsr(MSR_LSTAR, (uint64_t)entry);
}

static void install_syscall(void) { syscall_msrs(syscall_entry); use_space(FULL); }
static void install_syscall_iret(void) { syscall_msrs(syscall_iret_entry); use_space(FULL); }
static void install_shadow(void) { syscall_msrs(shadow_entry); use_space(SHADOW); }
static void install_shadow_pcid(void) { syscall_msrs(shadow_pcid_entry); use_space(SHADOW_PCID); }

static void install_int2e(void)
{
	idt_set_gate(VEC_INT2E, (uint64_t)int2e_entry, GATE_INTERRUPT, 3, 0);
	use_space(FULL);
}

static void install_trapgate(void)
{
	idt_set_gate(VEC_TRAPGATE, (uint64_t)trapgate_entry, GATE_TRAP, 3, 0);
	use_space(FULL);
}

static void install_int2e_shadow(void)
{
	idt_set_gate(VEC_INT2E, (uint64_t)int2e_shadow_entry, GATE_INTERRUPT, 3, 0);
	use_space(SHADOW);
}

static void install_sysenter(void)
{
	wrmsr(MSR_SYSENTER_CS, SEL_KCODE);
	wrmsr(MSR_SYSENTER_ESP, percpu0.kernel_rsp);
	wrmsr(MSR_SYSENTER_EIP, (uint64_t)sysenter_entry);
	use_space(FULL);
}

static void install_callgate(void)
{
	gdt_set_call_gate((uint64_t)callgate_entry);
	use_space(FULL);
}

static void install_int_ist(void)
{
	idt_set_gate(VEC_INT2E, (uint64_t)int_ist_entry, GATE_INTERRUPT, 3, IST_SERVICE);
	use_space(FULL);
}

/* the exception paths: what each handler must see (kernel/exc_paths.c) */
static const struct exc_expect expect_bp = {
	.name = "exc_bp", .vector = 3, .insn = { 0xCC }, .len = 1, .trap = 1 };
static const struct exc_expect expect_ud = {
	.name = "exc_ud", .vector = 6, .insn = { 0x0F, 0x0B }, .len = 2 };
static const struct exc_expect expect_de = {
	.name = "exc_de", .vector = 0, .insn = { 0xF7, 0xF1 }, .len = 2 };
static const struct exc_expect expect_gp = {
	.name = "exc_gp", .vector = 13, .has_error = 1, .error = (VEC_DPL0_PROBE << 3) | 2,
	/* QEMU 7.2's TCG reports the IDT offset, (n << 4) | 2 */
	.tcg_error = (VEC_DPL0_PROBE << 4) | 2,
	.insn = { 0xCD, VEC_DPL0_PROBE }, .len = 2 };
static const struct exc_expect expect_pf = {
	.name = "exc_pf", .vector = 14, .has_error = 1, .error = 0x6,
	.insn = { 0x88, 0x02 }, .len = 2, .map_page = 1 };

#define EXC_INSTALLER(n) \
	static void install_##n(void) { use_space(FULL); exc_select(&expect_##n); }
EXC_INSTALLER(bp)
EXC_INSTALLER(ud)
EXC_INSTALLER(de)
EXC_INSTALLER(gp)
EXC_INSTALLER(pf)

/* --- what the CPU must have ---------------------------------------------- */

static const char *need_shadow(void)
{
	return shadow_cr3() ? 0 : "unsupported:no-shadow-tables";
}

static const char *need_pcid(void)
{
	if (!cpuid_feature(1, 2, 17))
		return "unsupported:no-pcid";
	return need_shadow();
}

/* SYSENTER in 64-bit mode is Intel's: AMD raises #UD for it in long mode. */
static const char *need_intel_sysenter(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (memcmp(&r[1], "Genu", 4) || memcmp(&r[3], "ineI", 4) || memcmp(&r[2], "ntel", 4))
		return "unsupported:vendor";
	if (!cpuid_feature(1, 3, 11))
		return "unsupported:no-sep";
	return 0;
}

#define ROW(n, fl, need, stubs) \
	{ .name = #n, .flags = (fl), .unsupported = (need), .install = install_##n, STUB_FIELDS(stubs) }

const struct path_def path_table[] = {
	ROW(syscall, PATH_SYSRET_EXIT, 0, syscall),
	ROW(syscall_iret, 0, 0, syscall_iret),
	ROW(int2e, 0, 0, int2e),
	ROW(trapgate, 0, 0, trapgate),
	ROW(shadow, PATH_SYSRET_EXIT | PATH_SHADOW, need_shadow, shadow),
	ROW(shadow_pcid, PATH_SYSRET_EXIT | PATH_SHADOW, need_pcid, shadow_pcid),
	ROW(int2e_shadow, PATH_SHADOW, need_shadow, int2e_shadow),
	ROW(sysenter, 0, need_intel_sysenter, sysenter),
	ROW(callgate, 0, 0, callgate),
	ROW(int_ist, 0, 0, int_ist),
	{ .name = "exc_bp", .flags = PATH_EXCEPTION, .install = install_bp, STUB_FIELDS(exc_bp) },
	{ .name = "exc_ud", .flags = PATH_EXCEPTION, .install = install_ud, STUB_FIELDS(exc_ud) },
	{ .name = "exc_de", .flags = PATH_EXCEPTION, .install = install_de, STUB_FIELDS(exc_de) },
	{ .name = "exc_gp", .flags = PATH_EXCEPTION, .install = install_gp, STUB_FIELDS(exc_gp) },
	{ .name = "exc_pf", .flags = PATH_EXCEPTION, .install = install_pf, STUB_FIELDS(exc_pf),
	  .reset = SVC_EXC_RESET },
};
const unsigned path_count = sizeof path_table / sizeof path_table[0];
_Static_assert(sizeof path_table / sizeof path_table[0] <= MAX_PATHS, "MAX_PATHS");

/* NULL when this CPU can run path i, else why not ("unsupported:...") */
static const char *path_why_not(unsigned i)
{
	return path_table[i].unsupported ? path_table[i].unsupported() : 0;
}

void paths_publish(struct rt_shared *sh)
{
	sh->npaths = path_count;
	sh->rdtscp = (uint32_t)cpu_has_rdtscp();
	for (unsigned i = 0; i < path_count; i++) {
		struct rt_path_view *v = &sh->path[i];
		strlcpy0(v->name, path_table[i].name, sizeof v->name);
		const char *why = path_why_not(i);
		v->runnable = !why;
		strlcpy0(v->status, why ? why : "ok", sizeof v->status);
		v->flags = path_table[i].flags;
		v->reset = path_table[i].reset;
		v->invoke = (uint64_t)(sh->rdtscp ? path_table[i].invoke : path_table[i].invoke_lf);
		v->baseline = (uint64_t)(sh->rdtscp ? path_table[i].baseline
						    : path_table[i].baseline_lf);
		v->call = (uint64_t)path_table[i].call;
		v->invoke_pmc = (uint64_t)path_table[i].invoke_pmc;
		v->baseline_pmc = (uint64_t)path_table[i].baseline_pmc;
	}
}

/* At boot, every gate, MSR and descriptor the paths use is filled in (the
 * dump= tables show them, and `int 0x2e` always finds a DPL 3 gate);
 * selecting a path later re-points what it shares with others. */
void paths_install_defaults(void)
{
	install_int2e();
	install_trapgate();
	install_callgate();
	if (!need_intel_sysenter())
		install_sysenter();
	install_syscall();
}

uint64_t path_select(uint64_t index)
{
	if (index == PATH_NONE) {
		paths_install_defaults();
		return STATUS_SUCCESS;
	}
	if (index >= path_count || path_why_not((unsigned)index))
		return STATUS_INVALID_PARAMETER;
	path_table[index].install();
	return STATUS_SUCCESS;
}
