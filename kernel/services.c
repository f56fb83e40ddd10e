/* services.c - the system services. The benchmark services do nothing but
 * prove their arguments arrived: each returns rt_checksum() of all of them,
 * which Ring 3 recomputes. The control services let Ring 3 print, learn the
 * CRC of what was printed, pick an entry path and end the run. */
#include "services.h"
#include "abi.h"
#include "console.h"
#include "counters.h"
#include "service_cost.h"
#include "exc_paths.h"
#include "exit.h"
#include "percpu.h"
#include "ssdt.h"
#include "paths.h"
#include "../lib/checksum.h"

#define MSABI __attribute__((ms_abi))
typedef uint64_t u64;

static MSABI u64 svc_null(void)
{
	return STATUS_SUCCESS;
}

static MSABI u64 svc_args4(u64 a1, u64 a2, u64 a3, u64 a4)
{
	const u64 a[] = { a1, a2, a3, a4 };
	return rt_checksum(a, 4);
}

static MSABI u64 svc_args8(u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6,
			   u64 a7, u64 a8)
{
	const u64 a[] = { a1, a2, a3, a4, a5, a6, a7, a8 };
	return rt_checksum(a, 8);
}

static MSABI u64 svc_args16(u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6,
			    u64 a7, u64 a8, u64 a9, u64 a10, u64 a11, u64 a12,
			    u64 a13, u64 a14, u64 a15, u64 a16)
{
	const u64 a[] = { a1, a2, a3, a4, a5, a6, a7, a8,
			  a9, a10, a11, a12, a13, a14, a15, a16 };
	return rt_checksum(a, 16);
}

/* print(buf, len, where): Ring 3's only way to the serial port and screen.
 * The buffer is copied in pieces through the fault-safe user copy. */
static MSABI u64 svc_print(u64 buf, u64 len, u64 where)
{
	char chunk[256];
	if (len > (1u << 20) || !(where & (PRINT_SERIAL | PRINT_SCREEN)))
		return STATUS_INVALID_PARAMETER;
	for (u64 off = 0; off < len; off += sizeof chunk) {
		u64 n = len - off < sizeof chunk ? len - off : sizeof chunk;
		if (copy_from_user(chunk, buf + off, n))
			return STATUS_ACCESS_VIOLATION;
		console_write((int)where, chunk, n);
	}
	return STATUS_SUCCESS;
}

/* output_crc(): the running CRC-32 of the serial stream (console.c), for
 * the trailer Ring 3 writes; OUTPUT_CRC_VALID tells it from an NTSTATUS. */
static MSABI u64 svc_output_crc(void)
{
	return OUTPUT_CRC_VALID | console_serial_crc();
}

static MSABI u64 svc_exit(u64 code)
{
	rt_exit((unsigned)code);
}

static MSABI u64 svc_select_path(u64 index, u64 mitigations)
{
	return path_select(index, mitigations);
}

/* set_recovery(rip, rsp): the next Ring 3 fault resumes at rip with rsp
 * (see exception.c) instead of ending the run; rip = 0 disarms. */
static MSABI u64 svc_set_recovery(u64 rip, u64 rsp)
{
	if (rip >= USER_PROBE_ADDRESS || rsp >= USER_PROBE_ADDRESS)
		return STATUS_INVALID_PARAMETER;
	percpu0.recover_rip = rip;
	percpu0.recover_rsp = rsp;
	return STATUS_SUCCESS;
}

static MSABI u64 svc_exc_reset(void)
{
	return exc_reset();
}

static MSABI u64 svc_counters(void)
{
	return counters_snapshot();
}

static MSABI u64 svc_service_cost(u64 number, u64 call)
{
	return service_cost(number, call);
}

/* The tables, from abi.h's lists: the order is the service number. */
#define SERVICE_ROW(constant, number, routine, nargs) \
	[(number) & SVC_INDEX_MASK] = { #routine, svc_##routine, nargs },
const struct service_def native_services[] = {
	NATIVE_SERVICES_X(SERVICE_ROW)
	{ 0, 0, 0 },
};
const struct service_def win32k_services[] = {
	WIN32K_SERVICES_X(SERVICE_ROW)
	{ 0, 0, 0 },
};
/* each list numbers its table from 0 with no gap, or a row would be empty */
#define IN_TABLE(table) \
	_Static_assert(sizeof table / sizeof table[0] == SVC_COUNT_##table + 1, \
		       #table ": the service numbers leave a gap");
enum { SVC_COUNT_native_services = SVC_NATIVE_COUNT, SVC_COUNT_win32k_services = SVC_W32_COUNT };
IN_TABLE(native_services)
IN_TABLE(win32k_services)
