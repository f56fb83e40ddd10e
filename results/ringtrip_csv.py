"""ringtrip_csv - read and validate a ringtrip CSV capture (csv=2, and csv=1).

Shared by results/compare and results/plot; standard library only
(load_dataframe() alone needs pandas, imported when it is called).

    cap = load("run.csv")          # raises CaptureError if invalid
    cap.meta["clock"], cap.rows[0]["median"], cap.hist[("syscall", "null")]

    df, meta = load_dataframe("run.csv")     # pandas; same validation
    df[df.service == "null"], meta["clock"]

    plan = plan_unit([cap_a, cap_b])   # what several files may be compared in:
    plan.unit, plan.value(i, row)      # core cycles, same-rate ticks, or ns

A capture is a serial log: '#' lines (metadata `# key=value`, selftests,
warnings, `# hist` lines) around one CSV table, closed by the trailer
`# end rows=N crc32=xxxxxxxx`. Its first line names the format version:

  `# ringtrip csv=2` (current): crc32 is the CRC-32 (zlib's) of every line
      before the trailer, from the first line on, each with its '\n' -
      metadata, self-tests, warnings, header, rows, `# hist` lines. A
      trailer without crc32= is refused: nothing in the file would be
      protected, and deleting the crc32= must not be a way to edit a file.
  `# ringtrip csv=1` (older captures): crc32 covers the data rows alone and
      is optional; the header, metadata and histograms are unprotected.

The columns are the file's own: their names come from its header line (the
first line that is not a '#' line) and every row is read by name, so their
order does not matter and a column this reader does not know is kept, as
text - columns only ever grow (the one list is CSV_COLUMNS_X in
bench/csv.h). This module knows only which columns it REQUIRES and the
types of the ones it knows (COLUMN_TYPES).

For the CRC a line is its bytes without a trailing CR (the kernel writes
LF only; a terminal program's CRLF does not invalidate a capture).
Anything that does not check out - no trailer, a wrong row count or crc, a
missing required column, a short row - makes the file invalid: a cut-off
or garbled capture must not be compared as if it were whole.
"""

import binascii
import math
import re

FIRST_LINE = "# ringtrip csv=2"          # what the kernel and host mode write
FIRST_LINE_V1 = "# ringtrip csv=1"       # older captures: rows-only, optional crc32
VERSIONS = {FIRST_LINE_V1: 1, FIRST_LINE: 2}
# Not a copy of the header: the names a capture must have, and the type of
# each numeric column this reader knows (tests/results/test_columns.py
# checks both against bench/csv.h's table). Any other column - text, or
# one newer than this reader - is kept as the field's text.
REQUIRED = ("path", "service", "status", "samples", "min", "median", "p99", "max")
COLUMN_TYPES = {
    "args": int, "samples": int, "min": int, "median": int, "mean": int,
    "stdev": int, "p99": int, "max": int, "overhead": int, "p1": int,
    "ensembles": int, "median_spread": int, "min_spread": int,
    "median_ns": float,             # tenths: "123.4"
    "median_cycles": int, "median_instructions": int,
    "core_mhz": int, "median_core_cycles": int, "smis": int, "service_cost": int,
}
INT_COLUMNS = tuple(c for c, t in COLUMN_TYPES.items() if t is int)
FLOAT_COLUMNS = tuple(c for c, t in COLUMN_TYPES.items() if t is float)

_META = re.compile(r"# ([A-Za-z0-9_.\-]+)=(.*)\Z")
_TRAILER = re.compile(r"# end rows=(\d+)(?: crc32=([0-9a-f]{8}))?\Z")
_FIRST = re.compile(r"# ringtrip csv=(\d+)\Z")


# profile column values naming a whole profile (the others, toggle and
# custom, are named by their toggle set: the mitigations column)
PROFILES = ("minimal", "linux", "windows")


def row_key(r):
    """A row's identity: (path, service), with "@variant" on the service for
    a row that did not run under the minimal profile - the profile's name
    for a linux or windows row, the toggle set ("ibrs+verw") for a toggle
    or custom row. The same key the row's '# hist' line carries (so
    cap.hist[row_key(r)] is its histogram). A capture without the profile
    column (older ones) has only minimal rows."""
    p = r.get("profile")
    if p in (None, "", "-", "minimal"):
        return (r["path"], r["service"])
    variant = p if p in PROFILES else (r.get("mitigations") or p)
    return (r["path"], "%s@%s" % (r["service"], variant))


class CaptureError(Exception):
    """The file is not a valid, complete ringtrip capture (message says why)."""


