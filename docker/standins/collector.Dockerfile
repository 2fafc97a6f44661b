# Stand-in for otel/opentelemetry-collector-contrib where it cannot be pulled:
# the Collector that collector/build.mjs builds from the same version's Go
# modules (collector/builder-config.yaml; only the components the demo's
# config uses), on Debian, as the official image's user 10001.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY otelcol-tracing-demo /usr/local/bin/otelcol-tracing-demo
USER 10001
ENTRYPOINT ["/usr/local/bin/otelcol-tracing-demo"]
