#!/bin/sh
# Deploys the sample: writes the version into the environment's file (<repo>-envs/<env>).
# deploy.sh <env> [version]: the version defaults to the release being deployed ($RELMGR_VERSION).
# SHOP_FAIL_DEPLOY=<env> makes the deploy to that environment fail (to see a rollback).
set -eu
env=$1
version=${2:-$RELMGR_VERSION}
envs="$(cd "$(dirname "$0")/../.." && pwd)/$(basename "$(cd "$(dirname "$0")/.." && pwd)")-envs"
if [ "${SHOP_FAIL_DEPLOY:-}" = "$env" ] && [ -z "${2:-}" ]; then echo "deploy to $env failed (SHOP_FAIL_DEPLOY)" >&2; exit 1; fi
mkdir -p "$envs"
echo "$version" > "$envs/$env"
echo "$env now runs $version"
