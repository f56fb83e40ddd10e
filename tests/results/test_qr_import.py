"""results/qr-import (issue 15): the texts scanned from ringtrip's QR results
screen back into the CSV. The codes are made here the way lib/qrchunk.c and
kernel/qr_payload.c make them (written again from their documented format,
so a drift between the two shows); the boot test (tests/boot/qr.sh) feeds the
importer what zbarimg reads off a real screen.

    /usr/bin/python3 -m unittest discover -s tests/results -p 'test_qr*' -v
"""

import binascii
import os
import random
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx  # noqa: E402

sys.path.insert(0, fx.RESULTS)
import ringtrip_csv  # noqa: E402

IMPORT = os.path.join(fx.RESULTS, "qr-import")
qr_import = fx.load_script("qr_import", IMPORT)
REFERENCE = os.path.join(fx.RESULTS, "qemu-tcg-icount.csv")


def crc(data):
    return "%08x" % (binascii.crc32(data) & 0xFFFFFFFF)


def payload_of(capture):
    """kernel/qr_payload.c: the capture (bytes) without `# hist` lines and
    trailer, the two qr_ lines, a trailer over all of it."""
    lines = capture.split(b"\n")[:-1]
    trailer = lines[-1].decode()
    assert trailer.startswith("# end rows="), trailer
    kept = [l for l in lines[:-1] if not l.startswith(b"# hist ")]
    hist = len(lines) - 1 - len(kept)
    rows = trailer.split()[2]
    serial_crc = trailer.split("crc32=")[1]
    kept += [b"# qr_hist_lines_omitted=%d" % hist, b"# qr_serial_crc32=" + serial_crc.encode()]
    body = b"".join(l + b"\n" for l in kept)
    return body + ("# end %s crc32=%s\n" % (rows, crc(body))).encode()


def escape(part):
    out = []
    for k, c in enumerate(part):
        if c == 10:
            out.append("\\n")
        elif c == 92:
            out.append("\\\\")
        elif c < 0x20 or c > 0x7E or (c == 0x20 and k == len(part) - 1):
            out.append("\\x%02x" % c)
        else:
            out.append(chr(c))
    return "".join(out)


def codes(payload, per_code=300):
    """lib/qrchunk.c's texts, cut at a fixed number of bytes (the importer
    does not care where the cuts are)"""
    parts = [payload[k:k + per_code] for k in range(0, len(payload), per_code)]
    run = crc(payload)
    return ["ringtrip %s %d/%d %s %s" % (run, i, len(parts), crc(p), escape(p))
            for i, p in enumerate(parts, 1)]


