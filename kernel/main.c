/* main.c - boot to Ring 3: consoles, CPU tables, address space, dispatcher,
 * the shared page and the sample buffer, then iretq into the harness.
 * Everything Ring 0 prints goes out before Ring 3 starts, as '#' lines. */
#include "abi.h"
#include "console.h"
#include "clocks.h"
#include "counters.h"
#include "cpu.h"
#include "dump.h"
#include "exception.h"
#include "exc_paths.h"
#include "qemu_detect.h"
#include "exit.h"
#include "gdt.h"
#include "idt.h"
#include "kstacks.h"
#include "mitig.h"
#include "multiboot.h"
#include "paging.h"
#include "percpu.h"
#include "protect.h"
#include "qr_screen.h"
#include "serial.h"
#include "shadow.h"
#include "shared_page.h"
#include "ssdt.h"
#include "test_hooks.h"
#include "vga.h"
#include "paths.h"
#include "../lib/options.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

extern uint32_t boot_mb_magic, boot_mb_info;  /* kernel/boot.asm, phys */
extern uint8_t __image_end_phys[];
extern uint8_t u_user_stack[];                /* bench/main.c, Ring 3 */
extern void u_user_main(const struct rt_shared *);
extern const char control_gate_entry[];
__attribute__((noreturn)) void enter_user(uint64_t rip, uint64_t rsp, uint64_t arg);
void kmain(void);

static struct boot_info boot;
static struct options opts;

static void kv(const char *key, const char *val)
{
	char buf[sizeof boot.cmdline + 64];     /* boot_cmdline whole */
	struct sbuf l;
	sb_init(&l, buf, sizeof buf);
	sb_kv_line(&l, key, val);
	console_sb(CON_SERIAL, &l);
}

static void kv_u64(const char *key, uint64_t val)
{
	char b[24];
	struct sbuf sb;
	sb_init(&sb, b, sizeof b);
	sb_u64(&sb, val);
	kv(key, b);
}

/* Under clock=icount the counts are exact and every sample of a row is
 * the same: the counts the command line leaves open are far smaller, and
 * the metadata says which (icount_defaults=iterations:100,...). */
static char icount_defaults_applied[64];

static void icount_default(const char *key, uint64_t *field, uint64_t value, struct sbuf *sb)
{
	if (options_given(&opts, key))
		return;
	*field = value;
	if (sb->len)
		sb_putc(sb, ',');
	sb_puts(sb, key);
	sb_putc(sb, ':');
	sb_u64(sb, value);
}

static void icount_defaults(void)
{
	struct sbuf sb;
	sb_init(&sb, icount_defaults_applied, sizeof icount_defaults_applied);
	if (!opts.clock_icount)
		return;
	icount_default("iterations", &opts.iterations, ICOUNT_ITERATIONS, &sb);
	icount_default("warmup", &opts.warmup, ICOUNT_WARMUP, &sb);
	icount_default("repeat", &opts.repeat, ICOUNT_REPEAT, &sb);
}

static void describe_boot(void)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < boot.navail; i++)
		total += boot.avail[i].len;
	kv("boot_loader", boot.loader[0] ? boot.loader : "unknown");
	kv("boot_cmdline", boot.cmdline);
	if (icount_defaults_applied[0])
		kv("icount_defaults", icount_defaults_applied);
	kv_u64("memory_kib", total >> 10);
	if (!boot.has_fb) {
		kv("framebuffer", "none");
	} else {
		KLINE(l);
		sb_puts(&l, "# framebuffer=");
		sb_puts(&l, boot.fb_type == 2 ? "ega-text " : boot.fb_type == 1 ? "rgb " : "indexed ");
		sb_u64(&l, boot.fb_width);
		sb_putc(&l, 'x');
		sb_u64(&l, boot.fb_height);
		if (boot.fb_type != 2) {
			sb_putc(&l, 'x');
			sb_u64(&l, boot.fb_bpp);
		}
		sb_endline(&l);
		console_sb(CON_SERIAL, &l);
	}
	for (unsigned i = 0; i < opts.nwarnings; i++) {
		KLINE(l);
		sb_puts(&l, "# warning: ");
		sb_puts(&l, opts.warning[i]);
		sb_endline(&l);
		console_sb(CON_BOTH, &l);
	}
}

