"""Fixture captures for the results/ tool tests (not a test module itself)."""

import binascii
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(ROOT, "results")
COMPARE = os.path.join(RESULTS, "compare")
PLOT = os.path.join(RESULTS, "plot")

COLUMNS = ("path,service,args,status,samples,min,median,mean,stdev,p99,max,overhead,"
           "p1,ensembles,median_spread,min_spread,median_ns,median_cycles,"
           "median_instructions")
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
        spread=0, p1=None, p99=None, median_ns=None, cycles="", old=False):
    """One data row (no newline)."""
    if status != "ok":
        if old:
            return "%s,%s,0,%s,0,0,0,0,0,0,0,0" % (path, service, status)
        return "%s,%s,0,%s,0,0,0,0,0,0,0,0,0,0,0,0,,," % (path, service, status)
    p1 = median - 2 if p1 is None else p1
    p99 = median + 10 if p99 is None else p99
    base = "%s,%s,0,ok,100000,%d,%d,%d,3,%d,%d,12" % (
        path, service, median - 3, median, median + 1, p99, median + 50)
    if old:
        return base
    ns = "" if median_ns is None else "%.1f" % median_ns
    return base + ",%d,%d,%d,%d,%s,%s," % (p1, ensembles, spread, spread, ns, cycles)


def hist_for(path, service, median):
    return "# hist %s,%s,%d:10,%d:980,%d:10" % (path, service, max(median - 8, 0),
                                                 median, median + 16)


def capture(rows, meta=None, hist=True, columns=COLUMNS, crc=True, trailer=True,
            rows_claimed=None, first="# ringtrip csv=1", extra_comments=(),
            crc_override=None, newline="\n"):
    """Text of a capture with the given data rows (strings)."""
    m = dict(META)
    m.update(meta or {})
    lines = [first] + ["# %s=%s" % kv for kv in m.items() if kv[1] is not None]
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
        c = 0
        for r in rows:
            c = binascii.crc32((r + "\n").encode(), c)
        n = len(rows) if rows_claimed is None else rows_claimed
        t = "# end rows=%d" % n
        if crc:
            t += " crc32=%s" % (crc_override or "%08x" % (c & 0xFFFFFFFF))
        lines.append(t)
    return newline.join(lines) + newline


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
