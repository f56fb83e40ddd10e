#!/usr/bin/env python3
"""qr_pages.py - read ringtrip's QR results screen through QEMU's monitor,
as a person with a phone would: look at a page, scan its codes, press a
key for the next page, until every code was seen.

  qr_pages.py pages SOCKET OUTDIR LIMIT [CAPTURE] [--back]
      (once CAPTURE, if given, holds the trailer) take screendumps until
      zbarimg reads ringtrip codes from one; then, page by page: record
      the codes (OUTDIR/page-NN.png, the screendump as a PNG), press Space
      (QEMU's sendkey) and take screendumps until the codes change. Stops
      when every code i/n was read, then quits QEMU. --back: on the second
      page press Backspace and expect the first page again. Writes every
      text zbarimg read, in the order read (duplicates and all, like a
      scanner app's export), to OUTDIR/scans.txt and prints
          pages=K codes=N seen=M back=ok|failed|skipped per_page=a,b,...
      or "timeout ..." / "error ...".
  qr_pages.py vgatext SOCKET CAPTURE OUT LIMIT
      once CAPTURE holds the trailer, save the VGA text screen (0xB8000,
      80x25) through `pmemsave` as text lines in OUT, then quit QEMU

Nothing here is about time: each wait is bounded by LIMIT only so that a
broken kernel ends the test instead of hanging it.
"""
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import monitor  # noqa: E402

CODE = re.compile(r"ringtrip ([0-9a-f]{8}) (\d+)/(\d+) ")


class Screen:
    def __init__(self, sock, outdir, limit):
        self.start = time.time()
        self.limit = limit
        self.outdir = outdir
        self.s = monitor.connect(sock, limit, self.start)
        monitor.command(self.s, "")
        self.texts = []
        self.shots = 0
        self.per_page = 0

    def left(self):
        return self.limit - (time.time() - self.start)

    def shot(self):
        """zbarimg's texts of a fresh screendump (also kept as .ppm)"""
        ppm = os.path.join(self.outdir, "shot.ppm")
        if os.path.exists(ppm):
            os.unlink(ppm)
        monitor.command(self.s, "screendump %s" % ppm)
        for _ in range(50):
            if os.path.exists(ppm) and os.path.getsize(ppm) > 15:
                break
            time.sleep(0.1)
        self.shots += 1
        r = subprocess.run(["zbarimg", "--nodbus", "-q", "--raw", ppm],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        texts = [t for t in r.stdout.decode("utf-8", "replace").splitlines() if t]
        self.texts.extend(texts)
        return texts

    def numbers(self, texts):
        out = set()
        for t in texts:
            m = CODE.match(t)
            if m:
                out.add((m.group(1), int(m.group(2)), int(m.group(3))))
        return out

    def key(self, name):
        monitor.command(self.s, "sendkey %s" % name)

    def wait_change(self, old, pause=1.0):
        """screendumps until a whole page of codes other than old is on
        screen: the same codes in two screendumps in a row (a page being
        drawn shows some of its codes only), and as many as the first page
        had unless the last code is among them (the last page may hold
        fewer); after 20 such tries a smaller set is taken as it is"""
        last, tries = None, 0
        while self.left() > 0:
            now = self.numbers(self.shot())
            if now and now != old:
                if now == last:
                    whole = len(now) >= self.per_page or any(i == n for _, i, n in now)
                    if whole or tries > 20:
                        self.per_page = max(self.per_page, len(now))
                        return now
                last = now
                tries += 1
            time.sleep(pause)
        return None

    def quit(self):
        try:
            monitor.command(self.s, "quit")  # returns when QEMU closed the monitor
        except OSError:
            pass


def pages(sock, outdir, limit, capture=None, back=False):
    os.makedirs(outdir, exist_ok=True)
    start = time.time()
    if capture and not monitor.wait_for(capture, b"# end rows=", limit, start):
        print("timeout: no trailer in %s" % capture)
        return 1
    scr = Screen(sock, outdir, limit - (time.time() - start))
    cur = scr.wait_change(set(), 3.0)      # the run is still going
    if not cur:
        print("timeout: no ringtrip QR code on the screen after %d screendumps" % scr.shots)
        scr.quit()
        return 1
    seen, page_sets = set(), []
    verdict_back = "skipped"
    n = next(iter(cur))[2]
    while True:
        page_sets.append(cur)
        seen |= {i for _, i, _ in cur}
        ppm = os.path.join(outdir, "shot.ppm")
        monitor.write_png(ppm, os.path.join(outdir, "page-%02d.png" % len(page_sets)))
        if back and len(page_sets) == 2 and verdict_back == "skipped":
            scr.key("backspace")
            again = scr.wait_change(cur)
            verdict_back = "ok" if again == page_sets[0] else "failed"
            scr.key("spc")
            if scr.wait_change(again) != cur:
                verdict_back = "failed"
        if len(seen) == n:
            break
        scr.key("spc")
        cur = scr.wait_change(cur)
        if not cur:
            print("timeout: the page did not change after a key press (page %d)" % len(page_sets))
            break
        if cur in page_sets:
            print("error: the pages came round again with codes missing")
            break
    scr.quit()
    with open(os.path.join(outdir, "scans.txt"), "w") as f:
        f.write("".join(t + "\n" for t in scr.texts))
    runs = {r for r, _, _ in set().union(*page_sets)}
    print("pages=%d codes=%d seen=%d back=%s runs=%d per_page=%s"
          % (len(page_sets), n, len(seen), verdict_back, len(runs),
             ",".join(str(len(p)) for p in page_sets)))
    return 0


def vgatext(sock, capture, out, limit):
    start = time.time()
    if not monitor.wait_for(capture, b"# end rows=", limit, start):
        print("timeout: no trailer in %s" % capture)
        return 1
    s = monitor.connect(sock, limit, start)
    monitor.command(s, "")
    time.sleep(2.0)                  # the screen's last lines follow the trailer
    raw = out + ".bin"
    monitor.command(s, "pmemsave 0xb8000 4000 %s" % raw)
    for _ in range(50):
        if os.path.exists(raw) and os.path.getsize(raw) == 4000:
            break
        time.sleep(0.1)
    monitor.command(s, "quit")          # returns when QEMU closed the monitor
    with open(raw, "rb") as f:
        data = f.read()
    os.unlink(raw)
    chars = bytes(data[k] for k in range(0, len(data), 2))
    with open(out, "w") as f:
        for r in range(25):
            f.write(chars[r * 80:(r + 1) * 80].decode("latin-1").rstrip() + "\n")
    print("saved")
    return 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "pages":
        flags = [a for a in args if a.startswith("--")]
        rest = [a for a in args if not a.startswith("--")]
        sys.exit(pages(rest[0], rest[1], float(rest[2]), rest[3] if len(rest) > 3 else None,
                       "--back" in flags))
    elif cmd == "vgatext":
        sys.exit(vgatext(args[0], args[1], args[2], float(args[3])))
    sys.exit("qr_pages.py: unknown command " + cmd)
