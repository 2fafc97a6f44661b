#!/bin/sh
# Runs when the web container starts: nginx's entrypoint runs every executable
# /docker-entrypoint.d/*.sh before nginx. Writes the endpoints the browser uses
# into runtime-config.js, which index.html loads before the app (see
# src/config.ts), so one image serves any host and ports.
#
# The same variables and precedence as the native path (stack/src/config.ts,
# web/vite.config.ts): VITE_API_URL, VITE_OTLP_TRACES_URL and VITE_JAEGER_URL
# first, then API_URL, COLLECTOR_OTLP_HTTP_TRACES_URL and JAEGER_URL, then URLs
# on 127.0.0.1 with the ports (API_PORT, COLLECTOR_OTLP_HTTP_PORT, JAEGER_UI_PORT).
set -eu

me=tracing-demo-runtime-config
out="${RUNTIME_CONFIG_FILE:-/usr/share/nginx/html/runtime-config.js}"

api_url="${VITE_API_URL:-${API_URL:-http://127.0.0.1:${API_PORT:-3000}}}"
otlp_traces_url="${VITE_OTLP_TRACES_URL:-${COLLECTOR_OTLP_HTTP_TRACES_URL:-http://127.0.0.1:${COLLECTOR_OTLP_HTTP_PORT:-4318}/v1/traces}}"
jaeger_url="${VITE_JAEGER_URL:-${JAEGER_URL:-http://127.0.0.1:${JAEGER_UI_PORT:-16686}}}"

# The values go into JavaScript strings: only http(s) URLs without quotes,
# backslashes, angle brackets or spaces, so there is nothing to escape.
check() {
  case "$2" in
    http://?* | https://?*) ;;
    *)
      printf "%s: %s must be an http:// or https:// URL, got \"%s\".\n" "$me" "$1" "$2" >&2
      exit 1
      ;;
  esac
  case "$2" in
    *[\"\\\<\>\`[:space:][:cntrl:]]*)
      printf "%s: %s must not contain quotes, backslashes, angle brackets or spaces, got \"%s\".\n" "$me" "$1" "$2" >&2
      exit 1
      ;;
  esac
}
check "VITE_API_URL or API_URL" "$api_url"
check "VITE_OTLP_TRACES_URL or COLLECTOR_OTLP_HTTP_TRACES_URL" "$otlp_traces_url"
check "VITE_JAEGER_URL or JAEGER_URL" "$jaeger_url"

cat >"$out" <<JS
// Written by $me when the container started.
window.__TRACING_DEMO_CONFIG__ = {
  apiUrl: "$api_url",
  otlpTracesUrl: "$otlp_traces_url",
  jaegerUrl: "$jaeger_url",
};
JS
printf "%s: API %s, spans to %s, Jaeger %s\n" "$me" "$api_url" "$otlp_traces_url" "$jaeger_url"
