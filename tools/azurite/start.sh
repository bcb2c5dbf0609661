#!/usr/bin/env bash
# Starts Azurite's blob service (pinned in package.json) on 127.0.0.1:PORT with its data in DIR, in the
# foreground (callers put it in the background and stop it by its pid). Installs the pinned package first
# when tools/azurite/node_modules is missing.
# Usage: tools/azurite/start.sh PORT DIR
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 PORT DIR   (blob service on 127.0.0.1:PORT, data in DIR)" >&2
  exit 2
fi
port="$1"
dir="$2"
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v node >/dev/null; then
  echo "node is not installed: install Node.js 18 or later to run Azurite." >&2
  exit 1
fi
if [ ! -d "$here/node_modules/azurite" ]; then
  npm ci --prefix "$here" --no-audit --no-fund >&2
fi
mkdir -p "$dir"
exec node "$here/node_modules/azurite/dist/src/blob/main.js" --blobHost 127.0.0.1 --blobPort "$port" \
  --location "$dir" --skipApiVersionCheck --loose --silent
