#!/usr/bin/env python3
"""Webhook benchmarks (standard library only). Everything listens on 127.0.0.1; every process it starts is stopped by PID.

  bench/webhooks.py throughput [--events 10000]
      A fresh server on SQLite (Release build, Production) and bench/WebhookReceiver, which verifies every
      delivery with StandardWebhooks. The receiver is down while the events are made (PATCH of a workspace
      through the SYSTEM API, each one audited, queued in the outbox and expanded into a delivery), so they
      pile up behind the endpoint's pause after its first failed attempt; then the receiver starts, one
      replay ends the pause, and the time until the last delivery is verified gives deliveries per second.

  bench/webhooks.py backlog PORT DATA_DIR [--count 60000]
      For bench/run.sh --after-start (with --server-arg --Tenantry:AdminApiKey=<ADMIN below>): on the running server, an endpoint of one institution that points at a
      started receiver, and COUNT pending deliveries written straight into its SQLite file, so that the
      worker delivers all through the measured run. On SIGTERM it prints how many arrived, deletes the
      endpoint (and so the deliveries) and stops the receiver.

Build first: dotnet build -c Release && dotnet build bench/WebhookReceiver -c Release.
"""
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_DLL = os.path.join(ROOT, "src/Tenantry.Server/bin/Release/net10.0/Tenantry.Server.dll")
RECEIVER_DLL = os.path.join(ROOT, "bench/WebhookReceiver/bin/Release/net10.0/WebhookReceiver.dll")
PORTAL = "bench-portal"
# The operator key (at least 32 characters); bench/run.sh must give its server the same one, see docs/BENCHMARKS.md.
ADMIN = "bench-operator-key-0123456789abcdef"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Http:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method, path, body=None, token=None, admin=False, raw=None):
        headers = {"Content-Type": "application/json"}
        if admin:
            headers["X-Admin-Key"] = ADMIN
        else:
            headers["X-PORTAL-ACCESS-CODE"] = PORTAL
        if token:
            headers["Authorization"] = "Bearer " + token
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        return response.status, text

    def json(self, method, path, body=None, token=None, admin=False):
        status, text = self.call(method, path, body, token, admin)
        if status != 200:
            raise RuntimeError(f"{method} {path}: {status} {text[:300]}")
        return json.loads(text)["data"]


