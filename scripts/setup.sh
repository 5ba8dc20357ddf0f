#!/usr/bin/env bash
# Prepare this checkout: system packages (Debian/apt) and the Python venv.
#
#   scripts/setup.sh [--for test|run] [--spark]
#
#   --for test (default)  everything `make test` needs; fails if something is missing
#                         and cannot be installed (not root).
#   --for run             what `make run` / `make bench` need; when not root, a missing
#                         system package is only a warning (the app starts; PDF export
#                         or some charts will not work until it is installed).
#   --spark               also the `spark` extra (PySpark, SQLGlot: `hkdash import --engine
#                         spark`, docs/scale.md) and Java 17 (Debian's openjdk-17-jre-headless)
#                         when no Java 17 or newer is found. `make test` asks for it.
#
# Idempotent. The Python part is skipped when .venv/.setup-stamp matches a hash of
# pyproject.toml + constraints.txt + the interpreter + the top-level module layout;
# the system checks are a few `command -v` / dlopen probes (well under a second).
#
# Environment: PYTHON=/path/to/python3.X picks the interpreter (>= 3.11) for a new venv.
# Never downloads browsers: Playwright and kaleido use the system /usr/bin/chromium.
set -euo pipefail

MODE=test
SPARK=0
while [ $# -gt 0 ]; do
    case "$1" in
        --for) MODE="${2:?--for needs test or run}"; shift 2 ;;
        --for=*) MODE="${1#--for=}"; shift ;;
        --spark) SPARK=1; shift ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "setup: unknown argument: $1" >&2; exit 2 ;;
    esac
done
case "$MODE" in test|run) ;; *) echo "setup: --for must be test or run" >&2; exit 2 ;; esac

cd "$(dirname "$0")/.."
ROOT="$PWD"
VENV="$ROOT/.venv"
STAMP="$VENV/.setup-stamp"