class Capture:
    """A parsed capture.

    path      the file name it was read from
    version   the CSV format version of its first line: 2, or 1 (older)
    meta      {key: value} from `# key=value` lines (first occurrence wins)
    columns   header column names, in file order (any order, any extras)
    rows      [{column: value}] in file order, keyed by the header's names;
              numbers are int (median_ns float), an empty field is None,
              a known column the file lacks is None too, an unknown
              column is its text
    hist      {row key: [(lo, count), ...]} ascending lo, the `# hist`
              lines of one row concatenated; the key is (path, service)
              for a minimal row, (path, "service@variant") for the others
              (row_key())
    selftests [(name, "pass"|"fail", rest of line)]
    notes     '# warning:', '# error:', '# panic:' lines, without '# '
    warnings  problems that do not invalidate the file (bad `# hist` lines)
    crc       True if the trailer carried a crc32 (and it matched); always
              True for version 2, which refuses a trailer without one
    """

    def __init__(self, path):
        self.path = path
        self.version = None
        self.meta = {}
        self.columns = []
        self.rows = []
        self.hist = {}
        self.selftests = []
        self.notes = []
        self.warnings = []
        self.crc = False

    def row_map(self):
        """{(path, service): row}, first occurrence of a key wins: a path's
        main rows come before its mitigation rows (same services)."""
        out = {}
        for r in self.rows:
            out.setdefault((r["path"], r["service"]), r)
        return out

    def key_map(self):
        """{row_key(row): row}: every row, mitigation rows too; first wins."""
        out = {}
        for r in self.rows:
            out.setdefault(row_key(r), r)
        return out

    def duplicate_keys(self):
        seen, dups = set(), []
        for r in self.rows:
            k = row_key(r)
            if k in seen and k not in dups:
                dups.append(k)
            seen.add(k)
        return dups

    @property
    def clock(self):
        return self.meta.get("clock", "")

    @property
    def unit(self):
        """What the tick columns count."""
        return "instructions" if self.clock == "icount" else "TSC ticks"


def _value(col, text, lineno):
    kind = COLUMN_TYPES.get(col)
    if kind is None:
        return text
    if text == "":
        return None
    try:
        return kind(text)
    except ValueError:
        raise CaptureError("line %d: column %s: %r is not a number" % (lineno, col, text))


def _hist_line(cap, text, lineno):
    body = text[len("# hist "):]
    parts = body.split(",")
    if len(parts) < 2:
        cap.warnings.append("line %d: '# hist' line without path,service ignored" % lineno)
        return
    buckets = []
    for item in parts[2:]:
        lo, sep, count = item.partition(":")
        try:
            if not sep:
                raise ValueError
            buckets.append((int(lo), int(count)))
        except ValueError:
            cap.warnings.append("line %d: bad '# hist' bucket %r; line ignored" % (lineno, item))
            return
    merged = dict(cap.hist.get((parts[0], parts[1]), []))
    for lo, count in buckets:
        merged[lo] = merged.get(lo, 0) + count
    cap.hist[(parts[0], parts[1])] = sorted(merged.items())


