#!/usr/bin/env bash
# The documentation covers what the code offers: every client operation and
# message type is in docs/protocol.md, every configuration key in operations.md.
set -u
for f in protocol operations matching security reliability architecture privacy guide-hr guide-mediator guide-coordinator; do
    if [ -s "docs/$f.md" ]; then echo "ok - docs/$f.md exists"; else echo "not ok - docs/$f.md is missing"; fi
done
ops=$(grep -o '\(OP\|STEP\)("[a-z.]*"' daemon/api/clientapi.c | cut -d'"' -f2)
keys=$(grep -o '{"[a-z]*", "[a-z_]*"' shared/store/config.c | cut -d'"' -f4 | sort -u)
[ -n "$ops" ] || echo "not ok - no client operations found in daemon/api/clientapi.c"
[ -n "$keys" ] || echo "not ok - no configuration keys found in shared/store/config.c"
missing=""
for op in $ops; do
    grep -q "\`$op\`" docs/protocol.md || missing="$missing $op"
done
if [ -z "$missing" ]; then echo "ok - every client operation is in docs/protocol.md"; else echo "not ok - not in docs/protocol.md:$missing"; fi
missing=""
for msg in $(grep -o '^message [A-Za-z]*' proto/mpool.proto | cut -d' ' -f2); do
    grep -q "$msg" docs/protocol.md || missing="$missing $msg"
done
if [ -z "$missing" ]; then echo "ok - every message of the schema is in docs/protocol.md"; else echo "not ok - not in docs/protocol.md:$missing"; fi
missing=""
for key in $(grep -o '{"[a-z]*", "[a-z_]*"' shared/store/config.c | cut -d'"' -f4 | sort -u); do
    grep -q "\`$key\`" docs/operations.md || missing="$missing $key"
done
if [ -z "$missing" ]; then echo "ok - every configuration key is in docs/operations.md"; else echo "not ok - not in docs/operations.md:$missing"; fi
# Section 9's table of steps is printed from the journey table.
doc=$(awk '/^<!-- generated: /{getline; f=1; next} /^<!-- end of the generated table -->/{f=0} f' docs/protocol.md)
if [ ! -x "${BUILD:-build}/tools/journey_doc" ]; then
    echo "not ok - ${BUILD:-build}/tools/journey_doc is not built"
elif [ -n "$doc" ] && [ "$doc" = "$("${BUILD:-build}/tools/journey_doc")" ]; then
    echo "ok - docs/protocol.md section 9 is the journey table of shared/journey/journey.c"
else
    echo "not ok - docs/protocol.md section 9 differs from the journey table; run make docs"
fi
# The kinds of notice in docs/protocol.md are the table of daemon/node/notices.c, in its order.
kinds=$(grep -o '^    {"[a-z_]*", FOR_' daemon/node/notices.c | cut -d'"' -f2 | tr '\n' ' ')
listed=$(awk '/^\*\*Notices\.\*\*/{f=1} f&&/^$/{exit} f' docs/protocol.md | tr '\n' ' ' |
    sed 's/.*`kind` is one of //; s/; `detail`.*//' | grep -o '[a-z][a-z_]*' |
    grep -v '^\(for\|a\|mediator\|hr\|coordinator\|and\)$' | tr '\n' ' ')
if [ -n "$kinds" ] && [ "$kinds" = "$listed" ]; then
    echo "ok - docs/protocol.md lists the notice kinds of daemon/node/notices.c"
else
    echo "not ok - docs/protocol.md lists the notice kinds '$listed', the code has '$kinds'"
fi
