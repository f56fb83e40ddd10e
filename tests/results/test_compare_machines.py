"""results/compare across machines (issue 12): the unit (core cycles, else
ns, never raw ticks of different TSC rates), warnings about differing run
parameters, missing rows in the verdict, the Mann-Whitney U test beside the
noise band, and the --json / --markdown exports.

    cd /work/main && /usr/bin/python3 -m unittest discover -s tests/results -v
"""

import contextlib
import io
import itertools
import json
import math
import os
import random
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True          # keep results/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx  # noqa: E402
from test_compare import Base  # noqa: E402

sys.path.insert(0, fx.RESULTS)
import ringtrip_csv  # noqa: E402

compare_mod = fx.load_script("ringtrip_compare_machines", fx.COMPARE)

try:
    from scipy.stats import mannwhitneyu as scipy_mwu
except ImportError:
    scipy_mwu = None

# Runs results/compare with 'import scipy' failing, as on a machine without it.
HIDE_SCIPY = (
    "import runpy, sys\n"
    "sys.modules['scipy'] = None\n"
    "sys.modules['scipy.stats'] = None\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)

GHZ24 = {"tsc_hz": "2400000000"}
GHZ34 = {"tsc_hz": "3400000000",
         "cpu_brand": "Intel(R) Core(TM) i7-4770 CPU @ 3.40GHz"}


def pair_rows(medians, **kw):
    return [fx.row("syscall", s, m, **kw) for s, m in medians]


class UnitTest(Base):
    """Which unit a comparison uses, and the values it shows in it."""

    def test_different_tsc_rates_compare_in_ns(self):
        # the README's old example: 240 ticks at 2.4 GHz and 340 at 3.4 GHz
        # are both 100 ns - the same time, though 1.42x apart in ticks
        a = self.file("a.csv", fx.capture(pair_rows([("null", 240), ("args16", 480)],
                                                    ensembles=1), meta=GHZ24))
        b = self.file("b.csv", fx.capture(pair_rows([("null", 340), ("args16", 510)],
                                                    ensembles=1), meta=GHZ34))
        r = self.compare(a, b, "--fail-above", "5")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("unit: ns = median TSC ticks x 1e9 / tsc_hz (the files' tsc_hz "
                      "differ", r.stdout)
        t = self.table(r.stdout)
        self.assertEqual(t[("syscall", "null")], ["100.0", "100.0", "1.00x", "same"])
        # 480 ticks / 2.4 GHz = 200 ns, 510 / 3.4 GHz = 150 ns: faster, not slower
        self.assertEqual(t[("syscall", "args16")], ["200.0", "150.0", "0.75x", "faster"])

    def test_raw_ticks_of_different_rates_refused(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows(), meta=GHZ24))
        b = self.file("b.csv", fx.capture(fx.standard_rows(), meta=GHZ34))
        r = self.compare(a, b, "--unit", "ticks")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("raw ticks are not comparable; use --unit ns", r.stderr)
        self.assertIn("[1] 2400000000, [2] 3400000000", r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertNotIn("Traceback", r.stderr)

    def test_same_tsc_rate_compares_ticks(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows()))
        r = self.compare(a, a)
        self.assertIn("unit: TSC ticks (every file's tsc_hz is 2400000000", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["100", "100", "1.00x", "same"])
        # --unit ns converts anyway: 100 ticks at 2.4 GHz = 41.7 ns
        r = self.compare(a, a, "--unit", "ns")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("unit: ns = median TSC ticks x 1e9 / tsc_hz (asked for)", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["41.7", "41.7", "1.00x", "same"])

    def test_other_statistics_convert_too(self):
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 240, p99=480)],
                                          meta=GHZ24))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 340, p99=1020)],
                                          meta=GHZ34))
        r = self.compare(a, b, "--column", "p99")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["200.0", "300.0", "1.50x", "slower"])

    def test_core_cycles_where_every_file_has_them(self):
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 240, cycles="300",
                                                  ensembles=1)], meta=GHZ24))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 340, cycles="330",
                                                  ensembles=1)], meta=GHZ34))
        r = self.compare(a, b)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("unit: core cycles, the median of each row ([1] median_cycles, "
                      "[2] median_cycles)", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["300", "330", "1.10x", "slower"])
        # cycles in one file only: ns
        c = self.file("c.csv", fx.capture([fx.row("syscall", "null", 340, ensembles=1)],
                                          meta=GHZ34))
        r = self.compare(a, c)
        self.assertIn("unit: ns", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["100.0", "100.0", "1.00x", "same"])
        # asked for: the file without cycles is n/a, and a warning says so
        r = self.compare(a, c, "--unit", "cycles")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["300", "n/a", "-", "-"])
        self.assertIn("has no core-cycle column", r.stderr)
        # only the median has cycles
        r = self.compare(a, b, "--unit", "cycles", "--column", "p99")
        self.assertEqual(r.returncode, 2)
        self.assertIn("core cycles are known for the median only", r.stderr)

    def test_core_cycle_column(self):
        # the kernel's APERF/MPERF estimate (median_core_cycles) is core cycles
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 240, ensembles=1,
                                                  core_cycles="290")], meta=GHZ24))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 340, ensembles=1,
                                                  core_cycles="290")], meta=GHZ34))
        r = self.compare(a, b)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("[1] median_core_cycles, [2] median_core_cycles", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["290", "290", "1.00x", "same"])

    def test_icount_is_instructions(self):
        meta = {"clock": "icount", "tsc_hz": None, "hypervisor": "tcg"}
        a = self.file("a.csv", fx.capture(fx.standard_rows(), meta=meta))
        r = self.compare(a, a)
        self.assertIn("unit: instructions (clock=icount", r.stdout)
        r = self.compare(a, a, "--unit", "ns")
        self.assertEqual(r.returncode, 2)
        self.assertIn("count guest instructions, not time", r.stderr)

    def test_icount_beside_two_tsc_rates(self):
        # the TSC files are still never compared in raw ticks: ns, and the
        # icount file has no ns
        ic = self.file("ic.csv", fx.capture([fx.row("syscall", "null", 100)],
                                            meta={"clock": "icount", "tsc_hz": None}))
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 240)], meta=GHZ24))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 340)], meta=GHZ34))
        r = self.compare(a, b, ic)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("unit: ns", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["100.0", "100.0", "1.00x", "same", "n/a", "-", "-"])
        self.assertIn("the clock=icount files count instructions: no ns for them", r.stderr)
        self.assertIn("different clocks", r.stderr)
        r = self.compare(a, b, ic, "--unit", "ticks")
        self.assertEqual(r.returncode, 2)

    def test_unknown_tsc_hz_is_not_converted(self):
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 240)], meta=GHZ24))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 240)],
                                          meta={"tsc_hz": "0"}))
        r = self.compare(a, b, "--fail-above", "5")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("unit: ns", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["100.0", "n/a", "-", "-"])
        self.assertIn("has no tsc_hz: its ticks cannot be converted to ns", r.stderr)

    def test_noise_band_scaled_into_the_unit(self):
        # spread 24 ticks at 2.4 GHz = 10 ns, 34 at 3.4 GHz = 10 ns: a 6 ns
        # difference is noise, a 12 ns one is not
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 240, spread=24)],
                                          meta=GHZ24))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 360, spread=34)],
                                          meta=GHZ34))
        c = self.file("c.csv", fx.capture([fx.row("syscall", "null", 381, spread=34)],
                                          meta=GHZ34))
        t = self.table(self.compare(a, b, c).stdout)
        self.assertEqual(t[("syscall", "null")],
                         ["100.0", "105.9", "1.06x", "noise", "112.1", "1.12x", "slower"])

    def test_plan_unit_importable(self):
        a = ringtrip_csv.load(self.file("a.csv", fx.capture(fx.standard_rows(), meta=GHZ24)))
        b = ringtrip_csv.load(self.file("b.csv", fx.capture(fx.standard_rows(), meta=GHZ34)))
        plan = compare_mod.plan_unit([a, b])
        self.assertEqual(plan.unit, "ns")
        self.assertAlmostEqual(plan.value(1, b.rows[0]), 100 * 1e9 / 3.4e9)
        self.assertAlmostEqual(plan.per_tick(0, a.rows[0]), 1e9 / 2.4e9)
        self.assertEqual(compare_mod.plan_unit([a, a]).unit, "ticks")
        with self.assertRaises(compare_mod.UsageError):
            compare_mod.plan_unit([a, b], unit="ticks")


