/* control.c - host mode's stand-in for the kernel's control gate: the
 * harness prints, selects paths and exits through control_call() on both
 * sides, so bench/ runs unchanged. The CSV goes to standard output, the
 * progress the bare kernel puts on the screen to standard error.
 *
 * As the kernel's console does for its serial stream, it keeps the CRC-32
 * of every byte written to standard output (SVC_OUTPUT_CRC: the trailer's
 * crc32, CSV version 2). Everything host mode puts in the CSV - its own
 * metadata lines included - must therefore be written through SVC_PRINT,
 * never straight to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include "bench/user.h"
#include "lib/crc32.h"

static uint32_t stdout_crc;

uint64_t control_call(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3)
{
	switch (number) {
	case SVC_PRINT:
		if (a3 & PRINT_SERIAL) {
			stdout_crc = crc32_update(stdout_crc, (const void *)a1, a2);
			fwrite((const void *)a1, 1, a2, stdout);
		}
		if (a3 & PRINT_SCREEN)
			fwrite((const void *)a1, 1, a2, stderr);
		return STATUS_SUCCESS;
	case SVC_OUTPUT_CRC:
		return OUTPUT_CRC_VALID | stdout_crc;
	case SVC_SELECT_PATH:
		return STATUS_SUCCESS;   /* nothing to install: Linux owns the entry */
	case SVC_EXIT:
		fflush(stdout);
		exit((int)a1);
	}
	return STATUS_INVALID_SYSTEM_SERVICE;
}
