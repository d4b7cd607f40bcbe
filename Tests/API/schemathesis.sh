#!/usr/bin/env bash
# The API contract check: schemathesis (PyPI) against a real `keel serve --demo` on a fresh SQLite file, with an admin
# token, every check, a fixed seed and a bounded number of examples per operation. Prints schemathesis' summary and
# exits as schemathesis does. Not yet part of `.ci/run`: the document does not yet state every rule the API enforces
# (see README, "API contract"); run it by hand: Tests/API/schemathesis.sh [extra schemathesis options]
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q schemathesis==4.32.5 2>/dev/null \
    || python3 -m pip install -q --break-system-packages schemathesis==4.32.5
swift build --product keel >/dev/null 2>&1
KEEL=$(swift build --show-bin-path 2>/dev/null)/keel
DIR=$(mktemp -d /tmp/keel-contract.XXXXXX)
PORT=${KEEL_CONTRACT_PORT:-18765}
(cd "$DIR" && exec "$KEEL" serve --demo --port "$PORT" >"$DIR/serve.log" 2>&1) &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/token" -d '{"email":"admin@keel.demo","password":"keel-demo-2026"}' \
    | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
# Fields the document marks x-keel-reference get ids of existing records, as a generated client would (hooks.py).
export KEEL_CONTRACT_BASE="http://127.0.0.1:$PORT" KEEL_CONTRACT_TOKEN="$TOKEN" SCHEMATHESIS_HOOKS="$PWD/Tests/API/hooks.py"
# auth/token is left out: a schemathesis run that signs in thousands of times with random passwords only meets the
# sign-in throttle (429), which is documented.
schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" -H "Authorization: Bearer $TOKEN" --checks all \
    --max-examples 10 --seed 1 --max-time 400 --exclude-path-regex 'auth/token' "$@"
