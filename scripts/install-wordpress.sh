#!/usr/bin/env bash
# Install the Debian packages that the WordPress integration tests (tests/integration) need:
# WordPress itself, PHP's CLI with the extensions WordPress uses, and MariaDB. Only what is
# missing is installed; when everything is there this returns at once without touching apt.
# Installing needs root and apt-get; otherwise the apt command to run is printed and it exits 1.
# No service is started: the tests run their own private MariaDB and `php -S` on 127.0.0.1.
set -euo pipefail

REQUIRED=(wordpress php-cli php-mysql php-gd php-xml php-mbstring mariadb-server)
# Installed when the archive has it (Debian 12 does); WordPress works without it.
OPTIONAL=(wordpress-theme-twentytwentythree)

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
is_available() { apt-cache policy "$1" 2>/dev/null | grep -Eq '^ *Candidate: [^(]'; }

missing_required() {
  local package
  for package in "${REQUIRED[@]}"; do is_installed "$package" || echo "$package"; done
}
missing_optional() {
  local package
  for package in "${OPTIONAL[@]}"; do
    if ! is_installed "$package" && is_available "$package"; then echo "$package"; fi
  done
}

can_install() { [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; }

mapfile -t missing < <(missing_required)
if ((${#missing[@]} == 0)); then
  # The fast path: the optional theme is only added when apt already knows it (no update),
  # and only where we may install.
  mapfile -t extra < <(missing_optional)
  if ((${#extra[@]} == 0)) || ! can_install; then
    echo "WordPress test packages: all installed"
    exit 0
  fi
fi

if ! can_install; then
  echo "These packages for the WordPress integration tests are missing; install them (as root):"
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]} ${OPTIONAL[*]}"
  exit 1
fi

# apt would start apache2 (pulled in by `wordpress`) and mariadb after installing them; forbid
# that with a policy-rc.d for the duration, unless the machine already has one.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=true
  trap 'rm -f "$policy"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
if ((${#missing[@]})); then
  apt-get update -qq
fi
mapfile -t extra < <(missing_optional)
packages=("${missing[@]}" "${extra[@]}")
echo "Installing WordPress test packages: ${packages[*]}"
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

mapfile -t still_missing < <(missing_required)
if ((${#still_missing[@]})); then
  echo "Still missing after apt-get install: ${still_missing[*]}" >&2
  exit 1
fi
$own_policy && rm -f "$policy"
echo "WordPress test packages: installed"