def parse(data, path="<capture>"):
    """Parse the bytes of a capture; returns a Capture or raises CaptureError."""
    cap = Capture(path)
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()                          # the final '\n'
    raw = [l[:-1] if l.endswith(b"\r") else l for l in raw]
    lines = [l.decode("utf-8", "replace") for l in raw]

    if not lines:
        raise CaptureError("not a ringtrip capture: the file is empty")
    if lines[0] not in VERSIONS:
        m = _FIRST.match(lines[0])
        if m:
            raise CaptureError("a ringtrip csv=%s capture: this reader knows csv=1 and "
                               "csv=2 (a newer ringtrip's results/ reads it)" % m.group(1))
        raise CaptureError("not a ringtrip capture: first line is %r, want %r (or %r)"
                           % (lines[0][:40], FIRST_LINE, FIRST_LINE_V1))
    cap.version = VERSIONS[lines[0]]

    last = len(lines) - 1
    while last > 0 and lines[last].strip() == "":
        last -= 1
    m = _TRAILER.match(lines[last])
    if not m:
        if lines[last].startswith("# end "):
            raise CaptureError("line %d: malformed trailer %r (capture cut off?)"
                               % (last + 1, lines[last][:60]))
        raise CaptureError("truncated: no '# end rows=' trailer (capture cut off?)")
    want_rows, want_crc = int(m.group(1)), m.group(2)
    if cap.version >= 2 and want_crc is None:
        raise CaptureError("line %d: the trailer has no crc32=, which a csv=%d capture "
                           "must carry: its CRC covers the whole file (edited or "
                           "damaged?)" % (last + 1, cap.version))

    crc = 0
    header_line = None
    for i in range(1, last):
        text, lineno = lines[i], i + 1
        if text.startswith("#"):
            if text.startswith("# end rows="):
                raise CaptureError("line %d: '# end' trailer is not the last line "
                                   "(two captures in one file?)" % lineno)
            if text.startswith("# hist "):
                _hist_line(cap, text, lineno)
                continue
            if text.startswith("# selftest "):
                f = text[len("# selftest "):].split(" ", 2)
                cap.selftests.append((f[0], f[1] if len(f) > 1 else "",
                                      f[2] if len(f) > 2 else ""))
                continue
            if text.startswith(("# warning:", "# error:", "# panic:")):
                cap.notes.append(text[2:])
                continue
            mm = _META.match(text)
            if mm:
                cap.meta.setdefault(mm.group(1), mm.group(2))
            continue
        if header_line is None:
            header_line = lineno
            cap.columns = text.split(",")
            missing = [c for c in REQUIRED if c not in cap.columns]
            if missing:
                raise CaptureError("line %d: header lacks column%s %s"
                                   % (lineno, "s" if len(missing) > 1 else "",
                                      ",".join(missing)))
            continue
        fields = text.split(",")
        if len(fields) != len(cap.columns):
            raise CaptureError("line %d: %d fields, the header has %d"
                               % (lineno, len(fields), len(cap.columns)))
        if cap.version == 1:
            crc = binascii.crc32(raw[i] + b"\n", crc)
        row = {}
        for col, val in zip(cap.columns, fields):
            if col not in row:
                row[col] = _value(col, val, lineno)
        for col in INT_COLUMNS + FLOAT_COLUMNS:
            row.setdefault(col, None)
        cap.rows.append(row)

    if header_line is None:
        raise CaptureError("no CSV header line (path,service,...) before the trailer")
    if want_rows != len(cap.rows):
        raise CaptureError("trailer says rows=%d but the file has %d data rows"
                           % (want_rows, len(cap.rows)))
    if cap.version == 1 and want_crc is not None:
        got = "%08x" % (crc & 0xFFFFFFFF)
        if got != want_crc:
            raise CaptureError("crc32 mismatch: trailer %s, rows give %s (corrupted?)"
                               % (want_crc, got))
        cap.crc = True
    if cap.version >= 2:
        # every line before the trailer: a swapped header, an edited value,
        # metadata or histogram is refused as surely as a damaged row
        got = _crc_lines(raw[:last])
        if got != want_crc:
            raise CaptureError("crc32 mismatch: trailer %s, the lines before it give %s "
                               "(corrupted or edited?)" % (want_crc, got))
        cap.crc = True
    return cap


def load(path):
    """Read and parse a capture file; OSError becomes CaptureError."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise CaptureError(e.strerror or str(e))
    return parse(data, path)


def _crc_lines(lines):
    crc = 0
    for line in lines:
        crc = binascii.crc32(line + b"\n", crc)
    return "%08x" % (crc & 0xFFFFFFFF)


def crc32_lines(lines):
    """crc32 (8 hex digits) of a csv=2 trailer: the lines (str, without their
    newline) before the trailer, from `# ringtrip csv=2` on."""
    return _crc_lines([line.encode() for line in lines])


def crc32_rows(rows):
    """crc32 (8 hex digits) of a csv=1 trailer: the data row strings alone."""
    return _crc_lines([r.encode() for r in rows])


# ---- units: what a comparison or a plot of several files may put side by side

TICK_STATS = ("median", "min", "p1", "p99", "mean")   # columns in clock units
LEGACY = {"median_ns": "ns", "median_cycles": "cycles"}  # read as they are
UNITS = ("auto", "ticks", "ns", "cycles")
# Where core cycles come from, best first: the PMU's counted median, then an
# estimate (APERF/MPERF) a newer capture may carry. Absent columns are fine.
CYCLE_COLUMNS = ("median_cycles", "median_core_cycles")
UNIT_TEXT = {"ticks": "TSC ticks", "instructions": "instructions", "ns": "ns",
             "cycles": "core cycles", "mixed": "mixed units"}


class UnitError(Exception):
    """A unit that cannot be honoured for these files (the message says why)."""


def num(v):
    """A cell as a number: int/float as is, text parsed, else None."""
    if v is None or isinstance(v, (int, float)):
        return v
    try:
        return int(v)
    except (TypeError, ValueError):
        pass
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def tsc_hz(cap):
    """The file's TSC frequency in Hz, 0 if unknown."""
    v = num(cap.meta.get("tsc_hz", ""))
    return int(v) if v and v > 0 else 0


