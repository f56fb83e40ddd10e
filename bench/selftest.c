/* selftest.c - checks that run before any number is taken, through the path
 * under test (its untimed stub) and through the control gate. Each prints
 * "# selftest <path>/<name> pass|fail <detail>"; any failure makes the run
 * exit non-zero. */
#include "user.h"
#include "../kernel/trapframe.h"    /* USER_STACK_ARGS_OFFSET */
#include "../lib/checksum.h"
#include "../lib/crc32.h"

static unsigned failures;

static void report_detail(const char *path, const char *name, int pass,
			  uint64_t got, uint64_t want, const char *detail)
{
	ULINE(l);
	sb_puts(&l, "# selftest ");
	sb_puts(&l, path);
	sb_putc(&l, '/');
	sb_puts(&l, name);
	sb_puts(&l, pass ? " pass" : " fail");
	sb_puts(&l, " got=");
	sb_hex(&l, got, 1);
	sb_puts(&l, " want=");
	sb_hex(&l, want, 1);
	if (detail) {
		sb_putc(&l, ' ');
		sb_puts(&l, detail);
	}
	sb_endline(&l);
	out_sb(pass ? PRINT_SERIAL : PRINT_SERIAL | PRINT_SCREEN, &l);
	if (!pass)
		failures++;
}

static void report(const char *path, const char *name, int pass,
		   uint64_t got, uint64_t want)
{
	report_detail(path, name, pass, got, want, 0);
}

/* jump to the planted `syscall` at the top of the canonical lower half */
static void run_planted_syscall(void *va)
{
	__asm__ volatile("mov %1, %%eax\n\tjmp *%0"
			 : : "r"(va), "i"(SVC_NULL) : "rax", "rcx", "r11", "memory");
}

/* SYSRET to a non-canonical RCX is the Intel bug class of CVE-2012-0217:
 * the #GP would be taken in Ring 0 on the user's stack. The entry must see
 * RCX = 0x0000800000000000 and leave by iretq instead; whatever then faults
 * must reach Ring 3's recovery point as a #GP at that address, with the
 * kernel intact. */
static void sysret_noncanonical(const struct rt_shared *sh, const struct rt_path_view *p)
{
	const uint64_t want = 0x0000800000000000ULL;
	uint64_t before = sh->fault.count, iret_before = sh->fault.iret_fallbacks;
	int faulted = guarded(run_planted_syscall, (void *)sh->noncanonical_syscall_va);
	char d[64];
	struct sbuf sb;
	sb_init(&sb, d, sizeof d);
	sb_puts(&sb, "vector=");
	sb_u64(&sb, sh->fault.vector);
	sb_puts(&sb, " raised_in_ring=");
	sb_u64(&sb, sh->fault.ring);
	sb_puts(&sb, " iret_exits=");
	sb_u64(&sb, sh->fault.iret_fallbacks - iret_before);
	/* iret_before is from the previous fault (or 0): at least one
	 * iretq exit must have happened since, and none is expected otherwise */
	int pass = faulted && sh->fault.count == before + 1 && sh->fault.vector == 13 &&
		   sh->fault.rip == want && sh->fault.iret_fallbacks == iret_before + 1;
	report_detail(p->name, "sysret_noncanonical_rip_takes_iret", pass,
		      faulted ? sh->fault.rip : 0, want, d);
}

/* one call through the path; rsp != 0 replaces the user RSP */
static void expect(const struct rt_path_view *p, const char *name, uint32_t number,
		   unsigned nargs, uint64_t rsp, uint64_t want, int want_checksum)
{
	struct bench_service s = { .name = name, .number = number, .nargs = nargs };
	struct rt_call c;
	call_prepare(&c, &s);
	c.rsp = rsp;
	if (want_checksum)
		want = rt_checksum(c.arg, nargs);
	uint64_t got = ((rt_stub_fn)p->call)(&c, 0);
	report(p->name, name, got == want, got, want);
}

static void read_qword(void *va);
static void expect_page_fault(const struct rt_shared *sh, const char *group,
			      const char *name, void (*touch)(void *), uint64_t va,
			      uint64_t want_error);
static void privilege(const struct rt_shared *sh, const char *group, int fred);
static void ring3_faults(const struct rt_shared *sh, const char *group);
static void control_pointers(const char *group);

/* "# selftest <group>/<name> skip <why>": a test that cannot hold here,
 * said, never silently left out */
static void skip(const char *group, const char *name, const char *why)
{
	ULINE(l);
	sb_puts(&l, "# selftest ");
	sb_puts(&l, group);
	sb_putc(&l, '/');
	sb_puts(&l, name);
	sb_puts(&l, " skip ");
	sb_puts(&l, why);
	sb_endline(&l);
	out_sb(PRINT_SERIAL, &l);
}

