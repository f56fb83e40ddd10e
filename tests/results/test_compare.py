"""Tests for results/ringtrip_csv.py and results/compare.

    cd /work/main && python3 -m unittest discover -s tests/results -v
"""

import contextlib
import io
import os
import re
import sys
import unittest

sys.dont_write_bytecode = True          # keep results/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx  # noqa: E402

sys.path.insert(0, fx.RESULTS)
import ringtrip_csv  # noqa: E402


def load_compare():
    return fx.load_script("ringtrip_compare", fx.COMPARE)


class Base(fx.TempDirCase):
    def compare(self, *args):
        return fx.run(fx.COMPARE, *args)

    def assertInvalid(self, text, message):
        p = self.file("bad.csv", text)
        with self.assertRaises(ringtrip_csv.CaptureError) as cm:
            ringtrip_csv.load(p)
        self.assertIn(message, str(cm.exception))
        good = self.file("good.csv", fx.capture(fx.standard_rows()))
        r = self.compare(good, p)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("compare: %s: " % p, r.stderr)
        self.assertIn(message, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    @staticmethod
    def table(stdout, with_p=False):
        """{(path, service): [fields...]} from compare's table, without the
        p-value columns unless with_p (no cell holds a space; header cells
        are at least two spaces apart)."""
        out, head = {}, None
        for line in stdout.splitlines():
            if head is None:
                if line.startswith("path "):
                    head = re.split(r"\s{2,}", line.strip())
                continue
            if line.strip() == "":
                break
            f = line.split()
            assert len(f) == len(head), (head, f)
            out[(f[0], f[1])] = [v for h, v in zip(head, f)
                                 if with_p or not h.endswith(" p")][2:]
        return out


class ParseTest(Base):
    def test_valid_file_parses(self):
        rows = fx.standard_rows(median_ns=41.7, cycles="170")
        text = fx.capture(rows, meta={"note": "a value with spaces = and more"},
                          extra_comments=["# warning: something odd", "#plain comment",
                                          "# cpu_vendor=SecondOccurrenceIgnored",
                                          "# future_key.x=1"])
        # the last row's histogram split over two '# hist' lines
        split = text.replace("# hist syscall,args16,392:10,400:980,416:10",
                             "# hist syscall,args16,392:10\n# hist syscall,args16,400:980,416:10")
        self.assertNotEqual(split, text)
        text = fx.retrailer(split)          # csv=2: the crc32 covers the hist lines
        cap = ringtrip_csv.load(self.file("a.csv", text))
        self.assertEqual(cap.version, 2)
        self.assertEqual(cap.meta["cpu_vendor"], "GenuineIntel")
        self.assertEqual(cap.meta["cpu_brand"], fx.META["cpu_brand"])
        self.assertEqual(cap.meta["note"], "a value with spaces = and more")
        self.assertEqual(cap.meta["future_key.x"], "1")
        self.assertEqual(cap.meta["tsc_hz"], "2400000000")
        self.assertEqual(cap.unit, "TSC ticks")
        self.assertTrue(cap.crc)
        self.assertEqual([(r["path"], r["service"]) for r in cap.rows],
                         [("syscall", s) for s in ("null", "args4", "args8", "args16")])
        r = cap.rows[0]
        self.assertEqual((r["status"], r["samples"], r["median"], r["p1"], r["p99"]),
                         ("ok", 100000, 100, 98, 110))
        self.assertEqual(r["median_ns"], 41.7)
        self.assertEqual(r["median_cycles"], 170)
        self.assertIsNone(r["median_instructions"])
        self.assertEqual(cap.hist[("syscall", "args16")], [(392, 10), (400, 980), (416, 10)])
        self.assertEqual(cap.hist[("syscall", "null")], [(92, 10), (100, 980), (116, 10)])
        self.assertEqual(cap.selftests, [("syscall/null", "pass", "got=0x0 want=0x0")])
        self.assertIn("warning: something odd", cap.notes)

    def test_future_columns_and_bad_hist_tolerated(self):
        rows = [r + ",42" for r in fx.standard_rows()]
        text = fx.capture(rows, columns=fx.COLUMNS + ",future_col",
                          extra_comments=["# hist syscall,null,abc"])
        cap = ringtrip_csv.load(self.file("a.csv", text))
        self.assertEqual(cap.rows[0]["future_col"], "42")
        self.assertEqual(cap.rows[0]["median"], 100)
        self.assertEqual(len(cap.warnings), 1)
        self.assertEqual(cap.hist[("syscall", "null")], [(92, 10), (100, 980), (116, 10)])

    def test_crlf_and_trailing_blank_lines(self):
        text = fx.capture(fx.standard_rows(), newline="\r\n") + "\r\n\n"
        cap = ringtrip_csv.load(self.file("a.csv", text))
        self.assertEqual(len(cap.rows), 4)
        self.assertTrue(cap.crc)

    def test_icount_unit(self):
        cap = ringtrip_csv.load(self.file("a.csv", fx.capture(
            fx.standard_rows(), meta={"clock": "icount", "tsc_hz": None})))
        self.assertEqual(cap.unit, "instructions")

    def test_truncated_rejected(self):
        self.assertInvalid(fx.capture(fx.standard_rows(), trailer=False),
                           "truncated: no '# end rows=' trailer")

    def test_cut_mid_row_rejected(self):
        text = fx.capture(fx.standard_rows(), trailer=False, hist=False)
        self.assertInvalid(text[:-7], "truncated")
        text = fx.capture(fx.standard_rows())
        self.assertInvalid(text[:-5], "malformed trailer")

    def test_row_count_mismatch_rejected(self):
        self.assertInvalid(fx.capture(fx.standard_rows(), rows_claimed=5),
                           "trailer says rows=5 but the file has 4 data rows")

    def test_crc_mismatch_rejected(self):
        text = fx.capture(fx.standard_rows())
        self.assertInvalid(text.replace("syscall,args8,0,ok,100000,247,250",
                                        "syscall,args8,0,ok,100000,247,251"),
                           "crc32 mismatch: trailer ")
        self.assertInvalid(fx.capture(fx.standard_rows(), crc_override="1a2b3c4d"),
                           "crc32 mismatch: trailer 1a2b3c4d, the lines before it give ")
        self.assertInvalid(fx.capture(fx.standard_rows(), crc_override="1a2b3c4d",
                                      version=1),
                           "crc32 mismatch: trailer 1a2b3c4d, rows give ")

    def test_wrong_first_line_rejected(self):
        self.assertInvalid(fx.capture(fx.standard_rows(), first="# ringtrip csv=3"),
                           "a ringtrip csv=3 capture: this reader knows csv=1 and csv=2")
        self.assertInvalid(fx.capture(fx.standard_rows(), first="# ringtrip"),
                           "not a ringtrip capture: first line is '# ringtrip'")
        self.assertInvalid("", "not a ringtrip capture: the file is empty")

    def test_missing_required_column_rejected(self):
        cols = fx.COLUMNS.replace(",p99,", ",p98,")
        self.assertInvalid(fx.capture(fx.standard_rows(), columns=cols),
                           "header lacks column p99")

    def test_wrong_field_count_rejected(self):
        rows = fx.standard_rows()
        rows[1] += ",7"
        self.assertInvalid(fx.capture(rows), "line ")
        n = len(fx.COLUMNS.split(","))
        self.assertInvalid(fx.capture(rows), "%d fields, the header has %d" % (n + 1, n))

    def test_unreadable_file(self):
        good = self.file("good.csv", fx.capture(fx.standard_rows()))
        r = self.compare(good, os.path.join(self.dir, "nonexistent.csv"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("nonexistent.csv", r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        r = self.compare(good, self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("Traceback", r.stderr)

    def test_old_12_column_file_without_crc_accepted(self):
        rows = [fx.row("syscall", "null", 100, old=True),
                fx.row("syscall", "args4", 160, old=True)]
        old = self.file("old.csv", fx.capture(rows, columns=fx.OLD_COLUMNS, crc=False,
                                              hist=False, version=1))
        cap = ringtrip_csv.load(old)
        self.assertEqual(cap.version, 1)
        self.assertFalse(cap.crc)
        self.assertIsNone(cap.rows[0]["p1"])
        self.assertIsNone(cap.rows[0]["median_ns"])
        new = self.file("new.csv", fx.capture(fx.standard_rows()))
        r = self.compare(old, new)
        self.assertEqual(r.returncode, 0, r.stderr)
        t = self.table(r.stdout)
        self.assertEqual(t[("syscall", "null")], ["100", "100", "1.00x", "same"])
        self.assertEqual(t[("syscall", "args8")], ["-", "250", "-", "new"])
        r = self.compare(old, new, "--column", "median_ns")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")], ["n/a", "n/a", "-", "-"])


class CompareTest(Base):
    def test_identical_files_all_same(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows()))
        b = self.file("b.csv", fx.capture(fx.standard_rows()))
        r = self.compare(a, b, "--fail-above", "0")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        t = self.table(r.stdout)
        self.assertEqual(len(t), 4)
        for fields in t.values():
            self.assertEqual(fields[2:], ["1.00x", "same"])
        self.assertIn("cpu_brand=11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz", r.stdout)
        self.assertIn("hypervisor=none", r.stdout)
        self.assertIn("clock=tsc", r.stdout)
        self.assertIn("tsc_hz=2400000000", r.stdout)
        self.assertEqual(r.stderr, "")

    def test_mismatched_rows_and_status(self):
        rows_a = fx.standard_rows() + [fx.row("shadow_pcid", "null", 300)]
        rows_b = fx.standard_rows()[:3] + [fx.row("shadow_pcid", "null",
                                                  status="unsupported:no-pcid"),
                                           fx.row("sysenter", "null", 120)]
        a = self.file("a.csv", fx.capture(rows_a))
        b = self.file("b.csv", fx.capture(rows_b))
        # missing and not-ok rows count toward --fail-above's verdict ...
        r = self.compare(a, b, "--fail-above", "5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        t = self.table(r.stdout)
        keys = list(t)
        self.assertEqual(keys, [("syscall", "null"), ("syscall", "args4"),
                                ("syscall", "args8"), ("syscall", "args16"),
                                ("shadow_pcid", "null"), ("sysenter", "null")])
        self.assertEqual(t[("syscall", "args16")], ["400", "-", "-", "missing"])
        self.assertEqual(t[("shadow_pcid", "null")],
                         ["300", "unsupported:no-pcid", "-", "not-ok"])
        self.assertEqual(t[("sysenter", "null")], ["-", "120", "-", "new"])
        fail = r.stdout.split("FAIL: ")[1]
        self.assertIn("2 rows of [1] missing or not ok", fail)
        self.assertIn("[2] syscall,args16  missing", fail)
        self.assertIn("[2] shadow_pcid,null  unsupported:no-pcid", fail)
        self.assertNotIn("sysenter", fail)           # a new row is no failure
        # ... unless --ignore-missing says otherwise
        r = self.compare(a, b, "--fail-above", "5", "--ignore-missing")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("ok: no row more than 5% above [1] outside the noise band", r.stdout)
        self.assertEqual(self.table(r.stdout)[("syscall", "args16")], ["400", "-", "-", "missing"])
        # without --fail-above nothing fails; the summary counts the verdicts
        r = self.compare(a, b)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("[2] vs [1]: same 3, noise 0, slower 0, faster 0, missing 1, "
                      "not-ok 1, new 1", r.stdout)

    def test_three_files(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows(ensembles=1)))
        b = self.file("b.csv", fx.capture(fx.standard_rows(ensembles=1)))
        c = self.file("c.csv", fx.capture(fx.standard_rows(scale=0.5, ensembles=1)))
        r = self.compare(a, b, c)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["100", "100", "1.00x", "same", "50", "0.50x", "faster"])

    def test_noise_band_from_ensembles(self):
        # 6% slower, but the runs' own ensemble medians spread by 8 -> noise
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 100, spread=8)]))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 106, spread=3)]))
        r = self.compare(a, b, "--fail-above", "5")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["100", "106", "1.06x", "noise"])
        # a spread of 5 is narrower than the 6-tick difference -> slower
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 100, spread=5)]))
        r = self.compare(a, b, "--fail-above", "5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["100", "106", "1.06x", "slower"])

    def test_noise_band_without_ensembles_uses_noise_pct(self):
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 100, ensembles=1,
                                                  spread=50)]))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 103, ensembles=1)]))
        t = self.table(self.compare(a, b).stdout)
        self.assertEqual(t[("syscall", "null")][3], "slower")     # 3% > 2% default
        t = self.table(self.compare(a, b, "--noise-pct", "3").stdout)
        self.assertEqual(t[("syscall", "null")][3], "noise")
        c = self.file("c.csv", fx.capture([fx.row("syscall", "null", 98, ensembles=1)]))
        t = self.table(self.compare(a, c).stdout)
        self.assertEqual(t[("syscall", "null")][2:], ["0.98x", "noise"])

    def test_fail_above(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows(ensembles=1)))
        slow = self.file("slow.csv", fx.capture(fx.standard_rows(ensembles=1)[:3] + [
            fx.row("syscall", "args16", 440, ensembles=1)]))
        r = self.compare(a, slow, "--fail-above", "5")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("FAIL", r.stdout)
        self.assertIn("syscall,args16", r.stdout)
        self.assertIn("+10.0%", r.stdout)
        self.assertNotIn("syscall,null", r.stdout.split("FAIL")[1])
        # without --fail-above the same files are just reported
        self.assertEqual(self.compare(a, slow).returncode, 0)
        # a 1% change is within the 2% noise band: no failure even at 0.5%
        tiny = self.file("tiny.csv", fx.capture(fx.standard_rows(ensembles=1)[:3] + [
            fx.row("syscall", "args16", 404, ensembles=1)]))
        r = self.compare(a, tiny, "--fail-above", "0.5")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "args16")][3], "noise")
        # faster never fails
        fast = self.file("fast.csv", fx.capture(fx.standard_rows(scale=0.5, ensembles=1)))
        self.assertEqual(self.compare(a, fast, "--fail-above", "5").returncode, 0)

    def test_column_choice(self):
        a = self.file("a.csv", fx.capture([fx.row("syscall", "null", 100, ensembles=1,
                                                  p99=120, median_ns=41.7)]))
        b = self.file("b.csv", fx.capture([fx.row("syscall", "null", 100, ensembles=1,
                                                  p99=150, median_ns=41.7)]))
        r = self.compare(a, b, "--column", "p99", "--fail-above", "10")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["120", "150", "1.25x", "slower"])
        r = self.compare(a, b, "--column", "median_ns")
        self.assertEqual(self.table(r.stdout)[("syscall", "null")],
                         ["41.7", "41.7", "1.00x", "same"])
        self.assertEqual(self.compare(a, b, "--column", "bogus").returncode, 2)

    def test_clock_mismatch_warning(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows(),
                                          meta={"clock": "icount", "hypervisor": "tcg"}))
        b = self.file("b.csv", fx.capture(fx.standard_rows()))
        r = self.compare(a, b)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("warning", r.stderr)
        self.assertIn("not comparable", r.stderr)
        self.assertIn("icount", r.stderr)
        self.assertEqual(len(self.table(r.stdout)), 4)       # still compared
        r = self.compare(b, b)
        self.assertNotIn("not comparable", r.stderr)

    def test_usage_errors(self):
        a = self.file("a.csv", fx.capture(fx.standard_rows()))
        for args in ([a], [a, a, "--noise-pct", "-1"], [a, a, "--fail-above", "x"]):
            r = self.compare(*args)
            self.assertEqual(r.returncode, 2, args)
            self.assertNotIn("Traceback", r.stderr)

    def test_importable(self):
        mod = load_compare()
        a = ringtrip_csv.load(self.file("a.csv", fx.capture(fx.standard_rows(ensembles=1))))
        b = ringtrip_csv.load(self.file("b.csv", fx.capture(
            fx.standard_rows(scale=1.1, ensembles=1))))
        table = mod.compare([a, b], "median", 2.0)
        self.assertEqual([c["verdict"] for t in table for c in t["cells"][1:]],
                         ["slower"] * 4)
        self.assertEqual(len(mod.regressions([a, b], table, 5)), 4)
        self.assertEqual(mod.regressions([a, b], table, 15), [])
        with contextlib.redirect_stdout(io.StringIO()) as out:
            self.assertEqual(mod.main([a.path, a.path]), 0)
        self.assertIn("same", out.getvalue())


if __name__ == "__main__":
    unittest.main()