class WarningTest(Base):
    """Parameters that differ are said, on stderr and in the exports."""

    def test_identical_parameters_no_warning(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows()))
        r = self.compare(a, a)
        self.assertEqual(r.stderr, "")

    def test_each_parameter(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows(), meta={"timer": "rdtscp"}))
        for key, val, text in (("iterations", "5000", "[1] 100000, [2] 5000"),
                               ("repeat", "1", "[1] 5, [2] 1"),
                               ("warmup", "0", "[1] 10000, [2] 0"),
                               ("timer", "lfence-rdtsc", "[1] rdtscp, [2] lfence-rdtsc"),
                               ("batch", "8", "[1] 1, [2] 8")):
            b = self.file("b.csv", fx.capture(fx.standard_rows(),
                                              meta={"timer": "rdtscp", key: val}))
            r = self.compare(a, b)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("compare: warning: %s differs between the files (%s)"
                          % (key, text), r.stderr)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    def test_clock_and_paths(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows() + [
            fx.row("shadow", "null", 150)], meta={"clock": "icount"}))
        b = self.file("b.csv", fx.capture(fx.standard_rows() + [
            fx.row("sysenter", "null", 150)]))
        r = self.compare(a, b)
        self.assertIn("different clocks", r.stderr)
        self.assertIn("the files measured different paths ([2] lacks shadow; [2] adds "
                      "sysenter)", r.stderr)
        self.assertIn("unit: as recorded: instructions in the clock=icount files", r.stdout)

    def test_warnings_in_exports(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows()))
        b = self.file("b.csv", fx.capture(fx.standard_rows(), meta={"iterations": "7"}))
        r = self.compare(a, b, "--json", "-")
        doc = json.loads(r.stdout)
        self.assertTrue(any("iterations differs" in w for w in doc["warnings"]))
        r = self.compare(a, b, "--markdown", "-")
        self.assertIn("> warning: iterations differs between the files", r.stdout)


