#!/usr/bin/env python3
"""nmi.py SOCKET CAPTURE [TIMEOUT] - once the kernel is running its self-tests,
inject an NMI through the QEMU monitor (`nmi`). The kernel must report it from
its IST stack and end the run; the boot test reads the capture."""
import os, socket, sys, time

sock, capture = sys.argv[1:3]
limit = float(sys.argv[3]) if len(sys.argv) > 3 else 300
start = time.time()
while time.time() - start < limit:
    try:
        with open(capture, 'rb') as f:
            if b'# selftest ' in f.read():
                break
    except OSError:
        pass
    time.sleep(0.2)
s = socket.socket(socket.AF_UNIX)
for _ in range(50):
    try:
        s.connect(sock)
        break
    except OSError:
        time.sleep(0.2)
time.sleep(0.3)
s.sendall(b'nmi\n')
time.sleep(1.0)
