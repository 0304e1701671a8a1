#!/usr/bin/env bash
# docs/operations.md's walkthrough, run as written: every block marked
# <!-- walkthrough: HOST --> runs on HOST, in the order of the page. Each
# machine is a folder of its own on 127.0.0.1: its absolute paths live
# under that folder, the pool's addresses become free loopback ports, scp
# copies between the folders, mpoold's defaults (/etc/mpoold) are the
# machine's folder, and systemctl starts and reloads mpoold as the unit
# would (with its database where StateDirectory= would put it).
set -u
. "$(dirname "$0")/lib.sh"
trap finish EXIT
DOC=$(cd "$(dirname "$0")/../.." && pwd)/docs/operations.md
POOL=$(mktemp -d)
MEMBERS=(almere zeist)
base=$(pick_ports) || exit 1
declare -A CLIENTS=([coordinator]=$((base + 2)) [almere]=$((base + 3)) [zeist]=$((base + 4)))
for h in coordinator almere zeist; do mkdir -p "$POOL/$h/etc" "$POOL/$h/root" "$POOL/$h/var"; done

# The blocks, in order, as "HOST<TAB>FILE".
mkdir -p "$POOL/blocks"
awk -v dir="$POOL/blocks" '
    /^<!-- walkthrough: [a-z]+ -->$/ { host = $3; next }
    host != "" && /^```sh$/ { n++; file = sprintf("%s/%02d-%s.sh", dir, n, host); inblock = 1; next }
    inblock && /^```$/ { inblock = 0; host = ""; next }
    inblock { print > file }
' "$DOC"
blocks=$(ls "$POOL/blocks")
expect "the page has the walkthrough's blocks ($(wc -w <<<"$blocks"))" test "$(wc -w <<<"$blocks")" -ge 8

# What a machine's commands see: its own paths, and the shims.
machine_env() {
    local h=$1
    cat <<EOF
set -e
H=$h T='$POOL' MPOOLD_BIN='$MPOOLD' MPOOL_BIN='$MPOOL'
mpool() { "\$MPOOL_BIN" "\$@"; }
mpoold() {
    case \$1 in
    init) "\$MPOOLD_BIN" "\$@" --dir "\$T/\$H/etc/mpoold" ;;
    keygen | pool-secret) "\$MPOOLD_BIN" "\$@" ;;
    *) "\$MPOOLD_BIN" -c "\$T/\$H/etc/mpoold/mpoold.conf" "\$@" ;;
    esac
}
# scp [HOST:]PATH... DEST: a remote path names the other machine's folder.
scp() {
    local args=("\$@") dest=\${args[-1]} src
    unset 'args[-1]'
    for src in "\${args[@]}"; do
        case \$src in
        *:*) local host=\${src%%:*} path=\${src#*:}
            declare -A hosts=([pool.example.nl]=coordinator [almere.example.nl]=almere [zeist.example.nl]=zeist)
            cp "\$T/\${hosts[\$host]}\${path#"\$T/\$H"}" "\$dest" ;;
        *) cp "\$src" "\$dest" ;;
        esac
    done
}
systemctl() {
    local conf="\$T/\$H/etc/mpoold/mpoold.conf"
    case "\$*" in
    "enable --now mpoold")
        sed -i "s|^database = /var/lib/mpoold/|database = \$T/\$H/var/|" "\$conf"
        (cd "\$T/\$H" && exec "\$MPOOLD_BIN" -c "\$conf" >>mpoold.log 2>&1) &
        echo \$! >"\$T/\$H/pid" ;;
    "reload mpoold") kill -HUP "\$(cat "\$T/\$H/pid")" ;;
    *) echo "systemctl \$*: not part of the walkthrough" >&2; return 1 ;;
    esac
}
EOF
}

# The block's text with the machine's paths and the pool's free ports.
localise() {
    local h=$1
    sed -e "s|/etc/mpoold|$POOL/$h/etc/mpoold|g" -e "s|/root/|$POOL/$h/root/|g" \
        -e "s|0\.0\.0\.0:7001|127.0.0.1:$base|g" -e "s|pool\.example\.nl:7001|127.0.0.1:$base|g" \
        -e "s|tcp://127\.0\.0\.1:7101|tcp://127.0.0.1:${CLIENTS[$h]}|g"
}

for f in $blocks; do
    h=${f#*-}
    h=${h%.sh}
    # Nothing may reach this machine's own files: every absolute path must
    # have become one under the machine's folder.
    stray=$(localise "$h" <"$POOL/blocks/$f" | grep -oE '(^|[ =:])/[^ ]*' |
        grep -v -e "^.\?$POOL" -e '^://' || true)
    if [ -n "$stray" ]; then
        notok "block $f names paths the test cannot give its own folder: $stray"
        continue
    fi
    out=$( { machine_env "$h"; localise "$h" <"$POOL/blocks/$f"; } | bash 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        ok "block $f runs on $h as written"
    else
        notok "block $f on $h failed (exit $rc): $(tail -3 <<<"$out" | tr '\n' ' ')"
    fi
    # A started node answers its people before the next block runs.
    if grep -q "systemctl enable --now mpoold" "$POOL/blocks/$f"; then
        for _ in $(seq 100); do port_free "${CLIENTS[$h]}" || break; sleep 0.1; done
    fi
    [ "${f#*-}" = almere.sh ] && last_out=$out
done

expect "the coordinator's roster check lists the three nodes" \
    grep -q "roster.ini is in order: 3 nodes" <<<"$(MPOOLD="$MPOOLD" "$MPOOLD" -c "$POOL/coordinator/etc/mpoold/mpoold.conf" roster check)"
c=$(grep -o 'almere-[0-9a-f]\{8\}' <<<"${last_out:-}" | head -1)
expect "HR's case list shows the posted case" test -n "$c"
show=$("$MPOOL" --config "$POOL/almere/root/people/hr1.conf" --json case wait "$c" --state shortlisted)
expect_eq "the case gets a shortlist with Zeist's mediator" \
    "$(json '[.shortlist[].mediator_id] | join(",")' <<<"$show")" "zeist:med-z"
expect "the coordinator node runs without a pool secret" \
    test ! -e "$POOL/coordinator/etc/mpoold/credentials/pool.secret"
expect_eq "users.ini at Almere holds hr1's address" \
    "$(grep -c '^email = hr1@almere.nl' "$POOL/almere/etc/mpoold/users.ini")" 1
"$MPOOLD" -c "$POOL/almere/etc/mpoold/mpoold.conf" user-remove hr1 >/dev/null
kill -HUP "$(cat "$POOL/almere/pid")"
sleep 0.5
expect_exit 3 "after user-remove and a reload, hr1's key no longer works" \
    "$MPOOL" --config "$POOL/almere/root/people/hr1.conf" --timeout 2 case list
expect_exit 1 "user-remove of someone not there says so" \
    "$MPOOLD" -c "$POOL/almere/etc/mpoold/mpoold.conf" user-remove hr1
