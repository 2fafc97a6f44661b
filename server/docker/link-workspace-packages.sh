#!/bin/sh
# Node strips TypeScript types itself, but never under node_modules
# (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), and `pnpm deploy` copies the
# workspace packages a service uses (TypeScript source) into node_modules.
# This moves each one to workspace/<name> beside the service and links it
# back, as the workspace itself does: node_modules/@tracing-demo/<name> is a
# symlink whose real path is outside node_modules, and the package finds its
# own dependencies through workspace/<name>/node_modules.
#
# Usage: link-workspace-packages.sh <directory of `pnpm deploy`>
set -eu
cd "$1"
for package in node_modules/.pnpm/@tracing-demo+*/node_modules/@tracing-demo/*; do
  # The other @tracing-demo entries of a .pnpm folder are symlinks already.
  if [ -L "$package" ] || [ ! -d "$package" ]; then continue; fi
  name=${package##*/}
  store=${package%/@tracing-demo/*} # node_modules/.pnpm/<id>/node_modules
  # pnpm may leave an empty node_modules/.bin there; anything else is unexpected.
  rm -rf "$package/node_modules/.bin"
  rmdir "$package/node_modules" 2>/dev/null || true
  if [ -e "workspace/$name" ] || [ -e "$package/node_modules" ]; then
    echo "link-workspace-packages: unexpected layout at $package" >&2
    exit 1
  fi
  mkdir -p workspace
  mv "$package" "workspace/$name"
  # Relative links: the folder is copied to another path in the runtime image.
  ln -s "../../../../../workspace/$name" "$package"
  ln -s "../../$store" "workspace/$name/node_modules"
done
