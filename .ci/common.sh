# Shared by .ci/run and .ci/latest: the environment, the Debian packages the window
# test needs, and the checks (ruff, mypy on the engine, then the README's test command).
# Source it; it defines functions and changes nothing else.

ci_environment() {
  export CI=true
  export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-dummy}"
  export SDL_AUDIODRIVER="${SDL_AUDIODRIVER:-dummy}"
  export PIP_DISABLE_PIP_VERSION_CHECK=1
}

ci_install_system_packages() {
  local need_apt="" need_browser="" bin
  for bin in Xvfb xdotool; do command -v "$bin" >/dev/null 2>&1 || need_apt=1; done
  for bin in chromium chromedriver; do command -v "$bin" >/dev/null 2>&1 || need_browser=1; done
  if [ -n "$need_apt" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing xvfb and xdotool"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xdotool x11-apps >/dev/null) \
      || echo "warning: could not install xvfb/xdotool; the window test will skip"
  fi
  if [ -n "$need_browser" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing chromium and chromium-driver (the browser tests)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
      || echo "warning: could not install chromium; the browser tests will skip"
  fi
}

# ci_lint PYTHON: ruff on the code, mypy (strict) on the engine, the bots and the scenario loader.
ci_lint() {
  local py="$1"
  echo "== ruff check"
  "$py" -m ruff check game tests bench main.py
  echo "== mypy game/engine game/ai game/scenario"
  "$py" -m mypy game/engine game/ai game/scenario
}

# ci_checks PYTHON: lint, type-check the engine, then run exactly the README's test command.
ci_checks() {
  local py="$1" rc
  ci_lint "$py"
  echo "== python -m pytest"
  set +e
  "$py" -m pytest
  rc=$?
  set -e
  if [ "$rc" -eq 5 ]; then
    echo "no tests were collected"; return 1
  fi
  return "$rc"
}