def is_icount(cap):
    return cap.meta.get("clock", "") == "icount"


def cycles_of(row):
    """(core cycles, column) of a row, or (None, None)."""
    for c in CYCLE_COLUMNS:
        v = num(row.get(c))
        if v is not None:
            return v, c
    return None, None


def has_cycles(cap):
    """Every ok, measured row of the file carries core cycles."""
    ok = [r for r in cap.rows if r["status"] == "ok" and r.get("median") is not None]
    return bool(ok) and all(cycles_of(r)[0] is not None for r in ok)


class Plan:
    """What is compared: the statistic, its unit, and per file how a row's
    value is found and how ticks (histograms, spreads) scale into that unit.

    unit     "ticks" | "instructions" | "ns" | "cycles" | "mixed"
    column   the statistic asked for (median, p99, ..., or a legacy column)
    reason   one line: why this unit, how the values are made
    notes    warnings about this choice (files that cannot be converted)
    """

    def __init__(self, caps, column, unit, reason, notes=()):
        self.caps, self.column, self.unit, self.reason = caps, column, unit, reason
        self.notes = list(notes)
        self.hz = [tsc_hz(c) for c in caps]

    @property
    def label(self):
        return UNIT_TEXT[self.unit]

    def value(self, i, row):
        """Row's value in the unit for file i (0-based), or None."""
        col = self.column
        if col in LEGACY:
            return num(row.get(col))
        if self.unit == "cycles":
            return cycles_of(row)[0]
        v = row.get(col)
        if v is None:
            return None
        if self.unit == "ns":
            if is_icount(self.caps[i]) or not self.hz[i]:
                return None
            return v * 1e9 / self.hz[i]
        return v

    def per_tick(self, i, row):
        """How much of the unit one tick of file i's row is (the factor for
        its '# hist' buckets and median_spread), or None if unknown."""
        if self.column in LEGACY or self.unit == "cycles":
            v, med = self.value(i, row), row.get("median")
            if v is None or not med:
                return None
            return v / med
        if self.unit == "ns":
            if is_icount(self.caps[i]) or not self.hz[i]:
                return None
            return 1e9 / self.hz[i]
        return 1.0


def plan_unit(caps, column="median", unit="auto"):
    """Choose what to compare (results/compare) or draw (results/plot):
    core cycles where every tsc-clock file has them and the statistic is
    the median, else TSC ticks where every file has the same tsc_hz, else ns;
    clock=icount files count instructions. unit forces one of "ticks",
    "ns", "cycles". Raises UnitError for an impossible request - raw ticks
    of different TSC rates, time or cycles of instruction counts."""
    if column in LEGACY:
        want = LEGACY[column]
        if unit not in ("auto", want):
            raise UnitError("--column %s is in %s; it cannot be shown as --unit %s"
                            % (column, UNIT_TEXT[want], unit))
        return Plan(caps, column, want, "%s: the files' own %s column" % (
            UNIT_TEXT[want], column))
    icount = [is_icount(c) for c in caps]
    hz = [tsc_hz(c) for c in caps]
    tsc_hz_set = sorted({h for h, ic in zip(hz, icount) if not ic})
    if all(icount):
        if unit in ("ns", "cycles"):
            raise UnitError("--unit %s: every file is clock=icount: its numbers count "
                            "guest instructions, not time or cycles" % unit)
        return Plan(caps, column, "instructions",
                    "instructions (clock=icount: the TSC counted guest instructions)")
    if any(icount) and unit in ("auto", "ticks") and len(tsc_hz_set) <= 1:
        return Plan(caps, column, "mixed",
                    "as recorded: instructions in the clock=icount files, TSC ticks in "
                    "the others - not comparable, only the shape")
    cycles = unit == "cycles" or (unit == "auto" and column == "median"
                                  and all(has_cycles(c) for c, ic in zip(caps, icount)
                                          if not ic))
    notes = []
    if any(icount):     # beside clock=tsc files whose rates differ, or --unit ns/cycles
        notes.append("the clock=icount files count instructions: no %s for them"
                     % ("core cycles" if cycles else "ns"))
    if cycles:
        if column != "median":
            raise UnitError("--unit cycles: core cycles are known for the median only "
                            "(--column median)")
        cols = []
        for k, c in enumerate(caps, start=1):
            used = sorted({cycles_of(r)[1] for r in c.rows if cycles_of(r)[1]})
            if not used and not icount[k - 1]:
                notes.append("[%d] %s has no core-cycle column (%s): its rows are n/a"
                             % (k, c.path, " or ".join(CYCLE_COLUMNS)))
            cols.append("[%d] %s" % (k, "+".join(used) or "none"))
        return Plan(caps, column, "cycles",
                    "core cycles, the median of each row (%s)" % ", ".join(cols), notes)
    if unit == "ticks" or (unit == "auto" and len(tsc_hz_set) <= 1):
        if len(tsc_hz_set) > 1:
            raise UnitError("--unit ticks: the files' TSCs run at different rates "
                            "(tsc_hz %s): raw ticks are not comparable; use --unit ns"
                            % ", ".join("[%d] %s" % (k, h or "unknown")
                                        for k, h in enumerate(hz, start=1)))
        if tsc_hz_set == [0]:
            notes.append("no file records tsc_hz: its ticks are compared as they are, "
                         "which is right only for one TSC frequency")
            return Plan(caps, column, "ticks", "TSC ticks (tsc_hz unknown)", notes)
        return Plan(caps, column, "ticks",
                    "TSC ticks (every file's tsc_hz is %d, so ticks measure the same time)"
                    % tsc_hz_set[0], notes)
    for k, (c, h, ic) in enumerate(zip(caps, hz, icount), start=1):
        if not ic and not h:
            notes.append("[%d] %s has no tsc_hz: its ticks cannot be converted to ns; "
                         "its rows are n/a" % (k, c.path))
    why = ("the files' tsc_hz differ: raw ticks of different TSC rates are not "
           "comparable" if len(tsc_hz_set) > 1 else "asked for")
    return Plan(caps, column, "ns", "ns = %s TSC ticks x 1e9 / tsc_hz (%s)"
                % (column, why), notes)


