#!/usr/bin/env bash
# Makes the class-data archives of every JVM berth starts, beside berth.jar: runs berth once on a
# training config (every accept strategy, the http, echo, smtp and pop3 kinds, the CLI, a reload,
# a drain), with each JVM writing the classes it loaded (-XX:DumpLoadedClassList, one file per
# pid), merges the lists, and dumps them as static archives with AOT class linking (JEP 483), one
# per flag set, since a JVM keeps CDS's full module graph only when the dump had its flags:
#   berth.jsa  with --enable-native-access=ALL-UNNAMED: the master, every child, run/start/top
#   cli.jsa    without it: the other CLI commands
# A JVM uses an archive only with a jar of the same name, size and modification time (it may be in
# another directory); otherwise it runs without (slower, nothing else changes). docs/adr/0021.
#
#   train.sh JAVA JAR WORKDIR      writes JAR's directory/berth.jsa and cli.jsa
#
# Called by the dist module at package time. Uses ports chosen by the kernel, and only loopback.
set -euo pipefail
java="$1"; jar="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; work="$3"
rm -rf "$work"; mkdir -p "$work/lists" "$work/cli-lists" "$work/mail/boxes"
cd "$work"
lists="$work/lists/classes-%p.lst"
flags=(--enable-native-access=ALL-UNNAMED)
berth() { "$java" "${flags[@]}" "-XX:DumpLoadedClassList=$lists" -cp "$jar" dev.berth.cli.Main "$@"; }
# the short commands (check, status, reload, stop) get an archive of only what they load: a JVM
# loads every class of an AOT-linked archive at start, and the master's 4000 would double theirs
cli() { "$java" "-XX:DumpLoadedClassList=$work/cli-lists/classes-%p.lst" -cp "$jar" dev.berth.cli.Main "$@"; }

echo 'alice@example.test:{PLAIN}secret' > mail/users.txt
cat > berth.yaml <<YAML
master: {run-dir: run, log-dir: log}
pools:
  web: {workers: 1, threads: 1, accept: shared, jvm-options: ["-XX:DumpLoadedClassList=$lists"]}
  mail: {workers: 1, threads: 1, accept: mutex, jvm-options: ["-XX:DumpLoadedClassList=$lists"]}
  port: {workers: 1, threads: 1, accept: reuseport, jvm-options: ["-XX:DumpLoadedClassList=$lists"]}
  hand: {workers: 1, threads: 1, accept: handoff, jvm-options: ["-XX:DumpLoadedClassList=$lists"]}
services:
  - {name: http, kind: http, pool: web, listen: ["127.0.0.1:0"], http: {response: "hello\n"}}
  - {name: echo, kind: echo, pool: web, listen: ["127.0.0.1:0"]}
  - name: mx
    kind: smtp
    pool: mail
    listen: ["127.0.0.1:0"]
    smtp: {hostname: mx.example.test, deliver: maildir, maildir: mail/boxes, users: mail/users.txt, domains: [example.test]}
  - name: pop3
    kind: pop3
    pool: mail
    listen: ["127.0.0.1:0"]
    pop3: {maildir: mail/boxes, users: mail/users.txt, allow-plaintext-auth: true, auth-failure-delay: 0s}
  - {name: port, kind: http, pool: port, listen: ["127.0.0.1:0"], http: {response: "hello\n"}}
  - {name: hand, kind: http, pool: hand, listen: ["127.0.0.1:0"], http: {response: "hello\n"}}
YAML
cli check -c berth.yaml > /dev/null
berth run -c berth.yaml > master.log 2>&1 &
master=$!
trap 'kill -9 $master 2>/dev/null || true' EXIT

