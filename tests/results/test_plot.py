"""Tests for results/plot.

    cd /work/main && python3 -m unittest discover -s tests/results -v
"""

import os
import subprocess
import sys
import tempfile
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


class PlotTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        rows_a = fx.standard_rows() + [fx.row("sysenter", "null", 120),
                                       fx.row("shadow_pcid", "null",
                                              status="unsupported:no-pcid")]
        rows_b = fx.standard_rows(scale=1.2) + [fx.row("sysenter", "null", 130)]
        self.a = fx.write(self.dir, "a.csv", fx.capture(rows_a))
        self.b = fx.write(self.dir, "b.csv", fx.capture(
            rows_b, meta={"clock": "icount", "hypervisor": "tcg"}))
        self.out = os.path.join(self.dir, "out")

    def tearDown(self):
        self.tmp.cleanup()

    def plot(self, *args):
        env = dict(os.environ, MPLCONFIGDIR=os.path.join(self.dir, "mpl"))
        return subprocess.run([PYTHON, "-B", fx.PLOT] + list(args), capture_output=True,
                              text=True, env=env, timeout=120)

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
            crc=False, hist=False))
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


if __name__ == "__main__":
    unittest.main()
