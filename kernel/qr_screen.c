/*
 * qr_screen.c - see qr_screen.h. A page is a grid of codes on white
 * squares (each square is the code's 4-module quiet zone), the code's
 * number i/n under each, a header line (the run's status, the page, the
 * run id) and two lines saying what to do. lib/qrchunk.c decides how the
 * payload is cut and how many codes of which version and size go on a
 * page; lib/qr.c draws each one.
 *
 * Paging: a timed cycle (every machine has a TSC), plus keys where a PS/2
 * controller answers at 0x64 - many laptops emulate one for their USB
 * keyboard, others cannot be read without a USB stack, which is why the
 * timer is the default and not a fallback. The first key stops the timer:
 * whoever presses keys turns the pages. Only ports 0x64 and 0x60 are read,
 * nothing is written (no controller reset or configuration).
 */
#include "qr_screen.h"
#include "qr_payload.h"
#include "abi.h"
#include "console.h"
#include "cpu.h"
#include "fbcon.h"
#include "../lib/crc32.h"
#include "../lib/fmt.h"
#include "../lib/options.h"
#include "../lib/qr.h"
#include "../lib/qrchunk.h"
#include "../lib/string.h"

#define PS2_DATA   0x60
#define PS2_STATUS 0x64
#define PS2_OUTPUT_FULL 0x01
#define PS2_FROM_MOUSE  0x20
#define ASSUMED_TSC_HZ 2000000000ULL    /* when the TSC's rate is unknown */
#define BLACK 0
#define GREY  7
#define WHITE 15

static int configured, wanted;
static uint64_t tsc_hz;

