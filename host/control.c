/* control.c - host mode's stand-in for the kernel's control gate: the
 * harness prints, selects paths and exits through control_call() on both
 * sides, so bench/ runs unchanged. The CSV goes to standard output, the
 * progress the bare kernel puts on the screen to standard error. */
#include <stdio.h>
#include <stdlib.h>
#include "bench/user.h"

uint64_t control_call(uint64_t number, uint64_t a1, uint64_t a2, uint64_t a3)
{
	switch (number) {
	case SVC_PRINT:
		if (a3 & PRINT_SERIAL)
			fwrite((const void *)a1, 1, a2, stdout);
		if (a3 & PRINT_SCREEN)
			fwrite((const void *)a1, 1, a2, stderr);
		return STATUS_SUCCESS;
	case SVC_SELECT_PATH:
		return STATUS_SUCCESS;   /* nothing to install: Linux owns the entry */
	case SVC_EXIT:
		fflush(stdout);
		exit((int)a1);
	}
	return STATUS_INVALID_SYSTEM_SERVICE;
}
