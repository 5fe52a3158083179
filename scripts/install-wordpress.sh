#!/usr/bin/env bash
# Install the Debian packages that the WordPress integration tests (tests/integration) need:
# WordPress itself and its default theme, PHP's CLI with the extensions WordPress uses, and
# MariaDB. Only what is missing is installed; when everything is there this returns at once
# without touching apt.
# Installing needs root and apt-get; otherwise the apt command to run is printed and it exits 1.
# No service is started: the tests run their own private MariaDB and `php -S` on 127.0.0.1.
set -euo pipefail

# The theme is WordPress 6.1's default: without it the blog's pages are blank, and the tests of
# its home page (discovery, RSD, the blog's look, Micropub's endpoints) fail.
REQUIRED=(wordpress wordpress-theme-twentytwentythree php-cli php-mysql php-gd php-xml php-mbstring
  mariadb-server)

# _package_installed (reads dpkg's answer whole: safe under pipefail)
# shellcheck source=scripts/system-packages.sh
source "$(dirname "$0")/system-packages.sh"

missing_required() {
  local package
  for package in "${REQUIRED[@]}"; do _package_installed "$package" || echo "$package"; done
}
can_install() { [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; }

mapfile -t missing < <(missing_required)
if ((${#missing[@]} == 0)); then
  echo "WordPress test packages: all installed"
  exit 0
fi

if ! can_install; then
  echo "These packages for the WordPress integration tests are missing; install them (as root):"
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
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
apt-get update -qq
echo "Installing WordPress test packages: ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

mapfile -t still_missing < <(missing_required)
if ((${#still_missing[@]})); then
  echo "Still missing after apt-get install: ${still_missing[*]}" >&2
  exit 1
fi
$own_policy && rm -f "$policy"
echo "WordPress test packages: installed"
