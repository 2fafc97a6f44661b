#!/bin/sh
# Runs when the web container starts: nginx's entrypoint runs every executable
# /docker-entrypoint.d/*.sh before nginx. Writes the endpoints the browser uses
# into runtime-config.js, which index.html loads before the app (see
# src/config.ts), so one image serves any host and ports; and the security
# headers nginx sends, with those endpoints' origins in the
# Content-Security-Policy's connect-src, as `vite preview` sends them
# (nginx-headers.ts made the template when the image was built).
#
# Which endpoints, which variables set them and their defaults come from
# stack/src/browser-config.ts, the one place the browser's configuration is
# computed, through a table written into the image when it was built
# (browser-config-table.ts). Ports are not read here: compose derives the URLs
# from them (compose.yaml, service web).
set -eu

me=tracing-demo-runtime-config
out="${RUNTIME_CONFIG_FILE:-/usr/share/nginx/html/runtime-config.js}"
headers_template="${SECURITY_HEADERS_TEMPLATE:-/etc/nginx/tracing-demo-security-headers.inc.in}"
headers_out="${SECURITY_HEADERS_FILE:-/etc/nginx/conf.d/tracing-demo-security-headers.inc}"
# Sets runtime_config_global, connect_placeholder and endpoints.
. "${BROWSER_CONFIG_TABLE:-/etc/nginx/tracing-demo-browser-config.sh}"

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

# scheme://host[:port] of a URL checked above, like `new URL(url).origin`.
origin() {
  printf "%s" "$1" | sed -E 's|^([A-Za-z][A-Za-z0-9+.-]*://[^/?#]+).*|\1|'
}

js="// Written by $me when the container started.
window.$runtime_config_global = {"
# Each origin once, in the table's order (security-headers.ts lists them so).
connect=""
said=""
while read -r key use first second default; do
  [ -n "$key" ] || continue
  # The names come from the table, which accepts only names (browser-config-table.ts).
  eval "value=\${$first:-\${$second:-}}"
  [ -n "$value" ] || value="$default"
  check "$first or $second" "$value"
  js="$js
  $key: \"$value\","
  if [ "$use" = connect ]; then
    o=$(origin "$value")
    case " $connect " in
      *" $o "*) ;;
      *) connect="${connect:+$connect }$o" ;;
    esac
  fi
  said="$said $key $value"
done <<EOF
$endpoints
EOF

printf "%s\n};\n" "$js" >"$out"
sed "s|$connect_placeholder|$connect|" "$headers_template" >"$headers_out"
printf "%s:%s\n" "$me" "$said"
