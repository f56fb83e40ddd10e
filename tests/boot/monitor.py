#!/usr/bin/env python3
"""monitor.py - drive a running QEMU's monitor for the boot tests.

  monitor.py screendump SOCKET CAPTURE OUT.png [TIMEOUT]
      once the capture holds the trailer, take a screendump, write it as a
      PNG (standard library only), quit QEMU, print "WxH lit=N" (how many
      pixels are lit: the results table is drawn, not just a blank screen)
  monitor.py nmi SOCKET CAPTURE [TIMEOUT]
      once the kernel runs its self-tests, inject an NMI (`nmi`)
  monitor.py halted SOCKET CAPTURE TIMEOUT PID
      once the capture holds the trailer, ask `info registers` until the CPU
      is halted in Ring 0 with IF clear, then quit QEMU; print "halted",
      "qemu-ended" (QEMU, PID, stopped by itself: the exit port) or "timeout"
"""
import os, re, socket, struct, sys, time, zlib


def wait_for(capture, needle, limit, start):
    while time.time() - start < limit:
        try:
            with open(capture, 'rb') as f:
                if needle in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def alive(pid):
    """PID (timeout(1) and its QEMU) still runs and is not yet a zombie"""
    if pid is None:
        return True
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (OSError, IndexError):
        return False


def connect(path, limit, start, pid=None):
    while not os.path.exists(path) and alive(pid) and time.time() - start < limit:
        time.sleep(0.2)      # QEMU is up once its monitor socket exists
    s = socket.socket(socket.AF_UNIX)
    for _ in range(50):
        try:
            s.connect(path)
            break
        except OSError:
            time.sleep(0.2)
    s.settimeout(5)
    time.sleep(0.3)
    return s


def write_png(ppm, out):
    data = open(ppm, 'rb').read()
    _, dims, _, px = data.split(b'\n', 3)
    w, h = map(int, dims.split())
    raw = b''.join(b'\x00' + px[y * w * 3:(y + 1) * w * 3] for y in range(h))

    def chunk(t, b):
        return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
    with open(out, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
    lit = sum(1 for i in range(0, len(px), 3) if px[i] + px[i + 1] + px[i + 2] > 150)
    return w, h, lit


def screendump(sock, capture, out, limit=600):
    start = time.time()
    s = connect(sock, limit, start)
    wait_for(capture, b'# end rows=', limit, start)
    time.sleep(1.0)          # the screen table follows the trailer
    ppm = out + '.ppm'
    s.sendall(('screendump %s\n' % ppm).encode())
    for _ in range(50):
        if os.path.exists(ppm) and os.path.getsize(ppm) > 15:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    s.sendall(b'quit\n')
    w, h, lit = write_png(ppm, out)
    os.unlink(ppm)
    print('%dx%d lit=%d' % (w, h, lit))


def nmi(sock, capture, limit=300):
    start = time.time()
    s = connect(sock, limit, start)
    wait_for(capture, b'# selftest ', limit, start)
    s.sendall(b'nmi\n')
    time.sleep(1.0)


def command(s, c):
    """send one monitor command, return what it printed up to the prompt"""
    s.sendall(c.encode() + b'\n')
    buf = b''
    while not buf.rstrip().endswith(b'(qemu)'):
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    return buf.decode(errors='replace')


def halted(sock, capture, limit, pid):
    start = time.time()
    verdict = 'timeout'
    try:
        s = connect(sock, limit, start, pid)
        command(s, '')
        while alive(pid) and time.time() - start < limit:
            if wait_for(capture, b'# end rows=', 0.1, time.time()):
                r = command(s, 'info registers')
                m = re.search(r'RFL=([0-9a-f]+) .* CPL=(\d) .* HLT=(\d)', r)
                if m and m.group(3) == '1' and m.group(2) == '0' and not int(m.group(1), 16) & 0x200:
                    verdict = 'halted'
                    break
            time.sleep(0.5)
        if not alive(pid):
            verdict = 'qemu-ended'
        else:
            command(s, 'quit')
    except OSError:
        verdict = 'qemu-ended'
    print(verdict)


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'screendump':
        screendump(*args[:3], *(float(a) for a in args[3:4]))
    elif cmd == 'nmi':
        nmi(*args[:2], *(float(a) for a in args[2:3]))
    elif cmd == 'halted':
        halted(args[0], args[1], float(args[2]), int(args[3]))
    else:
        sys.exit('monitor.py: unknown command ' + cmd)
