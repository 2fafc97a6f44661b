// pnpm hooks for this workspace (pnpm reads this file itself; its checksum is in pnpm-lock.yaml).
//
// trace-assert declares @playwright/test as a peer dependency: that is what
// the published package needs (the user's own Playwright, one copy). Inside
// the workspace the peer is dropped, because `pnpm deploy` of the API
// (server/Dockerfile) would otherwise resolve it, even marked optional, and
// put Playwright (19 MB) into the API image, which only uses trace-assert's
// Jaeger reader. Every workspace package that runs Playwright depends on
// @playwright/test itself. `pnpm pack` reads package.json, not this hook.
const PEERS_DROPPED_IN_THE_WORKSPACE = { '@tracing-demo/trace-assert': ['@playwright/test'] };

function readPackage(pkg) {
  for (const name of PEERS_DROPPED_IN_THE_WORKSPACE[pkg.name] ?? []) {
    if (pkg.peerDependencies) delete pkg.peerDependencies[name];
    if (pkg.peerDependenciesMeta) delete pkg.peerDependenciesMeta[name];
  }
  return pkg;
}

module.exports = { hooks: { readPackage } };
