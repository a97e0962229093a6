#!/bin/bash
cd /work/wt/splice; . bin/java25; find_java25
cpu() { local s=0; for p in $(pgrep -P $BERTH); do for t in /proc/$p/task/*/stat; do s=$((s + $(awk '{print $14+$15}' $t))); done; done; echo $s; }
mcpu() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
run() { local label=$1; shift; local c0=$(cpu) m0=$(mcpu); local r=$("$@"); echo "$label $r berth_ticks=$(( $(cpu) - c0 )) machine_ticks=$(( $(mcpu) - m0 ))"; }
rm -f /tmp/splice/env.ports
setsid python3 /tmp/splice/env2.py > /tmp/splice/env2.log 2>&1 &
ENV=$!
for i in $(seq 120); do [ -f /tmp/splice/env.ports ] && break; sleep 0.5; done
. /tmp/splice/env.ports
for t in $PLAIN $SPLICE $TUNED; do python3 /tmp/splice/rawretr.py 127.0.0.1 $t 5 2 > /dev/null; python3 bench/popbench.py 127.0.0.1 $t 5 4 big >/dev/null; done
for round in $(seq ${ROUNDS:-4}); do
  for pair in plain:$PLAIN splice:$SPLICE tuned:$TUNED direct:$DOVECOT; do
    run "$round ${pair%%:*} raw" python3 /tmp/splice/rawretr.py 127.0.0.1 ${pair#*:} 8 1
  done
  for pair in plain:$PLAIN splice:$SPLICE tuned:$TUNED direct:$DOVECOT; do
    run "$round ${pair%%:*} pop" python3 bench/popbench.py 127.0.0.1 ${pair#*:} 10 4 big
  done
done
kill $ENV; wait $ENV