/* With FRED on, every event goes through the FRED entry instead of the
 * IDT: the faults the privilege and page-table self-tests provoke, their
 * recovery point, the control gate and the kernel's own copy faults. So
 * those tests run again through the FRED path under test, except what
 * only the IDT or SYSRET can show. */
static void fred_events(const struct rt_shared *sh, const struct rt_path_view *p)
{
	privilege(sh, p->name, 1);
	ring3_faults(sh, p->name);
	control_pointers(p->name);
	/* SYSRET is #UD with CR4.FRED set; ERETU is the only way back */
	skip(p->name, "sysret_noncanonical_rip_takes_iret", "fred-has-no-sysret");
}

/* Ring 3 reads a user page nothing may map: it must not be present. */
static uint64_t canary_read;
static void read_canary(void *va)
{
	canary_read = *(volatile uint64_t *)va;
}

static void canary_not_mapped(const struct rt_shared *sh, const char *group)
{
	uint64_t before = sh->fault.count;
	int faulted = guarded(read_canary, (void *)USER_CANARY_VA);
	char d[96];
	struct sbuf sb;
	sb_init(&sb, d, sizeof d);
	if (faulted) {
		sb_puts(&sb, "vector=");
		sb_u64(&sb, sh->fault.vector);
		sb_puts(&sb, " error=");
		sb_hex(&sb, sh->fault.error, 1);
	} else {
		sb_puts(&sb, "no fault: Ring 3 read ");
		sb_hex(&sb, canary_read, 1);
		sb_puts(&sb, " there: a page is mapped that nothing may map");
	}
	int pass = faulted && sh->fault.count == before + 1 && sh->fault.vector == 14 &&
		   sh->fault.error == 0x4 && sh->fault.cr2 == USER_CANARY_VA;
	report_detail(group, "canary_user_page_not_mapped", pass,
		      faulted ? sh->fault.cr2 : 0, USER_CANARY_VA, d);
}

/* The shadow address space, from both sides: the kernel's walk of the
 * shadow page tables at boot (every present page's physical address on the
 * allow-list), and Ring 3, running on it, finding the kernel's data and
 * code and the canary page not present (#PF error bit 0 clear) while the
 * allow-listed entry stubs are present but supervisor-only. */
static void isolation(const struct rt_shared *sh, const struct rt_path_view *p)
{
	const struct rt_isolation *r = &sh->isolation;
	char d[320];
	struct sbuf sb;
	sb_init(&sb, d, sizeof d);
	sb_puts(&sb, "user_pages=");
	sb_u64(&sb, r->user_pages);
	sb_puts(&sb, " allowed_pages=");
	sb_u64(&sb, r->allowed_pages);
	sb_puts(&sb, " must_be_absent=");
	sb_u64(&sb, r->must_be_absent);
	sb_puts(&sb, " present_anyway=");
	sb_u64(&sb, r->present_anyway);
	if (r->violations) {
		sb_puts(&sb, " first_violation va=");
		sb_hex(&sb, r->first_violation, 1);
		sb_puts(&sb, " pa=");
		sb_hex(&sb, r->first_violation_pa, 1);
		sb_puts(&sb, " (");
		sb_putn(&sb, r->first_violation_what, sizeof r->first_violation_what);
		sb_putc(&sb, ')');
	}
	int pass = r->built && !r->violations && !r->present_anyway &&
		   r->user_pages && r->allowed_pages && r->must_be_absent;
	report_detail(p->name, "isolation_walk", pass, r->violations, 0, d);

	expect_page_fault(sh, p->name, "kernel_data_not_mapped", read_qword,
			  sh->kernel_data_va, 0x4);
	expect_page_fault(sh, p->name, "kernel_text_not_mapped", read_qword,
			  sh->kernel_text_va, 0x4);
	expect_page_fault(sh, p->name, "entry_text_mapped_supervisor", read_qword,
			  sh->entry_text_va, 0x5);
	canary_not_mapped(sh, p->name);
}

