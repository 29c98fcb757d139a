#!/bin/sh
# Creates a sample project to walk a release through its whole lifecycle with relmgr:
#   <dir>.git   a bare remote (the "server")
#   <dir>       a clone with a Conventional Commits history, release v1.0.0, a release config with
#               two environments (staging, then production behind an approval), deploy, rollback
#               and smoke-check scripts
#   <dir>-envs  where the sample's "environments" live: one file per environment, holding the
#               version deployed there
# Usage: sh examples/sample/create.sh /tmp/shop
set -eu
dir=${1:?usage: create.sh <dir>}
here=$(cd "$(dirname "$0")" && pwd)
[ ! -e "$dir" ] || { echo "create.sh: $dir exists; choose a new directory" >&2; exit 2; }

git init -q --bare -b main "$dir.git"
git clone -q "$dir.git" "$dir" 2>/dev/null
mkdir -p "$dir-envs"
cd "$dir"
git config user.name "Alice"
git config user.email alice@example.com
cp -R "$here/project/." .
chmod +x scripts/*.sh
commit() { git add -A && git commit -q -m "$1"; }
commit "feat: a shop that sells one thing"
git tag -a v1.0.0 -m v1.0.0
echo 'export const basket = [];' > src/basket.js
commit "feat(basket): keep what the customer picked"
echo 'export const total = (items) => items.length;' >> src/basket.js
commit "fix(basket): an empty basket costs nothing"
git push -q origin main --tags
echo "$dir: a clone of $dir.git at $(git describe --tags), with release.config.yaml; environments live in $dir-envs"
