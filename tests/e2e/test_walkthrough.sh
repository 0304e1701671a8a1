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
declare -A CLIENTS=([coordinator]=$((base + 2)) [almere]=$((base + 3)) [zeist]=$((base + 4))
    [spare]=$((base + 5)))
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
    -c) "\$MPOOLD_BIN" "\$@" ;;
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

# Every other command the page shows, outside the walkthrough: each
# indented block that holds an mpoold or mpool command runs on Zeist's
# machine (keygen and pool-secret on a new one, as their files exist on
# Zeist), mpool as an auditor of Zeist.
"$MPOOLD" -c "$POOL/zeist/etc/mpoold/mpoold.conf" user-add aud --role auditor \
    --out "$POOL/zeist/root/people" >/dev/null
kill -HUP "$(cat "$POOL/zeist/pid")"
mkdir -p "$POOL/spare/etc" "$POOL/spare/root" "$POOL/extra"
awk -v dir="$POOL/extra" '
    /^```/ { fenced = !fenced; next }
    !fenced && /^    [^ ]/ { if (!inblock) { n++; inblock = 1 } sub(/^    /, ""); print > sprintf("%s/%02d.sh", dir, n); next }
    !fenced && !/^    / { inblock = 0 }
' "$DOC"
ran_lines=$(cat "$POOL"/blocks/*.sh)
for _ in $(seq 50); do
    "$MPOOL" --config "$POOL/zeist/root/people/aud.conf" --timeout 1 whoami >/dev/null 2>&1 && break
    sleep 0.1
done
for f in "$POOL"/extra/*.sh; do
    grep -qE '^([A-Z_]+=[^ ]* )*(mpoold|mpool) ' "$f" || continue
    h=zeist
    grep -qE '^mpoold (keygen|pool-secret) ' "$f" && h=spare
    out=$( { machine_env "$h"; echo "export MPOOL_CONFIG='$POOL/zeist/root/people/aud.conf'"
        localise "$h" <"$f"; } | bash 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        ok "the page's block $(head -1 "$f" | cut -c1-60) runs on $h as written"
    else
        notok "the page's block $(head -1 "$f" | cut -c1-60) on $h failed (exit $rc): $(tail -3 <<<"$out" | tr '\n' ' ')"
    fi
    ran_lines=$ran_lines$'\n'$(cat "$f")
done
# The check that fails when the page shows a command nothing above ran:
# every mpoold or mpool line of any of its code blocks.
shown=$(awk '/^```/ { fenced = !fenced; next } fenced || /^    / { sub(/^ +/, ""); print }' "$DOC" |
    grep -E '^([A-Z_]+=[^ ]* )*(mpoold|mpool) ' | sort -u)
missing=""
while IFS= read -r line; do
    grep -qxF -- "$line" <<<"$(sed 's/^ *//' <<<"$ran_lines")" || missing="$missing [$line]"
done <<<"$shown"
expect "the walkthrough runs every mpoold and mpool command operations.md shows ($(wc -l <<<"$shown"))" \
    test -z "$missing"
[ -z "$missing" ] || echo "# not run:$missing"

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

# user-add says which of the id and the role is wrong, lists every role,
# and never advises deleting the person's key file.
conf=$POOL/almere/etc/mpoold/mpoold.conf
out=$("$MPOOLD" -c "$conf" user-add hr2 --role HR --out "$POOL/almere/root/people" 2>&1)
expect "a role in capitals is named as the role, with every role listed" \
    grep -q "^mpoold: --role 'HR' is not a role.*hr, mediator, coordinator, admin, auditor, privacy, in lower case" <<<"$out"
out=$("$MPOOLD" -c "$conf" user-add "hr 2" --role hr --out "$POOL/almere/root/people" 2>&1)
expect "a bad id is named as the id" grep -q "^mpoold: the id 'hr 2' is not one" <<<"$out"
out=$("$MPOOLD" -c "$conf" user-add hr1 --role hr --out "$POOL/almere/root/people" 2>&1)
expect "a person whose key file is there already is told how to give a new key, not to delete it" \
    test -z "$(grep -i 'remove it' <<<"$out")" -a -n "$(grep 'user-remove hr1' <<<"$out")" \
    -a -e "$POOL/almere/root/people/hr1.key"
