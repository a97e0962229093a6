"""Dovecot + berth with three pop3-proxy services (plain relay, splice, tuned relay) in the same workers."""
import os, sys, time, signal, shutil
sys.path.insert(0, '/work/wt/splice/bench')
import mail
base = os.path.join(mail.WORK, 'pop3env')
shutil.rmtree(base, ignore_errors=True)
dv = os.path.join(base, 'dovecot'); d = os.path.join(base, 'berth')
os.makedirs(dv, exist_ok=True)
users = mail.seed(os.path.join(dv, 'mail'), os.path.join(d, 'mail'))
if os.environ.get('MID'):  # eof.py's user: one message of MID bytes
    users += mail.seed_user(os.path.join(dv, 'mail'), os.path.join(d, 'mail'), 'mid01', 'pw01', 1, int(os.environ['MID']))
open(os.path.join(dv, 'users'), 'w').write(users)
open(os.path.join(d, 'users.txt'), 'w').write(users)
pop, imap, plain, spl, tuned = (mail.free_port() for _ in range(5))
mail.peer('dovecot', dv, pop, pop, imap)
yaml = f"""\
master: {{run-dir: run, log-dir: log}}
pools:
  mail: {{workers: 2, threads: 2, jvm-options: [-Dberth.relay.spliceport={spl}, -Dberth.relay.tunedport={tuned}]}}
services:
"""
for name, port in (('plain', plain), ('splice', spl), ('tuned', tuned)):
    yaml += f"""  - name: {name}
    kind: pop3-proxy
    pool: mail
    listen: ["127.0.0.1:{port}"]
    pop3-proxy: {{upstream: "127.0.0.1:{pop}"}}
"""
b = mail.berth(d, yaml)
for port in (plain, spl, tuned):
    mail.await_port(port, 'berth', b)
with open('/tmp/splice/env.ports', 'w') as f:
    f.write(f'DOVECOT={pop}\nPLAIN={plain}\nSPLICE={spl}\nTUNED={tuned}\nBERTH={b.pid}\n')
print('ready', flush=True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
try:
    while True:
        time.sleep(1)
finally:
    mail.stop_all()
