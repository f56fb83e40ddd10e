/* dump.c - see dump.h */
#include "dump.h"
#include "abi.h"
#include "clocks.h"
#include "console.h"
#include "cpu.h"
#include "gdt.h"
#include "idt.h"
#include "../lib/desc.h"
#include "../lib/options.h"

struct flag {
	unsigned bit;
	const char *name;
};

static void flags(struct sbuf *sb, uint64_t v, const struct flag *f, unsigned n)
{
	sb_puts(sb, " (");
	int first = 1;
	for (unsigned i = 0; i < n; i++) {
		if (!((v >> f[i].bit) & 1))
			continue;
		if (!first)
			sb_putc(sb, ' ');
		sb_puts(sb, f[i].name);
		first = 0;
	}
	sb_putc(sb, ')');
}

#define NFLAGS(a) (sizeof a / sizeof a[0])
static const struct flag cr0_flags[] = {
	{ 0, "PE" }, { 1, "MP" }, { 2, "EM" }, { 3, "TS" }, { 4, "ET" }, { 5, "NE" },
	{ 16, "WP" }, { 18, "AM" }, { 29, "NW" }, { 30, "CD" }, { 31, "PG" },
};
static const struct flag cr4_flags[] = {
	{ 0, "VME" }, { 1, "PVI" }, { 2, "TSD" }, { 3, "DE" }, { 4, "PSE" }, { 5, "PAE" },
	{ 6, "MCE" }, { 7, "PGE" }, { 8, "PCE" }, { 9, "OSFXSR" }, { 10, "OSXMMEXCPT" },
	{ 11, "UMIP" }, { 12, "LA57" }, { 13, "VMXE" }, { 14, "SMXE" }, { 16, "FSGSBASE" },
	{ 17, "PCIDE" }, { 18, "OSXSAVE" }, { 20, "SMEP" }, { 21, "SMAP" }, { 22, "PKE" },
	{ 23, "CET" },
};
static const struct flag efer_flags[] = {
	{ 0, "SCE" }, { 8, "LME" }, { 10, "LMA" }, { 11, "NXE" },
};
static const struct flag rflags_flags[] = {
	{ 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 14, "NT" }, { 18, "AC" },
};

static void line(struct sbuf *sb)
{
	sb_endline(sb);
	console_sb(CON_BOTH, sb);
}

static void dump_idt(struct sbuf *sb)
{
	const uint64_t *idt = idt_base();
	for (int v = 0; v < 256; v++) {
		uint64_t lo = idt[2 * v], hi = idt[2 * v + 1];
		if (!((lo >> 47) & 1))
			continue;                    /* not present */
		sb_puts(sb, "# dump idt ");
		desc_format_gate(sb, v, lo, hi);
		line(sb);
	}
}

static void dump_gdt(struct sbuf *sb)
{
	for (int i = 0; i < GDT_ENTRIES; i++) {
		uint64_t d = gdt[i];
		sb_puts(sb, "# dump gdt ");
		/* a system descriptor (S = 0, present) takes 16 bytes */
		if (((d >> 47) & 1) && !((d >> 44) & 1) && i + 1 < GDT_ENTRIES) {
			desc_format_system16(sb, i * 8, d, gdt[i + 1]);
			line(sb);
			i++;
			continue;
		}
		desc_format_segment(sb, i * 8, d);
		line(sb);
	}
}

static void dump_tss(struct sbuf *sb)
{
	static const char *const rsp[] = { "rsp0", "rsp1", "rsp2" };
	sb_puts(sb, "# dump tss");
	for (int i = 0; i < 3; i++) {
		sb_putc(sb, ' ');
		sb_puts(sb, rsp[i]);
		sb_putc(sb, '=');
		sb_hex(sb, tss.rsp[i], 16);
	}
	sb_puts(sb, " iomap_base=");
	sb_hex(sb, tss.iomap_base, 4);
	line(sb);
	sb_puts(sb, "# dump tss");
	for (int i = 1; i <= 7; i++) {
		sb_puts(sb, " ist");
		sb_u64(sb, (uint64_t)i);
		sb_putc(sb, '=');
		sb_hex(sb, tss.ist[i], 1);
	}
	line(sb);
}

static void dump_msrs(struct sbuf *sb)
{
	static const struct { uint32_t msr; const char *name; } msrs[] = {
		{ MSR_EFER, "EFER" }, { MSR_STAR, "STAR" }, { MSR_LSTAR, "LSTAR" },
		{ MSR_CSTAR, "CSTAR" }, { MSR_SFMASK, "SFMASK" }, { MSR_FS_BASE, "FS_BASE" },
		{ MSR_GS_BASE, "GS_BASE" }, { MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE" },
		{ MSR_SYSENTER_CS, "SYSENTER_CS" }, { MSR_SYSENTER_ESP, "SYSENTER_ESP" },
		{ MSR_SYSENTER_EIP, "SYSENTER_EIP" },
	};
	for (unsigned i = 0; i < sizeof msrs / sizeof msrs[0]; i++) {
		uint64_t v;
		sb_puts(sb, "# dump msr ");
		sb_puts(sb, msrs[i].name);
		sb_putc(sb, '=');
		if (rdmsr_safe(msrs[i].msr, &v)) {
			sb_puts(sb, "unreadable");
			line(sb);
			continue;
		}
		sb_hex(sb, v, 16);
		if (msrs[i].msr == MSR_EFER)
			flags(sb, v, efer_flags, NFLAGS(efer_flags));
		if (msrs[i].msr == MSR_SFMASK)
			flags(sb, v, rflags_flags, NFLAGS(rflags_flags));
		if (msrs[i].msr == MSR_STAR) {
			sb_puts(sb, " (syscall CS=");
			sb_hex(sb, (v >> 32) & 0xFFFC, 4);
			sb_puts(sb, " sysret base=");
			sb_hex(sb, (v >> 48) & 0xFFFF, 4);
			sb_putc(sb, ')');
		}
		line(sb);
	}
}

static void dump_crs(struct sbuf *sb)
{
	uint64_t cr0 = read_cr0(), cr3 = read_cr3(), cr4 = read_cr4();
	sb_puts(sb, "# dump cr CR0=");
	sb_hex(sb, cr0, 16);
	flags(sb, cr0, cr0_flags, NFLAGS(cr0_flags));
	line(sb);
	sb_puts(sb, "# dump cr CR3=");
	sb_hex(sb, cr3, 16);
	sb_puts(sb, " (PML4 at ");
	sb_hex(sb, cr3 & 0x000FFFFFFFFFF000ULL, 1);
	if (cr4 & (1ULL << 17)) {
		sb_puts(sb, ", PCID ");
		sb_u64(sb, cr3 & 0xFFF);
	}
	sb_putc(sb, ')');
	line(sb);
	sb_puts(sb, "# dump cr CR4=");
	sb_hex(sb, cr4, 16);
	flags(sb, cr4, cr4_flags, NFLAGS(cr4_flags));
	line(sb);
}

void dump_tables(uint32_t mask)
{
	char buf[320];
	struct sbuf sb;
	sb_init(&sb, buf, sizeof buf);
	if (mask & (1u << DUMP_IDT))
		dump_idt(&sb);
	if (mask & (1u << DUMP_GDT))
		dump_gdt(&sb);
	if (mask & (1u << DUMP_TSS))
		dump_tss(&sb);
	if (mask & (1u << DUMP_MSR))
		dump_msrs(&sb);
	if (mask & (1u << DUMP_CR))
		dump_crs(&sb);
}