class MannWhitneyTest(unittest.TestCase):
    """The builtin test against an independent brute-force computation,
    textbook values and (where installed) scipy."""

    @staticmethod
    def brute(x, y):
        """U1 and the two-sided p (normal approximation, tie and continuity
        correction) from the expanded samples, ranked one by one."""
        xs = [v for v, c in x for _ in range(c)]
        ys = [v for v, c in y for _ in range(c)]
        allv = sorted(xs + ys)
        rank = {}
        i = 0
        while i < len(allv):
            j = i
            while j < len(allv) and allv[j] == allv[i]:
                j += 1
            rank[allv[i]] = (i + 1 + j) / 2.0      # mean of ranks i+1..j
            i = j
        n1, n2 = len(xs), len(ys)
        u1 = sum(rank[v] for v in xs) - n1 * (n1 + 1) / 2.0
        counts = {}
        for v in allv:
            counts[v] = counts.get(v, 0) + 1
        tie = sum(t ** 3 - t for t in counts.values())
        n = n1 + n2
        sd = math.sqrt(n1 * n2 / 12.0 * ((n + 1) - tie / (n * (n - 1))))
        u = max(u1, n1 * n2 - u1)
        z = (u - n1 * n2 / 2.0 - 0.5) / sd
        return u1, min(1.0, 2 * 0.5 * math.erfc(z / math.sqrt(2)))

    def test_exact_textbook(self):
        # no overlap, 3 vs 3: U = 0, P(U <= 0) = 1/C(6,3) = 1/20, two-sided 0.1
        u1, p, how = compare_mod.mann_whitney_builtin([(1, 1), (2, 1), (3, 1)],
                                                      [(4, 1), (5, 1), (6, 1)])
        self.assertEqual((u1, how), (0, "exact"))
        self.assertAlmostEqual(p, 0.1)
        # 4 vs 5 interleaved: x = 1,3,5,7  y = 2,4,6,8,9: U1 = 0+1+2+3 = 6
        u1, p, how = compare_mod.mann_whitney_builtin(
            [(1, 1), (3, 1), (5, 1), (7, 1)], [(2, 1), (4, 1), (6, 1), (8, 1), (9, 1)])
        self.assertEqual((u1, how), (6, "exact"))
        # P(U <= 6) for m=4, n=5 by enumeration of the C(9,4) = 126 arrangements
        le = 0
        for pos in itertools.combinations(range(9), 4):
            u = sum(p_ - i for i, p_ in enumerate(pos))     # y's before each x
            le += u <= 6
        self.assertAlmostEqual(p, min(1.0, 2 * le / 126.0))

    def test_u_distribution_by_enumeration(self):
        for m, n in ((1, 1), (2, 3), (3, 3), (4, 6), (5, 2)):
            f = compare_mod._u_distribution(m, n)
            want = [0] * (m * n + 1)
            for pos in itertools.combinations(range(m + n), m):
                want[sum(p - i for i, p in enumerate(pos))] += 1
            self.assertEqual(f, want, (m, n))
            self.assertEqual(sum(f), math.comb(m + n, m))

    def test_asymptotic_against_brute_force(self):
        rnd = random.Random(12)
        for _ in range(20):
            x = [(rnd.randrange(40), rnd.randrange(1, 30)) for _ in range(rnd.randrange(1, 12))]
            y = [(rnd.randrange(45), rnd.randrange(1, 30)) for _ in range(rnd.randrange(1, 12))]
            if sum(c for _, c in x) <= 8 or sum(c for _, c in y) <= 8:
                continue
            u1, p, how = compare_mod.mann_whitney_builtin(x, y)
            bu1, bp = self.brute(x, y)
            self.assertEqual(how, "asymptotic")
            self.assertAlmostEqual(u1, bu1, places=6)
            self.assertAlmostEqual(p, bp, places=9)

    def test_identical_and_constant(self):
        h = [(100, 500), (108, 20), (116, 3)]
        self.assertEqual(compare_mod.mann_whitney_builtin(h, h)[1], 1.0)
        self.assertEqual(compare_mod.mann_whitney_builtin([(5, 10)], [(5, 20)])[1], 1.0)
        self.assertLess(compare_mod.mann_whitney_builtin([(100, 500)], [(120, 500)])[1], 1e-6)

    def test_thin(self):
        h = [(0, 3), (10, 500000), (20, 499000), (90, 997)]
        t = compare_mod.thin(h, 10000)
        self.assertEqual(sum(c for _, c in t), 10000)
        # the 3 samples at 0 are below half a thinned sample: gone
        self.assertEqual(t, [(10, 5000), (20, 4990), (90, 10)])
        self.assertEqual(compare_mod.thin(h, 10 ** 7), h)
        self.assertEqual(sum(c for _, c in compare_mod.thin([(1, 7), (2, 7)], 3)), 3)

    @unittest.skipIf(scipy_mwu is None, "python3-scipy not installed (apt-get install "
                                        "python3-scipy): no cross-check")
    def test_builtin_equals_scipy(self):
        import numpy as np
        rnd = random.Random(7)
        cases = [([(1, 1), (2, 1), (3, 1)], [(4, 1), (5, 1), (6, 1)]),      # exact
                 ([(v, 1) for v in (1.5, 3, 8)], [(v, 1) for v in range(10, 40, 3)])]
        for _ in range(30):
            cases.append(([(rnd.randrange(60), rnd.randrange(1, 40))
                           for _ in range(rnd.randrange(1, 10))],
                          [(rnd.randrange(70), rnd.randrange(1, 40))
                           for _ in range(rnd.randrange(1, 10))]))
        for x, y in cases:
            u1, p, _ = compare_mod.mann_whitney_builtin(x, y)
            res = scipy_mwu(np.repeat([v for v, _ in x], [c for _, c in x]).astype(float),
                            np.repeat([v for v, _ in y], [c for _, c in y]).astype(float),
                            alternative="two-sided", method="auto")
            self.assertAlmostEqual(u1, float(res.statistic), places=6, msg=(x, y))
            self.assertAlmostEqual(p, float(res.pvalue), places=9, msg=(x, y))


