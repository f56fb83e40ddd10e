/*
 * test_pmu.c - host unit tests for lib/pmu.c: the MSR writes that program
 * core-cycle and instruction counters, checked against the manuals before
 * any bare-metal run. Intel SDM vol. 3B 20.2.2: IA32_FIXED_CTR_CTRL (0x38D)
 * gives each fixed counter 4 bits, bit 0 = count in Ring 0, bit 1 = in
 * Ring 3; IA32_PERF_GLOBAL_CTRL (0x38F) enables fixed counter n with bit
 * 32 + n; fixed counter 0 = INST_RETIRED.ANY, 1 = CPU_CLK_UNHALTED.CORE;
 * rdpmc ECX bit 30 selects the fixed counters. AMD APM vol. 2 13.2:
 * PERF_CTL0..3 at C001_0000h, EventSelect in bits 7:0, USR 16, OS 17, EN
 * 22; event 76h = cycles not in halt, C0h = retired instructions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/pmu.h"

static void test_intel_fixed_counters(void **state)
{
	(void)state;
	struct pmu_cpu cpu = { .vendor = PMU_VENDOR_INTEL, .max_leaf = 0x20,
			       .leaf_a_eax = 0x08300805, .leaf_a_edx = 0x00008603 };
	struct pmu_plan p;
	pmu_make_plan(&cpu, &p);
	assert_null(p.why);
	assert_string_equal(p.name, "intel-fixed-counters");
	assert_int_equal(p.nwrites, 2);
	assert_int_equal(p.write[0].msr, 0x38D);
	assert_int_equal(p.write[0].value, 0x33);
	assert_int_equal(p.write[1].msr, 0x38F);
	assert_int_equal(p.write[1].value, 0x300000000ULL);
	assert_int_equal(p.ecx_instructions, 0x40000000);
	assert_int_equal(p.ecx_cycles, 0x40000001);
}

static void test_intel_without_fixed_counters(void **state)
{
	(void)state;
	struct pmu_plan p;
	/* version 1: no fixed counters at all */
	struct pmu_cpu v1 = { .vendor = PMU_VENDOR_INTEL, .max_leaf = 0xD,
			      .leaf_a_eax = 0x07280201, .leaf_a_edx = 0 };
	pmu_make_plan(&v1, &p);
	assert_string_equal(p.why, "unavailable:no-fixed-counters");
	assert_int_equal(p.nwrites, 0);
	/* version 2 with one fixed counter: no cycles counter */
	struct pmu_cpu one = { .vendor = PMU_VENDOR_INTEL, .max_leaf = 0xD,
			       .leaf_a_eax = 0x07280202, .leaf_a_edx = 0x1 };
	pmu_make_plan(&one, &p);
	assert_string_equal(p.why, "unavailable:no-fixed-counters");
	/* a CPUID that stops below leaf 0Ah (some hypervisors) */
	struct pmu_cpu old = { .vendor = PMU_VENDOR_INTEL, .max_leaf = 0x7 };
	pmu_make_plan(&old, &p);
	assert_string_equal(p.why, "unavailable:no-perfmon-leaf");
}

static void test_amd_core_counters(void **state)
{
	(void)state;
	struct pmu_cpu cpu = { .vendor = PMU_VENDOR_AMD, .max_leaf = 0x10 };
	struct pmu_plan p;
	pmu_make_plan(&cpu, &p);
	assert_null(p.why);
	assert_string_equal(p.name, "amd-perfctr");
	assert_int_equal(p.nwrites, 2);
	assert_int_equal(p.write[0].msr, 0xC0010000);
	assert_int_equal(p.write[0].value, 0x430076);
	assert_int_equal(p.write[1].msr, 0xC0010001);
	assert_int_equal(p.write[1].value, 0x4300C0);
	assert_int_equal(p.ecx_cycles, 0);
	assert_int_equal(p.ecx_instructions, 1);
}

static void test_other_vendor(void **state)
{
	(void)state;
	struct pmu_cpu cpu = { .vendor = PMU_VENDOR_OTHER, .max_leaf = 0x20 };
	struct pmu_plan p;
	pmu_make_plan(&cpu, &p);
	assert_string_equal(p.why, "unavailable:vendor");
	assert_int_equal(p.nwrites, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intel_fixed_counters),
		cmocka_unit_test(test_intel_without_fixed_counters),
		cmocka_unit_test(test_amd_core_counters),
		cmocka_unit_test(test_other_vendor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
