#!/usr/bin/env bash
# Runs every test. The browser tests of the web UI drive Debian's Chromium; when the machine lacks it
# (and STEMMA_CHROMIUM does not name one), this installs chromium and chromium-driver with apt-get first;
# the PostgreSQL store tests need Debian's postgresql package, installed the same way.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter FullyQualifiedName~Ingest).
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ -z "${STEMMA_CHROMIUM:-}" ] && { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; }; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  echo "test.sh: installing chromium and chromium-driver for the browser tests" >&2
  ($sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null) \
    || echo "test.sh: could not install chromium; the browser tests will fail (install chromium chromium-driver or set STEMMA_CHROMIUM)" >&2
fi

# The PostgreSQL store's tests and the CLI's --db postgres:// tests start a throw-away server with Debian's initdb/pg_ctl
# (the fixture in tests/Stemma.Testing/PostgreSql stops it at the end), unless STEMMA_TEST_POSTGRES names a server;
# install the package when initdb is missing.
if [ -z "${STEMMA_TEST_POSTGRES:-}" ] && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  echo "test.sh: installing postgresql for the PostgreSQL store tests" >&2
  ($sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null) \
    || echo "test.sh: could not install postgresql; the PostgreSQL store tests will fail (or set STEMMA_TEST_POSTGRES)" >&2
fi

exec dotnet test Stemma.slnx "$@"
