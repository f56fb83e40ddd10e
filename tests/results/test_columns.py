"""The CSV columns have one list: CSV_COLUMNS_X in bench/csv.h (issue 11).

    cd /work/main && /usr/bin/python3 -m unittest discover -s tests/results -v

The kernel and host mode make the header and every row from that table.
These tests check what lives outside C against it: tests/boot/lib.sh's
CSV_HEADER (read from the table), the fixtures' header, and the column
types results/ringtrip_csv.py knows; and that the reader takes the columns
from a file's header - any order, unknown extra columns kept - not from a
copy of its own.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True          # keep results/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx  # noqa: E402

sys.path.insert(0, fx.RESULTS)
import ringtrip_csv  # noqa: E402

try:
    import pandas
except ImportError:
    pandas = None

CSV_H = os.path.join(fx.ROOT, "bench", "csv.h")
LIB_SH = os.path.join(fx.ROOT, "tests", "boot", "lib.sh")
KINDS = ("TEXT", "U64", "TENTHS")
PYTHON_TYPE = {"U64": int, "TENTHS": float}     # TEXT: not in COLUMN_TYPES


def table_from_text():
    """[(name, kind)] of CSV_COLUMNS_X, read from csv.h's text: the
    #define line, then one X(name, kind, ...) entry a line."""
    out, inside = [], False
    with open(CSV_H) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#define CSV_COLUMNS_X(X)"):
                inside = True
                continue
            if not inside:
                continue
            m = re.match(r"\s*X\((\w+),\s*(\w+),", line)
            if m:
                out.append((m.group(1), m.group(2)))
            if not line.endswith("\\"):
                break
    return out


def table_from_compiler():
    """[(name, kind)] of CSV_COLUMNS_X as the C preprocessor expands it, or
    None when there is no C compiler."""
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc or not shutil.which(cc):
        return None
    src = ('#include "bench/csv.h"\n'
           "#define RT_COL_(name, kind, present, value) RT_COLUMN name kind\n"
           "RT_BEGIN CSV_COLUMNS_X(RT_COL_) RT_END\n")
    p = subprocess.run([cc, "-E", "-P", "-I", fx.ROOT, "-x", "c", "-"], input=src,
                       capture_output=True, text=True, cwd=fx.ROOT, timeout=60)
    if p.returncode != 0:
        raise AssertionError("%s -E of bench/csv.h failed:\n%s" % (cc, p.stderr))
    m = re.search(r"RT_BEGIN(.*?)RT_END", p.stdout, re.S)
    if not m:
        raise AssertionError("CSV_COLUMNS_X did not expand: %r" % p.stdout[-300:])
    return re.findall(r"RT_COLUMN\s+(\w+)\s+(\w+)", m.group(1))


TABLE = table_from_text()
NAMES = [n for n, _ in TABLE]