say()  { printf 'setup: %s\n' "$*"; }
warn() { printf 'setup: WARNING: %s\n' "$*" >&2; }
die()  { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# ---------------------------------------------------------------- system packages
# Each probe checks the capability, not the package, so other distros that provide
# the same binaries/libraries pass. Debian 12 package names are used to install.

have_cmd() { command -v "$1" >/dev/null 2>&1; }

# dlopen() the shared libraries as WeasyPrint does (cffi dlopen); one Python call
# for all of them. Prints the sonames that fail to load.
missing_libs() {
    local py
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c pass >/dev/null 2>&1; then
        py="$VENV/bin/python"
    else
        py="$(command -v python3 || command -v python || true)"
    fi
    [ -n "$py" ] || { printf '%s\n' "$@"; return; }
    "$py" - "$@" <<'PY'
import ctypes, sys
for name in sys.argv[1:]:
    try:
        ctypes.CDLL(name)
    except OSError:
        print(name)
PY
}

# A system font with the rupee sign (U+20B9), for Chromium (kaleido, browser tests).
have_rupee_font() {
    if have_cmd fc-list && [ -n "$(fc-list ':charset=20b9' family 2>/dev/null | head -n1)" ]; then
        return 0
    fi
    local f
    for f in /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
             /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf; do
        [ -e "$f" ] && return 0
    done
    return 1
}

# A system font that has the code point (hex), e.g. 0915 (Devanagari KA), 1f4aa (flexed biceps).
have_font_for() {
    have_cmd fc-list && [ -n "$(fc-list ":charset=$1" family 2>/dev/null | head -n1)" ]
}

# Java 17 or newer on the PATH (PySpark 4 starts a JVM).
have_java17() {
    have_cmd java || return 1
    local major
    major="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
    [ -n "$major" ] && [ "$major" -ge 17 ]
}

MISSING_REQUIRED=()   # Debian packages whose absence fails this mode
MISSING_OPTIONAL=()   # only warned about (run mode)
need() { # need required|optional debian-package why
    if [ "$1" = required ]; then MISSING_REQUIRED+=("$2"); else MISSING_OPTIONAL+=("$2"); fi
    WHY+=("$2: $3")
}
WHY=()

probe_system() {
    MISSING_REQUIRED=(); MISSING_OPTIONAL=(); WHY=()
    local level_run=optional
    [ "$MODE" = test ] && level_run=required
    # WeasyPrint (PDF reports) loads these with dlopen; pango pulls in glib,
    # fontconfig and harfbuzz. harfbuzz-subset makes font subsetting fast.
    local lib
    for lib in $(missing_libs libgobject-2.0.so.0 libfontconfig.so.1 libpango-1.0.so.0 \
                              libpangoft2-1.0.so.0 libharfbuzz.so.0 libharfbuzz-subset.so.0); do
        case "$lib" in
            libgobject-2.0.so.0)     need "$level_run" libglib2.0-0 "WeasyPrint (PDF reports)" ;;
            libfontconfig.so.1)      need "$level_run" libfontconfig1 "WeasyPrint (PDF reports)" ;;
            libpango-1.0.so.0)       need "$level_run" libpango-1.0-0 "WeasyPrint (PDF reports)" ;;
            libpangoft2-1.0.so.0)    need "$level_run" libpangoft2-1.0-0 "WeasyPrint (PDF reports)" ;;
            libharfbuzz.so.0)        need "$level_run" libharfbuzz0b "WeasyPrint (PDF reports)" ;;
            libharfbuzz-subset.so.0) need "$level_run" libharfbuzz-subset0 "WeasyPrint font subsetting" ;;
        esac
    done
    # Chromium renders the report charts (kaleido) and drives the browser tests.
    have_cmd chromium || need "$level_run" chromium "chart images in PDF reports (kaleido) and browser tests"
    have_rupee_font   || need "$level_run" fonts-dejavu-core "a system font with the rupee sign for Chromium"
    # Names in Indian scripts and emoji: chart labels (kaleido's Chromium) and the PDF's fallback
    # (WeasyPrint draws the colour emoji's PNG glyphs). The pages use assets/fonts for the scripts.
    have_font_for 0915 || need "$level_run" fonts-noto-core "Indian-script names (Devanagari, Tamil, …) in charts"
    have_font_for 1f4aa || need "$level_run" fonts-noto-color-emoji "emoji in names, in charts and PDF reports"
    if [ "$SPARK" = 1 ]; then
        have_java17 || need required openjdk-17-jre-headless "the Spark engine (PySpark needs Java 17)"
    fi
    if [ "$MODE" = test ]; then
        { have_cmd pdftotext && have_cmd pdftoppm; } || need required poppler-utils "PDF tests (pdftotext, pdftoppm)"
        have_cmd strace || need required strace "the test that the chart browser makes no network requests"
    fi
}