# ready: 4 workers and the dispatcher of the current generation, nobody starting or draining
ready() {
  status="$(cli status -c berth.yaml --json 2>/dev/null || true)"
  local pools="${status%%\"events\"*}"   # the pools, without the recent events
  [ "$(printf '%s' "$pools" | grep -o '"state":"ready"' | wc -l)" -eq 5 ] \
    && ! printf '%s' "$pools" | grep -q '"state":"\(starting\|draining\)"\|"generation":'"$1"','
}
await_ready() {
  for _ in $(seq 1 240); do
    ready "$1" && return 0
    kill -0 "$master" 2>/dev/null || break
    sleep 0.5
  done
  cat master.log >&2; echo "train.sh: berth did not get ready" >&2; exit 1
}
await_ready 0
cli status -c berth.yaml > /dev/null
port() { printf '%s' "$status" | grep -o "\"name\":\"$1\",\"kind\":\"[a-z0-9-]*\",\"pool\":\"[a-z]*\",\"listen\":\[\"127.0.0.1:[0-9]*" | grep -o '[0-9]*$'; }

# talk PORT TEXT [UNTIL TEXT2]: one connection; sends TEXT (\n becomes CRLF), reads until a line
# starts with UNTIL (if given), then sends TEXT2; then reads to the end (at most 5 s)
talk() {
  local p="$1" text="$2" until="${3:-}" rest="${4:-}" line
  exec 3<>"/dev/tcp/127.0.0.1/$p"
  printf '%s' "${text//$'\n'/$'\r\n'}" >&3
  if [ -n "$until" ]; then
    while IFS= read -r -t 5 line <&3; do case "$line" in "$until"*) break;; esac; done
    printf '%s' "${rest//$'\n'/$'\r\n'}" >&3
  fi
  timeout 5 cat <&3 > /dev/null || true
  exec 3<&- 3>&-
}
get() { for _ in $(seq 1 50); do talk "$1" $'GET / HTTP/1.1\nHost: x\nConnection: close\n\n'; done; }
get "$(port http)"; get "$(port port)"; get "$(port hand)"
for _ in $(seq 1 20); do
  exec 3<>"/dev/tcp/127.0.0.1/$(port echo)"; printf 'hello\r\n' >&3; IFS= read -r -t 5 _ <&3 || true; exec 3<&- 3>&-
done
for _ in $(seq 1 10); do
  talk "$(port mx)" $'EHLO client.test\nMAIL FROM:<bob@example.test>\nRCPT TO:<alice@example.test>\nDATA\n' \
    354 $'Subject: training\n\na message\n.\nQUIT\n'
done
talk "$(port pop3)" $'CAPA\nUSER alice@example.test\nPASS secret\nSTAT\nLIST\nUIDL\nRETR 1\nTOP 1 0\nQUIT\n'
cli reload -c berth.yaml > /dev/null
await_ready 1
get "$(port http)"
cli stop -c berth.yaml > /dev/null
wait "$master" || true
trap - EXIT

# one list per archive: the first line for each class (without the list-local id), every @ directive once
merge() {  # merge LIST_FILES... > MERGED
  awk '/^#/ || NF == 0 { next }
       /^@/ { if (!seen[$0]++) print; next }
       { if (!seen[$1]++) print $1 }' "$@"
}
merge lists/*.lst > classes.lst
merge cli-lists/*.lst > cli-classes.lst
dump() {  # dump ARCHIVE CLASSLIST FLAGS...
  local archive="$1" list="$2"; shift 2
  "$java" -Xshare:dump -XX:+AOTClassLinking "$@" -XX:SharedClassListFile="$list" \
    -XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:aot=off -cp "$jar" > "dump-$(basename "$archive").log" 2>&1 \
    || { tail -20 "dump-$(basename "$archive").log" >&2; echo "train.sh: the dump of $archive failed" >&2; exit 1; }
}
dump "$(dirname "$jar")/berth.jsa" classes.lst "${flags[@]}"
dump "$(dirname "$jar")/cli.jsa" cli-classes.lst
echo "train.sh: $(dirname "$jar")/berth.jsa from $(ls lists | wc -l) JVMs, $(wc -l < classes.lst) classes;" \
  "cli.jsa from $(ls cli-lists | wc -l) CLI runs, $(wc -l < cli-classes.lst) classes"
