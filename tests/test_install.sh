#!/usr/bin/env bash
# make install honours DESTDIR and PREFIX.
set -u
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if make -s install DESTDIR="$dest" PREFIX=/opt/mp >/dev/null 2>&1; then
    echo "ok - make install runs with DESTDIR and PREFIX"
else
    echo "not ok - make install failed"
fi
for f in sbin/mpoold bin/mpool lib/systemd/system/mpoold.service share/doc/mediatorpool/README.md \
    share/man/man1/mpool.1 share/man/man5/mpoold.conf.5 share/man/man8/mpoold.8; do
    if [ -e "$dest/opt/mp/$f" ]; then echo "ok - installs $f"; else echo "not ok - missing $f"; fi
done
if grep -q '^ExecStart=/opt/mp/sbin/mpoold ' "$dest/opt/mp/lib/systemd/system/mpoold.service"; then
    echo "ok - the installed unit starts the installed mpoold"
else
    echo "not ok - the installed unit does not point at /opt/mp/sbin/mpoold"
fi