unsigned selftest_path(const struct rt_shared *sh, const struct rt_path_view *p)
{
	failures = 0;
	if (p->flags & PATH_EXCEPTION) {
		/* no dispatcher here: the handler's own checks must hold */
		expect(p, "handler_checks_vector_error_rip", 0, 0, 0, STATUS_SUCCESS, 0);
		expect(p, "handled_again", 0, 0, 0, STATUS_SUCCESS, 0);
		if (p->reset)
			control_call(p->reset, 0, 0, 0);
		return failures;
	}
	/* every service returns what it should: arguments arrive intact */
	expect(p, "null", SVC_NULL, SVC_NULL_NARGS, 0, STATUS_SUCCESS, 0);
	expect(p, "args4_checksum", SVC_ARGS4, SVC_ARGS4_NARGS, 0, 0, 1);
	expect(p, "args8_checksum", SVC_ARGS8, SVC_ARGS8_NARGS, 0, 0, 1);
	expect(p, "args16_checksum", SVC_ARGS16, SVC_ARGS16_NARGS, 0, 0, 1);
	expect(p, "win32k_null", SVC_W32_NULL, SVC_W32_NULL_NARGS, 0, STATUS_SUCCESS, 0);
	expect(p, "win32k_args4_checksum", SVC_W32_ARGS4, SVC_W32_ARGS4_NARGS, 0, 0, 1);

	/* an index at or past a table's limit, or a table that is not there */
	expect(p, "invalid_index_t0_first", SVC_NATIVE_COUNT, 0, 0,
	       STATUS_INVALID_SYSTEM_SERVICE, 0);
	expect(p, "invalid_index_t0_max", SVC_INDEX_MASK, 0, 0,
	       STATUS_INVALID_SYSTEM_SERVICE, 0);
	expect(p, "invalid_index_t1", (1 << SVC_TABLE_SHIFT) | SVC_W32_COUNT, 0, 0,
	       STATUS_INVALID_SYSTEM_SERVICE, 0);
	expect(p, "invalid_table_2", 2 << SVC_TABLE_SHIFT, 0, 0,
	       STATUS_INVALID_SYSTEM_SERVICE, 0);
	expect(p, "invalid_table_3", 3 << SVC_TABLE_SHIFT, 0, 0,
	       STATUS_INVALID_SYSTEM_SERVICE, 0);

	/* the stack arguments come from wherever RSP points, which Ring 3
	 * controls: the copy must be clamped and fault-safe */
	expect(p, "args16_rsp_kernel", SVC_ARGS16, SVC_ARGS16_NARGS, sh->kernel_probe_va,
	       STATUS_ACCESS_VIOLATION, 0);
	expect(p, "args16_rsp_unmapped", SVC_ARGS16, SVC_ARGS16_NARGS, sh->unmapped_user_va,
	       STATUS_ACCESS_VIOLATION, 0);
	expect(p, "args16_rsp_noncanonical", SVC_ARGS16, SVC_ARGS16_NARGS, 0x0000800000000000ULL,
	       STATUS_ACCESS_VIOLATION, 0);
	expect(p, "args16_rsp_straddles_probe", SVC_ARGS16, SVC_ARGS16_NARGS,
	       sh->user_probe_address - USER_STACK_ARGS_OFFSET - 8,
	       STATUS_ACCESS_VIOLATION, 0);
	/* and the kernel is still fine afterwards */
	expect(p, "args16_after_faults", SVC_ARGS16, SVC_ARGS16_NARGS, 0, 0, 1);
	if (p->flags & PATH_SYSRET_EXIT) {
		sysret_noncanonical(sh, p);
		expect(p, "args16_after_sysret_test", SVC_ARGS16, SVC_ARGS16_NARGS, 0, 0, 1);
	}
	if (p->flags & PATH_FRED)
		fred_events(sh, p);
	if (p->flags & PATH_SHADOW)
		isolation(sh, p);
	return failures;
}

static void read_qword(void *va)
{
	(void)*(volatile uint64_t *)va;
}

static void write_qword(void *va)
{
	*(volatile uint64_t *)va = 0;
}

/* Ring 3 touches memory it must not: the page walk, not luck, must stop it.
 * #PF error code: bit 0 present, bit 1 write, bit 2 user. */
static void expect_page_fault(const struct rt_shared *sh, const char *group,
			      const char *name, void (*touch)(void *), uint64_t va,
			      uint64_t want_error)
{
	uint64_t before = sh->fault.count;
	int faulted = guarded(touch, (void *)va);
	char d[64];
	struct sbuf sb;
	sb_init(&sb, d, sizeof d);
	sb_puts(&sb, "vector=");
	sb_u64(&sb, faulted ? sh->fault.vector : 0);
	sb_puts(&sb, " error=");
	sb_hex(&sb, faulted ? sh->fault.error : 0, 1);
	int pass = faulted && sh->fault.count == before + 1 && sh->fault.vector == 14 &&
		   sh->fault.error == want_error && sh->fault.cr2 == va;
	report_detail(group, name, pass, faulted ? sh->fault.cr2 : 0, va, d);
}

