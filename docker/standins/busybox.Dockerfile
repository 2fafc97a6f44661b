# Stand-in for the busybox image (compose.yaml's collector-health) where it
# cannot be pulled: Debian with what that service runs, `sleep` (coreutils)
# and `wget`. GNU wget, not Debian's busybox 1.35: its wget applet crashes
# (SIGSEGV) on this kind of machine, on every request.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wget >/dev/null \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
CMD ["sh"]
