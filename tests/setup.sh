#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine; safe to run again. Each later component adds its
# own step here (MQTT broker, Ethereum dev node, browser), so tests never depend on a hand-prepared machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Package mirrors and registries fail now and then; each download is tried three times before setup gives up.
retry() {
  local attempt
  for attempt in 1 2 3; do
    if "$@"; then
      return 0
    fi
    echo "setup: '$*' failed (attempt $attempt of 3)" >&2
    [ "$attempt" -lt 3 ] && sleep $((attempt * 15))
  done
  return 1
}

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); it is not in Debian's archive, so install it first." >&2
  exit 1
fi

major=$(dotnet --version | cut -d. -f1)
if [ "$major" -lt 10 ]; then
  echo "The .NET SDK 10 or later is required; found $(dotnet --version)." >&2
  exit 1
fi
echo "setup: .NET SDK $(dotnet --version)"

# The gateway tests run a real MQTT broker and its command-line clients (Debian's mosquitto packages).
if ! command -v mosquitto_sub >/dev/null 2>&1 || [ ! -x /usr/sbin/mosquitto ]; then
  echo "setup: installing mosquitto and mosquitto-clients"
  export DEBIAN_FRONTEND=noninteractive
  retry apt-get update -qq
  retry apt-get install -y -qq mosquitto mosquitto-clients >/dev/null
fi
echo "setup: $(/usr/sbin/mosquitto -h 2>/dev/null | head -1)"

# The provisioning tests and the GNSS tests join their two ends through a pseudo-terminal pair (Debian's socat).
if ! command -v socat >/dev/null 2>&1; then
  echo "setup: installing socat"
  export DEBIAN_FRONTEND=noninteractive
  retry apt-get update -qq
  retry apt-get install -y -qq socat >/dev/null
fi
echo "setup: $(socat -V 2>/dev/null | grep -m1 'socat version')"

# The anchoring tests run a local Ethereum dev chain: anvil 1.7.1 from Foundry's npm package (the native
# binary ships inside it; nothing is downloaded at run time), installed into .tools/anvil.
anvil=.tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
if [ ! -x "$anvil" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: installing npm (Debian) to fetch anvil"
    export DEBIAN_FRONTEND=noninteractive
    retry apt-get update -qq
    retry apt-get install -y -qq npm >/dev/null
  fi
  echo "setup: installing anvil 1.7.1 into .tools/anvil"
  retry npm install --no-save --silent --prefix .tools/anvil @foundry-rs/anvil-linux-amd64@1.7.1 >/dev/null
fi
echo "setup: $("$anvil" --version | head -1)"

# The web app's end-to-end tests drive Debian's chromium through Microsoft.Playwright (executablePath
# /usr/bin/chromium); Playwright's own browser download cannot work on a closed network and is never used.
if [ ! -x /usr/bin/chromium ]; then
  echo "setup: installing chromium (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  retry apt-get update -qq
  retry apt-get install -y -qq chromium >/dev/null
fi
echo "setup: $(/usr/bin/chromium --version 2>/dev/null | head -1)"

# The web app bundles its QR decoder (jsqr) from the npm registry; the gateway's build runs `npm ci` for it.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing npm (Debian) for the web app's QR decoder"
  export DEBIAN_FRONTEND=noninteractive
  retry apt-get update -qq
  retry apt-get install -y -qq npm >/dev/null
fi

# Installed here, with retries, rather than left to the build's one attempt (MeshMessenger.Gateway.csproj).
if [ ! -f gateway/MeshMessenger.Gateway/WebApp/node_modules/jsqr/dist/jsQR.js ] || [ ! -f gateway/MeshMessenger.Gateway/WebApp/node_modules/qrcode-generator/dist/qrcode.mjs ]; then
  echo "setup: installing the web app's jsqr and qrcode-generator (WebApp/package-lock.json)"
  (cd gateway/MeshMessenger.Gateway/WebApp && retry npm ci --no-audit --no-fund --silent)
fi

# The wallet's Bitcoin-family tests run a throwaway Litecoin Core regtest node (Debian's litecoind 0.21;
# MeshMessenger.Wallet.Utxo.LocalLitecoinNode starts /usr/lib/litecoin/litecoind directly).
if [ ! -x /usr/lib/litecoin/litecoind ]; then
  echo "setup: installing litecoind (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  retry apt-get update -qq
  retry apt-get install -y -qq litecoind >/dev/null
fi
echo "setup: $(/usr/lib/litecoin/litecoind -version 2>/dev/null | head -1)"
# The wallet's ERC-20 tests recompile tests/fixtures/erc20/MeshTestToken.sol and compare the bytecode with the
# checked-in MeshTestToken.json: solc-js 0.8.37 and OpenZeppelin Contracts 5.7.0 from npm, into .tools/solc.
if [ ! -f .tools/solc/node_modules/solc/package.json ] || [ ! -d .tools/solc/node_modules/@openzeppelin/contracts ]; then
  echo "setup: installing solc 0.8.37 and @openzeppelin/contracts 5.7.0 into .tools/solc"
  retry npm install --no-save --silent --no-audit --no-fund --prefix .tools/solc solc@0.8.37 @openzeppelin/contracts@5.7.0 >/dev/null
fi
echo "setup: solc $(node -e 'console.log(require("./.tools/solc/node_modules/solc/package.json").version)')"