/* Ring 3 trying what only Ring 0 may do */
static void do_cli(void *a) { (void)a; __asm__ volatile("cli"); }
static void do_hlt(void *a) { (void)a; __asm__ volatile("hlt"); }
static void do_mov_cr3(void *a) { (void)a; __asm__ volatile("xor %%eax, %%eax; mov %%rax, %%cr3" ::: "rax"); }
static void do_rdmsr(void *a) { (void)a; __asm__ volatile("mov $0xC0000080, %%ecx; rdmsr" ::: "rax", "rcx", "rdx"); }
static void do_wrmsr(void *a) { (void)a; __asm__ volatile("mov $0xC0000080, %%ecx; xor %%eax, %%eax; xor %%edx, %%edx; wrmsr" ::: "rax", "rcx", "rdx"); }
static void do_int_dpl0(void *a) { (void)a; __asm__ volatile("int %0" :: "i"(VEC_DPL0_PROBE)); }

static void expect_gp(const struct rt_shared *sh, const char *group, const char *name,
		      void (*fn)(void *), uint64_t want_error, uint64_t tcg_error)
{
	uint64_t before = sh->fault.count;
	int faulted = guarded(fn, 0);
	char d[80];
	struct sbuf sb;
	sb_init(&sb, d, sizeof d);
	sb_puts(&sb, "vector=");
	sb_u64(&sb, faulted ? sh->fault.vector : 0);
	int ok_error = faulted && sh->fault.error == want_error;
	if (faulted && !ok_error && tcg_error && sh->fault.error == tcg_error) {
		/* QEMU TCG's deviation from the SDM, accepted and said */
		sb_puts(&sb, " note=qemu-tcg-reports-(n<<4)|2");
		ok_error = 1;
	}
	int pass = faulted && sh->fault.count == before + 1 && sh->fault.vector == 13 && ok_error;
	report_detail(group, name, pass, faulted ? sh->fault.error : 0, want_error, d);
}

/* FRED has no gates: `int 0x40` arrives as a software interrupt, and the
 * kernel makes it a #GP with error code 0 and RIP past the instruction
 * (kernel/fred.c, as Linux's fred_intx) - not the IDT's (n << 3) | 2 at
 * the instruction, which only a gate's DPL check produces. */
static void fred_int_dpl0(const struct rt_shared *sh, const char *group)
{
	uint64_t before = sh->fault.count;
	int faulted = guarded(do_int_dpl0, 0);
	const uint8_t *rip = (const uint8_t *)sh->fault.rip;
	char d[80];
	struct sbuf sb;
	sb_init(&sb, d, sizeof d);
	sb_puts(&sb, "vector=");
	sb_u64(&sb, faulted ? sh->fault.vector : 0);
	int past_int = faulted && rip[-2] == 0xCD && rip[-1] == VEC_DPL0_PROBE;
	sb_puts(&sb, past_int ? " rip=past-the-int" : " rip=not-past-the-int");
	int pass = faulted && sh->fault.count == before + 1 && sh->fault.vector == 13 &&
		   sh->fault.error == 0 && past_int;
	report_detail(group, "int_unoffered_vector_gp0", pass,
		      faulted ? sh->fault.error : 0, 0, d);
}

static void privilege(const struct rt_shared *sh, const char *group, int fred)
{
	expect_gp(sh, group, "cli_gp", do_cli, 0, 0);
	expect_gp(sh, group, "hlt_gp", do_hlt, 0, 0);
	expect_gp(sh, group, "mov_cr3_gp", do_mov_cr3, 0, 0);
	expect_gp(sh, group, "rdmsr_gp", do_rdmsr, 0, 0);
	expect_gp(sh, group, "wrmsr_gp", do_wrmsr, 0, 0);
	if (fred) {
		skip(group, "int_dpl0_gate_gp", "fred-has-no-gate-dpl-check");
		fred_int_dpl0(sh, group);
	} else {
		expect_gp(sh, group, "int_dpl0_gate_gp", do_int_dpl0, (VEC_DPL0_PROBE << 3) | 2,
			  sh->on_tcg ? (VEC_DPL0_PROBE << 4) | 2 : 0);
	}
	/* a DPL 3 gate lets Ring 3 in: int 0x2e reaches the dispatcher (with
	 * FRED: the kernel lets 0x2e through, kernel/fred.c) */
	uint64_t r;
	__asm__ volatile("int %1" : "=a"(r) : "i"(VEC_INT2E), "a"((uint64_t)SVC_NULL)
			 : "rcx", "rdx", "r8", "r9", "r10", "r11", "memory");
	report(group, fred ? "int_0x2e_reaches_dispatcher" : "int_dpl3_gate_handled",
	       r == STATUS_SUCCESS, r, STATUS_SUCCESS);
}