def hist_capture(rows_hist, meta=None):
    """A capture whose rows carry the given '# hist' buckets:
    [(service, median, [(lo, count), ...])]."""
    rows = [fx.row("syscall", s, m) for s, m, _ in rows_hist]
    hist = ["# hist syscall,%s,%s" % (s, ",".join("%d:%d" % b for b in h))
            for s, _, h in rows_hist]
    return fx.capture(rows, meta=meta, hist=False, extra_comments=hist)


class SignificanceCliTest(Base):
    def setUp(self):
        super().setUp()
        self.a = self.file("a.csv", hist_capture([
            ("null", 100, [(96, 300), (100, 600), (104, 100)]),
            ("args4", 160, [(152, 100), (160, 800), (168, 100)])]))
        self.b = self.file("b.csv", hist_capture([
            ("null", 100, [(96, 300), (100, 600), (104, 100)]),
            ("args4", 170, [(160, 100), (168, 800), (176, 100)])]))

    def test_p_values_in_the_table(self):
        for impl in ("builtin",) + (("scipy",) if scipy_mwu else ()):
            r = self.compare(self.a, self.b, "--utest", impl)
            self.assertEqual(r.returncode, 0, r.stderr)
            t = self.table(r.stdout, with_p=True)
            self.assertEqual(t[("syscall", "null")], ["100", "100", "1.00x", "1.000", "same"])
            self.assertEqual(t[("syscall", "args4")][3], "<0.001")
            self.assertIn("p < 0.05 in 1 of 2 rows tested", r.stdout)
            want = "scipy.stats.mannwhitneyu" if impl == "scipy" else \
                "compare's own implementation"
            self.assertIn(want, r.stdout)

    def test_off(self):
        r = self.compare(self.a, self.b, "--utest", "off")
        self.assertIn("significance: off", r.stdout)
        self.assertNotIn(" p ", r.stdout.split("significance:")[1].splitlines()[2])

    def test_without_scipy_says_so(self):
        def run(*args):
            return subprocess.run([sys.executable, "-B", "-c", HIDE_SCIPY, fx.COMPARE]
                                  + list(args), capture_output=True, text=True, timeout=60)
        r = run(self.a, self.b)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("compare's own implementation", r.stdout)
        self.assertIn("python3-scipy is not importable by %s" % sys.executable, r.stdout)
        self.assertEqual(self.table(r.stdout, with_p=True)[("syscall", "args4")][3], "<0.001")
        r = run(self.a, self.b, "--utest", "scipy")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--utest scipy: scipy is not importable", r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    def test_cross_machine_histograms_scaled(self):
        # 90 and 100 ns at 2.4 and at 3.4 GHz: identical after scaling
        a = self.file("c.csv", hist_capture([("null", 240, [(216, 100), (240, 900)])],
                                            meta=GHZ24))
        b = self.file("d.csv", hist_capture([("null", 340, [(306, 100), (340, 900)])],
                                            meta={"tsc_hz": "3400000000"}))
        cap_a, cap_b = ringtrip_csv.load(a), ringtrip_csv.load(b)
        plan = compare_mod.plan_unit([cap_a, cap_b])
        table = compare_mod.compare([cap_a, cap_b], plan=plan,
                                    utest=compare_mod.UTest("builtin"))
        u = table[0]["cells"][1]["utest"]
        self.assertEqual((u["n1"], u["n2"]), (1000, 1000))
        self.assertEqual(u["p"], 1.0)
        # in raw ticks they would differ
        self.assertLess(compare_mod.UTest("builtin").run(
            cap_a.hist[("syscall", "null")], 1.0, cap_b.hist[("syscall", "null")], 1.0)["p"],
            1e-6)

    def test_thinning_caps_samples(self):
        r = self.compare(self.a, self.b, "--utest", "builtin", "--utest-max-samples", "50",
                         "--json", "-")
        doc = json.loads(r.stdout)
        cell = doc["rows"][1]["cells"][1]
        self.assertEqual(cell["utest_samples"], [50, 50])
        self.assertEqual(doc["significance"]["max_samples"], 50)
        self.assertEqual(self.compare(self.a, self.b, "--utest-max-samples", "0").returncode, 2)


