#!/usr/bin/env bash
# The unit file stays hardened: systemd-analyze rates it at most 2.0.
set -u
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "ok - systemd-analyze not installed; unit score not checked # SKIP"
    exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed -e 's|@SBINDIR@|/usr/local/sbin|' -e 's|@DOCDIR@|/usr/local/share/doc/mediatorpool|' \
    systemd/mpoold.service >"$dir/mpoold.service"
line=$(systemd-analyze security --offline=true "$dir/mpoold.service" 2>&1 | grep 'Overall exposure')
score=$(sed -n 's/.*level for mpoold.service: \([0-9.]*\).*/\1/p' <<<"$line")
if [ -n "$score" ] && awk "BEGIN{exit !($score <= 2.0)}"; then
    echo "ok - systemd-analyze security rates mpoold.service $score (at most 2.0)"
else
    echo "not ok - systemd-analyze security: ${line:-no score} (must be at most 2.0)"
fi
for key in Type=notify DynamicUser=yes StateDirectory=mpoold LoadCredential=mpoold:/etc/mpoold/credentials LimitCORE=0; do
    if grep -q "^$key" systemd/mpoold.service; then
        echo "ok - unit has $key"
    else
        echo "not ok - unit lacks $key"
    fi
done