PANDAS_HINT = "apt-get install python3-pandas"


def _pandas():
    try:
        import pandas
    except ImportError as e:
        raise ImportError("ringtrip_csv.load_dataframe needs pandas, which is not "
                          "importable (%s); install it: %s" % (e, PANDAS_HINT)) from e
    return pandas


def dataframe(cap):
    """(df, meta) for an already loaded Capture; see load_dataframe()."""
    pd = _pandas()
    names = list(dict.fromkeys(cap.columns))      # a repeated column: first wins
    names += [c for c in INT_COLUMNS + FLOAT_COLUMNS if c not in names]
    data = {}
    for col in names:
        vals = [r[col] for r in cap.rows]
        if col in FLOAT_COLUMNS:
            s = pd.Series(vals, dtype="float64")          # None -> NaN
        elif col in INT_COLUMNS:
            dtype = "Int64" if None in vals else "int64"
            try:
                s = pd.Series(vals, dtype=dtype)          # None -> pd.NA
            except (OverflowError, TypeError, ValueError):
                s = pd.Series(vals, dtype=object)         # beyond int64: Python ints
        else:
            s = pd.Series(vals, dtype=object)             # str, as in the file
        data[col] = s
    return pd.DataFrame(data, columns=names), dict(cap.meta)


def load_dataframe(path):
    """Load and validate a capture as a pandas DataFrame; returns (df, meta).

    The file is read and checked by load() (first line, trailer, row count,
    crc32, header, field counts, numbers), so a bad file raises CaptureError
    exactly as load() does. pandas is imported here, not at module import;
    without it this raises ImportError naming `apt-get install python3-pandas`.

    df has one row per data row, in file order, with a default RangeIndex:
      - text columns (path, service, status and any column this module does
        not know) hold the field text as str, object dtype, as written:
        `null`, `none`, `NA` and an empty field stay those strings, so
        df[df.service == "null"] works;
      - the tick/count columns (INT_COLUMNS) are int64 when no cell of the
        column is empty, else pandas' nullable Int64 with <NA> for the empty
        cells - never float, so counts stay exact integers (a value that
        does not fit int64 leaves that column object dtype of Python ints);
      - median_ns (FLOAT_COLUMNS) is float64, an empty cell NaN;
      - the file's columns come first in file order; a known numeric column
        the file lacks (older captures) is appended, all <NA>/NaN - the
        same as load(), whose rows carry None for it.
    meta is {key: value} of the `# key=value` lines (values are str, first
    occurrence of a key wins, as Capture.meta). `# hist`, `# selftest`,
    `# warning:`/`# error:`/`# panic:` lines are not in df or meta; use
    load(path).hist / .selftests / .notes, or dataframe(cap) to get both
    from one read.
    """
    _pandas()
    return dataframe(load(path))
