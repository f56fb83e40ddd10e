"""Tests for ringtrip_csv.load_dataframe() (pandas; issue 9).

    cd /work/main && /usr/bin/python3 -m unittest discover -s tests/results -v

The pandas tests are skipped when pandas is not importable (Debian:
apt-get install python3-pandas); NoPandasTest runs everywhere.
"""

import os
import shutil
import subprocess
import sys
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

QEMU = os.path.join(fx.RESULTS, "qemu-tcg-icount.csv")
HOST = os.path.join(fx.RESULTS, "host-linux.csv")
NO_PANDAS = "pandas is not importable (apt-get install python3-pandas)"


def file_meta(path):
    """{key: value} of the file's `# key=value` lines, first wins (read here
    independently of ringtrip_csv)."""
    out = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# ") and "=" in line:
                key, _, value = line[2:].partition("=")
                if " " not in key and not line.startswith(("# end ", "# hist ",
                                                           "# selftest ")):
                    out.setdefault(key, value)
    return out


@unittest.skipIf(pandas is None, NO_PANDAS)
class DataFrameTest(fx.TempDirCase):
    # --- the reference captures -------------------------------------------

    def test_null_service_found(self):
        df, _ = ringtrip_csv.load_dataframe(QEMU)
        null = df[df.service == "null"]
        want = [r["path"] for r in ringtrip_csv.load(QEMU).rows if r["service"] == "null"]
        self.assertGreater(len(want), 5)
        self.assertEqual(list(null.path), want)
        self.assertFalse(df.service.isna().any())
        self.assertIn("syscall", list(null.path))
        self.assertEqual(null[null.path == "syscall"].iloc[0]["median"], 73)

    def test_dtypes(self):
        df, _ = ringtrip_csv.load_dataframe(QEMU)
        for col in ("path", "service", "status"):
            self.assertEqual(df[col].dtype, object, col)
            self.assertTrue(all(isinstance(v, str) for v in df[col]), col)
        for col in ("args", "samples", "median", "p99", "max", "ensembles"):
            self.assertEqual(str(df[col].dtype), "int64", col)
        # empty in every row of this capture
        self.assertEqual(str(df["median_ns"].dtype), "float64")
        self.assertTrue(df["median_ns"].isna().all())
        for col in ("median_cycles", "median_instructions"):
            self.assertEqual(str(df[col].dtype), "Int64", col)
            self.assertTrue(df[col].isna().all(), col)
        # the capture's own header, in its order (a newer capture has
        # more columns than the fixtures)
        self.assertEqual(list(df.columns), ringtrip_csv.load(QEMU).columns)

    def test_matches_load(self):
        for path in (QEMU, HOST):
            cap = ringtrip_csv.load(path)
            df, meta = ringtrip_csv.load_dataframe(path)
            self.assertEqual(len(df), len(cap.rows), path)
            self.assertEqual(list(df.index), list(range(len(cap.rows))))
            for i, r in enumerate(cap.rows):
                for col in cap.columns:
                    got = df[col].iloc[i]
                    if r[col] is None:
                        self.assertTrue(pandas.isna(got), (path, i, col))
                    else:
                        self.assertEqual(got, r[col], (path, i, col))
            self.assertEqual(meta, cap.meta)

    def test_host_median_ns_float(self):
        df, meta = ringtrip_csv.load_dataframe(HOST)
        self.assertEqual(str(df["median_ns"].dtype), "float64")
        self.assertFalse(df["median_ns"].isna().any())
        row = df[(df.path == "linux_syscall") & (df.service == "getppid")].iloc[0]
        self.assertAlmostEqual(row["median_ns"], 100.1)
        self.assertEqual(row["median"], 260)

    def test_metadata_equals_file(self):
        df, meta = ringtrip_csv.load_dataframe(QEMU)
        want = file_meta(QEMU)
        self.assertEqual(meta, want)
        self.assertEqual(meta["clock"], "icount")
        self.assertEqual(meta["cpu_brand"], "QEMU TCG CPU version 2.5+")
        self.assertEqual(meta["tsc_hz"], "1000000076")
        self.assertEqual(meta["overhead_tsc.syscall"], "15")
        self.assertNotIn("end rows", " ".join(meta))

    def test_no_comment_lines_in_df(self):
        df, meta = ringtrip_csv.load_dataframe(QEMU)
        for col in ("path", "service", "status"):
            self.assertFalse(df[col].str.startswith("#").any(), col)
        self.assertFalse(df.path.isin(["hist", "# hist"]).any())
        with open(QEMU) as f:
            data = [l for l in f if not l.startswith("#")]
        self.assertEqual(len(df), len(data) - 1)           # minus the header
        self.assertFalse(any(k.startswith("hist") for k in meta))

    def test_meta_is_a_copy(self):
        cap = ringtrip_csv.load(QEMU)
        _, meta = ringtrip_csv.dataframe(cap)
        meta["clock"] = "changed"
        self.assertEqual(cap.meta["clock"], "icount")

    # --- fixtures ----------------------------------------------------------

    def test_partly_empty_columns(self):
        rows = [fx.row("syscall", "null", 100, median_ns=41.7, cycles="170"),
                fx.row("syscall", "args4", 160, median_ns=66.7, cycles="260"),
                fx.row("sysenter", "null", status="unsupported:vendor")]
        p = self.file("part.csv", fx.capture(rows, meta={"note": "a = b"}))
        df, meta = ringtrip_csv.load_dataframe(p)
        self.assertEqual(str(df["median_cycles"].dtype), "Int64")
        self.assertEqual(list(df["median_cycles"][:2]), [170, 260])
        self.assertIs(df["median_cycles"][2], pandas.NA)
        self.assertEqual(str(df["median_ns"].dtype), "float64")
        self.assertAlmostEqual(df["median_ns"][0], 41.7)
        self.assertTrue(pandas.isna(df["median_ns"][2]))
        self.assertEqual(str(df["median"].dtype), "int64")
        self.assertEqual(len(df[df.service == "null"]), 2)
        self.assertEqual(df.status.tolist(), ["ok", "ok", "unsupported:vendor"])
        self.assertEqual(meta["note"], "a = b")
        self.assertEqual(meta["cpu_brand"], fx.META["cpu_brand"])

    def test_old_capture_gets_missing_columns(self):
        rows = [fx.row("syscall", s, m, old=True) for s, m in (("null", 100), ("args4", 160))]
        p = self.file("old.csv", fx.capture(rows, columns=fx.OLD_COLUMNS, version=1))
        df, _ = ringtrip_csv.load_dataframe(p)
        self.assertEqual(list(df.columns)[:12], fx.OLD_COLUMNS.split(","))
        self.assertEqual(str(df["p1"].dtype), "Int64")
        self.assertTrue(df["p1"].isna().all())
        self.assertEqual(str(df["median_ns"].dtype), "float64")
        self.assertEqual(df["median"].tolist(), [100, 160])

    def test_zero_rows(self):
        p = self.file("empty.csv", fx.capture([]))
        df, meta = ringtrip_csv.load_dataframe(p)
        self.assertEqual(len(df), 0)
        self.assertEqual(list(df.columns), fx.COLUMNS.split(","))
        self.assertEqual(meta["clock"], "tsc")

    # --- invalid captures: CaptureError, as load() --------------------------

    def assertInvalid(self, path, message):
        with self.assertRaises(ringtrip_csv.CaptureError) as cm:
            ringtrip_csv.load_dataframe(path)
        self.assertIn(message, str(cm.exception))

    def test_bad_crc(self):
        p = self.file("crc.csv", fx.capture(fx.standard_rows(), crc_override="00000000"))
        self.assertInvalid(p, "crc32 mismatch")

    def test_missing_trailer(self):
        p = self.file("cut.csv", fx.capture(fx.standard_rows(), trailer=False))
        self.assertInvalid(p, "truncated")

    def test_wrong_row_count(self):
        p = self.file("rows.csv", fx.capture(fx.standard_rows(), rows_claimed=3))
        self.assertInvalid(p, "trailer says rows=3")

    def test_missing_file(self):
        self.assertInvalid(os.path.join(self.dir, "nope.csv"), "No such file")

    def test_real_capture_corrupted(self):
        p = os.path.join(self.dir, "qemu.csv")
        shutil.copy(QEMU, p)
        with open(p) as f:
            text = f.read()
        good = "syscall,null,0,ok,200,73,73,"
        self.assertIn(good, text)
        with open(p, "w", newline="") as f:
            f.write(text.replace(good, "syscall,null,0,ok,200,73,72,", 1))
        self.assertInvalid(p, "crc32 mismatch")

    def test_real_capture_cut_off(self):
        with open(QEMU) as f:
            lines = f.readlines()
        p = self.file("qemu-cut.csv", "".join(lines[:len(lines) // 2]))
        self.assertInvalid(p, "truncated")

    # --- the plain pandas line the README shows ------------------------------

    def test_plain_read_csv_loses_null(self):
        """The old README line: 'null' becomes NaN (why this loader exists)."""
        df = pandas.read_csv(QEMU, comment="#")
        self.assertEqual(len(df[df.service == "null"]), 0)
        self.assertTrue(df.service.isna().any())

    def test_plain_read_csv_keep_default_na(self):
        df = pandas.read_csv(QEMU, comment="#", keep_default_na=False)
        ours, _ = ringtrip_csv.load_dataframe(QEMU)
        self.assertEqual(len(df), len(ours))
        self.assertEqual(list(df[df.service == "null"].path),
                         list(ours[ours.service == "null"].path))
        self.assertGreater(len(df[df.service == "null"]), 5)
        self.assertEqual(df.service.tolist(), ours.service.tolist())
        self.assertEqual(df["median"].tolist(), ours["median"].tolist())
        # Caveat: with no NA strings at all an empty field stays '', so an
        # all-empty numeric column is text; na_values=[''] makes it NaN.
        self.assertEqual(df["median_ns"].dtype, object)
        df2 = pandas.read_csv(QEMU, comment="#", keep_default_na=False, na_values=[""])
        self.assertEqual(len(df2[df2.service == "null"]), len(df[df.service == "null"]))
        self.assertEqual(str(df2["median_ns"].dtype), "float64")
        self.assertTrue(df2["median_ns"].isna().all())


class NoPandasTest(unittest.TestCase):
    """Run in every interpreter: pandas is optional for the module."""

    def test_import_does_not_load_pandas(self):
        code = ("import sys; sys.dont_write_bytecode = True; sys.path.insert(0, %r)\n"
                "import ringtrip_csv\n"
                "ringtrip_csv.load(%r)\n"
                "print('pandas' in sys.modules)\n" % (fx.RESULTS, QEMU))
        r = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "False")

    def test_missing_pandas_message(self):
        saved = sys.modules.get("pandas", None)
        had = "pandas" in sys.modules
        sys.modules["pandas"] = None          # 'import pandas' raises ImportError
        try:
            with self.assertRaises(ImportError) as cm:
                ringtrip_csv.load_dataframe(QEMU)
        finally:
            if had:
                sys.modules["pandas"] = saved
            else:
                del sys.modules["pandas"]
        self.assertIn("apt-get install python3-pandas", str(cm.exception))
        self.assertNotIsInstance(cm.exception, ringtrip_csv.CaptureError)


if __name__ == "__main__":
    unittest.main()