void qr_screen_configure(int qr_mode, int serial_works, uint64_t hz)
{
	configured = 1;
	wanted = qr_mode == QR_ON || (qr_mode == QR_AUTO && !serial_works);
	tsc_hz = hz ? hz : ASSUMED_TSC_HZ;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* ------------------------------------------------------------ keyboard */

static int kbd_present;

static void kbd_init(void)
{
	/* no controller: the bus floats and the status reads 0xFF */
	kbd_present = inb(PS2_STATUS) != 0xFF;
	for (int i = 0; kbd_present && i < 64 && (inb(PS2_STATUS) & PS2_OUTPUT_FULL); i++)
		(void)inb(PS2_DATA);    /* keys pressed at the GRUB menu, or earlier */
}

/* +1: a key to go forward, -1: back (Backspace, Left, Page Up, B), 0: none.
 * Scan code set 1 (what the controller's translation gives, the usual
 * case); in set 2 the break prefix 0xF0 and its code are skipped, and any
 * key goes forward. */
static int kbd_key(void)
{
	static int prefix_break;
	if (!kbd_present)
		return 0;
	uint8_t st = inb(PS2_STATUS);
	if (!(st & PS2_OUTPUT_FULL))
		return 0;
	uint8_t b = inb(PS2_DATA);
	if (st & PS2_FROM_MOUSE)
		return 0;
	if (b == 0xF0) {
		prefix_break = 1;
		return 0;
	}
	if (prefix_break) {
		prefix_break = 0;
		return 0;
	}
	/* extended-key prefixes, releases (bit 7), acknowledgements */
	if (b == 0xE0 || b == 0xE1 || (b & 0x80) || b == 0)
		return 0;
	switch (b) {
	case 0x0E:      /* Backspace */
	case 0x4B:      /* Left (keypad 4) */
	case 0x49:      /* Page Up (keypad 9) */
	case 0x30:      /* B */
		return -1;
	default:
		return 1;
	}
}

/* ------------------------------------------------------------ drawing */

static struct qr_code code;
static uint32_t starts[QRCHUNK_MAX_CHUNKS + 1];
static char text[QRCHUNK_TEXT_MAX];

static struct {
	const uint8_t *payload;
	size_t len;
	uint32_t run_id;
	struct qr_plan plan;
	unsigned width, height, glyph_h, area_y, area_h;
	const char *status;
} s;

static void line_at(unsigned row_y, unsigned attr, struct sbuf *sb)
{
	fbcon_fill(0, row_y, s.width, s.glyph_h, BLACK);
	fbcon_set_color((unsigned char)attr);
	fbcon_text_at(4, row_y, sb_str(sb));
	sb->len = 0;
	sb->overflow = 0;
}

static void sb_hex8(struct sbuf *sb, uint32_t v)
{
	for (int shift = 28; shift >= 0; shift -= 4)
		sb_putc(sb, "0123456789abcdef"[(v >> shift) & 15]);
}

/* one code: the white square, the modules, its number below */
static void draw_code(unsigned i, unsigned x0, unsigned y0)
{
	const struct qr_plan *pl = &s.plan;
	size_t n = qrchunk_text(text, sizeof text, s.run_id, i + 1, pl->chunks,
				s.payload + starts[i], starts[i + 1] - starts[i]);
	fbcon_fill(x0, y0, pl->cell_w, pl->cell_w, WHITE);
	if (!n || qr_encode_bytes(&code, text, n, QRCHUNK_ECL, 1, pl->version,
				  QR_MASK_AUTO, 1) != QR_OK) {
		fbcon_set_color(0xF4);          /* red on white: cannot happen */
		fbcon_text_at(x0 + 8, y0 + 8, "code too long");
		return;
	}
	unsigned sc = pl->scale, off = (pl->cell_w - (unsigned)code.size * sc) / 2;
	for (int y = 0; y < code.size; y++)
		for (int x = 0; x < code.size;) {
			if (!qr_module(&code, x, y)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < code.size && qr_module(&code, x + run, y))
				run++;
			fbcon_fill(x0 + off + (unsigned)x * sc, y0 + off + (unsigned)y * sc,
				   (unsigned)run * sc, sc, BLACK);
			x += run;
		}
	char b[24];
	struct sbuf l;
	sb_init(&l, b, sizeof b);
	sb_u64(&l, i + 1);
	sb_putc(&l, '/');
	sb_u64(&l, pl->chunks);
	fbcon_set_color(GREY);
	fbcon_text_at(x0 + (pl->cell_w - 8 * (unsigned)l.len) / 2, y0 + pl->cell_w, sb_str(&l));
}

static unsigned page_codes(unsigned page)
{
	unsigned first = page * s.plan.per_page, left = s.plan.chunks - first;
	return left < s.plan.per_page ? left : s.plan.per_page;
}

/* a page stays long enough to scan its codes: 4 s each, at least 10 s */
static unsigned page_seconds(unsigned page)
{
	unsigned t = 4 * page_codes(page);
	return t < 10 ? 10 : t;
}

static void draw_page(unsigned page)
{
	const struct qr_plan *pl = &s.plan;
	fbcon_fill(0, 0, s.width, s.height, BLACK);
	char b[160];
	struct sbuf l;
	sb_init(&l, b, sizeof b);
	unsigned first = page * pl->per_page, count = page_codes(page);
	sb_puts(&l, "ringtrip ");
	sb_puts(&l, s.status);
	sb_puts(&l, " - QR code");
	sb_puts(&l, count > 1 ? "s " : " ");
	sb_u64(&l, first + 1);
	if (count > 1) {
		sb_putc(&l, '-');
		sb_u64(&l, first + count);
	}
	sb_puts(&l, " of ");
	sb_u64(&l, pl->chunks);
	sb_puts(&l, ", page ");
	sb_u64(&l, page + 1);
	sb_putc(&l, '/');
	sb_u64(&l, pl->pages);
	sb_puts(&l, ", run ");
	sb_hex8(&l, s.run_id);
	line_at(0, WHITE, &l);

	unsigned rows = (count + pl->cols - 1) / pl->cols;
	unsigned x_left = (s.width - pl->cols * pl->cell_w) / 2;
	unsigned y_top = s.area_y + (s.area_h - rows * pl->cell_h) / 2;
	for (unsigned k = 0; k < count; k++)
		draw_code(first + k, x_left + (k % pl->cols) * pl->cell_w,
			  y_top + (k / pl->cols) * pl->cell_h);

	sb_puts(&l, "Scan all ");
	sb_u64(&l, pl->chunks);
	sb_puts(&l, " codes, save the texts one per line, then: results/qr-import FILE -o run.csv");
	line_at(s.height - 2 * s.glyph_h, GREY, &l);
}

/* the last line: how the pages turn */
static void draw_hint(enum qr_end end, int manual, unsigned seconds)
{
	char b[160];
	struct sbuf l;
	sb_init(&l, b, sizeof b);
	if (end == QR_END_EXIT) {
		sb_puts(&l, "The run ends now (exit to QEMU): boot with exit=halt to keep the codes on screen.");
	} else if (manual) {
		sb_puts(&l, "Keys: Space/Enter next page, Backspace/Left back (the timer is stopped).");
	} else {
		sb_puts(&l, end == QR_END_REBOOT ? "Reboot after the last page. " : "");
		sb_puts(&l, "Next page in ");
		sb_u64(&l, seconds);
		sb_puts(&l, kbd_present ? " s. A key stops the timer: Space/Enter next, Backspace/Left back."
					: " s (no PS/2 keyboard: the pages turn by themselves).");
	}
	line_at(s.height - s.glyph_h, GREY, &l);
}

/* ------------------------------------------------------------ paging */

static void pager(enum qr_end end)
{
	unsigned page = 0, pages = s.plan.pages;
	int manual = 0;
	if (end != QR_END_EXIT)
		kbd_init();             /* no port is read when nothing will page */
	draw_page(page);
	uint64_t deadline = rdtsc() + page_seconds(page) * tsc_hz;
	unsigned shown = page_seconds(page);
	draw_hint(end, manual, shown);
	if (end == QR_END_EXIT)
		return;
	for (;;) {
		int key = kbd_key();
		uint64_t now = rdtsc();
		int turn = 0;
		if (key) {
			/* the first key stops the timer, except before a reboot */
			manual = end == QR_END_HALT;
			turn = key;
		} else if (!manual && now >= deadline) {
			if (end == QR_END_REBOOT && page == pages - 1)
				return;
			turn = 1;
		}
		if (turn) {
			page = (page + pages + (unsigned)turn) % pages;
			draw_page(page);
			now = rdtsc();
			deadline = now + page_seconds(page) * tsc_hz;
			shown = 0;
		}
		if (!manual || turn) {
			unsigned left = now >= deadline ? 0 : (unsigned)((deadline - now + tsc_hz - 1) / tsc_hz);
			if (left != shown || turn) {
				shown = left;
				draw_hint(end, manual, left);
			}
		}
		__asm__ volatile("pause");
	}
}

/* ------------------------------------------------------------ the end */

static void say(const char *line)
{
	console_puts(CON_SCREEN, line);
}

void qr_screen_end_of_run(unsigned exit_code, const char *status, enum qr_end end)
{
	if (!configured || !wanted || (exit_code != EXIT_OK && exit_code != EXIT_SELFTEST))
		return;
	uint64_t rows = 0;
	switch (qr_payload_state()) {
	case QRP_OPEN:
		return;                 /* no trailer: nothing complete to show */
	case QRP_TOO_LARGE: {
		KLINE(l);
		sb_puts(&l, "No QR codes: the results without histograms are ");
		sb_u64(&l, qr_payload_wanted() >> 10);
		sb_puts(&l, " KiB, more than the ");
		sb_u64(&l, QR_PAYLOAD_CAP >> 10);
		sb_puts(&l, " KiB the QR screen holds; run fewer paths (paths=) or repeat=1.\n");
		console_sb(CON_SCREEN, &l);
		return;
	}
	case QRP_COMPLETE:
		break;
	}
	s.payload = qr_payload_get(&s.len, &rows);
	if (!s.payload || !rows)
		return;                 /* a help run: no rows to show */
	if (!fbcon_active()) {
		say("\nThe results as QR codes need a graphics framebuffer; this boot has VGA\n"
		    "text mode. Boot the stick through UEFI, or choose this GRUB menu entry:\n"
		    "  ringtrip: full suite with QR codes on a framebuffer (BIOS without COM1)\n");
		return;
	}
	s.status = status;
	s.run_id = crc32_update(0, s.payload, s.len);
	fbcon_geometry(&s.width, &s.height, &s.glyph_h);
	/* a text line on top, two at the bottom, a few pixels between */
	s.area_y = s.glyph_h + 4;
	s.area_h = s.height > 3 * s.glyph_h + 8 ? s.height - 3 * s.glyph_h - 8 : 0;
	if (qr_plan_make(&s.plan, s.payload, s.len, s.width, s.area_h, s.glyph_h,
			 qr_min_scale(s.height), starts, QRCHUNK_MAX_CHUNKS)) {
		KLINE(l);
		sb_puts(&l, "No QR codes: a ");
		sb_u64(&l, s.width);
		sb_putc(&l, 'x');
		sb_u64(&l, s.height);
		sb_puts(&l, " screen is too small for them.\n");
		console_sb(CON_SCREEN, &l);
		return;
	}
	pager(end);
}
