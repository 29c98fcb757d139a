#!/bin/sh
# The sample's health check: the environment runs the release being checked.
set -eu
env=$1
envs="$(cd "$(dirname "$0")/../.." && pwd)/$(basename "$(cd "$(dirname "$0")/.." && pwd)")-envs"
test "$(cat "$envs/$env" 2>/dev/null)" = "$RELMGR_VERSION"
