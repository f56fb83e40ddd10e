/* paths.c - what the declared paths (paths.h, entry/path.inc) need from the
 * CPU, and what installing one means by its kind: which MSR, gate or
 * descriptor points at its entry, and which address space Ring 3 runs on
 * while it is selected. */
#include "paths.h"
#include "abi.h"
#include "console.h"
#include "cpu.h"
#include "exc_paths.h"
#include "exit.h"
#include "fred.h"
#include "gdt.h"
#include "idt.h"
#include "mitig.h"
#include "paging.h"
#include "percpu.h"
#include "protect.h"
#include "shadow.h"
#include "../lib/cpufeat.h"
#include "../lib/fmt.h"
#include "../lib/options.h"
#include "../lib/string.h"

#define CR4_PCIDE     (1ULL << 17)
#define CR3_NOFLUSH   (1ULL << 63)
#define KERNEL_PCID   1
#define USER_PCID     2

/* Which CR3 Ring 0 and Ring 3 run on. The entry stubs load
 * percpu0.kernel_cr3 / user_cr3 verbatim, so PCID and no-flush bits go in
 * the stored values. CR4.PCIDE may only be set while CR3[11:0] = 0; turning
 * it off flushes every PCID, so stale tags never outlive a selection. */
static void use_space(uint32_t s)
{
	uint64_t cr4 = read_cr4();
	exc_select(0);          /* no exception path until one is installed */
	if ((cr4 & CR4_PCIDE) && s != SPACE_SHADOW_PCID) {
		write_cr4(cr4 & ~CR4_PCIDE);
		write_cr3(kernel_cr3);
	}
	switch (s) {
	case SPACE_FULL:
		percpu0.kernel_cr3 = percpu0.user_cr3 = kernel_cr3;
		break;
	case SPACE_SHADOW:
		percpu0.kernel_cr3 = kernel_cr3;
		percpu0.user_cr3 = shadow_cr3();
		break;
	case SPACE_SHADOW_PCID:
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

/* What SYSCALL needs however it is delivered: EFER.SCE (without it SYSCALL
 * is #UD, with FRED on too) and STAR. STAR[47:32]: kernel CS (SS = +8) -
 * also the CS/SS every FRED event from Ring 3 loads. STAR[63:48]: the
 * user32 CS that SYSRETQ adds 16 (CS) and 8 (SS) to - and the base of
 * ERETU's flat fast path. Windows writes 0x0023001000000000. */
static void star_msrs(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UCODE32 | RPL3) << 48) |
			((uint64_t)SEL_KCODE << 32));
}

static void syscall_msrs(const void *entry)
{
	star_msrs();
	/* with SMAP, AC too: Ring 3 must not enter Ring 0 with SMAP disarmed */
	wrmsr(MSR_SFMASK, SFMASK_VALUE | (percpu0.smap ? RFLAGS_AC : 0));
	wrmsr(MSR_LSTAR, (uint64_t)entry);
}

/* --- what the CPU must have ---------------------------------------------- */

/* SYSENTER in 64-bit mode is Intel's: AMD raises #UD for it in long mode. */
static const char *need_intel_sysenter(void)
{
	if (!cpu_vendor_is("GenuineIntel"))
		return "unsupported:vendor";
	if (!cpuid_feature(1, 3, 11))
		return "unsupported:no-sep";
	return 0;
}

static int is_fred(const struct path_desc *p)
{
	return p->install == INSTALL_FRED || p->install == INSTALL_FRED_EXCEPTION;
}

static int is_exception(const struct path_desc *p)
{
	return p->install == INSTALL_EXCEPTION || p->install == INSTALL_FRED_EXCEPTION;
}

/* NULL when this CPU can run p, else why not ("unsupported:..."): what its
 * address space and its installer need */
static const char *path_why_not(const struct path_desc *p)
{
	if (is_fred(p) && !fred_supported())
		return "unsupported:no-fred";
	if (p->space == SPACE_SHADOW_PCID && !cpuid_feature(1, 2, 17))
		return "unsupported:no-pcid";
	if (p->space != SPACE_FULL && !shadow_cr3())
		return "unsupported:no-shadow-tables";
	if (p->install == INSTALL_SYSENTER)
		return need_intel_sysenter();
	return 0;
}

static uint64_t view_flags(const struct path_desc *p)
{
	return p->flags | (p->space != SPACE_FULL ? PATH_SHADOW : 0) |
		(is_exception(p) ? PATH_EXCEPTION : 0) | (is_fred(p) ? PATH_FRED : 0) |
		(p->install == INSTALL_IDT ? PATH_INT_GATE : 0) |
		(p->space == SPACE_SHADOW_PCID ? PATH_PCID : 0) |
		(mitig_has_template(p->entry) ? PATH_MITIG : 0);
}

unsigned path_count;

