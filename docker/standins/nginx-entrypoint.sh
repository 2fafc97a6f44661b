#!/bin/sh
# What the official nginx image's entrypoint does that web/Dockerfile relies
# on: /etc/nginx/templates/*.template become /etc/nginx/conf.d/* with the
# environment variables that are set filled in (others, like nginx's own
# $uri, are left alone), then every executable /docker-entrypoint.d/*.sh runs,
# then nginx replaces this shell (exec), so it receives the stop signal.
set -eu
if [ "${1:-}" = nginx ]; then
  defined=$(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/${\1}/p' | tr '\n' ' ')
  for template in /etc/nginx/templates/*.template; do
    [ -f "$template" ] || continue
    out="/etc/nginx/conf.d/$(basename "$template" .template)"
    envsubst "$defined" <"$template" >"$out"
    echo "$0: filled $template into $out"
  done
  for script in /docker-entrypoint.d/*.sh; do
    [ -x "$script" ] || continue
    echo "$0: running $script"
    "$script"
  done
fi
exec "$@"
