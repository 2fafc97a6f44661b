# Stand-in for jaegertracing/jaeger where it cannot be pulled: the Jaeger that
# collector/build.mjs builds from the release's Go module (module v1.76.0 =
# Jaeger 2.13.0), on Debian, as the official image's user 10001, with the
# official image's VOLUME /tmp (compose.yaml keeps Badger there). The Jaeger
# UI is not in the Go module: this binary serves a placeholder page at /,
# every API works. wget: compose.yaml's health check (busybox wget officially).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wget >/dev/null \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
COPY jaeger /usr/local/bin/jaeger
USER 10001
VOLUME ["/tmp"]
ENTRYPOINT ["/usr/local/bin/jaeger"]
