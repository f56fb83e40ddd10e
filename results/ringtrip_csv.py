"""ringtrip_csv - read and validate a ringtrip CSV capture (csv=2, and csv=1).

Shared by results/compare and results/plot; standard library only
(load_dataframe() alone needs pandas, imported when it is called).

    cap = load("run.csv")          # raises CaptureError if invalid
    cap.meta["clock"], cap.rows[0]["median"], cap.hist[("syscall", "null")]

    df, meta = load_dataframe("run.csv")     # pandas; same validation
    df[df.service == "null"], meta["clock"]

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
