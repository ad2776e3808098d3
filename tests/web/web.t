#!/usr/bin/env bash
# The Zero OS web page (docs/web.md) in headless Chromium through
# playwright-core: tests/web/web-test.mjs.  Builds the site (web/build.sh)
# from the wasm build first.  Skips only when Chromium cannot be installed.
cd "$(dirname "$0")/../.." || exit 1
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/tmp/zero-chromium.log 2>&1 ||
            { apt-get update -q >>/tmp/zero-chromium.log 2>&1 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >>/tmp/zero-chromium.log 2>&1; }
    fi
    if [ ! -x /usr/bin/chromium ]; then
        echo "1..0 # SKIP chromium cannot be installed (Debian package chromium; see /tmp/zero-chromium.log)"
        exit 0
    fi
fi
if ! web/build.sh >&2; then
    echo "1..1"
    echo "not ok 1 - web_site_builds"
    exit 1
fi
exec node tests/web/web-test.mjs
