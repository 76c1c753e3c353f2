#!/bin/sh
# Make sure a system tool is present: install it with apt-get when we are root on Debian/Ubuntu,
# otherwise stop with one line naming the command that installs it.
set -u
what=$1
install() {  # $1: Debian packages, $2: what to tell others
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "blueprint: installing $1 with apt-get" >&2
        if ! { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $1 >/dev/null; }; then
            echo "blueprint: apt-get could not install $1; install it with: $2" >&2
            exit 1
        fi
    else
        echo "blueprint: $1 is missing; install it with: $2" >&2
        exit 1
    fi
}
have() {  # any of the files exists
    for f in "$@"; do [ -f "$f" ] && return 0; done
    return 1
}
case "$what" in
graphviz)
    command -v dot >/dev/null 2>&1 && command -v fc-match >/dev/null 2>&1 ||
        install "graphviz fontconfig" "sudo apt-get install graphviz fontconfig (macOS: brew install graphviz)"
    ;;
fonts)
    # DejaVu Sans draws accented Latin, Greek and Cyrillic (and is the clean theme's font), WenQuanYi Micro Hei
    # Chinese, Japanese and Korean, Symbola emoji (Kalam has Latin only). SVGs embed subsets of them; without
    # them such labels come out as empty boxes.
    have /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/dejavu/DejaVuSans.ttf /usr/share/fonts/TTF/DejaVuSans.ttf &&
        have /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/wqy-microhei/wqy-microhei.ttc &&
        have /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf /usr/share/fonts/TTF/Symbola.ttf ||
        install "fonts-dejavu-core fonts-wqy-microhei fonts-symbola" "sudo apt-get install fonts-dejavu-core fonts-wqy-microhei fonts-symbola (non-Latin labels and emoji need them)"
    ;;
chromium)
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
        install "chromium" "sudo apt-get install chromium (macOS: brew install --cask chromium)"
    ;;
mermaid)
    # mermaid-cli renders the Mermaid export in the tests, with Debian's Chromium (no browser download).
    [ -x .venv/node/node_modules/.bin/mmdc ] && exit 0
    if command -v npm >/dev/null 2>&1; then
        echo "blueprint: installing @mermaid-js/mermaid-cli into .venv/node (for the export tests)" >&2
        PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix .venv/node --no-audit --no-fund --silent @mermaid-js/mermaid-cli@11 >/dev/null 2>&1 ||
            { echo "blueprint: npm could not install mermaid-cli; the Mermaid export tests will be skipped" >&2; exit 1; }
    else
        echo "blueprint: npm is missing; install it with: sudo apt-get install npm (the Mermaid export tests need it)" >&2
        exit 1
    fi
    ;;
excalidraw)
    # Excalidraw's own code (loadFromBlob, restore, exportToSvg) loads the Excalidraw export in the tests, in
    # Debian's Chromium: the npm package (with React, which it needs) bundled into one script by esbuild.
    [ -f .venv/node/excalidraw.js ] && exit 0
    if command -v npm >/dev/null 2>&1; then
        echo "blueprint: installing @excalidraw/excalidraw into .venv/node (for the export tests)" >&2
        npm install --prefix .venv/node --no-audit --no-fund --silent \
            @excalidraw/excalidraw@0.18.1 react@19 react-dom@19 esbuild@0.28 >/dev/null 2>&1 &&
            cp tools/excalidraw-entry.js .venv/node/excalidraw-entry.js &&
            (cd .venv/node && ./node_modules/.bin/esbuild excalidraw-entry.js --bundle --format=iife --minify \
                --log-level=error --define:process.env.NODE_ENV='"production"' --outfile=excalidraw.js.part) &&
            mv .venv/node/excalidraw.js.part .venv/node/excalidraw.js ||
            { echo "blueprint: npm could not install Excalidraw; the Excalidraw export tests will be skipped" >&2; exit 1; }
    else
        echo "blueprint: npm is missing; install it with: sudo apt-get install npm (the Excalidraw export tests need it)" >&2
        exit 1
    fi
    ;;
mxgraph)
    # The mxGraph library (draw.io's model and renderer) loads the draw.io export in the tests, in Chromium.
    [ -f .venv/node/node_modules/mxgraph/javascript/mxClient.min.js ] && exit 0
    if command -v npm >/dev/null 2>&1; then
        echo "blueprint: installing mxgraph into .venv/node (for the export tests)" >&2
        npm install --prefix .venv/node --no-audit --no-fund --silent mxgraph@4.2.2 >/dev/null 2>&1 ||
            { echo "blueprint: npm could not install mxgraph; the draw.io export tests will be skipped" >&2; exit 1; }
    else
        echo "blueprint: npm is missing; install it with: sudo apt-get install npm (the draw.io export tests need it)" >&2
        exit 1
    fi
    ;;
axe)
    # axe-core checks the course website's accessibility in the tests, in Debian's Chromium.
    [ -f .venv/node/node_modules/axe-core/axe.min.js ] && exit 0
    if command -v npm >/dev/null 2>&1; then
        echo "blueprint: installing axe-core into .venv/node (for the website's accessibility test)" >&2
        npm install --prefix .venv/node --no-audit --no-fund --silent axe-core@4.10 >/dev/null 2>&1 ||
            { echo "blueprint: npm could not install axe-core; the accessibility test will be skipped" >&2; exit 1; }
    else
        echo "blueprint: npm is missing; install it with: sudo apt-get install npm (the accessibility test needs it)" >&2
        exit 1
    fi
    ;;
venv)
    py=${2:-python3}
    command -v "$py" >/dev/null 2>&1 || install "python3 python3-venv" "sudo apt-get install python3 python3-venv (macOS: brew install python)"
    "$py" -c 'import ensurepip, venv' >/dev/null 2>&1 || install "python3-venv" "sudo apt-get install python3-venv"
    ;;
*)
    echo "need.sh: unknown tool $what" >&2
    exit 2
    ;;
esac
