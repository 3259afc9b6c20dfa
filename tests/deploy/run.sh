#!/usr/bin/env bash
# The deployment sample of docs/deploy.md, tried for real: Debian's nginx with the sample site
# (docs/deploy/motcua.nginx.conf, a self-signed certificate) in front of one portal process that trusts it
# as its proxy, and the sample systemd unit checked by `systemd-analyze verify`.
#
#   tests/deploy/run.sh BIN     BIN: the motcua binary
#
# Checks: HTTPS answers through nginx with HSTS and __Host- cookies; HTTP redirects to HTTPS; the client
# address the portal throttles by is the one nginx saw (a forged X-Forwarded-For changes nothing: 30 failed
# logins from 127.0.0.5 lock 127.0.0.5, not 127.0.0.6); /metrics needs its token; the unit verifies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
BIN=${1:?usage: tests/deploy/run.sh BIN}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
WORK=$(mktemp -d -t motcua-deploy.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() { local pid; for pid in "${PIDS[@]}"; do stop_pid "$pid" 5; done; rm -rf "$WORK"; }
trap cleanup EXIT
FAILS=0
check() { local what=$1; shift; if "$@"; then echo "ok - $what"; else echo "not ok - $what"; FAILS=$((FAILS + 1)); fi; }

command -v nginx >/dev/null || apt_install nginx
command -v openssl >/dev/null || apt_install openssl

# 1. The systemd unit: the sample as shipped, with the binary's real path (verify checks ExecStart exists).
mkdir -p "$WORK/systemd"
sed "s|/usr/local/bin/motcua|$BIN|" docs/deploy/motcua.service >"$WORK/systemd/motcua@8081.service"
if command -v systemd-analyze >/dev/null; then
  out=$(cd "$WORK/systemd" && systemd-analyze verify --man=no "motcua@8081.service" 2>&1 || true)
  echo "$out" | sed 's/^/  systemd-analyze: /'
  check "the systemd unit verifies" bash -c "! grep -qiE 'error|invalid|unknown|failed|not executable|ignoring' <<<\"\$1\"" _ "$out"
else
  echo "skip - systemd-analyze is not installed"
fi

# 2. The portal behind the sample nginx site.
APP_PORT=$(free_port); HTTPS_PORT=$(free_port); HTTP_PORT=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
  -keyout "$WORK/privkey.pem" -out "$WORK/fullchain.pem" >/dev/null 2>&1
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
sed -e "s|/etc/ssl/motcua/|$WORK/|" -e "s|dichvucong.example.vn|localhost|" \
  -e "s|listen 443 ssl|listen 127.0.0.1:$HTTPS_PORT ssl|" -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" \
  -e '/listen \[::\]/d' -e "s|server 127.0.0.1:8081;|server 127.0.0.1:$APP_PORT;|" -e '/server 127.0.0.1:8082;/d' \
  docs/deploy/motcua.nginx.conf >"$WORK/nginx/site.conf"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  include $WORK/nginx/site.conf;
}
CONF
[[ $EUID -eq 0 ]] && chown -R www-data: "$WORK/nginx" 2>/dev/null || true
nginx -t -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >/dev/null 2>&1 || { nginx -t -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"; die "the sample site does not load"; }
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
BASE=https://localhost:$HTTPS_PORT
MOTCUA_PUBLIC_URL=$BASE MOTCUA_TRUSTED_PROXIES=127.0.0.1 MOTCUA_METRICS_TOKEN=deploy-test-metrics-token MOTCUA_BCRYPT_COST=4 \
  "$BIN" serve --host 127.0.0.1 --port "$APP_PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
CURL=(curl -sk --resolve "localhost:$HTTPS_PORT:127.0.0.1" --max-time 10)
for _ in $(seq 300); do "${CURL[@]}" -f -o /dev/null "$BASE/readyz" && break; sleep 0.2; done

check "HTTPS through nginx answers" bash -c "[[ \$(${CURL[*]} -o /dev/null -w '%{http_code}' $BASE/readyz) == 200 ]]"
headers=$("${CURL[@]}" -D - -o /dev/null "$BASE/dang-nhap")
check "HSTS over HTTPS" grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers"
check "__Host- CSRF cookie, Secure" grep -qiE '^set-cookie: __Host-motcua_csrf=[^;]+;.*Secure' <<<"$headers"
check "HTTP redirects to HTTPS" bash -c "[[ \$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://127.0.0.1:$HTTP_PORT/thu-tuc) == '301 https://'* ]]"
check "/metrics needs its token" bash -c "[[ \$(${CURL[*]} -o /dev/null -w '%{http_code}' $BASE/metrics) == 401 ]]"
check "/metrics with the token" bash -c "${CURL[*]} -H 'Authorization: Bearer deploy-test-metrics-token' $BASE/metrics | grep -q motcua_http_requests_total"

# failed_login SOURCE_ADDRESS N : one wrong login (an unknown account N) from SOURCE_ADDRESS, with a forged
# X-Forwarded-For; prints the status.
failed_login() {
  local jar=$WORK/jar-$1 token
  token=$("${CURL[@]}" --interface "$1" -c "$jar" -b "$jar" "$BASE/dang-nhap" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | cut -d'"' -f4 || true)
  "${CURL[@]}" --interface "$1" -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: 198.51.100.$2" \
    --data-urlencode "_csrf=$token" --data-urlencode "email=khach$2@example.vn" --data-urlencode "password=sai-mat-khau" "$BASE/dang-nhap" || true
}
for n in $(seq 30); do failed_login 127.0.0.5 "$n" >/dev/null; done
check "30 failed logins lock the client nginx saw (127.0.0.5), forged headers notwithstanding" \
  bash -c "[[ \$1 == 429 ]]" _ "$(failed_login 127.0.0.5 31)"
check "another client (127.0.0.6) is not locked out" bash -c "[[ \$1 == 401 ]]" _ "$(failed_login 127.0.0.6 32)"

if ((FAILS)); then
  tail -n 30 "$WORK/server.log" >&2 || true
  cat "$WORK/nginx/logs/error.log" >&2 || true
  echo "deploy: $FAILS checks failed"
  exit 1
fi
echo "deploy: all checks passed"
