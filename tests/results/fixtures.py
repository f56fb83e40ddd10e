"""Fixture captures for the results/ tool tests (not a test module itself)."""

import binascii
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(ROOT, "results")
COMPARE = os.path.join(RESULTS, "compare")
PLOT = os.path.join(RESULTS, "plot")

COLUMNS = ("path,service,args,status,samples,min,median,mean,stdev,p99,max,overhead,"
           "p1,ensembles,median_spread,min_spread,median_ns,median_cycles,"
           "median_instructions,core_mhz,median_core_cycles,smis,service_cost,"
           "profile,mitigations")
OLD_COLUMNS = "path,service,args,status,samples,min,median,mean,stdev,p99,max,overhead"

META = {
    "cpu_vendor": "GenuineIntel",
    "cpu_brand": "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz",
    "hypervisor": "none",
    "clock": "tsc",
    "tsc_hz": "2400000000",
    "tsc_hz_source": "cpuid15",
    "iterations": "100000",
    "warmup": "10000",
    "repeat": "5",
    "overhead_tsc": "12",
}


def row(path="syscall", service="null", median=100, status="ok", ensembles=5,
        spread=0, p1=None, p99=None, median_ns=None, cycles="", old=False,
        core_cycles=""):
    """One data row (no newline)."""
    if status != "ok":
        if old:
            return "%s,%s,0,%s,0,0,0,0,0,0,0,0" % (path, service, status)
        return "%s,%s,0,%s,0,0,0,0,0,0,0,0,0,0,0,0,,,,,,,,minimal,none" % (
            path, service, status)
    p1 = median - 2 if p1 is None else p1
    p99 = median + 10 if p99 is None else p99
    base = "%s,%s,0,ok,100000,%d,%d,%d,3,%d,%d,12" % (
        path, service, median - 3, median, median + 1, p99, median + 50)
    if old:
        return base
    ns = "" if median_ns is None else "%.1f" % median_ns
    return base + ",%d,%d,%d,%d,%s,%s,,,%s,,,minimal,none" % (
        p1, ensembles, spread, spread, ns, cycles, core_cycles)


def hist_for(path, service, median):
    return "# hist %s,%s,%d:10,%d:980,%d:10" % (path, service, max(median - 8, 0),
                                                 median, median + 16)


FIRST = {1: "# ringtrip csv=1", 2: "# ringtrip csv=2"}


def crc_v1(rows):
    """A csv=1 trailer's crc32: the data rows alone."""
    c = 0
    for r in rows:
        c = binascii.crc32((r + "\n").encode(), c)
    return "%08x" % (c & 0xFFFFFFFF)


def crc_v2(lines):
    """A csv=2 trailer's crc32: every line before the trailer, from the first."""
    c = 0
    for line in lines:
        c = binascii.crc32((line + "\n").encode(), c)
    return "%08x" % (c & 0xFFFFFFFF)


def capture(rows, meta=None, hist=True, columns=COLUMNS, crc=True, trailer=True,
            rows_claimed=None, first=None, extra_comments=(),
            crc_override=None, newline="\n", version=2):
    """Text of a capture with the given data rows (strings): the current
    format (csv=2, whole-file crc32) unless version=1 (rows-only crc32).
    first= replaces the first line (the crc32 then covers that line)."""
    m = dict(META)
    m.update(meta or {})
    lines = [first if first is not None else FIRST[version]]
    lines += ["# %s=%s" % kv for kv in m.items() if kv[1] is not None]
    lines += ["# selftest syscall/null pass got=0x0 want=0x0"]
    lines += list(extra_comments)
    lines.append(columns)
    for r in rows:
        lines.append(r)
        if hist:
            f = r.split(",")
            if f[3] == "ok":
                lines.append(hist_for(f[0], f[1], int(f[6])))
    if trailer:
        n = len(rows) if rows_claimed is None else rows_claimed
        t = "# end rows=%d" % n
        if crc:
            t += " crc32=%s" % (crc_override or (crc_v1(rows) if version == 1
                                                 else crc_v2(lines)))
        lines.append(t)
    return newline.join(lines) + newline


def retrailer(text):
    """text (an LF csv=2 capture, edited) with its trailer's crc32 made
    right again for what is now before it."""
    lines = text.rstrip("\n").split("\n")
    head, trailer = lines[:-1], lines[-1]
    return "\n".join(head + [trailer.split(" crc32=")[0] + " crc32=" + crc_v2(head)]) + "\n"


def standard_rows(scale=1.0, **kw):
    return [row("syscall", s, int(round(m * scale)), **kw)
            for s, m in (("null", 100), ("args4", 160), ("args8", 250), ("args16", 400))]


def write(dirname, name, text):
    p = os.path.join(dirname, name)
    with open(p, "w", newline="") as f:
        f.write(text)
    return p


def run(script, *args, env=None):
    """Run a results/ script; returns CompletedProcess with text output."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-B", script] + list(args),
                          capture_output=True, text=True, env=e, timeout=120)


def load_script(name, path):
    """A results/ script without a .py suffix (compare, plot) as a module."""
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class TempDirCase(unittest.TestCase):
    """A test with a scratch directory (self.dir) and file() to write there."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def file(self, name, text):
        return write(self.dir, name, text)
