#!/usr/bin/env bash
# Secrets out of reach: no core file of a node or of mpool, no party's name
# on mpool's command line, and no users.ini that others may read.
set -u
. "$(dirname "$0")/lib.sh"
# The nodes run as another user, which only root can arrange.
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
    echo "ok - needs root and setpriv to run the nodes as another user # SKIP"
    exit 0
fi
trap 'rc=$?; exec 3>&- 2>/dev/null; finish $rc' EXIT
# expect_not DESCRIPTION COMMAND... : the command fails.
expect_not() {
    local desc=$1
    shift
    if "$@" >/dev/null 2>&1; then notok "$desc"; else ok "$desc"; fi
}
NOBODY=$(id -u nobody 2>/dev/null || echo 65534)
pool_create "$(mktemp -d)" almere || { echo "not ok - pool not created"; exit 1; }
person coordinator coord coordinator
person almere hr1 hr
chmod 755 "$POOL"
# The nodes run as an ordinary user: /proc/PID of an undumpable process is
# then owned by root, which is how another process can tell.
chown -R "$NOBODY" "$POOL"
NODE_USER=$NOBODY pool_start || { echo "not ok - pool did not start"; exit 1; }

for node in coordinator almere; do
    pid=$(cat "$POOL/$node/pid")
    expect_eq "the running $node node runs as an ordinary user" \
        "$(awk '/^Uid:/{print $2}' "/proc/$pid/status")" "$NOBODY"
    expect_eq "the running $node node is not dumpable: /proc/$pid is root's" \
        "$(stat -c %u "/proc/$pid/status")" 0
    expect_not "nobody else of its user reads its memory or environment" \
        setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups cat "/proc/$pid/environ"
    expect_eq "the running $node node may write no core file" \
        "$(awk '/^Max core file size/{print $5 "/" $6}' "/proc/$pid/limits")" 0/0
done

# mpool waits for the parties on standard input while its command line is
# read, as anyone on the machine could with ps.
fifo="$POOL/parties.fifo"
mkfifo "$fifo"
chown "$NOBODY" "$fifo"
setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups \
    "$MPOOL" --config "$POOL/almere/people/hr1.conf" --json case post --domain labour \
    --language nl --party almere --parties - --no-narrative <"$fifo" >"$POOL/posted.json" 2>&1 &
client=$!
exec 3>"$fifo"
# The shell that opened the fifo becomes mpool: wait for the exec.
for _ in $(seq 50); do
    [ "$(readlink "/proc/$client/exe" 2>/dev/null)" = "$MPOOL" ] && break
    sleep 0.1
done
cmdline=$(tr '\0' ' ' <"/proc/$client/cmdline")
expect "mpool's command line says where the parties come from" grep -q -- "--parties -" <<<"$cmdline"
expect_not "mpool's command line holds no party's name" grep -qi "geheim" <<<"$cmdline"
# mpool makes itself undumpable first thing in main, which a slow start
# (a sanitizer's) reaches a little after the exec.
for _ in $(seq 50); do
    [ "$(stat -c %u "/proc/$client/status" 2>/dev/null)" = 0 ] && break
    sleep 0.1
done
expect_eq "mpool, which holds the person's key, is not dumpable" \
    "$(stat -c %u "/proc/$client/status")" 0
printf 'person:Gerda Geheimnaam\nunit:Team Geheim\n' >&3
exec 3>&-
wait "$client"
expect_eq "the case posted from standard input is posted" "$(json -e .case_id <"$POOL/posted.json" >/dev/null && echo yes)" yes
c=$(json .case_id <"$POOL/posted.json")
expect "the node holds the parties given on standard input" \
    grep -q "Gerda Geheimnaam" <<<"$(as almere hr1 --json case show "$c")"

# Names on the command line are refused, with the way to give them.
expect_exit 2 "case post refuses a person's name on the command line" \
    as almere hr1 case post --domain labour --language nl --party "person:Jan Zichtbaar" --no-narrative
expect "the refusal says how to give the names" \
    grep -q -- "--parties FILE" <<<"$(as almere hr1 case post --domain labour --language nl \
        --party "unit:Team Zichtbaar" --no-narrative 2>&1)"
expect_exit 2 "privacy export refuses a name on the command line" \
    as almere hr1 privacy export --person "Jan Zichtbaar"
expect_exit 2 "a file of names holds one KIND:NAME a line" \
    as almere hr1 case post --domain labour --language nl --no-narrative \
    --parties <(echo "Jan Zonder Soort")

# users.ini holds e-mail addresses: a node refuses one that others may read.
node_stop almere
chmod 644 "$POOL/almere/users.ini"
out=$("$MPOOLD" -c "$POOL/almere/mpoold.conf" check 2>&1)
expect "mpoold check refuses a users.ini that others may read" \
    grep -q "users.ini holds people's e-mail addresses and others may read it (mode 0644)" <<<"$out"
expect "and says what to run" grep -q "chmod o-rwx" <<<"$out"
chmod 640 "$POOL/almere/users.ini"
expect "mpoold check takes a users.ini for its owner and group only" \
    "$MPOOLD" -c "$POOL/almere/mpoold.conf" check
"$MPOOLD" -c "$POOL/almere/mpoold.conf" user-add hr2 --role hr --out "$POOL/almere/people" >/dev/null
expect_eq "user-add keeps users.ini for its owner and group" \
    "$(stat -c %a "$POOL/almere/users.ini")" 640
dir=$(mktemp -d)
"$MPOOLD" init solo --role coordinator --name Solo --lat 52 --lon 5 --dir "$dir/etc" >/dev/null 2>&1
expect_eq "mpoold init makes users.ini for its owner and group only" \
    "$(stat -c %a "$dir/etc/users.ini" 2>&1)" 640
rm -rf "$dir"
finish
