"""Pipelines RETR 1 and QUIT, reads nothing for WAIT s (so the relay backs up), then reads to EOF."""
import socket, sys, time
port, wait = int(sys.argv[1]), float(sys.argv[2])
user = sys.argv[3].encode() if len(sys.argv) > 3 else b'mid01'
s = socket.create_connection(('127.0.0.1', port))
f = s.makefile('rb')
f.readline()
for c in (b'USER ' + user + b'\r\n', b'PASS pw01\r\n'):
    s.sendall(c); assert f.readline().startswith(b'+OK')
s.sendall(b'RETR 1\r\nQUIT\r\n')
time.sleep(wait)
data = f.read()
last = data.rstrip(b'\r\n').rsplit(b'\r\n', 1)[-1]
print(port, 'bytes', len(data), 'ends with', last[:60], 'message complete', b'\r\n.\r\n' in data)
