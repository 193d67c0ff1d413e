export ROOT=/work/issue12b
mkdir -p "$ROOT/.tmp/tmp" "$ROOT/.tmp/cache" "$ROOT/.tmp/config"
export TMPDIR="$ROOT/.tmp/tmp" XDG_CACHE_HOME="$ROOT/.tmp/cache" XDG_CONFIG_HOME="$ROOT/.tmp/config"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
