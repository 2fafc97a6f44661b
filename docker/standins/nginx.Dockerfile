# Stand-in for nginxinc/nginx-unprivileged (web/Dockerfile's NGINX_IMAGE)
# where it cannot be pulled: Debian's nginx, laid out like the official image
# so web/Dockerfile works unchanged: user nginx (101), a writable /etc/nginx,
# pid and temp files in /tmp, logs to the container's output, and an
# entrypoint that fills /etc/nginx/templates/*.template in and runs
# /docker-entrypoint.d/*.sh before nginx (nginx-entrypoint.sh).
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx gettext-base wget >/dev/null \
    && apt-get clean && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available /var/www/html \
    && groupadd --system --gid 101 nginx \
    && useradd --system --uid 101 --gid nginx --home-dir /nonexistent --shell /usr/sbin/nologin nginx \
    && mkdir -p /etc/nginx/templates /docker-entrypoint.d /usr/share/nginx/html \
    && ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log \
    && chown -R 101:0 /etc/nginx /var/lib/nginx /var/log/nginx \
    && chmod -R g+w /etc/nginx
COPY nginx.conf /etc/nginx/nginx.conf
COPY nginx-entrypoint.sh /docker-entrypoint.sh
USER 101
EXPOSE 8080
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
