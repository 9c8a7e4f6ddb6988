# shellcheck shell=bash
# Throwaway Apache Traffic Server instances for the samples (sourced by ats.sh and ats-matrix.sh, after
# lib.sh): own runroot, config and logs under a work folder, run directly (no systemd, no
# traffic_manager), configured like Expressway-C's proxy.

TS_BIN=${TS_BIN:-/usr/bin/traffic_server}

# ats_runroot RR: the layout under RR, the packaged config copied in, and runroot.yaml.
ats_runroot() {
  local rr=$1
  rm -rf "$rr"
  mkdir -p "$rr"/{etc,var,run,log,cache,ssl}
  cp -r /etc/trafficserver/. "$rr/etc/"
  cat >"$rr/runroot.yaml" <<EOR
prefix: $rr
exec_prefix: $rr
bindir: /usr/bin
sbindir: /usr/sbin
sysconfdir: $rr/etc
datadir: $rr/var
includedir: /usr/include
libdir: /usr/lib/trafficserver
libexecdir: /usr/lib/trafficserver/modules
localstatedir: $rr/var
runtimedir: $rr/run
logdir: $rr/log
cachedir: $rr/cache
EOR
}

# ats_records RR PORT RETRIES: the records.config lines both instances share, in this order: one
# thread, reverse proxy with required remap, no cache, the host file RR/etc/hosts, RETRIES connect
# retries, origin verification ENFORCED/ALL against RR/ssl/ca.pem.
ats_records() {
  local rr=$1 port=$2 retries=$3
  cat <<EOR
CONFIG proxy.config.admin.user_id STRING #-1
CONFIG proxy.config.http.server_ports STRING $port:ipv4:ip-in=127.0.0.1
CONFIG proxy.config.exec_thread.autoconfig INT 0
CONFIG proxy.config.exec_thread.limit INT 1
CONFIG proxy.config.accept_threads INT 1
CONFIG proxy.config.task_threads INT 1
CONFIG proxy.config.cache.threads_per_disk INT 1
CONFIG proxy.config.url_remap.remap_required INT 1
CONFIG proxy.config.reverse_proxy.enabled INT 1
CONFIG proxy.config.url_remap.pristine_host_hdr INT 0
CONFIG proxy.config.http.cache.http INT 0
CONFIG proxy.config.http.wait_for_cache INT 0
CONFIG proxy.config.http.insert_request_via_str INT 1
CONFIG proxy.config.http.connect_attempts_max_retries INT $retries
CONFIG proxy.config.http.connect_attempts_timeout INT 5
CONFIG proxy.config.hostdb.host_file.path STRING $rr/etc/hosts
CONFIG proxy.config.dns.resolv_conf STRING $rr/etc/resolv.conf
CONFIG proxy.config.ssl.client.verify.server.policy STRING ENFORCED
CONFIG proxy.config.ssl.client.verify.server.properties STRING ALL
CONFIG proxy.config.ssl.client.CA.cert.path STRING $rr/ssl
CONFIG proxy.config.ssl.client.CA.cert.filename STRING ca.pem
EOR
}

# ats_diags_records: debug tag ssl.error, every diags level to diags.log.
ats_diags_records() {
  local l
  printf 'CONFIG proxy.config.diags.debug.enabled INT 1\nCONFIG proxy.config.diags.debug.tags STRING ssl.error\n'
  for l in diag debug status note warning error fatal alert emergency; do
    printf 'CONFIG proxy.config.diags.output.%s STRING L\n' "$l"
  done
}

# ats_start RR PORT: start traffic_server from RR (UTC timestamps), wait until it listens on
# 127.0.0.1:PORT and its host file is loaded; sets TS_PID.
ats_start() {
  local rr=$1 port=$2 i
  TZ=UTC TS_RUNROOT="$rr/runroot.yaml" "$TS_BIN" --run-root="$rr/runroot.yaml" >"$rr/log/traffic.out" 2>&1 &
  TS_PID=$!
  BG_PIDS+=("$TS_PID")
  for ((i = 0; i < 150; i++)); do
    ss -Hltn "src 127.0.0.1:$port" | grep -q LISTEN && break
    kill -0 "$TS_PID" 2>/dev/null || { tail -20 "$rr/log/traffic.out" "$rr/log/diags.log" >&2 2>/dev/null; die "traffic_server exited"; }
    sleep 0.1
  done
  ss -Hltn "src 127.0.0.1:$port" | grep -q LISTEN || die "traffic_server did not listen on $port"
  # HostDB loads the host file from its first background event, about 1 s after start; a request
  # sent before that goes to DNS (none here) and hangs, so give it time.
  sleep 2.5
}

# ats_stop: end the instance started by ats_start.
ats_stop() {
  kill -TERM "$TS_PID" 2>/dev/null || true
  wait "$TS_PID" 2>/dev/null || true
}
