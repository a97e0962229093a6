"""One session per process: login once, then RETR 1/2 alternately for SECS, reading raw bytes (no line parsing)."""
import socket, sys, time, json
from multiprocessing import Pool
host, port, secs, procs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])

def reply(s, buf, end):
    while end not in buf[-len(end) - 65536:] if len(buf) > 65536 else end not in buf:
        d = s.recv(1 << 20)
        if not d: raise EOFError
        buf += d
    i = buf.index(end) + len(end)
    return buf[:i], buf[i:]

def worker(k):
    s = socket.create_connection((host, port)); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = b''
    _, buf = reply(s, buf, b'\r\n')
    for c in (f'USER big{k+1:02d}', f'PASS pw{k+1:02d}'):
        s.sendall(c.encode() + b'\r\n'); line, buf = reply(s, buf, b'\r\n'); assert line.startswith(b'+OK'), line
    end = time.time() + secs; n = octets = 0; i = 0
    while time.time() < end:
        s.sendall(b'RETR %d\r\n' % (i % 2 + 1)); i += 1
        m, buf = bytearray_reply(s, buf)
        n += 1; octets += m
    s.sendall(b'QUIT\r\n'); s.close()
    return n, octets

def bytearray_reply(s, buf):
    data = bytearray(buf)
    while True:
        if data.endswith(b'\r\n.\r\n') and data.startswith(b'+OK'):
            return len(data), b''
        d = s.recv(1 << 20)
        if not d: raise EOFError
        data += d

if __name__ == '__main__':
    t = time.time()
    with Pool(procs) as p: r = p.map(worker, range(procs))
    dt = time.time() - t
    print(json.dumps({'retr_s': sum(x[0] for x in r) / dt, 'mb_s': sum(x[1] for x in r) / dt / 1e6, 'seconds': round(dt, 2)}))
