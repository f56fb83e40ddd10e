"""Tests for results/plot.

    cd /work/main && python3 -m unittest discover -s tests/results -v
"""

import os
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"

# Runs results/plot with 'import matplotlib' failing, as on a machine without it.
HIDE_MATPLOTLIB = (
    "import runpy, sys\n"
    "sys.modules['matplotlib'] = None\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n"
)


def matplotlib_python():
    """An interpreter that has matplotlib: this one, else the system python3
    (where Debian's python3-matplotlib lives when python3 on PATH is, say, a
    pyenv build), else None."""
    for exe in (sys.executable, "/usr/bin/python3"):
        try:
            r = subprocess.run([exe, "-c", "import matplotlib"], capture_output=True,
                               timeout=60)
        except OSError:
            continue
        if r.returncode == 0:
            return exe
    return None


PYTHON = matplotlib_python()


def run_plot(scratch, args, timeout):
    """results/plot ARGS with matplotlib's cache in the scratch directory"""
    env = dict(os.environ, MPLCONFIGDIR=os.path.join(scratch, "mpl"))
    return subprocess.run([PYTHON, "-B", fx.PLOT] + list(args), capture_output=True,
                          text=True, env=env, timeout=timeout)


class PlotTest(fx.TempDirCase):
    def setUp(self):
        super().setUp()
        rows_a = fx.standard_rows() + [fx.row("sysenter", "null", 120),
                                       fx.row("shadow_pcid", "null",
                                              status="unsupported:no-pcid")]
        rows_b = fx.standard_rows(scale=1.2) + [fx.row("sysenter", "null", 130)]
        self.a = fx.write(self.dir, "a.csv", fx.capture(rows_a))
        self.b = fx.write(self.dir, "b.csv", fx.capture(
            rows_b, meta={"clock": "icount", "hypervisor": "tcg"}))
        self.out = os.path.join(self.dir, "out")

    def plot(self, *args):
        return run_plot(self.dir, args, 120)

    def pngs(self):
        return [self.out + "-medians.png", self.out + "-cdf.png"]

    def test_plot_two_files(self):
        if PYTHON is None:
            self.skipTest("matplotlib not installed")
        r = self.plot(self.a, self.b, "-o", self.out, "--title", "test")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        for p in self.pngs():
            self.assertTrue(os.path.exists(p), p)
            with open(p, "rb") as f:
                self.assertEqual(f.read(8), PNG, p)
            self.assertGreater(os.path.getsize(p), 1000, p)

    def test_plot_old_file_without_hist(self):
        if PYTHON is None:
            self.skipTest("matplotlib not installed")
        old = fx.write(self.dir, "old.csv", fx.capture(
            [fx.row("syscall", "null", 100, old=True)], columns=fx.OLD_COLUMNS,
            crc=False, hist=False, version=1))
        r = self.plot(old, "-o", self.out)
        self.assertEqual(r.returncode, 0, r.stderr)
        for p in self.pngs():
            with open(p, "rb") as f:
                self.assertEqual(f.read(8), PNG, p)

    def test_invalid_input_exits_2(self):
        if PYTHON is None:
            self.skipTest("matplotlib not installed")
        bad = fx.write(self.dir, "bad.csv", fx.capture(fx.standard_rows(), trailer=False))
        r = self.plot(self.a, bad, "-o", self.out)
        self.assertEqual(r.returncode, 2)
        self.assertIn("plot: %s: truncated" % bad, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        for p in self.pngs():
            self.assertFalse(os.path.exists(p), p)

    def test_without_matplotlib_exits_3(self):
        r = subprocess.run([sys.executable, "-B", "-c", HIDE_MATPLOTLIB, fx.PLOT,
                            self.a, "-o", self.out],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertEqual(r.stderr.strip(),
                         "plot: matplotlib is not installed (Debian: apt-get install "
                         "python3-matplotlib); no plot written")
        self.assertNotIn("Traceback", r.stderr)
        for p in self.pngs():
            self.assertFalse(os.path.exists(p), p)


def load_plot():
    """results/plot as a module (its limits need no matplotlib)."""
    return fx.load_script("ringtrip_plot", fx.PLOT)


def many_paths(n, services=("null",)):
    return [fx.row("path%04d" % i, s, 100 + i % 50) for i in range(n) for s in services]


class TooManyPathsTest(fx.TempDirCase):
    """Issue 10: a valid capture with 3000 paths gave a traceback (a figure
    taller than matplotlib's 65536 pixels). Now: a clear message, exit 2,
    nothing written; --paths / --services choose what fits."""

    def setUp(self):
        super().setUp()
        self.big = fx.write(self.dir, "big.csv", fx.capture(many_paths(3000)))
        self.out = os.path.join(self.dir, "out")

    def plot(self, *args):
        return run_plot(self.dir, args, 300)

    def assertRefused(self, r, *messages):
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("plot: too much for one readable figure: ", r.stderr)
        for m in messages:
            self.assertIn(m, r.stderr)
        for p in (self.out + "-medians.png", self.out + "-cdf.png"):
            self.assertFalse(os.path.exists(p), p)

    def test_limits_without_matplotlib(self):
        mod = load_plot()
        sys.path.insert(0, fx.RESULTS)
        import ringtrip_csv
        cap = ringtrip_csv.load(self.big)
        with self.assertRaises(mod.TooMuch) as cm:
            mod.check_size([cap], mod.ok_keys([cap]))
        self.assertIn("3000 paths with ok rows (path0000, path0001", str(cm.exception))
        self.assertIn("(2992 more)", str(cm.exception))
        keys = mod.ok_keys([cap], paths=["path0001", "path0002"])
        self.assertEqual(keys, [("path0001", "null"), ("path0002", "null")])
        mod.check_size([cap], keys)                       # fits
        mod.check_size([cap], mod.ok_keys([cap], paths=["path%04d" % i
                                                        for i in range(mod.MAX_PATHS)]))
        with self.assertRaises(mod.TooMuch):
            mod.check_size([cap], mod.ok_keys([cap], paths=["path%04d" % i for i in
                                                            range(mod.MAX_PATHS + 1)]))
        with self.assertRaises(mod.TooMuch):
            mod.check_size([cap] * (mod.MAX_FILES + 1), keys)

    def test_3000_paths_refused_with_a_message(self):
        if PYTHON is None:
            self.skipTest("matplotlib not installed")
        r = self.plot(self.big, "-o", self.out)
        self.assertRefused(r, "3000 paths with ok rows", "at most 24 panels", "--paths")

    def test_paths_choose_what_fits(self):
        if PYTHON is None:
            self.skipTest("matplotlib not installed")
        r = self.plot(self.big, "-o", self.out, "--paths", "path0007,path2999")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        for p in (self.out + "-medians.png", self.out + "-cdf.png"):
            with open(p, "rb") as f:
                self.assertEqual(f.read(8), PNG, p)
        r = self.plot(self.big, "-o", self.out + "x", "--paths", "path0007,nosuch")
        self.assertEqual(r.returncode, 2)
        self.assertIn("plot: --paths: no row has path nosuch", r.stderr)
        self.assertNotIn("Traceback", r.stderr)

    def test_too_many_services_or_files_refused(self):
        if PYTHON is None:
            self.skipTest("matplotlib not installed")
        services = ["svc%02d" % i for i in range(11)]
        wide = fx.write(self.dir, "wide.csv", fx.capture(many_paths(2, services)))
        self.assertRefused(self.plot(wide, "-o", self.out),
                           "path path0000 has 11 services", "--services")
        r = self.plot(wide, "-o", self.out, "--services", "svc00,svc03")
        self.assertEqual(r.returncode, 0, r.stderr)
        os.remove(self.out + "-medians.png")
        os.remove(self.out + "-cdf.png")
        six = fx.write(self.dir, "six.csv", fx.capture(many_paths(2, services[:6])))
        self.assertRefused(self.plot(*([six] * 5 + ["-o", self.out])),
                           "x 5 files = 30 bars and lines", "or plot fewer files")
        self.assertRefused(self.plot(*([six] * 9 + ["-o", self.out])), "9 files")


if __name__ == "__main__":
    unittest.main()