void paths_init(void)
{
	path_count = (unsigned)(__paths_end - __paths_start);
	if (path_count > MAX_PATHS)
		setup_failed("more paths are declared than MAX_PATHS (kernel/shared_page.h)");
	for (unsigned i = 0; i < path_count; i++) {
		const struct path_desc *p = &path_table[i];
		if (strlen(p->name) >= PATH_NAME_LEN)
			setup_failed_path("a path name is longer than PATH_NAME_LEN", p->name);
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(p->name, path_table[j].name))
				setup_failed_path("two paths are declared with one name", p->name);
		/* FRED is switched on only while its path is selected, on the
		 * kernel's own tables: no boot-time owner, no shadow space */
		if (is_fred(p) && (p->space != SPACE_FULL || (p->pd_flags & PD_DEFAULT)))
			setup_failed_path("a FRED path runs on the full space and owns nothing at boot",
					  p->name);
	}
}

/* timer=: the clock the published stubs read. RDTSCP ends both the rdtscp
 * and the cpuid stubs; without it, lfence; rdtsc at both ends, and a
 * warning when something else was asked for. */
static uint32_t resolve_timer(int asked)
{
	if (cpu_has_rdtscp())
		return asked == TIMER_AUTO ? TIMER_RDTSCP : (uint32_t)asked;
	if (asked == TIMER_RDTSCP || asked == TIMER_CPUID)
		console_puts(CON_BOTH, "# warning: timer=: this CPU has no RDTSCP; "
			     "timing with lfence; rdtsc at both ends\n");
	return TIMER_LFENCE;
}

static const void *stub_for(uint32_t timer, const void *tsc, const void *lf, const void *cpuid)
{
	return timer == TIMER_RDTSCP ? tsc : timer == TIMER_CPUID ? cpuid : lf;
}

void paths_publish(struct rt_shared *sh, int timer)
{
	sh->npaths = path_count;
	sh->timer = resolve_timer(timer);
	for (unsigned i = 0; i < path_count; i++) {
		const struct path_desc *p = &path_table[i];
		struct rt_path_view *v = &sh->path[i];
		strlcpy0(v->name, p->name, sizeof v->name);
		const char *why = path_why_not(p);
		v->runnable = !why;
		strlcpy0(v->status, why ? why : "ok", sizeof v->status);
		v->flags = view_flags(p);
		v->reset = p->reset;
		v->invoke = (uint64_t)stub_for(sh->timer, p->invoke, p->invoke_lf, p->invoke_cpuid);
		v->baseline = (uint64_t)stub_for(sh->timer, p->baseline, p->baseline_lf,
						 p->baseline_cpuid);
		v->call = (uint64_t)p->call;
		v->invoke_pmc = (uint64_t)p->invoke_pmc;
		v->baseline_pmc = (uint64_t)p->baseline_pmc;
	}
}

/* Point p's MSR, gate or descriptor at entry: its own, or the stub
 * kernel/mitig.c built for it with the toggles asked for. */
static void point_at_entry(const struct path_desc *p, const void *entry)
{
	switch (p->install) {
	case INSTALL_LSTAR:
		syscall_msrs(entry);
		break;
	case INSTALL_IDT:
		idt_set_gate(p->vector, (uint64_t)entry, p->gate_type, 3, p->ist);
		break;
	case INSTALL_SYSENTER:
		wrmsr(MSR_SYSENTER_CS, SEL_KCODE);
		wrmsr(MSR_SYSENTER_ESP, percpu0.kernel_rsp);
		wrmsr(MSR_SYSENTER_EIP, (uint64_t)entry);
		break;
	case INSTALL_CALLGATE:
		gdt_set_call_gate((uint64_t)entry);
		break;
	case INSTALL_FRED:
	case INSTALL_FRED_EXCEPTION:
		star_msrs();
		fred_enable(p->entry);
		break;
	}
}

/* Any path but a FRED one turns FRED off first: SWAPGS, SYSRET and SYSEXIT
 * are #UD while CR4.FRED is set, and call gates and iretq to Ring 3 #GP;
 * with it off, the IDT (never unloaded) delivers again, and every other
 * path runs exactly as it does on a CPU without FRED. */
static void install(const struct path_desc *p, const void *entry)
{
	if (!is_fred(p))
		fred_disable();
	point_at_entry(p, entry);
	use_space(p->space);
	if (is_exception(p))
		exc_select(&p->expect);
}

/* At boot, every gate, MSR and descriptor the paths use is filled in by
 * its PATH_DEFAULT owner (the dump= tables show them, and `int 0x2e` always
 * finds a DPL 3 gate); selecting a path later re-points what it shares
 * with others. */
void paths_install_defaults(void)
{
	fred_disable();
	for (unsigned i = 0; i < path_count; i++)
		if ((path_table[i].pd_flags & PD_DEFAULT) && !path_why_not(&path_table[i]))
			point_at_entry(&path_table[i], path_table[i].entry);
	use_space(SPACE_FULL);
}

uint64_t path_select(uint64_t index, uint64_t mitigations)
{
	if (index == PATH_NONE) {
		mitig_reset();                  /* no toggle state left behind */
		paths_install_defaults();
		return STATUS_SUCCESS;
	}
	if (index >= path_count || path_why_not(&path_table[index]) ||
	    mitigations > MITIG_ALL)
		return STATUS_INVALID_PARAMETER;
	const void *entry;
	if (mitig_select(&path_table[index], (uint32_t)mitigations, &entry))
		return STATUS_INVALID_PARAMETER;
	install(&path_table[index], entry);
	return STATUS_SUCCESS;
}