/* help: the options, on serial as '#' lines and on screen, then stop */
static void print_help_and_stop(void)
{
	console_puts(CON_BOTH, "# help: ringtrip command-line options (GRUB: press e to edit):\n");
	for (unsigned i = 0; options_help[i]; i++) {
		KLINE(l);
		sb_puts(&l, "# help:   ");
		sb_puts(&l, options_help[i]);
		sb_endline(&l);
		console_sb(CON_BOTH, &l);
	}
	/* the names paths= takes, from the path table itself */
	KLINE(l);
	sb_puts(&l, "# help: paths:");
	for (unsigned i = 0; i < path_count; i++) {
		sb_putc(&l, ' ');
		sb_puts(&l, path_table[i].name);
	}
	sb_endline(&l);
	console_sb(CON_BOTH, &l);
	sb_puts(&l, "# help: services:");
#define SERVICE_WORD(name, constant) " " #name
	sb_puts(&l, BENCH_SERVICES(SERVICE_WORD));
	sb_endline(&l);
	console_sb(CON_BOTH, &l);
	/* and what each path is: its declaration's PATH_MIRRORS */
	for (unsigned i = 0; i < path_count; i++) {
		sb_puts(&l, "# help:   ");
		sb_puts(&l, path_table[i].name);
		sb_puts(&l, ": ");
		sb_puts(&l, path_table[i].counterpart);
		sb_endline(&l);
		console_sb(CON_BOTH, &l);
	}
	/* the trailer (no rows), its crc32 over every line before it */
	uint32_t crc = console_serial_crc();
	sb_puts(&l, "# end rows=0 crc32=");
	for (int shift = 28; shift >= 0; shift -= 4)
		sb_putc(&l, "0123456789abcdef"[(crc >> shift) & 15]);
	sb_endline(&l);
	console_sb(CON_SERIAL, &l);
	rt_exit(EXIT_OK);
}

static void parse_options(void)
{
	static const char *const service_names[] = {
#define SERVICE_NAME(name, constant) #name,
		BENCH_SERVICES(SERVICE_NAME)
	};
	const char *path_names[MAX_PATHS];
	for (unsigned i = 0; i < path_count; i++)
		path_names[i] = path_table[i].name;
	const struct option_names names = {
		.paths = path_names, .npaths = path_count,
		.services = service_names, .nservices = BENCH_SERVICE_COUNT,
	};
	options_parse_cut(&opts, boot.cmdline, boot.cmdline_len, &names);
	exit_configure(opts.exit_mode);
	icount_defaults();
}

/* The last user page, holding `syscall` in its last two bytes: the CPU's
 * return address (RCX) is then 0x0000800000000000, the first non-canonical
 * address, which SYSRET must never be asked to return to. */
static void plant_noncanonical_syscall(struct rt_shared *sh)
{
	uint64_t pa = phys_alloc_page();
	if (!pa || pt_map(kernel_pml4(), USER_LAST_PAGE_VA, pa, PTE_U))
		setup_failed("out of memory for the last user page");
	shadow_allow_user("the last user page", USER_LAST_PAGE_VA, pa, PAGE_SIZE, 0);
	uint8_t *page = phys_to_virt(pa);
	memset(page, 0xCC, PAGE_SIZE);              /* int3 everywhere else */
	page[0] = 0xC3;                              /* ret: the SMEP probe */
	page[PAGE_SIZE - 2] = 0x0F;                  /* syscall */
	page[PAGE_SIZE - 1] = 0x05;
	sh->noncanonical_syscall_va = USER_LAST_PAGE_VA + PAGE_SIZE - 2;
}

/* The page Ring 3 reads its instructions from: read-only for Ring 3,
 * written by us through the direct map. */
static struct rt_shared *make_shared_page(void)
{
	uint64_t pa = phys_alloc_page();
	if (!pa || pt_map(kernel_pml4(), USER_SHARED_VA, pa, PTE_U | PTE_NX))
		setup_failed("out of memory for the shared page");
	shadow_allow_user("the shared page", USER_SHARED_VA, pa, PAGE_SIZE, PTE_NX);
	struct rt_shared *sh = phys_to_virt(pa);
	exception_tell_user_faults(&sh->fault);
	sh->magic = SHARED_MAGIC;
	sh->iterations = opts.iterations;
	sh->warmup = opts.warmup;
	sh->repeat = (uint32_t)opts.repeat;
	sh->batch = (uint32_t)opts.batch;
	sh->service_mask = opts.service_mask;
	sh->on_tcg = (uint32_t)running_on_tcg();
	sh->clock_icount = (uint32_t)opts.clock_icount;
	sh->path_mask = opts.path_mask;
	sh->warnings = opts.nwarnings;
	sh->crash_user = opts.crash == CRASH_USER;
	sh->user_probe_address = USER_PROBE_ADDRESS;
	sh->kernel_probe_va = (uint64_t)&percpu0;
	sh->unmapped_user_va = 0x0000100000000000ULL;
	strlcpy0(sh->cmdline, boot.cmdline, sizeof sh->cmdline);
	plant_noncanonical_syscall(sh);
	sh->kernel_data_va = (uint64_t)service_descriptor_table;
	sh->kernel_text_va = (uint64_t)ssdt_dispatch;
	sh->entry_text_va = (uint64_t)control_gate_entry;