class ExportTest(Base):
    def setUp(self):
        super().setUp()
        self.a = self.file("a.csv", fx.capture(
            pair_rows([("null", 240), ("args16", 480)], ensembles=1)
            + [fx.row("shadow_pcid", "null", 300)], meta=GHZ24))
        self.b = self.file("b.csv", fx.capture(
            pair_rows([("null", 340)], ensembles=1)
            + [fx.row("shadow_pcid", "null", status="unsupported:no|pcid")], meta=GHZ34))

    def test_json_file_and_table(self):
        out = os.path.join(self.dir, "cmp.json")
        r = self.compare(self.a, self.b, "--json", out, "--fail-above", "5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("path ", r.stdout)                     # the table still printed
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual((doc["column"], doc["unit"]), ("median", "ns"))
        self.assertEqual([f["tsc_hz"] for f in doc["files"]], [2400000000, 3400000000])
        self.assertEqual(doc["files"][1]["meta"]["cpu_brand"], GHZ34["cpu_brand"])
        rows = {(r["path"], r["service"]): r["cells"] for r in doc["rows"]}
        null = rows[("syscall", "null")]
        self.assertAlmostEqual(null[0]["value"], 100.0)
        self.assertEqual(null[0]["ticks"], 240)
        self.assertAlmostEqual(null[1]["value"], 100.0)
        self.assertEqual(null[1]["verdict"], "same")
        self.assertAlmostEqual(null[1]["ratio"], 1.0)
        self.assertIsNotNone(null[1]["p_value"])
        self.assertEqual(rows[("syscall", "args16")][1]["verdict"], "missing")
        self.assertEqual(rows[("shadow_pcid", "null")][1]["status"], "unsupported:no|pcid")
        self.assertTrue(doc["gate"]["failed"])
        self.assertEqual({(m["path"], m["verdict"]) for m in doc["gate"]["missing"]},
                         {("syscall", "missing"), ("shadow_pcid", "not-ok")})
        self.assertEqual(doc["summary"][0]["counts"]["missing"], 1)

    def test_json_stdout_alone(self):
        r = self.compare(self.a, self.b, "--json", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)                        # nothing else on stdout
        self.assertIsNone(doc["gate"])
        self.assertIn(doc["significance"]["implementation"], ("scipy", "builtin"))

    def test_markdown(self):
        r = self.compare(self.a, self.b, "--markdown", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "### ringtrip compare: median, ns")
        head = [l for l in lines if l.startswith("| path | service |")]
        self.assertEqual(len(head), 1)
        i = lines.index(head[0])
        ncols = head[0].count(" | ") + 1
        self.assertEqual(lines[i + 1].count("|"), ncols + 1)
        body = list(itertools.takewhile(lambda l: l.startswith("|"), lines[i + 2:]))
        self.assertEqual(len(body), 3)
        self.assertIn("| syscall | null | 100.0 | 100.0 | 1.00x |", body[0])
        self.assertTrue(body[0].endswith("| same |"))
        for l in body:
            # every row has the header's cells (an escaped '|' is no separator)
            self.assertEqual(l.replace("\\|", "").count("|"), ncols + 1, l)
        self.assertIn("Unit: ns = median TSC ticks", r.stdout)
        out = os.path.join(self.dir, "cmp.md")
        r = self.compare(self.a, self.b, "--markdown", out)
        with open(out) as f:
            self.assertEqual(f.read().splitlines()[0], "### ringtrip compare: median, ns")

    def test_both_to_stdout_refused(self):
        r = self.compare(self.a, self.b, "--json", "-", "--markdown", "-")
        self.assertEqual(r.returncode, 2)
        r = self.compare(self.a, self.b, "--json", os.path.join(self.dir, "no", "x.json"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot write", r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    def test_main_importable(self):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(compare_mod.main([self.a, self.a, "--json", "-"]), 0)
        self.assertEqual(json.loads(out.getvalue())["unit"], "ticks")


if __name__ == "__main__":
    unittest.main()
