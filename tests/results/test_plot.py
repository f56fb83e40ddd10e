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
        # it names the interpreter it looked in: python3 on PATH may not be
        # the one python3-matplotlib is installed for
        self.assertEqual(r.stderr.strip(),
                         "plot: matplotlib is not installed for %s (Debian: apt-get "
                         "install python3-matplotlib, for /usr/bin/python3); no plot "
                         "written" % sys.executable)
        self.assertNotIn("Traceback", r.stderr)
        for p in self.pngs():
            self.assertFalse(os.path.exists(p), p)


try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot
except ImportError:
    pyplot = None


@unittest.skipIf(pyplot is None, "matplotlib not importable by this interpreter")
class FigureTest(fx.TempDirCase):
    """Issue 12: the medians legend in the colours of the bars, a CDF title
    that covers no panel, and the unit of several machines."""

    def setUp(self):
        super().setUp()
        sys.path.insert(0, fx.RESULTS)
        import ringtrip_csv
        self.csv = ringtrip_csv
        self.mod = load_plot()

    def caps(self, *captures):
        return [self.csv.load(fx.write(self.dir, "f%d.csv" % i, text))
                for i, text in enumerate(captures)]

    def test_legend_colours_match_bars(self):
        # file 2 has no row in the first panel, file 3 a non-ok one there:
        # the legend used to take its handles from that panel
        caps = self.caps(
            fx.capture([fx.row("syscall", "null", 100), fx.row("int2e", "null", 120)]),
            fx.capture([fx.row("int2e", "null", 130)]),
            fx.capture([fx.row("syscall", "null", status="unsupported:x"),
                        fx.row("int2e", "null", 110)]))
        keys = self.mod.ok_keys(caps)
        fig = self.mod.draw_medians(pyplot, caps, keys, "t",
                                    self.csv.plan_unit(caps))
        try:
            leg = fig.legends[0]
            handles = getattr(leg, "legend_handles", None) or leg.legendHandles
            self.assertEqual([t.get_text() for t in leg.get_texts()],
                             [self.mod.label(c) for c in caps])
            want = [tuple(h.get_facecolor()) for h in handles]
            self.assertEqual(len(set(want)), 3)            # three different colours
            # per panel one BarContainer per file, in file order (empty where
            # the file has no ok row there)
            for ax in fig.axes:
                bars = [c for c in ax.containers if type(c).__name__ == "BarContainer"]
                for i, cont in enumerate(bars):
                    for patch in cont.patches:
                        self.assertEqual(tuple(patch.get_facecolor()), want[i],
                                         "file %d's bar in %s" % (i + 1, ax.get_title()))
            # every file drew at least one bar somewhere
            drawn = set()
            for ax in fig.axes:
                bars = [c for c in ax.containers if type(c).__name__ == "BarContainer"]
                drawn |= {i for i, c in enumerate(bars) if c.patches}
            self.assertEqual(drawn, {0, 1, 2})
        finally:
            pyplot.close(fig)

    def assertTitleClear(self, fig):
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        title = fig._suptitle.get_window_extent(r)
        for ax in fig.axes:
            if not ax.get_visible() or not ax.axison:
                continue
            box = ax.get_tightbbox(r)
            self.assertLess(box.y1, title.y0,
                            "panel %r reaches into the title" % ax.get_title())
        self.assertLessEqual(title.y1, fig.bbox.y1)       # and the title is on the page

    def test_titles_cover_no_panel(self):
        for npaths in (1, 2, 5, 15, 24):
            rows = [fx.row("path%02d" % p, s, 100 + 10 * p)
                    for p in range(npaths) for s in ("null", "args4")]
            caps = self.caps(fx.capture(rows), fx.capture(rows))
            keys = self.mod.ok_keys(caps)
            plan = self.csv.plan_unit(caps)
            fig, drawn = self.mod.draw_cdf(pyplot, caps, keys, "a title " * 4, plan)
            try:
                self.assertEqual(drawn, 4 * npaths)
                self.assertTitleClear(fig)
            finally:
                pyplot.close(fig)
            fig = self.mod.draw_medians(pyplot, caps, keys, "a title", plan)
            try:
                self.assertTitleClear(fig)
            finally:
                pyplot.close(fig)

    def test_different_tsc_rates_drawn_in_ns(self):
        a = fx.capture([fx.row("syscall", "null", 240, p1=216, p99=264)],
                       meta={"tsc_hz": "2400000000"})
        b = fx.capture([fx.row("syscall", "null", 340, p1=306, p99=374)],
                       meta={"tsc_hz": "3400000000"})
        caps = self.caps(a, b)
        plan = self.csv.plan_unit(caps)
        self.assertEqual(plan.unit, "ns")
        fig = self.mod.draw_medians(pyplot, caps, self.mod.ok_keys(caps), "t", plan)
        try:
            ax = fig.axes[0]
            heights = [p.get_height() for c in ax.containers
                       if type(c).__name__ == "BarContainer" for p in c.patches]
            self.assertEqual([round(h, 6) for h in heights], [100.0, 100.0])
            self.assertEqual(ax.get_ylabel(), "median, ns")
        finally:
            pyplot.close(fig)
        fig, _ = self.mod.draw_cdf(pyplot, caps, self.mod.ok_keys(caps), "t", plan)
        try:
            xs = [list(l.get_xdata()) for l in fig.axes[0].get_lines()]
            # 240 and 340 ticks: 100 ns in both files
            self.assertIn(100.0, [round(x, 6) for x in xs[0]])
            self.assertIn(100.0, [round(x, 6) for x in xs[1]])
        finally:
            pyplot.close(fig)


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
