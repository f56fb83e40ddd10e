/* desc.c - see desc.h. Bit layouts: Intel SDM Vol 3, sections 3.4.5
 * (segment descriptors), 6.14.1 (64-bit IDT gates), 5.8.3.1 (call gates)
 * and 8.2.3 (TSS descriptor in 64-bit mode). */
#include "desc.h"

#define BITS(v, hi, lo) ((unsigned)(((v) >> (lo)) & ((1ull << ((hi) - (lo) + 1)) - 1)))

void desc_decode_gate(uint64_t lo, uint64_t hi, struct gate64 *g)
{
	g->offset = (lo & 0xffff) | (lo >> 48) << 16 | (hi & 0xffffffffull) << 32;
	g->selector = (uint16_t)BITS(lo, 31, 16);
	g->ist = BITS(lo, 34, 32);
	g->type = BITS(lo, 43, 40);
	g->dpl = BITS(lo, 46, 45);
	g->present = BITS(lo, 47, 47);
}

void desc_decode_segment(uint64_t d, struct seg64 *s)
{
	s->base = (uint32_t)(BITS(d, 39, 16) | BITS(d, 63, 56) << 24);
	s->limit = BITS(d, 15, 0) | BITS(d, 51, 48) << 16;
	s->type = BITS(d, 43, 40);
	s->s = BITS(d, 44, 44);
	s->dpl = BITS(d, 46, 45);
	s->present = BITS(d, 47, 47);
	s->avl = BITS(d, 52, 52);
	s->l = BITS(d, 53, 53);
	s->db = BITS(d, 54, 54);
	s->g = BITS(d, 55, 55);
}

uint32_t desc_seg_limit_bytes(const struct seg64 *s)
{
	return s->g ? s->limit << 12 | 0xfff : s->limit;
}

int desc_is_gate_type(unsigned type)
{
	return type == DESC_CALL_GATE || type == DESC_INTR_GATE ||
	       type == DESC_TRAP_GATE;
}

const char *desc_type_name(unsigned type, int system)
{
	/* SDM Table 3-1, indexed by the 4 type bits: code = bit 3; then
	 * conforming/expand-down = bit 2, read/write = bit 1, accessed = bit 0 */
	static const char *const code_data[16] = {
		"data, read-only",
		"data, read-only, accessed",
		"data, read/write",
		"data, read/write, accessed",
		"data, read-only, expand-down",
		"data, read-only, expand-down, accessed",
		"data, read/write, expand-down",
		"data, read/write, expand-down, accessed",
		"code, execute-only",
		"code, execute-only, accessed",
		"code, execute/read",
		"code, execute/read, accessed",
		"code, execute-only, conforming",
		"code, execute-only, conforming, accessed",
		"code, execute/read, conforming",
		"code, execute/read, conforming, accessed",
	};

	if (!system)
		return code_data[type & 15];
	/* Table 3-2, IA-32e column: the 16-bit and 32-bit-only types of
	 * legacy mode are all reserved in long mode */
	switch (type & 15) {
	case DESC_LDT: return "LDT";
	case DESC_TSS_AVAIL: return "64-bit TSS (available)";
	case DESC_TSS_BUSY: return "64-bit TSS (busy)";
	case DESC_CALL_GATE: return "64-bit call gate";
	case DESC_INTR_GATE: return "64-bit interrupt gate";
	case DESC_TRAP_GATE: return "64-bit trap gate";
	default: return "reserved";
	}
}

/* " type=0xe (name)": shared by all three line formats */
static void put_type(struct sbuf *sb, unsigned type, int system)
{
	sb_puts(sb, " type=");
	sb_hex(sb, type, 1);
	sb_puts(sb, " (");
	sb_puts(sb, desc_type_name(type, system));
	sb_putc(sb, ')');
}

static void put_bit(struct sbuf *sb, const char *name, unsigned v)
{
	sb_puts(sb, name);
	sb_u64(sb, v);
}

/* "[label=0x..  ]raw=0x<16 digits>" */
static void put_head(struct sbuf *sb, const char *label, int value, int digits,
		     uint64_t raw)
{
	if (value >= 0) {
		sb_puts(sb, label);
		sb_hex(sb, (uint64_t)value, digits);
		sb_putc(sb, ' ');
	}
	sb_puts(sb, "raw=");
	sb_hex(sb, raw, 16);
}

/* " limit=0xfffff (0xffffffff with g=1)": the CPU checks the scaled value */
static void put_limit(struct sbuf *sb, const struct seg64 *s)
{
	sb_puts(sb, " limit=");
	sb_hex(sb, s->limit, 5);
	if (s->g) {
		sb_puts(sb, " (");
		sb_hex(sb, desc_seg_limit_bytes(s), 8);
		sb_puts(sb, " with g=1)");
	}
}