class QrImportTest(fx.TempDirCase):
    def setUp(self):
        super().setUp()
        with open(REFERENCE, "rb") as f:
            self.capture = f.read()
        self.payload = payload_of(self.capture)
        self.codes = codes(self.payload)
        self.assertGreater(len(self.codes), 20)

    def run_import(self, *texts, args=()):
        """qr-import on files holding each of texts; (rc, stderr, output bytes or None)"""
        files = [self.file("scans%d.txt" % k, t) for k, t in enumerate(texts)]
        out = os.path.join(self.dir, "out.csv")
        if os.path.exists(out):
            os.unlink(out)
        r = fx.run(IMPORT, *files, "-o", out, *args)
        data = None
        if os.path.exists(out):
            with open(out, "rb") as f:
                data = f.read()
        return r.returncode, r.stderr, data

    def lines(self, codes):
        return "".join(c + "\n" for c in codes)

    # ------------------------------------------------------------ accepted

    def test_round_trip_any_order_with_duplicates(self):
        mixed = self.codes + self.codes[3:9]
        random.Random(7).shuffle(mixed)
        rc, err, data = self.run_import(self.lines(mixed))
        self.assertEqual(rc, 0, err)
        self.assertEqual(data, self.payload)
        self.assertIn("%d codes" % len(self.codes), err)
        self.assertIn("rows", err)
        # a complete csv=2 file: rows and metadata as the serial capture's
        cap = ringtrip_csv.parse(data)
        ref = ringtrip_csv.parse(self.capture)
        self.assertEqual(cap.rows, ref.rows)
        self.assertEqual(cap.hist, {})
        self.assertEqual(cap.meta["qr_hist_lines_omitted"], str(self.capture.count(b"\n# hist ")))
        self.assertEqual(cap.meta["qr_serial_crc32"], self.capture.decode().split("crc32=")[-1].strip())
        for k, v in ref.meta.items():
            self.assertEqual(cap.meta[k], v)

    def test_compare_accepts_the_result(self):
        rc, err, data = self.run_import(self.lines(self.codes))
        self.assertEqual(rc, 0, err)
        out = os.path.join(self.dir, "out.csv")
        r = fx.run(fx.COMPARE, REFERENCE, out)
        self.assertEqual(r.returncode, 0, r.stderr)
        # every row that ran on both sides is the same ("-": a toggle this
        # CPU cannot run, unsupported in both)
        verdicts = [l.split()[-1] for l in r.stdout.splitlines() if l.startswith("syscall ")]
        self.assertTrue(verdicts and set(verdicts) <= {"same", "-"} and "same" in verdicts,
                        r.stdout)

    def test_several_files_stdin_crlf_bom_and_other_lines(self):
        half = len(self.codes) // 2
        first = "\ufeffScan history export\r\n" + "".join(c + "\r\n" for c in self.codes[:half])
        second = "\n\nhttps://example.invalid/not-a-code\n" + self.lines(self.codes[half:])
        f1 = self.file("a.txt", first)
        out = os.path.join(self.dir, "out.csv")
        # standard input ('-'): the second half through a pipe
        r = subprocess.run([sys.executable, "-B", IMPORT, f1, "-", "-o", out],
                           input=second.encode(), capture_output=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), self.payload)
        err = r.stderr.decode()
        self.assertIn("not a ringtrip code, skipped: 'Scan history export'", err)
        self.assertIn("not a ringtrip code, skipped: 'https://", err)

    def test_standard_output_when_no_file_named(self):
        f = self.file("s.txt", self.lines(self.codes))
        r = fx.run(IMPORT, f)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.encode(), self.payload)

    def test_quoted_csv_export(self):
        # an app's CSV export: "text","QR_CODE","date", quotes doubled inside
        payload = payload_of(fx.capture(fx.standard_rows(),
                                        meta={"cpu_brand": 'a "quoted" brand'}).encode())
        rows = ['"%s","QR_CODE","2025-01-01 10:00"' % c.replace('"', '""')
                for c in codes(payload, 200)]
        rc, err, data = self.run_import("\n".join(["Text,Format,Date"] + rows) + "\n")
        self.assertEqual(rc, 0, err)
        self.assertEqual(data, payload)

    def test_bytes_outside_ascii_come_back(self):
        payload = payload_of(fx.capture(fx.standard_rows(),
                                        meta={"cpu_brand": "Caf\u00e9 CPU\tx\\y "}).encode())
        self.assertIn(b"\xc3\xa9", payload)
        texts = codes(payload, 97)
        self.assertTrue(all(" " <= ch <= "~" for t in texts for ch in t))
        rc, err, data = self.run_import(self.lines(texts))
        self.assertEqual(rc, 0, err)
        self.assertEqual(data, payload)

    def test_escapes_as_lib_qrchunk_writes_them(self):
        # tests/unit/test_qrchunk.c's exact text, read back
        self.assertEqual(qr_import.unescape("a,b\\n\\\\x\\x01 end\\x20"), b"a,b\n\\x\x01 end ")
        for bad in ("a\\", "\\q", "\\x4", "\\xZZ", "tab\there", "caf\u00e9"):
            self.assertIsNone(qr_import.unescape(bad), bad)

    def test_run_option_picks_one_run(self):
        other = codes(payload_of(fx.capture(fx.standard_rows()).encode()), 100)
        run = self.codes[0].split()[1]
        rc, err, data = self.run_import(self.lines(self.codes + other[:2]), args=("--run", run))
        self.assertEqual(rc, 0, err)
        self.assertEqual(data, self.payload)

    def test_damaged_scan_with_a_good_one_is_ignored(self):
        bad = self.codes[4][:-3] + "~" + self.codes[4][-2:]
        rc, err, data = self.run_import(self.lines([bad] + self.codes))
        self.assertEqual(rc, 0, err)
        self.assertEqual(data, self.payload)

    # ------------------------------------------------------------ refused

    def assert_refused(self, texts, *words, args=()):
        rc, err, data = self.run_import(texts, args=args)
        self.assertEqual(rc, 1, err)
        self.assertIsNone(data, "nothing may be written")
        self.assertIn("refused:", err)
        for w in words:
            self.assertIn(w, err)
        self.assertNotIn("Traceback", err)
        return err

    def test_missing_code(self):
        n = len(self.codes)
        self.assert_refused(self.lines(self.codes[:2] + self.codes[3:]),
                            "1 of %d codes missing: 3 " % n)
        self.assert_refused(self.lines(self.codes[:5] + self.codes[9:-1]),
                            "missing: 6-9, %d " % n, "scan them")

    def test_code_from_another_run(self):
        other = codes(payload_of(fx.capture(fx.standard_rows()).encode()), 100)
        run, other_run = self.codes[0].split()[1], other[0].split()[1]
        err = self.assert_refused(self.lines(self.codes + other[2:3]), "codes of 2 runs",
                                  run, other_run, "--run")
        self.assertIn("(1 of %d codes: 3)" % len(other), err)
        # and a run id that is not in the input
        self.assert_refused(self.lines(self.codes), "no codes of run 0badcafe",
                            args=("--run", "0BADCAFE"))

    def test_corrupted_code(self):
        k = 6
        c = self.codes[k]
        bad = c[:60] + ("A" if c[60] != "A" else "B") + c[61:]
        err = self.assert_refused(self.lines(self.codes[:k] + [bad] + self.codes[k + 1:]),
                                  "code %d of %d is damaged" % (k + 1, len(self.codes)),
                                  "scan it again")
        self.assertIn("scans0.txt:%d" % (k + 1), err)

    def test_altered_code_with_its_crc_fixed(self):
        # a consistent edit of one code's text: its own check passes, the run's does not
        k = 2
        run, num, _, body = self.codes[k].split(" ", 4)[1:]
        raw = qr_import.unescape(body).replace(b"=", b":", 1)
        forged = "ringtrip %s %s %s %s" % (run, num, crc(raw), escape(raw))
        self.assert_refused(self.lines(self.codes[:k] + [forged] + self.codes[k + 1:]),
                            "not the run id", "altered")

    def test_two_different_texts_for_one_code(self):
        k = 2
        run, num, _, body = self.codes[k].split(" ", 4)[1:]
        raw = qr_import.unescape(body) + b"x"
        other = "ringtrip %s %s %s %s" % (run, num, crc(raw), escape(raw))
        self.assert_refused(self.lines(self.codes + [other]), "read twice with different texts")

    def test_counts_disagree(self):
        run, num, rest = self.codes[0].split(" ", 3)[1:]
        i, n = num.split("/")
        odd = "ringtrip %s %s/%d %s" % (run, i, int(n) + 1, rest)
        self.assert_refused(self.lines(self.codes + [odd]), "disagree on how many")

    def test_cut_code_is_reported_and_missing(self):
        cut = self.codes[1][:15]
        err = self.assert_refused(self.lines([self.codes[0], cut] + self.codes[2:]),
                                  "missing: 2 ")
        self.assertIn("cut short or garbled", err)

    def test_not_a_capture_inside(self):
        # whole, intact codes of a text that is not a complete capture
        payload = self.payload.replace(b"# end rows=", b"# end rowz=")
        self.assert_refused(self.lines(codes(payload)), "not a complete ringtrip capture")

    def test_no_codes_at_all(self):
        self.assert_refused("hello\nworld\n", "no ringtrip QR codes in the input")
        self.assert_refused("", "no ringtrip QR codes")

    def test_usage_errors(self):
        r = fx.run(IMPORT, os.path.join(self.dir, "absent.txt"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("absent.txt", r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        f = self.file("s.txt", self.lines(self.codes))
        r = fx.run(IMPORT, f, "--run", "xyz")
        self.assertEqual(r.returncode, 2)
        self.assertIn("8 hex digits", r.stderr)


if __name__ == "__main__":
    unittest.main()