class TableTest(unittest.TestCase):
    """What outside C depends on the table agrees with it."""

    def test_table_read(self):
        self.assertGreaterEqual(len(TABLE), 19)
        self.assertEqual(NAMES[:4], ["path", "service", "args", "status"])
        self.assertEqual(len(set(NAMES)), len(NAMES), "a column named twice")
        for name, kind in TABLE:
            self.assertIn(kind, KINDS, name)

    def test_text_reading_is_the_compilers(self):
        got = table_from_compiler()
        if got is None:
            self.skipTest("no C compiler (cc) to expand CSV_COLUMNS_X with")
        self.assertEqual(got, TABLE)

    def test_lib_sh_csv_header_is_the_table(self):
        # from another directory: lib.sh finds csv.h beside itself
        p = subprocess.run(["bash", "-c", '. "$1" && printf %s "$CSV_HEADER"', "-", LIB_SH],
                           capture_output=True, text=True, cwd=tempfile.gettempdir(),
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        self.assertEqual(p.stdout, ",".join(NAMES))

    def test_fixture_columns_are_the_table(self):
        self.assertEqual(fx.COLUMNS, ",".join(NAMES))

    def test_reader_types_agree_with_the_table(self):
        kind = dict(TABLE)
        for name in ringtrip_csv.REQUIRED:
            self.assertIn(name, kind, "REQUIRED names a column the writer lacks")
        for name, typ in ringtrip_csv.COLUMN_TYPES.items():
            self.assertIn(name, kind, "COLUMN_TYPES names a column the writer lacks")
        for name, k in TABLE:
            self.assertIs(ringtrip_csv.COLUMN_TYPES.get(name), PYTHON_TYPE.get(k),
                          "%s is %s in bench/csv.h" % (name, k))
        self.assertEqual(set(ringtrip_csv.INT_COLUMNS) | set(ringtrip_csv.FLOAT_COLUMNS),
                         set(ringtrip_csv.COLUMN_TYPES))


def reorder(header, rows, order, extra=None):
    """(header, rows) with the columns of header/rows (CSV text) put in
    order (a list of names); extra=(name, [value per row]) is inserted in
    the middle."""
    names = header.split(",")
    dicts = [dict(zip(names, r.split(","))) for r in rows]
    order = list(order)
    if extra:
        order.insert(len(order) // 2, extra[0])
        for d, v in zip(dicts, extra[1]):
            d[extra[0]] = v
    return ",".join(order), [",".join(d[c] for c in order) for d in dicts]


class ReorderedHeaderTest(fx.TempDirCase):
    """The reader takes each file's columns from its header line."""

    def setUp(self):
        super().setUp()
        self.rows = [fx.row("syscall", "null", 100, median_ns=41.7, cycles="170"),
                     fx.row("syscall", "args4", 160, median_ns=66.7),
                     fx.row("int2e", "null", 300, cycles="0"),
                     fx.row("sysenter", "null", status="unsupported:vendor")]
        # the fixtures' columns in a scrambled order, fixed so a failure
        # repeats: every column moves
        self.names = fx.COLUMNS.split(",")
        n = len(self.names)
        self.order = [self.names[(i * 7 + 3) % n] for i in range(n)]
        assert sorted(self.order) == sorted(self.names) and self.order != self.names

    def files(self):
        plain = fx.write(self.dir, "plain.csv", fx.capture(self.rows, hist=False))
        header, rows = reorder(fx.COLUMNS, self.rows, self.order,
                               extra=("future_col", ["x1", "", "0.5", "-"]))
        text = fx.capture(rows, columns=header, hist=False)
        return plain, fx.write(self.dir, "scrambled.csv", text), header

    def test_values_by_name(self):
        plain, scrambled, header = self.files()
        want = ringtrip_csv.load(plain)
        cap = ringtrip_csv.load(scrambled)             # crc32 right: it loads
        self.assertTrue(cap.crc)
        self.assertEqual(cap.columns, header.split(","))
        self.assertNotEqual(cap.columns[0], "path")
        self.assertEqual(len(cap.rows), 4)
        for got, exp in zip(cap.rows, want.rows):
            self.assertEqual({k: v for k, v in got.items() if k != "future_col"}, exp)
        # spelled out, so the comparison above cannot pass by both being wrong
        r = cap.rows[0]
        self.assertEqual((r["path"], r["service"], r["args"], r["status"]),
                         ("syscall", "null", 0, "ok"))
        self.assertEqual((r["samples"], r["min"], r["median"], r["mean"], r["p99"],
                          r["max"], r["overhead"], r["p1"], r["ensembles"]),
                         (100000, 97, 100, 101, 110, 150, 12, 98, 5))
        self.assertEqual(r["median_ns"], 41.7)
        self.assertEqual(r["median_cycles"], 170)
        self.assertIsNone(r["median_instructions"])
        self.assertIsNone(cap.rows[1]["median_cycles"])
        self.assertEqual(cap.rows[2]["median_cycles"], 0)
        self.assertIsNone(cap.rows[2]["median_ns"])
        self.assertEqual(cap.rows[3]["status"], "unsupported:vendor")
        # the unknown column is kept, as its text
        self.assertEqual([r["future_col"] for r in cap.rows], ["x1", "", "0.5", "-"])
        self.assertEqual(set(cap.row_map()), set(want.row_map()))

    def test_missing_optional_column_in_another_order(self):
        order = [c for c in self.order if c not in ("median_cycles", "mean")]
        header, rows = reorder(fx.COLUMNS, self.rows, order)
        cap = ringtrip_csv.load(fx.write(self.dir, "fewer.csv",
                                         fx.capture(rows, columns=header, hist=False)))
        self.assertEqual(cap.rows[0]["median"], 100)
        self.assertEqual(cap.rows[0]["median_ns"], 41.7)
        self.assertIsNone(cap.rows[0]["median_cycles"])
        self.assertIsNone(cap.rows[0]["mean"])

    def test_missing_required_column_still_refused(self):
        order = [c for c in self.order if c != "median"]
        header, rows = reorder(fx.COLUMNS, self.rows, order)
        p = fx.write(self.dir, "nomedian.csv", fx.capture(rows, columns=header, hist=False))
        with self.assertRaises(ringtrip_csv.CaptureError) as cm:
            ringtrip_csv.load(p)
        self.assertIn("header lacks column median", str(cm.exception))

    def test_compare_sees_no_difference(self):
        plain, scrambled, _ = self.files()
        for column in ("median", "median_ns"):
            r = fx.run(fx.COMPARE, plain, scrambled, "--fail-above", "0",
                       "--column", column)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    @unittest.skipIf(pandas is None, "pandas is not importable (apt-get install python3-pandas)")
    def test_dataframe_by_name(self):
        plain, scrambled, header = self.files()
        want, _ = ringtrip_csv.load_dataframe(plain)
        df, _ = ringtrip_csv.load_dataframe(scrambled)
        self.assertEqual(list(df.columns), header.split(","))
        for col in self.names:
            self.assertEqual(str(df[col].dtype), str(want[col].dtype), col)
            pandas.testing.assert_series_equal(df[col], want[col], check_names=True)
        self.assertEqual(df["future_col"].tolist(), ["x1", "", "0.5", "-"])


if __name__ == "__main__":
    unittest.main()
