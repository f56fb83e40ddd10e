"""The trailer's crc32, csv=2 and csv=1 (issue 10): a csv=2 capture's CRC
covers every line before the trailer, so any edit - header, metadata,
`# hist`, self-test lines, rows - is refused, and so is a csv=2 trailer
without crc32=; csv=1 captures (rows-only CRC, optional) still load.

    cd /work/main && /usr/bin/python3 -m unittest discover -s tests/results -v
"""

import os
import sys
import unittest

sys.dont_write_bytecode = True          # keep results/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx  # noqa: E402

sys.path.insert(0, fx.RESULTS)
import ringtrip_csv  # noqa: E402

REFERENCES = {name: os.path.join(fx.RESULTS, name) for name in
              ("qemu-tcg-icount.csv", "bochs-tigerlake-icount.csv", "host-linux.csv")}


def drop_crc(text):
    """The trailer's ' crc32=xxxxxxxx' removed."""
    head, sep, trailer = text.rstrip("\n").rpartition("\n")
    assert " crc32=" in trailer, trailer
    return head + sep + trailer.split(" crc32=")[0] + "\n"


def replace_once(test, text, old, new):
    test.assertEqual(text.count(old), 1, old)
    return text.replace(old, new)


class CrcTest(fx.TempDirCase):
    def setUp(self):
        super().setUp()
        self.rows = fx.standard_rows(median_ns=41.7)
        self.v2 = fx.capture(self.rows, extra_comments=["# warning: odd but harmless"])
        self.good = fx.write(self.dir, "good.csv", self.v2)

    def refused(self, text, message):
        """load() raises CaptureError with message; compare and plot exit 2
        with one line naming the file and no traceback."""
        p = fx.write(self.dir, "bad.csv", text)
        with self.assertRaises(ringtrip_csv.CaptureError) as cm:
            ringtrip_csv.load(p)
        self.assertIn(message, str(cm.exception))
        r = fx.run(fx.COMPARE, self.good, p)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("compare: %s: " % p, r.stderr)
        self.assertIn(message, r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertNotIn("slower", r.stdout)
        # plot validates before drawing: exit 2 (or 3 with no matplotlib)
        out = os.path.join(self.dir, "plot")
        r = fx.run(fx.PLOT, p, "-o", out, env={"MPLCONFIGDIR": os.path.join(self.dir, "mpl")})
        self.assertIn(r.returncode, (2, 3), r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        self.assertFalse(os.path.exists(out + "-medians.png"))

    # --- accepted ------------------------------------------------------------

    def test_untouched_v2_accepted(self):
        self.assertTrue(self.v2.startswith("# ringtrip csv=2\n"))
        cap = ringtrip_csv.load(self.good)
        self.assertEqual(cap.version, 2)
        self.assertTrue(cap.crc)
        self.assertEqual(len(cap.rows), 4)
        r = fx.run(fx.COMPARE, self.good, self.good, "--fail-above", "0")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_crc_is_over_every_line_before_the_trailer(self):
        lines = self.v2.rstrip("\n").split("\n")
        self.assertEqual(lines[-1], "# end rows=4 crc32=%s"
                         % ringtrip_csv.crc32_lines(lines[:-1]))
        # the same as zlib over the file's bytes up to the trailer
        # (what tests/boot/lib.sh computes with gzip over `head -n -1`)
        import zlib
        body = self.v2[:self.v2.rindex("# end ")].encode()
        self.assertEqual("%08x" % zlib.crc32(body), lines[-1].split("crc32=")[1])

    def test_v2_crlf_accepted(self):
        p = fx.write(self.dir, "crlf.csv", self.v2.replace("\n", "\r\n"))
        self.assertTrue(ringtrip_csv.load(p).crc)

    def test_v1_still_accepted(self):
        v1 = fx.capture(self.rows, version=1)
        self.assertTrue(v1.startswith("# ringtrip csv=1\n"))
        cap = ringtrip_csv.load(fx.write(self.dir, "v1.csv", v1))
        self.assertEqual((cap.version, cap.crc), (1, True))
        # its crc32 is the rows' alone, and it is optional
        self.assertEqual(v1.rstrip("\n").rsplit("crc32=", 1)[1],
                         ringtrip_csv.crc32_rows(self.rows))
        cap = ringtrip_csv.load(fx.write(self.dir, "v1-nocrc.csv", drop_crc(v1)))
        self.assertEqual((cap.version, cap.crc), (1, False))
        r = fx.run(fx.COMPARE, self.good, os.path.join(self.dir, "v1.csv"))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_v1_row_change_still_refused(self):
        v1 = fx.capture(self.rows, version=1)
        self.refused(replace_once(self, v1, "syscall,null,0,ok,100000,97,100,",
                                  "syscall,null,0,ok,100000,97,101,"),
                     "crc32 mismatch: trailer ")

    def test_references_load(self):
        """The committed references: the icount ones are csv=2, host-linux.csv
        a csv=1 capture from a real host; all valid."""
        for name, want in (("qemu-tcg-icount.csv", 2), ("bochs-tigerlake-icount.csv", 2),
                           ("host-linux.csv", 1)):
            cap = ringtrip_csv.load(REFERENCES[name])
            self.assertEqual(cap.version, want, name)
            self.assertTrue(cap.crc, name)
            self.assertGreater(len(cap.rows), 0, name)

    # --- refused: edits anywhere before the trailer ---------------------------

    def test_header_column_swap_refused(self):
        swapped = fx.COLUMNS.replace(",median,", ",P99,").replace(",p99,", ",median,") \
                            .replace(",P99,", ",p99,")
        self.assertNotEqual(swapped, fx.COLUMNS)
        self.refused(replace_once(self, self.v2, fx.COLUMNS, swapped), "crc32 mismatch")

    def test_metadata_change_refused(self):
        self.refused(replace_once(self, self.v2, "# tsc_hz=2400000000\n",
                                  "# tsc_hz=3400000000\n"), "crc32 mismatch")
        self.refused(replace_once(self, self.v2, "# clock=tsc\n", "# clock=icount\n"),
                     "crc32 mismatch")

    def test_hist_change_refused(self):
        self.refused(replace_once(self, self.v2, "# hist syscall,args4,152:10,160:980,",
                                  "# hist syscall,args4,152:980,160:10,"),
                     "crc32 mismatch")

    def test_selftest_and_warning_lines_covered(self):
        self.refused(replace_once(self, self.v2, "syscall/null pass", "syscall/null fail"),
                     "crc32 mismatch")
        self.refused(replace_once(self, self.v2, "# warning: odd but harmless\n", ""),
                     "crc32 mismatch")
        self.refused(replace_once(self, self.v2, "# ringtrip csv=2\n",
                                  "# ringtrip csv=2\n# hypervisor=kvm\n"), "crc32 mismatch")

    def test_row_change_with_crc_removed_refused(self):
        edited = replace_once(self, self.v2, "syscall,args8,0,ok,100000,247,250,",
                              "syscall,args8,0,ok,100000,247,290,")
        self.refused(drop_crc(edited), "the trailer has no crc32=")

    def test_v2_without_crc_refused(self):
        self.refused(drop_crc(self.v2),
                     "the trailer has no crc32=, which a csv=2 capture must carry")

    def test_v2_with_a_rows_only_crc_refused(self):
        """A csv=2 file whose trailer carries the csv=1 (rows-only) CRC."""
        lines = self.v2.rstrip("\n").split("\n")
        lines[-1] = "# end rows=4 crc32=%s" % ringtrip_csv.crc32_rows(self.rows)
        self.refused("\n".join(lines) + "\n", "crc32 mismatch")

    def test_relabelled_as_v1_loses_nothing_silently(self):
        """Only the first line changed to csv=1: the whole-file CRC is then
        read as a rows-only one, which it is not."""
        self.refused(replace_once(self, self.v2, "# ringtrip csv=2\n", "# ringtrip csv=1\n"),
                     "crc32 mismatch: trailer ")


if __name__ == "__main__":
    unittest.main()