	return sh;
}

static void map_sample_buffer(struct rt_shared *sh)
{
	uint64_t bytes = (opts.iterations * sizeof(uint64_t) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (bytes + (1u << 20) > phys_free_bytes()) {
		KLINE(l);
		sb_puts(&l, "not enough memory for iterations=");
		sb_u64(&l, opts.iterations);
		sb_puts(&l, " (needs ");
		sb_u64(&l, bytes >> 10);
		sb_puts(&l, " KiB, ");
		sb_u64(&l, phys_free_bytes() >> 10);
		sb_puts(&l, " KiB free); give the machine more memory or ask for fewer");
		setup_failed(l.buf);
	}
	uint64_t pa;
	if (map_user_range(USER_SAMPLES_VA, bytes, PTE_W | PTE_NX, &pa))
		setup_failed("could not map the sample buffer");
	shadow_allow_user("the sample buffer", USER_SAMPLES_VA, pa, bytes, PTE_W | PTE_NX);
	sh->samples_va = USER_SAMPLES_VA;
	sh->samples_capacity = bytes / sizeof(uint64_t);
}

void kmain(void)
{
	uint32_t magic = boot_mb_magic, mbi = boot_mb_info;   /* identity map still up */

	serial_init();
	vga_init();
	/* the first line of every capture, before anything can go wrong; the
	 * trailer's crc32 covers everything from here on */
	console_begin_capture();

	uint64_t kstack_top = kstack_end(KSTACK_KERNEL);   /* guarded: kstacks.h */
	gdt_init();
	idt_init();
	percpu_init(kstack_top, entry_stack_top());
	if (multiboot_parse(magic, mbi, &boot))
		setup_failed("not booted by a multiboot2 loader");
	phys_init(&boot, (uint64_t)__image_end_phys);
	paging_init();
	console_use_framebuffer(&boot);
	console_puts(CON_SCREEN, "ringtrip: Ring 3 -> Ring 0 round-trip benchmark\n");
	paths_init();
	parse_options();
	describe_boot();
	if (opts.help)
		print_help_and_stop();
	if (opts.serial_off) {
		console_puts(CON_SCREEN, "serial=off: results on this screen only\n");
		serial_disable();
	}

	if (opts.crash == CRASH_KERNEL)
		__asm__ volatile("ud2");
	test_hooks_boot(opts.test_mask);          /* nothing in the default image */
	percpu0.kernel_cr3 = percpu0.user_cr3 = kernel_cr3;
	if (ssdt_init())
		setup_failed("a service routine is out of reach of its table");
	idt_set_gate(VEC_CONTROL, (uint64_t)control_gate_entry, GATE_INTERRUPT, 3, 0);
	exc_paths_init();

	struct rt_shared *sh = make_shared_page();
	map_sample_buffer(sh);
	/* last: the shadow tables share the user half's PML4 entries as they
	 * are now */
	if (shadow_build())
		setup_failed("out of memory for the shadow page tables");
	shadow_verify(&sh->isolation);
	protections_enable(sh);
	mitig_init(sh, opts.profile, opts.mitigations);
	paths_publish(sh, opts.timer);
	paths_install_defaults();
	mitig_describe();
	clocks_probe(sh);
	counters_probe(sh);
	qr_screen_configure(opts.qr_mode, serial_present() && !opts.serial_off, sh->tsc_hz);
	dump_tables(opts.dump_mask);
	console_puts(CON_SCREEN, "kernel ready; entering Ring 3\n");
	enter_user((uint64_t)u_user_main, (uint64_t)u_user_stack + USER_STACK_SIZE,
		   USER_SHARED_VA);
}
