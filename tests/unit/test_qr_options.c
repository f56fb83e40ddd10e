/* test_qr_options.c - qr=auto|on|off, the row lib/options.c's table got for
 * the results screen (kernel/qr_screen.c): its default, its values, a bad
 * value kept at the last good one, and its help line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/options.h"

static struct options o;

static void parse(const char *cmdline)
{
	static const char *const paths[] = { "syscall" };
	static const char *const services[] = { "null" };
	static const struct option_names names = { .paths = paths, .npaths = 1,
						   .services = services, .nservices = 1 };
	memset(&o, 0xA5, sizeof o);
	options_parse(&o, cmdline, &names);
}

static void test_qr_values(void **state)
{
	(void)state;
	parse("");
	assert_int_equal(o.qr_mode, QR_AUTO);
	assert_int_equal(o.nwarnings, 0);
	parse("qr=on");
	assert_int_equal(o.qr_mode, QR_ON);
	assert_int_equal(o.nwarnings, 0);
	parse("qr=off serial=off");
	assert_int_equal(o.qr_mode, QR_OFF);
	assert_int_equal(o.serial_off, 1);
	parse("qr=on qr=auto");
	assert_int_equal(o.qr_mode, QR_AUTO);
	/* a bad value: warned about, the last good one kept */
	parse("qr=on qr=yes");
	assert_int_equal(o.qr_mode, QR_ON);
	assert_int_equal(o.nwarnings, 1);
	assert_string_equal(o.warning[0], "option 'qr=yes' must be one of auto|on|off; keeping on");
	parse("qr");
	assert_int_equal(o.qr_mode, QR_AUTO);
	assert_int_equal(o.nwarnings, 1);
}

static void test_qr_help(void **state)
{
	(void)state;
	int found = 0;
	for (unsigned i = 0; options_help[i]; i++)
		if (!strncmp(options_help[i], "qr=auto|on|off ", 15)) {
			found = 1;
			assert_non_null(strstr(options_help[i], "QR codes"));
			assert_non_null(strstr(options_help[i], "(auto: where no UART answers"));
		}
	assert_true(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qr_values),
		cmocka_unit_test(test_qr_help),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
