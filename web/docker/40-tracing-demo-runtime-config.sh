#!/bin/sh
# Runs when the web container starts: nginx's entrypoint runs every executable
# /docker-entrypoint.d/*.sh before nginx. Writes the endpoints the browser uses
# into runtime-config.js, which index.html loads before the app (see
# src/config.ts), so one image serves any host and ports; and the security
# headers nginx sends, with those endpoints' origins in the
# Content-Security-Policy's connect-src, as `vite preview` sends them
# (nginx-headers.ts made the template when the image was built).
#
# The same variables and precedence as the native path (stack/src/config.ts,
# web/vite.config.ts): VITE_API_URL, VITE_OTLP_TRACES_URL and VITE_JAEGER_URL
# first, then API_URL, COLLECTOR_OTLP_HTTP_TRACES_URL and JAEGER_URL, then URLs
# on 127.0.0.1 with the ports (API_PORT, COLLECTOR_OTLP_HTTP_PORT, JAEGER_UI_PORT).
set -eu

me=tracing-demo-runtime-config
out="${RUNTIME_CONFIG_FILE:-/usr/share/nginx/html/runtime-config.js}"
headers_template="${SECURITY_HEADERS_TEMPLATE:-/etc/nginx/tracing-demo-security-headers.inc.in}"
headers_out="${SECURITY_HEADERS_FILE:-/etc/nginx/conf.d/tracing-demo-security-headers.inc}"
# Must match CONNECT_PLACEHOLDER in nginx-headers.ts.
connect_placeholder="http://connect-origins.invalid"

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

# scheme://host[:port] of a URL checked above, like `new URL(url).origin`.
origin() {
  printf "%s" "$1" | sed -E 's|^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]+).*|\1|'
}
api_origin=$(origin "$api_url")
otlp_origin=$(origin "$otlp_traces_url")
# Each origin once, API first (security-headers.ts lists them so).
connect="$api_origin"
[ "$otlp_origin" = "$api_origin" ] || connect="$connect $otlp_origin"
sed "s|$connect_placeholder|$connect|" "$headers_template" >"$headers_out"

printf "%s: API %s, spans to %s, Jaeger %s\n" "$me" "$api_url" "$otlp_traces_url" "$jaeger_url"