def wait_ready(port, path, pid, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if pid.poll() is not None:
            raise RuntimeError(f"process for port {port} exited")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing ready on {port}")


def start_receiver(port):
    p = subprocess.Popen(["dotnet", RECEIVER_DLL, "--urls", f"http://127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, "/ready", p)
    return p


def receiver_counts(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", "/count")
    return [int(x) for x in c.getresponse().read().decode().split()]


def cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(p):
    if p and p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def throughput(events):
    data_dir = tempfile.mkdtemp(prefix="tenantry-webhook-bench-")
    port, receiver_port = free_port(), free_port()
    env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Tenantry__DataDir=data_dir, Tenantry__PortalAccessCodes__0=PORTAL,
               Tenantry__AdminApiKey=ADMIN, Tenantry__Webhooks__AllowPrivateNetworks="true", Tenantry__Webhooks__RequireHttps="false",
               Tenantry__Webhooks__RetryBaseDelay="01:00:00", Logging__LogLevel__Default="Warning",
               # The worker's own speed: unpaced (a replica paces itself to MaxDeliveriesPerSecond, 100 by default).
               Tenantry__Webhooks__MaxDeliveriesPerSecond="0")
    server = subprocess.Popen(["dotnet", SERVER_DLL, "--urls", f"http://127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    receiver = None
    try:
        wait_ready(port, "/health/ready", server)
        api = Http(port)
        user = api.json("POST", "/web/v1/auth/sign-up", {"email": "bench@example.com", "password": "correct horse battery", "displayName": "Bench"})
        token = user["accessToken"]
        workspace = api.json("POST", "/web/v1/workspaces/self", {"workspaceName": "Bench", "workspaceKind": "LIVE"}, token)["bizId"]
        endpoint = api.json("POST", f"/web/v1/workspaces/{workspace}/webhooks", {"url": f"http://127.0.0.1:{receiver_port}/hooks"}, token)
        started = time.time()
        for i in range(events):
            api.json("PATCH", f"/web/v1/workspaces/{workspace}", {"workspaceName": f"Bench {i % 2}"}, token)
        made = time.time() - started
        db = sqlite3.connect(os.path.join(data_dir, "tenantry.db"), timeout=30)
        while db.execute("SELECT count(*) FROM webhook_deliveries").fetchone()[0] < events:
            time.sleep(0.2)
        expanded = time.time() - started
        receiver = start_receiver(receiver_port)
        rc = http.client.HTTPConnection("127.0.0.1", receiver_port, timeout=5)
        rc.request("POST", "/secret", body=endpoint["secret"])
        rc.getresponse().read()
        failed = db.execute("SELECT id FROM webhook_deliveries WHERE attempts > 0").fetchall()
        load = os.getloadavg()
        cpu0 = (cpu_seconds(server.pid), cpu_seconds(receiver.pid))
        t0 = time.time()
        for (delivery_id,) in failed:
            api.json("POST", f"/web/v1/workspaces/{workspace}/webhooks/{endpoint['webhookBizId']}/deliveries/{delivery_id}/replay", None, token)
        while True:
            received, verified, rejected = receiver_counts(receiver_port)
            if verified >= events:
                break
            if time.time() - t0 > 600:
                raise RuntimeError(f"only {verified} of {events} delivered in 10 minutes")
            time.sleep(0.05)
        elapsed = time.time() - t0
        cpu1 = (cpu_seconds(server.pid), cpu_seconds(receiver.pid))
        delivered = db.execute("SELECT count(*) FROM webhook_deliveries WHERE status = 'Delivered'").fetchone()[0]
        print(f"events made through the API: {events} in {made:.1f} s ({events / made:.0f}/s); all expanded into deliveries after {expanded:.1f} s")
        print(f"deliveries: {verified} verified by the receiver ({received} received, {rejected} rejected) in {elapsed:.1f} s: "
              f"{verified / elapsed:.0f} deliveries/s; {delivered} marked delivered; load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        print(f"CPU per delivery: server {1000 * (cpu1[0] - cpu0[0]) / events:.2f} ms, receiver {1000 * (cpu1[1] - cpu0[1]) / events:.2f} ms "
              f"(server {cpu1[0] - cpu0[0]:.1f} s and receiver {cpu1[1] - cpu0[1]:.1f} s of CPU over {elapsed:.1f} s)")
    finally:
        stop(receiver)
        stop(server)


def backlog(port, data_dir, count):
    receiver_port = free_port()
    receiver = start_receiver(receiver_port)
    api = Http(port)
    db = sqlite3.connect(os.path.join(data_dir, "tenantry.db"), timeout=30)
    institution = db.execute("SELECT id FROM institutions ORDER BY id LIMIT 1").fetchone()[0]
    endpoint = api.json("POST", f"/admin/v1/institutions/{institution}/webhooks",
                        {"url": f"http://127.0.0.1:{receiver_port}/hooks", "description": "bench backlog"}, admin=True)
    root = f"/admin/v1/institutions/{institution}/webhooks/{endpoint['webhookBizId']}"
    rc = http.client.HTTPConnection("127.0.0.1", receiver_port, timeout=5)
    rc.request("POST", "/secret", body=endpoint["secret"])
    rc.getresponse().read()
    # One real delivery (a test event), then COUNT copies of it as pending deliveries of their own.
    api.json("POST", root + "/test", None, admin=True)
    while receiver_counts(receiver_port)[1] < 1:
        time.sleep(0.1)
    columns = [r[1] for r in db.execute("PRAGMA table_info(webhook_deliveries)")]
    row = dict(zip(columns, db.execute("SELECT * FROM webhook_deliveries WHERE endpoint_id = ?", (endpoint["webhookBizId"],)).fetchone()))
    rows = []
    for i in range(count):
        r = dict(row)
        r.update(id=f"whmsg_bench{i:020d}", event_id=f"evt_bench{i:020d}", event_ordinal=i, status="Pending", attempts=0,
                 last_attempt_at=None, last_status_code=None, last_duration_ms=None, last_error=None, last_response_body=None, delivered_at=None)
        rows.append(tuple(r[c] for c in columns))
    db.executemany(f"INSERT INTO webhook_deliveries ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
    db.commit()
    api.json("POST", root + "/test", None, admin=True)  # wakes the worker
    print(f"backlog: {count} pending deliveries for {endpoint['webhookBizId']}", file=sys.stderr, flush=True)
    started = time.time()
    done = []

    def finish(*_):
        received, verified, rejected = receiver_counts(receiver_port)
        elapsed = time.time() - started
        print(f"backlog: {verified} deliveries verified ({rejected} rejected) in {elapsed:.1f} s beside the run: {verified / elapsed:.0f}/s", file=sys.stderr, flush=True)
        try:
            api.call("DELETE", root, admin=True)
        finally:
            stop(receiver)
            done.append(True)

    signal.signal(signal.SIGTERM, finish)
    while True:
        time.sleep(0.5)
        if done:
            break
        if receiver_counts(receiver_port)[1] >= count + 2:
            print("backlog: WARNING the backlog ran out before the run ended", file=sys.stderr, flush=True)
            signal.pause()


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "throughput":
        throughput(int(sys.argv[sys.argv.index("--events") + 1]) if "--events" in sys.argv else 10000)
    elif len(sys.argv) >= 4 and sys.argv[1] == "backlog":
        backlog(int(sys.argv[2]), sys.argv[3], int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 60000)
    else:
        print(__doc__)
        sys.exit(2)
