/*
 * test_host_control.c - host mode's control gate (host/control.c): the
 * running CRC-32 that becomes the trailer's crc32 (CSV version 2) covers
 * exactly the bytes written to stdout, in order, and none written to
 * stderr (the kernel's console does the same for serial and screen).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/user.h"
#include "lib/crc32.h"

/* SVC_PRINT, with stdout and stderr sent to /dev/null meanwhile: what it
 * writes is not the point, and cmocka's report must stay readable */
static uint64_t print(const char *s, uint64_t where)
{
	fflush(stdout);
	fflush(stderr);
	int out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
	assert_true(out >= 0 && err >= 0 && null >= 0);
	dup2(null, 1);
	dup2(null, 2);
	uint64_t r = control_call(SVC_PRINT, (uint64_t)s, strlen(s), where);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return r;
}

static uint64_t output_crc(void)
{
	return control_call(SVC_OUTPUT_CRC, 0, 0, 0);
}

static void test_output_crc(void **state)
{
	(void)state;
	static const char a[] = CSV_FIRST_LINE "# mode=host\n",
			  b[] = "path,service\nx,y\n", screen[] = "ensemble 1/1:\n";
	/* nothing written yet: the CRC of nothing, tagged valid */
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | 0);
	assert_int_equal(print(a, PRINT_SERIAL), STATUS_SUCCESS);
	uint32_t want = crc32_update(0, a, strlen(a));
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | want);
	/* the screen (stderr) is not in it */
	assert_int_equal(print(screen, PRINT_SCREEN), STATUS_SUCCESS);
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | want);
	/* both: the stdout copy is */
	assert_int_equal(print(b, PRINT_SERIAL | PRINT_SCREEN), STATUS_SUCCESS);
	want = crc32_update(want, b, strlen(b));
	assert_int_equal(output_crc(), OUTPUT_CRC_VALID | want);
	/* the same as one CRC over everything stdout received */
	char all[256];
	snprintf(all, sizeof all, "%s%s", a, b);
	assert_int_equal(want, crc32_update(0, all, strlen(all)));
	/* the tag keeps a CRC apart from any NTSTATUS */
	assert_int_not_equal(output_crc() >> 32, 0);
	assert_int_equal(control_call(0x0FFF, 0, 0, 0), STATUS_INVALID_SYSTEM_SERVICE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_crc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