/* Ring 0 touching a user page with SMEP / SMAP on must #PF: error 0x11
 * (present, instruction fetch) for SMEP, 0x1 (present, read, supervisor)
 * for SMAP. The kernel ran the probes at boot (kernel/protect.c). */
static void protection(const struct rt_prot_probe *p, const char *name,
		       const char *feature, uint64_t want_error)
{
	if (!p->tried) {
		ULINE(l);
		sb_puts(&l, "# selftest kernel/");
		sb_puts(&l, name);
		sb_puts(&l, " skip cpu-lacks-");
		sb_puts(&l, feature);
		sb_endline(&l);
		out_sb(PRINT_SERIAL, &l);
		return;
	}
	char d[64];
	struct sbuf sb;
	sb_init(&sb, d, sizeof d);
	sb_puts(&sb, "vector=");
	sb_u64(&sb, p->vector);
	sb_puts(&sb, " cr2=");
	sb_hex(&sb, p->cr2, 1);
	int pass = p->faulted && p->vector == 14 && p->error == want_error && p->cr2 == p->va;
	report_detail("kernel", name, pass, p->error, want_error, d);
}

/* The trailer's crc32 comes from SVC_OUTPUT_CRC: it must be tagged valid
 * and follow the serial stream byte for byte. The start of this test's own
 * line goes out first; the CRC must have moved by exactly those bytes; the
 * verdict finishes the line, so the capture holds one whole line. */
static void output_crc(void)
{
	static const char head[] = "# selftest control/output_crc_tracks_serial";
	const uint64_t n = sizeof head - 1;
	uint64_t before = control_call(SVC_OUTPUT_CRC, 0, 0, 0);
	out_write(PRINT_SERIAL, head, n);
	uint64_t got = control_call(SVC_OUTPUT_CRC, 0, 0, 0);
	uint64_t want = OUTPUT_CRC_VALID | crc32_update((uint32_t)before, head, n);
	int pass = (before >> 32) == (OUTPUT_CRC_VALID >> 32) && got == want;
	ULINE(l);
	sb_puts(&l, pass ? " pass" : " fail");
	sb_puts(&l, " got=");
	sb_hex(&l, got, 1);
	sb_puts(&l, " want=");
	sb_hex(&l, want, 1);
	sb_endline(&l);
	if (!pass) {
		out_write(PRINT_SCREEN, head, n);
		out_write(PRINT_SCREEN, l.buf, l.len);
		failures++;
	}
	out_sb(PRINT_SERIAL, &l);
}

/* Ring 3 reads and writes what the page tables forbid it */
static void ring3_faults(const struct rt_shared *sh, const char *group)
{
	expect_page_fault(sh, group, "read_kernel_data_faults", read_qword, sh->kernel_probe_va, 0x5);
	expect_page_fault(sh, group, "write_kernel_data_faults", write_qword, sh->kernel_probe_va, 0x7);
	expect_page_fault(sh, group, "write_shared_page_faults", write_qword, USER_SHARED_VA, 0x7);
	expect_page_fault(sh, group, "read_unmapped_faults", read_qword, sh->unmapped_user_va, 0x4);
}

/* the print service refuses what Ring 3 may not hand it: the kernel's copy
 * faults (or is refused) and the kernel goes on */
static void control_pointers(const char *group)
{
	uint64_t got = control_call(SVC_PRINT, 0xFFFFFFFF80100000ULL, 16, PRINT_SERIAL);
	report(group, "print_kernel_pointer", got == STATUS_ACCESS_VIOLATION,
	       got, STATUS_ACCESS_VIOLATION);
	got = control_call(SVC_PRINT, 0x0000100000000000ULL, 16, PRINT_SERIAL);
	report(group, "print_unmapped_pointer", got == STATUS_ACCESS_VIOLATION,
	       got, STATUS_ACCESS_VIOLATION);
}

unsigned selftest_control(const struct rt_shared *sh)
{
	failures = 0;
	privilege(sh, "priv", 0);
	protection(&sh->smep_probe, "smep_blocks_user_exec", "smep", 0x11);
	protection(&sh->smap_probe, "smap_blocks_user_read", "smap", 0x1);
	ring3_faults(sh, "ring3");
	control_pointers("control");
	uint64_t got = control_call(SVC_SELECT_PATH, MAX_PATHS + 1, 0, 0);
	report("control", "select_invalid_path", got == STATUS_INVALID_PARAMETER,
	       got, STATUS_INVALID_PARAMETER);
	output_crc();
	return failures;
}
