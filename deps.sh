#!/bin/sh
# Installs the Debian packages mediatorpool needs, but only those missing.
# Silent when everything is present; idempotent. Run as root to install,
# otherwise it names the packages to install and fails.
set -eu

# "check package" pairs: a pkg-config module, a command (cmd:NAME) or an
# installed Debian package (deb:NAME).
want="
libzmq libzmq3-dev
libczmq libczmq-dev
libprotobuf-c libprotobuf-c-dev
cmd:protoc-c protobuf-c-compiler
sqlite3 libsqlite3-dev
libsodium libsodium-dev
jansson libjansson-dev
inih libinih-dev
libcurl libcurl4-openssl-dev
libmicrohttpd libmicrohttpd-dev
cmocka libcmocka-dev
deb:libunistring-dev libunistring-dev
cmd:pkg-config pkg-config
cmd:cc gcc
cmd:make make
cmd:jq jq
cmd:sqlite3 sqlite3
"

# `deps.sh bench` adds the benchmark's peer: LEMON's dimacs-solver.
[ "${1:-}" = bench ] && want="$want
cmd:dimacs-solver liblemon-utils
cmd:bc bc
"

# `deps.sh check` adds what the tests run against: a real SMTP server.
[ "${1:-}" = check ] && want="$want
deb:python3-aiosmtpd python3-aiosmtpd
cmd:openssl openssl
cmd:mandoc mandoc
cmd:chromium chromium
"

# `deps.sh fuzz` adds clang and its libFuzzer runtime for `make fuzz`.
[ "${1:-}" = fuzz ] && want="$want
cmd:clang clang
deb:libclang-rt-14-dev libclang-rt-14-dev
"

missing=""
have_pkgconfig=0
command -v pkg-config >/dev/null 2>&1 && have_pkgconfig=1
set -- $want
while [ $# -ge 2 ]; do
    check=$1 pkg=$2
    shift 2
    case $check in
    cmd:*) command -v "${check#cmd:}" >/dev/null 2>&1 && continue ;;
    deb:*) dpkg-query -W -f='${Status}' "${check#deb:}" 2>/dev/null | grep -q ' installed$' &&
        continue ;;
    *) [ $have_pkgconfig = 1 ] && pkg-config --exists "$check" && continue ;;
    esac
    missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "deps.sh: missing packages:$missing; install them (apt-get install$missing) or run as root" >&2
    exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
