/* qr_payload.h - what the QR codes carry: the serial stream (the capture,
 * from `# ringtrip csv=2` on) as it passes through console.c, without its
 * `# hist` lines, closed by a trailer of its own:
 *
 *     every line of the capture but the `# hist` lines and the trailer
 *     # qr_hist_lines_omitted=K         how many `# hist` lines were left out
 *     # qr_serial_crc32=XXXXXXXX        the crc32 of the serial capture's trailer
 *     # end rows=N crc32=YYYYYYYY       rows as the capture's trailer; crc32
 *                                       over every line above, as csv=2 wants
 *
 * so the text the codes give back is itself a complete csv=2 file that
 * results/compare accepts, and it names the serial capture it was cut from
 * (its crc32 covers the histograms the codes leave out). The lines are
 * collected whether or not COM1 exists (like the capture's CRC): the codes
 * say exactly what the serial port would have said. */
#ifndef RINGTRIP_QR_PAYLOAD_H
#define RINGTRIP_QR_PAYLOAD_H
#include <stddef.h>
#include <stdint.h>

#define QR_PAYLOAD_CAP (96 * 1024)

void qr_payload_reset(void);                     /* at the capture's first line */
void qr_payload_feed(const char *s, size_t n);   /* every byte of the serial stream */

enum qr_payload_state {
	QRP_OPEN,               /* no trailer yet (a panic, a setup failure) */
	QRP_COMPLETE,           /* the trailer passed */
	QRP_TOO_LARGE,          /* more than QR_PAYLOAD_CAP without the histograms */
};
enum qr_payload_state qr_payload_state(void);

/* The finished payload (the three lines above appended on the first call)
 * and its data-row count; NULL unless QRP_COMPLETE. */
const uint8_t *qr_payload_get(size_t *len, uint64_t *rows);
/* bytes seen without the histograms, kept or not (for the too-large message) */
size_t qr_payload_wanted(void);

#endif
