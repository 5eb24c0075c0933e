# Sourced by scripts/setup and scripts/test: installs the Debian packages sfl needs that
# are missing (apt-get; with sudo when not root). Package names are Debian 12's.
SFL_BUILD_PACKAGES="cmake gcc make pkg-config liblua5.4-dev libcjson-dev libgraphviz-dev libssl-dev libexpat1-dev libzip-dev libcurl4-openssl-dev"
SFL_TEST_PACKAGES="lua5.4 lua-busted python3 unzip"
# The specs also run the npm package asl-validator (installed into the build folder by
# the specs themselves): they need node and npm, from Debian unless already there.
SFL_TEST_COMMANDS="node:nodejs npm:npm"

sfl_install_missing() {
  missing=""
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "Installing missing Debian packages:$missing" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends $missing
}

# Installs the package of each "command:package" pair whose command is missing.
sfl_install_missing_commands() {
  packages=""
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || packages="$packages ${pair##*:}"
  done
  [ -z "$packages" ] || sfl_install_missing $packages
}
