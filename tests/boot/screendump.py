#!/usr/bin/env python3
"""screendump.py SOCKET CAPTURE OUT.png [TIMEOUT]

Wait until the serial capture holds the trailer (or a help/panic end), ask
the QEMU monitor on SOCKET for a screendump, write it as a PNG (standard
library only), quit QEMU, and print how much of the screen is lit - the
boot tests assert the results table is drawn, not just that QEMU ran."""
import os, socket, struct, sys, time, zlib

sock, capture, out = sys.argv[1:4]
limit = float(sys.argv[4]) if len(sys.argv) > 4 else 600
start = time.time()
while not os.path.exists(sock) and time.time() - start < limit:
    time.sleep(0.2)          # QEMU is up once its monitor socket exists
while time.time() - start < limit:
    try:
        with open(capture, 'rb') as f:
            if b'# end rows=' in f.read():
                break
    except OSError:
        pass
    time.sleep(0.5)
time.sleep(1.0)   # the screen table follows the trailer
ppm = out + '.ppm'
s = socket.socket(socket.AF_UNIX)
for _ in range(50):
    try:
        s.connect(sock)
        break
    except OSError:
        time.sleep(0.2)
s.settimeout(5)
time.sleep(0.3)
s.sendall(('screendump %s\n' % ppm).encode())
for _ in range(50):
    if os.path.exists(ppm) and os.path.getsize(ppm) > 15:
        break
    time.sleep(0.2)
time.sleep(0.5)
s.sendall(b'quit\n')
data = open(ppm, 'rb').read()
magic, dims, maxval, px = data.split(b'\n', 3)
w, h = map(int, dims.split())
raw = b''.join(b'\x00' + px[y * w * 3:(y + 1) * w * 3] for y in range(h))
def chunk(t, b):
    return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
with open(out, 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
os.unlink(ppm)
lit = sum(1 for i in range(0, len(px), 3) if px[i] + px[i + 1] + px[i + 2] > 150)
print('%dx%d lit=%d' % (w, h, lit))
