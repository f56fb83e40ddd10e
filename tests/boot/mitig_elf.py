#!/usr/bin/env python3
"""mitig_elf.py ELF - the entry-mitigation templates as the kernel image
records them (entry/mitig.inc, kernel/mitig.h), checked without running
anything. Prints a "PASS name" or "FAIL name: why" line per check, as
tests/boot/lib.sh's check does (tests/run.sh counts them):

  - every path stub with a template: a record in .mitig.tmpls whose entry
    is a global symbol of .entry.text;
  - in each template every entry site lies before the dispatcher call and
    every exit site after it (the call is the template's recorded branch
    to ssdt_dispatch), and the sites do not overlap;
  - a site without branches executes its instructions once: objdump's
    count of them is the count the site declares (the loops and calls,
    rsb_fill, bhb_clear, untrain_ret, are held to their counts by -icount
    in tests/boot/mitigations.sh instead);
  - every recorded branch's end lies in a template, and its rel32 field
    is the one the instruction's last 4 bytes hold.
"""
import re
import struct
import subprocess
import sys

ENTRY, EXIT, SLOW = 1, 2, 4


def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main(elf):
    syms = {}
    for line in sh("nm", elf).splitlines():
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = int(f[0], 16)
    sections = []
    for m in re.finditer(r"^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)",
                         sh("objdump", "-h", elf), re.M):
        sections.append((m.group(1), int(m.group(3), 16), int(m.group(2), 16),
                         int(m.group(4), 16)))
    data = open(elf, "rb").read()

    def read(addr, n):
        for _, vma, size, off in sections:
            if vma <= addr and addr + n <= vma + size:
                return data[off + addr - vma:off + addr - vma + n]
        raise KeyError(hex(addr))

    def table(name, fmt):
        size = struct.calcsize(fmt)
        lo, hi = syms["__mitig_%s_start" % name], syms["__mitig_%s_end" % name]
        return [struct.unpack(fmt, read(a, size)) for a in range(lo, hi, size)]

    names = {v: k for k, v in syms.items() if not k.startswith("..@")}
    tmpls = table("tmpls", "<QQQ")
    sites = table("sites", "<QQIIII")
    relocs = table("relocs", "<QQ")
    out = []

    def check(name, ok, why=""):
        out.append("PASS %s" % name if ok else "FAIL %s: %s" % (name, why or "condition false"))

    entry_text = next(s for s in sections if s[0] == ".entry.text")
    check("elf: templates recorded (%d)" % len(tmpls), len(tmpls) >= 10)
    for entry, start, end in tmpls:
        stub = names.get(entry, hex(entry))
        check("elf: %s's template belongs to a stub in .entry.text" % stub,
              entry_text[1] <= entry < entry_text[1] + entry_text[2] and stub in syms)
        call = [r for r in relocs if start < r[0] <= end and r[1] == syms["ssdt_dispatch"]]
        check("elf: %s's template calls the dispatcher once" % stub, len(call) == 1,
              "%d calls" % len(call))
        if len(call) != 1:
            continue
        call_end = call[0][0]
        mine = sorted(s for s in sites if start <= s[0] < end)
        bad = [s for s in mine if (s[3] & ENTRY and s[1] > call_end - 5) or
               (s[3] & EXIT and s[0] < call_end)]
        check("elf: %s: entry sites before the dispatcher call, exit sites after (%d sites)"
              % (stub, len(mine)), not bad and len(mine) >= 12,
              "misplaced: %s" % ", ".join(hex(s[0]) for s in bad))
        overlap = [a for a, b in zip(mine, mine[1:]) if a[1] > b[0]]
        check("elf: %s: sites do not overlap" % stub, not overlap)
        for s0, s1, toggle, flags, insns, _ in mine:
            dis = sh("objdump", "-D", "-j", ".rodata", "--no-show-raw-insn",
                     "--start-address=%#x" % s0, "--stop-address=%#x" % s1, elf)
            ops = [l.split("\t")[1].split()[0] for l in dis.splitlines()
                   if re.match(r"^\s*[0-9a-f]+:\t", l) and len(l.split("\t")) > 1]
            if any(o.startswith(("j", "call", "ret", "loop")) for o in ops):
                continue                    # held to its count by -icount
            check("elf: %s: the site at %#x (toggle %d, %s) has the %d instructions it declares"
                  % (stub, s0, toggle, "entry" if flags & ENTRY else "exit", insns),
                  len(ops) == insns, "objdump counts %d: %s" % (len(ops), " ".join(ops)))
        for field_end, target in relocs:
            if not start < field_end <= end:
                continue
            op = read(field_end - 5, 5)
            rel = struct.unpack("<i", read(field_end - 4, 4))[0]
            if field_end + rel != target:
                check("elf: %s: the branch ending at %#x aims at what it records" %
                      (stub, field_end), False, "rel32 %d, op %s" % (rel, op.hex()))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