install_system() {
    local pkgs=("$@")
    [ ${#pkgs[@]} -gt 0 ] || return 0
    have_cmd apt-get || die "missing system packages (${pkgs[*]}) and no apt-get here; install the equivalents by hand"
    say "installing system packages: ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # openjdk's post-install step fails on slim images without this directory.
    mkdir -p /usr/share/man/man1
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
}

system_step() {
    probe_system
    local all=("${MISSING_REQUIRED[@]}" "${MISSING_OPTIONAL[@]}")
    [ ${#all[@]} -eq 0 ] && return 0
    if is_root; then
        install_system "${all[@]}"
        probe_system
        all=("${MISSING_REQUIRED[@]}" "${MISSING_OPTIONAL[@]}")
        [ ${#all[@]} -eq 0 ] || die "still missing after apt-get install: ${all[*]}"
        return 0
    fi
    local w
    for w in "${WHY[@]}"; do printf 'setup:   missing %s\n' "$w" >&2; done
    local cmd="sudo apt-get update && sudo apt-get install -y --no-install-recommends ${all[*]}"
    if [ ${#MISSING_REQUIRED[@]} -gt 0 ]; then
        die "required system packages are missing. Run:
    $cmd
then re-run this command."
    fi
    warn "some system packages are missing; the app will start, but PDF export needs them. Install with:
    $cmd"
}

# ---------------------------------------------------------------- python / venv

version_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }

pick_python() {
    if [ -n "${PYTHON:-}" ]; then
        version_ok "$PYTHON" || die "PYTHON=$PYTHON is not Python >= 3.11"
        echo "$PYTHON"; return
    fi
    local c
    for c in python3 python3.13 python3.12 python3.11 python; do
        if have_cmd "$c" && version_ok "$c"; then command -v "$c"; return; fi
    done
    die "Python >= 3.11 not found (set PYTHON=/path/to/python3.11)"
}

extras() {
    if [ "$SPARK" = 1 ]; then echo "test,spark"; else echo "test"; fi
}

stamp_value() {
    # Key: the dependency files, the venv's interpreter version (a rebuilt base Python
    # invalidates it) and the top-level layout. The editable install snapshots the
    # layout: a package directory that had no __init__.py at install time is recorded
    # as a namespace package and keeps shadowing the real package once __init__.py
    # appears (e.g. `metrics.__file__` is None), so a new __init__.py or top-level
    # module forces a reinstall.
    {
        cat pyproject.toml constraints.txt
        echo "extras=$(extras)"
        "$VENV/bin/python" -c 'import sys; print(sys.version)'
        ls -1d -- */__init__.py *.py 2>/dev/null || true
    } | sha256sum | cut -d' ' -f1
}

make_venv() {
    local py
    py="$(pick_python)"
    say "creating .venv with $py ($("$py" -c 'import platform; print(platform.python_version())'))"
    if ! "$py" -m venv "$VENV" 2>/tmp/hkdash-venv-err.$$; then
        rm -rf "$VENV"
        # Debian's python3 ships venv/ensurepip separately (python3-venv).
        if grep -qiE 'ensurepip|python3.*-venv' /tmp/hkdash-venv-err.$$ && have_cmd apt-get; then
            local pkg
            pkg="python$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')-venv"
            if is_root; then
                rm -f /tmp/hkdash-venv-err.$$
                DEBIAN_FRONTEND=noninteractive apt-get update -qq
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
                "$py" -m venv "$VENV" || { rm -rf "$VENV"; die "python -m venv failed"; }
            else
                cat /tmp/hkdash-venv-err.$$ >&2; rm -f /tmp/hkdash-venv-err.$$
                die "cannot create a venv. Run:
    sudo apt-get install -y $pkg"
            fi
        else
            cat /tmp/hkdash-venv-err.$$ >&2; rm -f /tmp/hkdash-venv-err.$$
            die "python -m venv failed"
        fi
    fi
    rm -f /tmp/hkdash-venv-err.$$
}

python_step() {
    # A venv whose base interpreter vanished is rebuilt from scratch.
    if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'pass' >/dev/null 2>&1; then
        warn ".venv is broken (its Python is gone); recreating it"
        rm -rf "$VENV"
    fi
    [ -x "$VENV/bin/python" ] || make_venv
    version_ok "$VENV/bin/python" || die ".venv has Python < 3.11; remove .venv and re-run (PYTHON=... to choose)"

    local want
    want="$(stamp_value)"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
        return 0
    fi
    rm -f "$STAMP"
    # A venv left without pip (an interrupted creation) is rebuilt too.
    if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        warn ".venv has no pip; recreating it"
        rm -rf "$VENV"
        make_venv
    fi
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_PROGRESS_BAR=off
    local pip=("$VENV/bin/python" -m pip)
    say "installing Python packages (pinned by constraints.txt)"
    # pip itself first (pinned): older pips lack --build-constraint.
    "${pip[@]}" install -q -c constraints.txt pip
    "${pip[@]}" install -q -c constraints.txt --build-constraint constraints.txt -e ".[$(extras)]"
    "${pip[@]}" check >/dev/null || { "${pip[@]}" check >&2 || true; die "pip check found broken requirements"; }
    stamp_value > "$STAMP"
    say "Python environment ready"
}

system_step
python_step
