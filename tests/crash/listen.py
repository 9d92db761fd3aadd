#!/usr/bin/python3
"""Crash trials of followup --listen and its spool (issue 16).

Payloads are posted to a running receiver from several threads, and
dropped into its spool, while the receiver is killed with SIGKILL at a
random moment, again and again; each time it is started again, and the
payloads not acknowledged are sent again, as the providers do.  Then:

- every payload acknowledged (HTTP 200) was in the ledger's inbox at
  the moment of the kill;
- every spool file was stored once, and moved to done/;
- at the end every payload is processed, every event recorded once,
  and no notice written twice on the standard output;
- SIGTERM ends the last receiver with status 0.

TAP on stdout, in the style of crash.py.
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crash import Tap  # noqa: E402  the TAP of crash.py

SECRET = "crash-secret"


def run(argv, env, **kw):
    return subprocess.run(argv, env=env, check=True, **kw)


def setup(d, bindir, root, env):
    data = os.path.join(root, "tests", "data")
    shutil.copy(os.path.join(data, "catalog.csv"), d)
    os.utime(os.path.join(d, "catalog.csv"), (1795392000, 1795392000))
    with open(os.path.join(data, "fulfil.json")) as f:
        cfg = json.load(f)
    cfg.setdefault("followup", {})["webhooks"] = {
        "easypost": {"secret": SECRET}}
    with open(os.path.join(d, "fulfil.json"), "w") as f:
        json.dump(cfg, f)
    # Taken in the morning, labelled and dispatched before the events
    # (followup refuses an event older than its parcel's label).
    m = dict(env, FULFIL_NOW="2026-11-23T10:00:00+08:00")
    e = dict(env, FULFIL_NOW="2026-11-23T16:00:00+08:00")
    ing = subprocess.Popen([os.path.join(bindir, "ingest-orders"), "-q",
                            os.path.join(data, "notify-orders.ndjson")],
                           stdout=subprocess.PIPE, env=m, cwd=d)
    pick = subprocess.Popen([os.path.join(bindir, "pick-list"), "-q"],
                            stdin=ing.stdout, stdout=subprocess.PIPE,
                            env=m, cwd=d)
    label = subprocess.Popen([os.path.join(bindir, "label"), "-q"],
                             stdin=pick.stdout, stdout=subprocess.PIPE,
                             env=m, cwd=d)
    out = subprocess.run([os.path.join(bindir, "dispatch"), "-q"],
                         stdin=label.stdout, stdout=subprocess.PIPE,
                         env=e, cwd=d, check=True).stdout
    for p in (ing, pick, label):
        p.wait()
    return [json.loads(l)["shipment"]["tracking"]
            for l in out.decode().splitlines() if l.strip()]


def payloads(trackings, n):
    """n distinct events: in transit, or out for delivery, a minute apart."""
    out = []
    for i in range(n):
        t = 17 * 60 + i
        out.append(json.dumps({
            "type": "tracking", "tracking": trackings[i % len(trackings)],
            "carrier": "sf",
            "status": "out_for_delivery" if i % 4 == 3 else "in_transit",
            "occurred_at": "2026-11-23T%02d:%02d:00+08:00" % (t // 60, t % 60),
        }, separators=(",", ":")).encode())
    return out


class Receiver:
    def __init__(self, bindir, d, env, n):
        self.err = os.path.join(d, "listen.%d.err" % n)
        self.proc = subprocess.Popen(
            [os.path.join(bindir, "followup"), "--listen", "127.0.0.1:0",
             "--events", "spool"],
            stdout=open(os.path.join(d, "out.ndjson"), "ab"),
            stderr=open(self.err, "wb"), env=env, cwd=d)
        self.port = None
        for _ in range(300):
            m = re.search(rb"listening on 127.0.0.1 port (\d+)",
                          open(self.err, "rb").read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("no receiver: " + open(self.err).read())


def post(port, body):
    sig = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(
        "http://127.0.0.1:%d/webhooks/easypost" % port, data=body,
        headers={"X-Hmac-Signature": "hmac-sha256-hex=" + sig,
                 "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return 0


def stored(db):
    c = sqlite3.connect(db, timeout=30)
    try:
        return set(r[0] for r in c.execute(
            "select cast(body as blob) from inbox where origin = 'http'"))
    finally:
        c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--payloads", type=int, default=200)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    tap = Tap()
    d = tempfile.mkdtemp(prefix="listen-crash.")
    env = dict(os.environ, FULFIL_NOW="2026-11-24T09:00:00+08:00",
               LC_ALL="C")
    env.pop("FULFIL_DB", None)
    env.pop("FULFIL_CONFIG", None)
    try:
        trackings = setup(d, a.bin, a.root, env)
        os.mkdir(os.path.join(d, "spool"))
        bodies = payloads(trackings, a.payloads)
        # Half are posted, half dropped into the spool.
        posted = bodies[::2]
        spooled = bodies[1::2]
        acked = set()
        lock = threading.Lock()
        db = os.path.join(d, "fulfil.db")

        def sender(port, todo):
            for b in todo:
                if post(port, b) == 200:
                    with lock:
                        acked.add(b)

        for trial in range(a.trials + 1):
            last = trial == a.trials
            r = Receiver(a.bin, d, env, trial)
            todo = [b for b in posted if b not in acked]
            rnd.shuffle(todo)
            threads = [threading.Thread(target=sender,
                                        args=(r.port, todo[k::4]))
                       for k in range(4)]
            for t in threads:
                t.start()
            for k, b in enumerate(spooled[trial::a.trials + 1]):
                tmp = os.path.join(d, "spool", ".s%d-%d" % (trial, k))
                with open(tmp, "wb") as f:
                    f.write(b)
                os.rename(tmp, os.path.join(d, "spool",
                                            "s%d-%d.json" % (trial, k)))
            if not last:
                time.sleep(rnd.uniform(0.02, 0.3))
                r.proc.send_signal(signal.SIGKILL)
                r.proc.wait()
                for t in threads:
                    t.join()
                with lock:
                    lost = [b for b in acked if b not in stored(db)]
                tap.result(not lost, "trial %d: killed with %d acknowledged, "
                           "none lost" % (trial, len(acked)),
                           [b.decode() for b in lost[:3]])
                continue
            for t in threads:
                t.join()
            c = sqlite3.connect(db, timeout=30)
            for _ in range(300):
                left = c.execute("select count(*) from inbox where "
                                 "processed_at is null").fetchone()[0]
                if left == 0 and not [
                        f for f in os.listdir(os.path.join(d, "spool"))
                        if f != "done"]:
                    break
                time.sleep(0.1)
            r.proc.send_signal(signal.SIGTERM)
            rc = r.proc.wait(timeout=60)
            tap.result(rc == 0, "SIGTERM: exit 0", [open(r.err).read()])
            tap.result(len(acked) == len(posted),
                       "every posted payload acknowledged in the end")
            events = c.execute("select count(*) from tracking_events").fetchone()[0]
            tap.result(events == len(bodies),
                       "every event recorded once (%d of %d)" % (events, len(bodies)))
            left = c.execute("select count(*) from inbox where processed_at "
                             "is null").fetchone()[0]
            tap.result(left == 0, "nothing left unprocessed")
            keys = [r2[0] for r2 in c.execute(
                "select key from inbox where key is not null")]
            names = [k.split(":")[1] for k in keys]
            tap.result(len(names) == len(set(names)) == len(spooled),
                       "each spool file stored once (%d of %d)" %
                       (len(set(names)), len(spooled)))
            done = os.listdir(os.path.join(d, "spool", "done"))
            tap.result(len(done) == len(spooled), "each spool file in done/")
            seen = {}
            for line in open(os.path.join(d, "out.ndjson"), "rb"):
                j = json.loads(line)
                if j.get("type") == "notice":
                    seen[j["key"]] = seen.get(j["key"], 0) + 1
            twice = [k for k, v in seen.items() if v > 1]
            tap.result(not twice, "no notice written twice (%d written)" %
                       len(seen), twice[:3])
            c.close()
    finally:
        if a.keep:
            print("# kept %s" % d)
        else:
            shutil.rmtree(d, ignore_errors=True)
    tap.done()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