/* Everything after the raw words of a gate line. */
static void put_gate_body(struct sbuf *sb, uint64_t lo, uint64_t hi)
{
	struct gate64 g;
	int system = !BITS(lo, 44, 44);

	desc_decode_gate(lo, hi, &g);
	sb_puts(sb, " offset=");
	sb_hex(sb, g.offset, 16);
	sb_puts(sb, " selector=");
	sb_hex(sb, g.selector, 4);
	/* a call gate has no IST field: those bits are reserved there */
	if (g.type != DESC_CALL_GATE || !system)
		put_bit(sb, " ist=", g.ist);
	put_type(sb, g.type, system);
	put_bit(sb, " dpl=", g.dpl);
	put_bit(sb, " p=", g.present);
	/* Write-ups of Windows' IDT often call this type "6": that is the
	 * 32-bit-era field layout, 3 type bits (110 interrupt, 111 trap)
	 * plus a D (32-bit size) bit above them, read from the same byte. */
	if (system && (g.type == DESC_INTR_GATE || g.type == DESC_TRAP_GATE)) {
		put_bit(sb, " legacy-type=", g.type & 7);
		sb_puts(sb, " (32-bit reading of the same bits: type&7, D=1)");
	}
}

void desc_format_gate(struct sbuf *sb, int vector, uint64_t lo, uint64_t hi)
{
	put_head(sb, "vector=", vector, 2, lo);
	sb_putc(sb, ' ');
	sb_hex(sb, hi, 16);
	put_gate_body(sb, lo, hi);
}

/* The code/data fields after the raw word(s); shared by the 8-byte line
 * and by a 16-byte line that turns out not to be a system descriptor. */
static void put_segment_body(struct sbuf *sb, uint64_t d)
{
	struct seg64 s;

	desc_decode_segment(d, &s);
	sb_puts(sb, " base=");
	sb_hex(sb, s.base, 8);
	put_limit(sb, &s);
	put_type(sb, s.type, !s.s);
	put_bit(sb, " s=", s.s);
	put_bit(sb, " dpl=", s.dpl);
	put_bit(sb, " p=", s.present);
	put_bit(sb, " l=", s.l);
	put_bit(sb, " db=", s.db);
	put_bit(sb, " g=", s.g);
	put_bit(sb, " avl=", s.avl);
}

void desc_format_segment(struct sbuf *sb, int selector, uint64_t d)
{
	put_head(sb, "sel=", selector, 4, d);
	/* selector 0's slot: the CPU never loads it, so its fields mean nothing */
	if (!d) {
		sb_puts(sb, " null");
		return;
	}
	put_segment_body(sb, d);
	/* the upper 32 bits of base (and for gates the offset) are elsewhere */
	if (!BITS(d, 44, 44))
		sb_puts(sb, " (system descriptor: 16 bytes, upper half not given)");
}

void desc_format_system16(struct sbuf *sb, int selector, uint64_t lo,
			  uint64_t hi)
{
	struct seg64 s;

	put_head(sb, "sel=", selector, 4, lo);
	sb_putc(sb, ' ');
	sb_hex(sb, hi, 16);
	desc_decode_segment(lo, &s);
	if (s.s) {
		put_segment_body(sb, lo);
		sb_puts(sb, " (s=1: not a 16-byte system descriptor)");
		return;
	}
	if (desc_is_gate_type(s.type)) {
		put_gate_body(sb, lo, hi);
		return;
	}
	/* TSS/LDT: hi[31:0] holds base bits 63:32; no L/D/B in these */
	sb_puts(sb, " base=");
	sb_hex(sb, (uint64_t)s.base | (hi & 0xffffffffull) << 32, 16);
	put_limit(sb, &s);
	put_type(sb, s.type, 1);
	put_bit(sb, " dpl=", s.dpl);
	put_bit(sb, " p=", s.present);
	put_bit(sb, " g=", s.g);
	put_bit(sb, " avl=", s.avl);
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);   /* ASCII lower case */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 1..max hex digits, nothing else */
static int parse_hex(const char *s, size_t len, size_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!len || len > max)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int d = hexdigit(s[i]);
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

int desc_parse_word(const char *s, size_t len, uint64_t *out)
{
	uint64_t hi, lo;

	if (!s)
		return -1;
	/* WinDbg's dq splits each qword with a backtick: high`low */
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '`')
			continue;
		if (parse_hex(s, i, 8, &hi) ||
		    parse_hex(s + i + 1, len - i - 1, 8, &lo))
			return -1;
		*out = hi << 32 | lo;
		return 0;
	}
	if (len >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
		return parse_hex(s + 2, len - 2, 16, out);
	/* bare digits only at full width, so "10" can't be misread as decimal */
	if (len != 16)
		return -1;
	return parse_hex(s, len, 16, out);
}
