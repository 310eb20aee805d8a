#!/usr/bin/env bash
# The Debian packages the project needs: python3-venv (to make .venv), chromium (for the
# browser tests and screenshots), fonts-dejavu-core (the text of charts rendered to PNG),
# nodejs/npm (to compile the public site's styles) and postgresql (the accounts store's
# tests start a throw-away server of their own).
# Installed with apt-get when missing; nothing else is downloaded from outside the package
# registries.
set -euo pipefail
python="${PYTHON:-python3}"
need=()
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  need+=("python3-venv")
fi
if ! command -v chromium >/dev/null 2>&1; then
  need+=("chromium" "fonts-dejavu-core")
fi
if [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  need+=("fonts-dejavu-core")  # the charts' PNG for Word (resvg draws their text in it)
fi
if ! command -v npm >/dev/null 2>&1; then
  need+=("nodejs" "npm")  # the public site's styles (GOV.UK Frontend, Sass) from npm
fi
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  need+=("postgresql")  # tests/postgres.py runs initdb and pg_ctl from it; no service needed
fi
# caddy: the reverse proxy `lsp serve` runs in front of the app processes (it starts Caddy
# itself; the package's own service is not needed). postgresql also gives `lsp backup` pg_dump.
if ! command -v caddy >/dev/null 2>&1; then
  need+=("caddy")
fi
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Please install: ${need[*]} (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if [[ " ${need[*]} " == *" caddy "* ]] && [ -d /run/systemd/system ]; then
  # Debian starts its own Caddy service (a welcome page on port 80); `lsp serve` runs Caddy
  # itself, so the package's service is stopped and disabled when this script installed it.
  $sudo systemctl disable --now caddy.service >/dev/null 2>&1 || true
  echo "Debian's caddy.service is disabled: \`lsp serve\` runs Caddy itself (docs/operations.md)."
fi
