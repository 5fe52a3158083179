# shellcheck shell=bash
# Sourced by scripts/run.sh and scripts/test.sh: the Debian/Ubuntu packages Draftpress needs, and
# `ensure_system_packages WHAT PACKAGE...`, which installs the missing ones with apt-get when run
# as root, and otherwise prints the exact apt command and exits 1. It never touches apt when
# everything is installed, and does nothing on a system without dpkg (it cannot check there).

# The shared libraries QtWebEngine and Qt's xcb/offscreen platforms load (Qt's own message about
# a missing xcb-cursor0 also appears when any of the xcb-* ones below is missing), and a font.
WINDOW_PACKAGES=(
  libasound2 libdbus-1-3 libdrm2 libegl1 libfontconfig1 libfreetype6 libgbm1 libgl1
  libglib2.0-0 libgssapi-krb5-2 libnspr4 libnss3 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcomposite1
  libxdamage1 libxfixes3 libxkbcommon-x11-0 libxkbcommon0 libxkbfile1 libxrandr2 libxtst6
  fonts-dejavu-core
  # spell checking: Enchant (pyenchant loads it) and an English Hunspell dictionary
  libenchant-2-2 hunspell-en-us
)
# A virtual environment for Python, and what the tests add: a real Secret Service
# (gnome-keyring under dbus-run-session) for the keyring test.
VENV_PACKAGES=(python3-venv)
# The spelling tests check British English and German (a post's `lang:`) too. Xvfb: a real X
# server for the test that the window is not made again when the preview's page comes in.
TEST_PACKAGES=(dbus dbus-x11 gnome-keyring hunspell-en-gb hunspell-de-de xvfb)
# Building the app (build_app.py, .ci/run): PyInstaller reads libraries with objdump and bundles
# the shared libpython of the Python that runs it (Debian's python3 comes without it).
_python_version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
# The app bundles Enchant, its Hunspell provider and the English dictionary (build_app.py).
BUILD_PACKAGES=(binutils "libpython${_python_version:-3}" libenchant-2-2 hunspell-en-us)

# Each output is read whole before it is matched: `cmd | grep -q` under the callers' pipefail
# fails whenever grep stops early and cmd dies of SIGPIPE.
_package_installed() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
  [[ $status == *"install ok installed"* ]]
}
# True when apt can install the package itself (a purely virtual name, such as Ubuntu 24.04's
# libasound2, has no candidate: `apt-cache show` succeeds on it but apt-get refuses it).
_package_installable() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null) || return 1
  grep -Eq '^ *Candidate: [^(]' <<<"$policy"
}

# Debian 12 and Ubuntu 24.04 differ in some library names (Ubuntu's have a t64 suffix): either
# name will do, and apt is given the one the archive knows.
ensure_system_packages() {
  local what=$1 package
  shift
  command -v dpkg-query >/dev/null || return 0
  local missing=()
  for package in "$@"; do
    _package_installed "$package" || _package_installed "${package}t64" || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "$what needs these system packages; install them first (as root), then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages for $what: ${missing[*]}"
  apt-get update -qq
  local resolved=()
  for package in "${missing[@]}"; do
    if _package_installable "$package"; then resolved+=("$package")
    elif _package_installable "${package}t64"; then resolved+=("${package}t64")
    else resolved+=("$package"); fi  # apt-get names it as missing
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${resolved[@]}"
}
