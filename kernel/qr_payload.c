/* qr_payload.c - see qr_payload.h. Bytes arrive in whatever pieces the
 * print service copies (up to 256 at a time, lines split anywhere); a line
 * is judged by its first bytes as soon as they are in, so a `# hist` line
 * is never stored, however long. */
#include "qr_payload.h"
#include "../lib/crc32.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

#define HIST_PREFIX "# hist "
#define TRAILER_PREFIX "# end rows="
#define TAIL_ROOM 160                   /* the three closing lines */

static uint8_t buf[QR_PAYLOAD_CAP + TAIL_ROOM];
static size_t len;              /* bytes in buf */
static size_t line_start;       /* where the line being received starts */
static size_t wanted;           /* bytes kept or that would have been */
static int skipping;            /* the line being received is a # hist line */
static int too_large, complete, finished;
static uint64_t hist_lines, rows;
static char serial_crc[9];      /* the capture trailer's crc32=, as text */

void qr_payload_reset(void)
{
	len = line_start = wanted = 0;
	skipping = too_large = complete = finished = 0;
	hist_lines = rows = 0;
	serial_crc[0] = 0;
}

static int starts_with(size_t at, const char *prefix, size_t n)
{
	return len - at >= n && !memcmp(buf + at, prefix, n);
}

/* the capture's trailer, "# end rows=N crc32=X": keep N and X, not the line */
static void take_trailer(void)
{
	const uint8_t *p = buf + line_start + sizeof TRAILER_PREFIX - 1, *end = buf + len;
	rows = 0;
	while (p < end && *p >= '0' && *p <= '9')
		rows = rows * 10 + (uint64_t)(*p++ - '0');
	static const char crc_key[] = " crc32=";
	if (end - p >= (long)(sizeof crc_key - 1 + 8) && !memcmp(p, crc_key, sizeof crc_key - 1)) {
		memcpy(serial_crc, p + sizeof crc_key - 1, 8);
		serial_crc[8] = 0;
	}
	len = line_start;
	complete = 1;
}

static void end_of_line(void)
{
	if (starts_with(line_start, TRAILER_PREFIX, sizeof TRAILER_PREFIX - 1))
		take_trailer();
	else
		line_start = len;
}

void qr_payload_feed(const char *s, size_t n)
{
	for (size_t i = 0; i < n && !complete; i++) {
		char c = s[i];
		if (skipping) {
			skipping = c != '\n';
			continue;
		}
		wanted++;
		if (too_large)
			continue;
		if (len == QR_PAYLOAD_CAP) {
			too_large = 1;
			continue;
		}
		buf[len++] = (uint8_t)c;
		if (len - line_start == sizeof HIST_PREFIX - 1 &&
		    starts_with(line_start, HIST_PREFIX, sizeof HIST_PREFIX - 1)) {
			/* not part of the payload: drop what came and what follows */
			len = line_start;
			wanted -= sizeof HIST_PREFIX - 1;
			skipping = 1;
			hist_lines++;
			continue;
		}
		if (c == '\n')
			end_of_line();
	}
}

enum qr_payload_state qr_payload_state(void)
{
	if (too_large)
		return QRP_TOO_LARGE;
	return complete ? QRP_COMPLETE : QRP_OPEN;
}

size_t qr_payload_wanted(void)
{
	return wanted;
}

static void append(struct sbuf *sb)
{
	memcpy(buf + len, sb->buf, sb->len);
	len += sb->len;
	sb->len = 0;
}

const uint8_t *qr_payload_get(size_t *out_len, uint64_t *out_rows)
{
	if (qr_payload_state() != QRP_COMPLETE)
		return 0;
	if (!finished) {
		char line[TAIL_ROOM / 2];
		struct sbuf sb;
		sb_init(&sb, line, sizeof line);
		sb_puts(&sb, "# qr_hist_lines_omitted=");
		sb_u64(&sb, hist_lines);
		sb_endline(&sb);
		append(&sb);
		sb_puts(&sb, "# qr_serial_crc32=");
		sb_puts(&sb, serial_crc[0] ? serial_crc : "none");
		sb_endline(&sb);
		append(&sb);
		uint32_t crc = crc32_update(0, buf, len);
		sb_puts(&sb, "# end rows=");
		sb_u64(&sb, rows);
		sb_puts(&sb, " crc32=");
		for (int shift = 28; shift >= 0; shift -= 4)
			sb_putc(&sb, "0123456789abcdef"[(crc >> shift) & 15]);
		sb_endline(&sb);
		append(&sb);
		finished = 1;
	}
	*out_len = len;
	*out_rows = rows;
	return buf;
}
