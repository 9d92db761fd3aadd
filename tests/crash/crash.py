#!/usr/bin/python3
"""crash: kill -9 and overlap trials of the fulfil tools, as TAP.

fulfil(7) promises that a pipeline killed anywhere, or run twice at once,
loses nothing and doubles nothing once the cron line has run again.  Each
trial here builds a warehouse of its own in a temporary directory (a
config derived from tests/data/fulfil.json, a synthetic catalogue, seeded
synthetic orders, an SMTP sink), breaks a run of the tools in one way,
runs the cron line of fulfil(7) once to recover, and then checks the
ledger, the labels on disk and the mail received against the orders.

Kinds of trial (--stage):
  ingest, pick, label, dispatch, notify
      the earlier stages run whole; this stage is killed after a random
      part of the time it takes whole; its partial output goes through
      the later stages, as a pipe would have passed it on
  pipe
      the whole pipeline as processes joined by pipes; one stage, chosen
      at random, is killed at a random moment
  overlap-ingest, overlap-pick, ..., overlap-cron (overlap: all six)
      two runs at once of a stage (with --pending where it has it), or
      of the whole cron line; no duplicate is tolerated

Every random choice of a trial comes from random.Random(its seed), and the
seeds of the trials of a kind are --seed, --seed + 1, ...: a trial that
fails is run again alone by the command its diagnostics print.  Where the
kill lands in the run still depends on the machine's speed.

The ledger (--backend): sqlite, a fulfil.db in each trial's directory; or
pg, a database of its own for each trial (made at its start, dropped at
its end) in the PostgreSQL cluster whose socket directory is
FULFIL_TEST_PG_HOST, as tests/e2e/pg-pass gives it.  The tools killed
leave the server a session that vanished, and the cron line must heal
that too.  The checks read either ledger the one way: a query, through
the sqlite3 shell or psql, whose rows come back as JSON.

Standard library only; run by /usr/bin/python3 (tests/e2e/t0700-crash.sh,
make torture)."""

import argparse
import datetime
import email
import email.errors
import email.header
import glob
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3"
STAGES = ("ingest", "pick", "label", "dispatch", "notify")
TOOL = {"ingest": "ingest-orders", "pick": "pick-list", "label": "label",
        "dispatch": "dispatch", "notify": "notify"}
OVERLAPS = STAGES + ("cron",)
KINDS = STAGES + ("pipe",) + tuple("overlap-" + w for w in OVERLAPS)
NOW = "2026-11-23T10:00:00+08:00"

# The morning's pipeline, and the cron line that heals it (fulfil(7)):
# (stage, --pending).
MORNING = tuple((s, False) for s in STAGES)
CRON = (("ingest", False),) + tuple((s, True) for s in STAGES[1:])

# The synthetic warehouse: a catalogue for a block of AISLES x BAYS.  Its
# SKUs weigh up to 2 kg; parcels of at most MAX_PARCEL_G make orders of
# several parcels common, so that "one shipment per order" is tested.
AISLES, BAYS, SKUS = 10, 20, 200
MAX_PARCEL_G = 4000
MAIL_DOMAIN = "example.com"

# Invariants, in the order they are reported.  The first is the
# backend's own check of the ledger's storage (CHECK_A).
CHECKS = (
    ("a", None),
    ("b", "nothing lost: every order dispatched"),
    ("c", "nothing doubled in the ledger"),
    ("d", "each parcel on exactly one label"),
    ("e", "each dispatched order told it shipped"),
    ("h", "each dispatched order's line in the outbox once, every line whole"),
    ("f", "the recovery run exits 0"),
    ("g", "no run exits 2, crashes or finds the database locked"),
)

CHECK_A = {
    "sqlite": "ledger passes integrity_check",
    # PostgreSQL's own check of a table against its indexes (amcheck):
    # every B-tree index of the ledger well formed, and every row of its
    # table in it.  A killed client cannot corrupt the server's storage;
    # what this would find is the server's or the disk's fault.
    "pg": "ledger's indexes pass amcheck (bt_index_check, heapallindexed)",
}

# What no run may print, whatever its exit status.  The last three are
# PostgreSQL's "database is locked" (lib/db.c: DB_BUSY).
BAD_STDERR = ("database is locked", "AddressSanitizer", "LeakSanitizer",
              "ThreadSanitizer", "runtime error:", "deadlock detected",
              "could not serialize access", "could not obtain lock")

LOST = ("orders", "labels", "messages", "manifests", "outbox")
DOUBLED = ("parcels", "labels", "messages", "manifests", "outbox")


class HarnessError(Exception):
    """The harness itself could not go on (not a finding about the tools)."""


class QueryError(Exception):
    """A query of the ledger, or a statement on the cluster, failed."""


def some(items, k=6):
    """A short list for a diagnostic line: the first k and how many more."""
    items = list(items)
    s = ", ".join(str(i) for i in items[:k])
    if len(items) > k:
        s += " and %d more" % (len(items) - k)
    return s


def message_id(source, order_id, event, channel="email"):
    """The Message-ID notify gives a message (cmd/notify.c, lib/mime.c
    mime_message_id): SHA-256 of source/order/event/channel, its first 16
    bytes in hex, at the configured domain.  Worked out here, not read
    from the ledger, so that a message is still recognised when the
    ledger has lost or changed its row."""
    key = "%s/%s/%s/%s" % (source, order_id, event, channel)
    return hashlib.sha256(key.encode()).hexdigest()[:32] + "@" + MAIL_DOMAIN


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, details=()):
        self.n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, name))
        if not ok:
            self.failed += 1
            for d in details:
                self.diag("  " + d)
        sys.stdout.flush()

    @staticmethod
    def diag(text):
        for line in str(text).splitlines():
            print("# " + line)
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.n)


class Run:
    """One process of a trial, and how it ended."""

    def __init__(self, stage, tag, popen, errpath):
        self.stage = stage
        self.tag = tag
        self.p = popen
        self.err = errpath
        self.t0 = time.monotonic()
        self.t1 = None
        self.victim = False     # we sent it SIGKILL
        self.hung = False

    @property
    def name(self):
        return "%s %s" % (self.tag, TOOL[self.stage])

    @property
    def rc(self):
        return self.p.returncode

    @property
    def killed(self):
        """Killed by us while it ran, not merely sent the signal late."""
        return self.victim and self.rc == -signal.SIGKILL

    def kill(self):
        if self.p.poll() is None:
            self.victim = True
            os.kill(self.p.pid, signal.SIGKILL)

    def wait(self, timeout):
        try:
            self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.hung = True
            os.kill(self.p.pid, signal.SIGKILL)
            self.p.wait()
        if self.t1 is None:
            self.t1 = time.monotonic()

    def stderr(self):
        try:
            with open(self.err, encoding="utf-8", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def last_words(self):
        lines = self.stderr().strip().splitlines()
        return lines[-1] if lines else "(nothing on stderr)"


class Ledger:
    """Where a trial's ledger is, and the one way its checks read it:
    query(sql) is its rows, each a tuple, whichever the backend.  Both
    shells print the rows as JSON, so a number is a number and NULL None
    on both; a condition is 1/0 in SQLite and true/false in PostgreSQL,
    which read alike as a truth value.  rec() reads the packed records
    on both (lib/sqlite/fulfilrec.c; lib/ledger_pg.c)."""

    def __init__(self, h, where):
        self.h = h
        self.where = where      # the trial's directory for sqlite
        self.name = None        # the database's, on pg
        if h.args.backend == "sqlite":
            self.db = os.path.join(where, "fulfil.db")
        else:
            # Unique among the trials of this run (kind and seed) and
            # among runs at once (the process id); found in the
            # server's log by its kind.
            self.name = "crash_%d_%s" % (os.getpid(), re.sub(
                "[^a-z0-9]", "_", os.path.basename(where).lower()))[:63]
            self.db = "postgresql:///%s?host=%s&user=fulfil" % (self.name, h.pg_host)

    def create(self):
        if self.name:
            self.h.psql("postgres", "CREATE DATABASE " + self.name)

    def drop(self):
        # FORCE: a tool killed just now may still hold a session.
        if self.name:
            self.h.psql("postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.name)

    def query(self, sql):
        if self.name:
            out = self.h.psql(self.name, "SELECT coalesce(json_agg(q), '[]') FROM (%s) AS q" % sql)
        else:
            ext = os.path.join(self.h.bin, "..", "lib", "fulfilrec")
            r = subprocess.run(["sqlite3", "-json", "-cmd", ".load " + ext, self.db, sql],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if r.returncode != 0:
                raise QueryError("sqlite3 %s: %s: %s" % (self.db, sql,
                                                         r.stderr.decode(errors="replace").strip()))
            out = r.stdout
        return [tuple(row.values()) for row in json.loads(out or b"[]")]


class Trial:
    """A warehouse of its own in a temporary directory: config, ledger,
    orders, labels directory, and an SMTP sink on loopback that writes
    each message it takes to mail/."""

    def __init__(self, h, kind, index, seed):
        self.h = h
        self.kind = kind
        self.index = index
        self.seed = seed
        self.rng = random.Random(seed)
        self.strict = kind.startswith("overlap") or kind.startswith("control")
        self.dir = tempfile.mkdtemp(prefix="%s-%d." % (kind, seed), dir=h.tmp)
        self.ledger = Ledger(h, self.dir)
        self.db = self.ledger.db
        self.cfg = self.path("fulfil.json")
        self.input = self.path("orders.ndjson")
        self.mail = self.path("mail")
        self.runs = []
        self.recovery = []
        self.notify_kills = 0
        self.kills = 0          # kills that hit a running process
        self.note = ""
        self.smtp = None
        self.t0 = time.monotonic()
        self.orders = h.make_orders(self.input, seed)

    def path(self, name):
        return os.path.join(self.dir, name)

    def __enter__(self):
        self.ledger.create()
        port = self.start_smtp()
        cfg = json.loads(json.dumps(self.h.config))
        cfg["notify"]["smtp"] = {"url": "smtp://127.0.0.1:%d" % port}
        with open(self.cfg, "w") as f:
            json.dump(cfg, f, indent=1)
        return self

    def __exit__(self, *exc):
        for r in self.runs:
            if r.p.poll() is None:
                r.kill()
                r.p.wait()
        if self.smtp is not None:
            self.smtp.terminate()
            try:
                self.smtp.wait(10)
            except subprocess.TimeoutExpired:
                self.smtp.kill()
                self.smtp.wait()
        return False

    def start_smtp(self):
        """aiosmtpd with tests/servers/sink.py, on a free port (picked, then
        bound by the server: another process may win it, so try again)."""
        env = dict(os.environ, PYTHONPATH=os.path.join(self.h.root, "tests", "servers"))
        for _ in range(3):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            s.close()
            with open(self.path("smtpd.err"), "wb") as err:
                p = subprocess.Popen(
                    [PY, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
                     "-c", "sink.Sink", self.mail],
                    env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=err)
            # A loaded machine (make -j, another test run) can take long
            # to start a Python server: wait for it rather than fail.
            deadline = time.monotonic() + 60
            while p.poll() is None and time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), 1).close()
                    self.smtp = p
                    return port
                except OSError:
                    time.sleep(0.05)
            if p.poll() is None:
                p.kill()
            p.wait()
        raise HarnessError("aiosmtpd did not start (see %s)" % self.path("smtpd.err"))

    def argv(self, stage, pending, files):
        a = [os.path.join(self.h.bin, TOOL[stage]), "--config", self.cfg, "--db", self.db]
        if pending:
            a.append("--pending")
        if stage == "label":
            a += ["-o", "labels", "-f", "zpl"]
        return a + list(files)

    def chain(self, tag, specs, src=None):
        """Start specs, [(stage, pending)], as one pipeline: the first
        stage reads the file src (nothing when None), each next one the
        one before; the last writes TAG.out.  Every stderr goes to
        TAG.STAGE.err."""
        runs = []
        prev = subprocess.DEVNULL
        for i, (stage, pending) in enumerate(specs):
            last = i == len(specs) - 1
            out = open(self.path(tag + ".out"), "wb") if last else subprocess.PIPE
            errpath = self.path("%s.%s.err" % (tag, stage))
            files = [src] if i == 0 and src is not None else []
            with open(errpath, "wb") as err:
                p = subprocess.Popen(self.argv(stage, pending, files), stdin=prev,
                                     stdout=out, stderr=err, cwd=self.dir,
                                     env=self.h.env)
            # The parent keeps no end of a pipe: EOF and SIGPIPE must
            # reach the stages as they would in a shell.
            if prev is not subprocess.DEVNULL:
                prev.close()
            if last:
                out.close()
            prev = p.stdout
            runs.append(Run(stage, tag, p, errpath))
        self.runs += runs
        return runs

    def finish(self, runs):
        for r in runs:
            r.wait(self.h.args.timeout)

    def run(self, tag, specs, src=None):
        runs = self.chain(tag, specs, src)
        self.finish(runs)
        return runs

    def kill_after(self, run, delay):
        time.sleep(max(0.0, run.t0 + delay - time.monotonic()))
        run.kill()

    def prepare(self, upto):
        """Run the stages before upto whole, one after the other; return
        the file the stage upto is to read."""
        src = self.input
        for stage in STAGES[:STAGES.index(upto)]:
            self.run("prep-" + stage, [(stage, False)], src)
            src = self.path("prep-%s.out" % stage)
        return src

    def rest(self, tag, stage, src):
        """What a pipe would have done with the output of stage: the later
        stages of the morning's pipeline read it."""
        later = MORNING[STAGES.index(stage) + 1:]
        if later:
            self.run(tag, later, src)

    def recover(self):
        self.recovery = self.run("recover", CRON, self.input)

    def count_kill(self, run):
        if run.killed:
            self.kills += 1
            if run.stage == "notify":
                self.notify_kills += 1


class Harness:
    def __init__(self, args):
        self.args = args
        self.bin = os.path.abspath(args.bin)
        self.root = os.path.abspath(args.root)
        self.tap = Tap()
        self.tmp = tempfile.mkdtemp(prefix="fulfil-crash.")
        self.kept = False
        self.now = os.environ.get("FULFIL_NOW") or NOW
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("FULFIL_DB", "FULFIL_CONFIG")}
        self.env.update(FULFIL_NOW=self.now, LC_ALL="C")
        self.catalog = os.path.join(self.tmp, "catalog.csv")
        self.config = None
        # Seconds a stage takes whole on its own ("label"), or until it
        # ends in the whole pipeline ("pipe-label"): the kills' range.
        self.took = {}
        self.stats = {}
        self.pg_host = os.environ.get("FULFIL_TEST_PG_HOST")

    def psql(self, db, sql):
        """sql run by psql on database db of the cluster; its output."""
        r = subprocess.run(["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                            "-h", self.pg_host, "-U", "fulfil", "-d", db, "-c", sql],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))
        if r.returncode != 0:
            raise QueryError("psql on %s: %s: %s" % (db, " ".join(sql.split())[:80],
                                                    r.stderr.decode(errors="replace").strip()))
        return r.stdout

    def script(self, name):
        return os.path.join(self.root, "scripts", name)

    def setup(self):
        """The warehouse every trial copies: catalogue and configuration."""
        self.make_catalog()
        self.config = self.make_config()

    def make_catalog(self):
        with open(self.catalog, "wb") as f:
            subprocess.run([PY, self.script("gen-catalog"), "-a", str(AISLES),
                            "-b", str(BAYS), "-n", str(SKUS)], stdout=f, check=True)
        # Stock is counted from the file's time: it must be before now.
        t = datetime.datetime.fromisoformat(self.now).replace(hour=0, minute=0, second=0)
        os.utime(self.catalog, (t.timestamp(), t.timestamp()))

    def make_config(self):
        """tests/data/fulfil.json, made to take every synthetic order."""
        with open(os.path.join(self.root, "tests", "data", "fulfil.json")) as f:
            c = json.load(f)
        # Gifts name SKUs the synthetic catalogue lacks: their orders
        # would be held, never dispatched.
        c.pop("promotions", None)
        # A carrier whose tracking range a trial could use up rejects
        # orders (the test warehouse's pallet carrier has 11 numbers).
        need = 10 * self.args.orders
        c["carriers"] = [k for k in c["carriers"]
                         if k["tracking"]["last"] - k["tracking"]["first"] + 1 >= need]
        for k in c["carriers"]:
            k["max_weight_g"] = min(k.get("max_weight_g", MAX_PARCEL_G), MAX_PARCEL_G)
        c["layout"].update(aisles=AISLES, bays=BAYS)
        c["catalog"] = self.catalog
        # --pick-window: pick-list commits and writes a window at a time,
        # so that a kill falls between windows and two runs interleave.
        if self.args.pick_window is not None:
            c.setdefault("pick", {})["window"] = self.args.pick_window
        # The outbox beside e-mail: a file appended a batch at a time,
        # which a kill can leave half a line of (notify(1)).
        c["notify"] = {
            "channels": ["email", "outbox"],
            "outbox": "outbox.ndjson",
            "templates": os.path.join(self.root, "examples", "templates"),
            "default_locale": "en",
            "from": {"name": "Crash Shop", "address": "shop@" + MAIL_DOMAIN},
            "message_id_domain": MAIL_DOMAIN,
            "timeout_s": 10,
        }
        return c

    def make_orders(self, path, seed):
        """gen-orders' seeded orders, all prepaid: cash on delivery would
        leave only the carriers that collect it, and some countries
        none.  Placed before now, 1-40 s apart."""
        n = self.args.orders
        start = datetime.datetime.fromisoformat(self.now) - datetime.timedelta(seconds=41 * n + 60)
        out = subprocess.run([PY, self.script("gen-orders"), "-n", str(n), "-s", str(seed),
                              "--catalog", self.catalog, "--start", start.isoformat()],
                             stdout=subprocess.PIPE, check=True).stdout
        keys = []
        with open(path, "w", encoding="utf-8") as f:
            for line in out.decode("utf-8").splitlines():
                o = json.loads(line)
                o["payment"] = {"method": "prepaid"}
                f.write(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n")
                keys.append((o["source"], o["order_id"]))
        return keys

    # ------------------------------------------------------------ trials

    def trial(self, kind, index, seed, body):
        """Run body(trial) in a new warehouse, then check the invariants."""
        t = Trial(self, kind, index, seed)
        ok = False
        try:
            with t:
                body(t)
            ok = self.verdict(t)
        finally:
            if ok or not self.args.keep:
                shutil.rmtree(t.dir, ignore_errors=True)
                t.ledger.drop()
            else:
                self.kept = True
                self.tap.diag("kept %s" % t.dir)
                if t.ledger.name:
                    self.tap.diag("kept its ledger %s" % t.db)

    def control_stages(self, t):
        """The stages whole, one after the other: the time each takes is
        what the kills of its crash trials are drawn from."""
        src = t.input
        for stage in STAGES:
            r = t.run("whole-" + stage, [(stage, False)], src)[0]
            self.took[stage] = r.t1 - r.t0
            src = t.path("whole-%s.out" % stage)
        t.note = "whole stages took " + ", ".join(
            "%s %.2f s" % (s, self.took[s]) for s in STAGES)
        t.recover()

    def control_pipe(self, t):
        """The whole pipeline, joined by pipes: when each stage ends in it
        bounds the kill of that stage in the pipe trials."""
        runs = t.run("whole", MORNING, t.input)
        for r in runs:
            self.took["pipe-" + r.stage] = r.t1 - runs[0].t0
        t.note = "the whole pipeline's stages ended after " + ", ".join(
            "%s %.2f s" % (s, self.took["pipe-" + s]) for s in STAGES)
        t.recover()

    def body(self, kind):
        """What a trial of kind does between its warehouse and its checks."""
        if kind in STAGES:
            return self.crash_stage(kind)
        if kind == "pipe":
            return self.crash_pipe
        return self.overlap(kind[len("overlap-"):])

    def crash_stage(self, stage):
        def body(t):
            src = t.prepare(stage)
            delay = t.rng.uniform(0, self.took[stage])
            r = t.chain("crash", [(stage, False)], src)[0]
            t.kill_after(r, delay)
            t.finish([r])
            t.count_kill(r)
            t.note = "%s %s at %.3f s of %.3f s" % (
                "killed" if r.killed else "had finished before the kill", TOOL[stage],
                delay, self.took[stage])
            t.rest("rest", stage, t.path("crash.out"))
            t.recover()
        return body

    def crash_pipe(self, t):
        stage = t.rng.choice(STAGES)
        took = self.took["pipe-" + stage]
        delay = t.rng.uniform(0, took)
        runs = t.chain("pipe", MORNING, t.input)
        r = runs[STAGES.index(stage)]
        t.kill_after(r, delay)
        t.finish(runs)
        t.count_kill(r)
        t.note = "%s %s at %.3f s of the %.3f s it ran in the whole pipeline; exits %s" % (
            "killed" if r.killed else "had finished before the kill", TOOL[stage],
            delay, took, "/".join(str(x.rc) for x in runs))
        t.recover()

    def overlap(self, what):
        """Two runs at once of a stage, or of the whole cron line, started
        a moment apart; then each run's output goes down its own rest of
        the pipeline, as it would in a pipe."""
        def body(t):
            if what == "cron":
                specs, src = CRON, t.input
            else:
                specs = [(what, what != "ingest")]
                src = t.prepare(what)
                # pick-list and label given an order again rightly emit
                # it again, and label prints its label again: their two
                # runs vie for what the ledger holds for them instead.
                if what in ("pick", "label"):
                    src = None
            stagger = t.rng.uniform(0, 0.05)
            a = t.chain("a", specs, src)
            time.sleep(stagger)
            b = t.chain("b", specs, src)
            t.finish(a + b)
            t.note = "the second run %.3f s after the first; exits %s and %s" % (
                stagger, "/".join(str(r.rc) for r in a), "/".join(str(r.rc) for r in b))
            if what != "cron":
                t.rest("rest-a", what, t.path("a.out"))
                t.rest("rest-b", what, t.path("b.out"))
            t.recover()
        return body

    # ------------------------------------------------------------ checks

    def verdict(self, t):
        """Check the invariants of t, print them as TAP, add up the figures."""
        c = Checker(t)
        results = c.run()
        label = "%s trial %d seed %d" % (t.kind, t.index, t.seed) \
            if t.index else "%s seed %d" % (t.kind, t.seed)
        self.tap.diag("%s: %d orders; %s (%.1f s)" % (label, len(t.orders), t.note,
                                                       time.monotonic() - t.t0))
        ok = True
        for (key, what), (good, details) in zip(CHECKS, results):
            what = what or CHECK_A[self.args.backend]
            self.tap.result(good, "%s: %s. %s" % (label, key, what), details)
            ok = ok and good
        if not ok and t.index:
            again = "tests/crash/crash.py --stage %s --seed %d --trials 1 --orders %d" % (
                t.kind, t.seed, self.args.orders)
            if self.args.backend == "pg":
                again = "tests/e2e/pg-pass /usr/bin/python3 %s --backend pg" % again
            self.tap.diag("  again: " + again)
        s = self.stats.setdefault(t.kind, {"trials": 0, "orders": 0, "failed": 0,
                                           "kills": 0, "errors": 0,
                                           "lost": dict.fromkeys(LOST, 0),
                                           "doubled": dict.fromkeys(DOUBLED, 0)})
        s["trials"] += 1
        s["orders"] += len(t.orders)
        s["failed"] += not ok
        s["kills"] += t.kills
        s["errors"] += c.errors
        for k in LOST:
            s["lost"][k] += c.lost[k]
        for k in DOUBLED:
            s["doubled"][k] += c.doubled[k]
        return ok

    def summary(self):
        for kind, s in self.stats.items():
            line = "stage %s: %d trials, %d orders, %d lost (%s), %d doubled (%s), %d failed runs" % (
                kind, s["trials"], s["orders"], sum(s["lost"].values()),
                ", ".join("%s %d" % kv for kv in s["lost"].items()),
                sum(s["doubled"].values()),
                ", ".join("%s %d" % kv for kv in s["doubled"].items()), s["errors"])
            if kind in STAGES or kind == "pipe":
                line += "; %d of %d kills hit a running tool" % (s["kills"], s["trials"])
            if s["failed"]:
                line += "; %d trials failed" % s["failed"]
            self.tap.diag(line)


class Checker:
    """The invariants of one trial, after its recovery run."""

    def __init__(self, t):
        self.t = t
        self.errors = 0
        self.lost = dict.fromkeys(LOST, 0)
        self.doubled = dict.fromkeys(DOUBLED, 0)
        self.query = t.ledger.query

    def run(self):
        out = []
        try:
            self.load()
            out.append(self.integrity())
        except QueryError as e:
            why = ["cannot read the ledger: %s" % e]
            out = [(False, why)] * 6
            self.lost["orders"] = len(self.t.orders)
        else:
            for f in (self.dispatched, self.ledger, self.labels, self.messages, self.outbox):
                out.append(f())
        out.append(self.recovered())
        out.append(self.clean())
        return out

    def load(self):
        q = self.query
        self.status = {}
        self.record = {}
        # The records are packed (lib/zrec): they are read with the
        # ledger's own rec(), as an operator would.
        for src, oid, status, r in q("SELECT source, order_id, status, rec(record) AS r "
                                     "FROM orders"):
            self.status[(src, oid)] = status
            try:
                self.record[(src, oid)] = json.loads(r)
            except (TypeError, ValueError):
                self.record[(src, oid)] = {}
        self.parcels = q("SELECT tracking, carrier, serial, source, order_id, n, m, "
                         "voided_at IS NOT NULL AS voided FROM parcels")
        self.live = {p[0]: p for p in self.parcels if not p[7]}
        self.handed = q("SELECT tracking, manifest, source, order_id, n FROM manifest_parcels")
        self.mids = {}
        for mid, src, oid, event in q("SELECT i.message_id, m.source, m.order_id, m.event "
                                     "FROM messages AS m JOIN message_ids AS i USING (id)"):
            self.mids[mid] = (src, oid, event)

    def tracking(self, key):
        return ((self.record.get(key) or {}).get("shipment") or {}).get("tracking")

    def integrity(self):
        if self.t.ledger.name is None:
            rows = [r[0] for r in self.query("PRAGMA integrity_check")]
            return rows == ["ok"], rows[:10]
        # amcheck raises an error on the first index it finds wrong; it
        # is made in the trial's database, which goes after the checks.
        self.t.h.psql(self.t.ledger.name, "CREATE EXTENSION IF NOT EXISTS amcheck")
        try:
            rows = self.query("SELECT c.relname, bt_index_check(c.oid, true)::text AS checked "
                              "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                              "JOIN pg_am a ON a.oid = c.relam "
                              "JOIN pg_namespace s ON s.oid = c.relnamespace "
                              "WHERE a.amname = 'btree' AND s.nspname = current_schema()")
        except QueryError as e:
            return False, [str(e)]
        return bool(rows), [] if rows else ["no index to check"]

    def dispatched(self):
        bad = []
        for key in self.t.orders:
            st = self.status.get(key)
            if st != "dispatched":
                bad.append("%s (%s)" % (key[1], st or "not in the ledger"))
        self.lost["orders"] = len(bad)
        return not bad, ["%d orders not dispatched: %s" % (len(bad), some(bad))] if bad else []

    def ledger(self):
        """Numbers, shipments and manifests, each once."""
        why = []
        serials = {}
        for p in self.parcels:
            serials.setdefault((p[1], p[2]), []).append(p[0])
        dup = [v for v in serials.values() if len(v) > 1]
        if dup:
            why.append("%d serials given twice: %s" % (len(dup), some("/".join(v) for v in dup)))
            self.doubled["parcels"] += sum(len(v) - 1 for v in dup)

        by_order = {}
        for p in self.live.values():
            by_order.setdefault((p[3], p[4]), []).append(p)
        split, extra, unlike = [], 0, []
        for key, ps in by_order.items():
            ns = [p[5] for p in ps]
            if len(set(p[1] for p in ps)) > 1 or len(set(p[6] for p in ps)) > 1 \
                    or len(ns) != len(set(ns)):
                split.append("%s (%s)" % (key[1], " ".join(sorted(p[0] for p in ps))))
                extra += len(ns) - len(set(ns))
            rec = ((self.record.get(key) or {}).get("shipment") or {}).get("parcels")
            if rec is not None and sorted(x.get("tracking") for x in rec) != \
                    sorted(p[0] for p in ps):
                unlike.append(key[1])
        if split:
            why.append("%d orders with more than one shipment: %s" % (len(split), some(split)))
            self.doubled["parcels"] += extra
        if unlike:
            why.append("%d orders whose record names other parcels than the ledger: %s"
                       % (len(unlike), some(unlike)))

        on = {}
        for tr, manifest, src, oid, n in self.handed:
            on.setdefault(tr, []).append(manifest)
        twice = ["%s (%s)" % (tr, " ".join(m)) for tr, m in on.items() if len(m) > 1]
        stray = [tr for tr in on if tr not in self.live]
        missing = [tr for tr, p in self.live.items()
                   if tr not in on and self.status.get((p[3], p[4])) == "dispatched"]
        if twice:
            why.append("%d parcels on two manifests: %s" % (len(twice), some(twice)))
        if stray:
            why.append("%d manifest rows for no live parcel: %s" % (len(stray), some(stray)))
        if missing:
            why.append("%d parcels of dispatched orders on no manifest: %s"
                       % (len(missing), some(missing)))
        self.doubled["manifests"] += sum(len(m) - 1 for m in on.values()) + len(stray)
        self.lost["manifests"] += len(missing)
        return not why, why

    def labels(self):
        found, why = read_labels(os.path.join(self.t.dir, "labels"))
        unknown = [tr for tr in found if tr not in self.live]
        missing = [tr for tr in self.live if tr not in found]
        twice = ["%s (%d)" % (tr, len(where)) for tr, where in found.items()
                 if tr in self.live and len(where) > 1]
        if missing:
            why.append("%d parcels with no label: %s" % (len(missing), some(sorted(missing))))
        if twice:
            why.append("%d parcels on more than one label: %s" % (len(twice), some(twice)))
        if unknown:
            why.append("%d labels for no live parcel: %s" % (len(unknown), some(unknown)))
        self.lost["labels"] = len(missing)
        self.doubled["labels"] = sum(len(w) - 1 for tr, w in found.items() if tr in self.live)
        return not why, why

    def messages(self):
        """Each dispatched order's "shipped" e-mail: at least once, and
        any copy a resend of the same message, byte for byte.  notify
        killed between sending a message and marking it sent sends it
        again (notify(1)): a trial may have a copy for each notify killed,
        and one to spare, as issue 13 sets it.  The strict trials (the
        overlaps and the controls) kill nothing and may have no copy."""
        ids = dict(self.mids)
        ids.update({message_id(s, o, "shipped"): (s, o, "shipped") for s, o in self.t.orders})
        shipped, unknown, other = {}, [], 0
        for f in sorted(glob.glob(os.path.join(self.t.mail, "*.eml"))):
            with open(f, "rb") as fh:
                raw = fh.read()
            m = email.message_from_bytes(raw)
            mid = m.get("Message-ID", "").strip().strip("<>")
            what = ids.get(mid)
            if what is None:
                unknown.append("%s <%s>" % (os.path.basename(f), mid))
            elif what[2] != "shipped":
                other += 1
            else:
                shipped.setdefault(what[:2], []).append((mid, raw, mail_text(m)))
        why = []
        missing, ids2, unlike, wrong = [], [], [], []
        copies = 0
        for key in self.t.orders:
            if self.status.get(key) != "dispatched":
                continue
            got = shipped.get(key, [])
            if not got:
                missing.append(key[1])
                continue
            copies += len(got) - 1
            if len(set(g[0] for g in got)) > 1:
                ids2.append(key[1])
            elif len(set(g[1] for g in got)) > 1:
                unlike.append(key[1])
            tr = self.tracking(key)
            if any(key[1] not in g[2] or (tr and tr not in g[2]) for g in got):
                wrong.append(key[1])
        allowed = 0 if self.t.strict else 1 + self.t.notify_kills
        if missing:
            why.append("%d dispatched orders never told: %s" % (len(missing), some(missing)))
        if copies > allowed:
            dup = [k[1] for k, g in shipped.items() if len(g) > 1]
            why.append("%d messages sent again (%d allowed): %s" % (copies, allowed, some(dup)))
        if ids2:
            why.append("%d orders told under two Message-IDs: %s" % (len(ids2), some(ids2)))
        if unlike:
            why.append("%d orders told twice in different bytes: %s" % (len(unlike), some(unlike)))
        if wrong:
            why.append("%d messages not naming their order and tracking number: %s"
                       % (len(wrong), some(wrong)))
        if unknown:
            why.append("%d messages with an unknown Message-ID: %s" % (len(unknown), some(unknown)))
        self.lost["messages"] = len(missing)
        self.doubled["messages"] = copies
        ok = not why
        if other:
            why.append("and %d messages for other events, not checked" % other)
        return ok, why

    def outbox(self):
        """Each dispatched order's "shipped" line in the outbox: exactly
        once (the outbox is ours: a run taking over a dead run's claims
        reads it first, and a half line is cut off), and every line
        whole JSON naming a message of the ledger."""
        lines, broken, unknown = {}, [], []
        try:
            with open(self.t.path("outbox.ndjson"), "rb") as f:
                data = f.read()
        except FileNotFoundError:
            data = b""
        if data and not data.endswith(b"\n"):
            broken.append("the last line has no end: %r" % data[-60:])
        for n, line in enumerate(data.splitlines(), 1):
            try:
                mid = json.loads(line)["message_id"]
            except (ValueError, KeyError, TypeError):
                broken.append("line %d: %r" % (n, line[:60]))
                continue
            what = self.mids.get(mid)
            if what is None:
                unknown.append(mid)
            elif what[2] == "shipped":
                lines.setdefault(what[:2], []).append(n)
        missing = [k[1] for k in self.t.orders
                   if self.status.get(k) == "dispatched" and k not in lines]
        twice = ["%s (lines %s)" % (k[1], ",".join(map(str, v)))
                 for k, v in lines.items() if len(v) > 1]
        why = []
        if broken:
            why.append("%d lines not whole: %s" % (len(broken), some(broken)))
        if missing:
            why.append("%d dispatched orders not in the outbox: %s" % (len(missing), some(missing)))
        if twice:
            why.append("%d orders in the outbox twice: %s" % (len(twice), some(twice)))
        if unknown:
            why.append("%d lines with an unknown Message-ID: %s" % (len(unknown), some(unknown)))
        self.lost["outbox"] = len(missing)
        self.doubled["outbox"] = sum(len(v) - 1 for v in lines.values())
        return not why, why

    def recovered(self):
        bad = ["%s exited %s: %s" % (r.name, r.rc, r.last_words())
               for r in self.t.recovery if r.rc != 0]
        if not self.t.recovery:
            bad.append("no recovery run")
        return not bad, bad

    def clean(self):
        """Exit 1 is a rejected line (the half line a killed stage left);
        SIGPIPE is a reader gone.  Anything else is trouble."""
        bad = []
        for r in self.t.runs:
            said = [x.strip() for x in r.stderr().splitlines()
                    if any(s in x for s in BAD_STDERR)]
            if r.hung:
                how = "hung, killed after %d s" % self.t.h.args.timeout
            elif r.rc not in (0, 1, -signal.SIGPIPE) and not r.killed:
                how = "exited %s" % r.rc
            elif said:
                how = "exited %s" % r.rc
            else:
                continue
            bad.append("%s %s: %s" % (r.name, how, said[0] if said else r.last_words()))
        self.errors = len(bad)
        return not bad, bad


def mail_text(m):
    """Subject and body of a message as text, both decoded.  (The compat32
    parser this takes is ten times as fast as email.policy.default's,
    which matters at a few thousand messages a trial.)"""
    try:
        subject = str(email.header.make_header(email.header.decode_header(m.get("Subject", ""))))
        body = (m.get_payload(decode=True) or b"").decode(
            m.get_content_charset() or "utf-8", errors="replace")
    except (LookupError, ValueError, email.errors.HeaderParseError):
        return ""
    return subject + "\n" + body


# Code 128 in ZPL field data: ">" and a character switch subsets or stand
# for the characters ZPL keeps for itself; ">8" is FNC1 (GS1-128).
C128_CHARS = {"<": "^", "=": "~", "0": ">"}
ZPL_LABEL = re.compile(r"\^XA(.*?)\^XZ", re.S)


def barcode_text(data, esc):
    """What a ^B field with data (under ^FH with escape esc) encodes."""
    if esc:
        data = re.sub(re.escape(esc) + "([0-9A-Fa-f]{2})",
                      lambda m: chr(int(m.group(1), 16)), data)
    out, gs1, i = [], False, 0
    while i < len(data):
        if data[i] == ">" and i + 1 < len(data):
            c = data[i + 1]
            gs1 = gs1 or c == "8"
            out.append(C128_CHARS.get(c, ""))
            i += 2
        else:
            out.append(data[i])
            i += 1
    text = "".join(out)
    # GS1-128 of an SSCC: application identifier (00), then the number.
    return text[2:] if gs1 and text.startswith("00") else text


def zpl_barcodes(label):
    """The text of every barcode field of one ^XA...^XZ label."""
    found, bar, esc, data = [], False, None, None
    for cmd in label.split("^"):
        if cmd.startswith("B") and not cmd.startswith("BY"):
            bar = True
        elif cmd.startswith("FH"):
            esc = cmd[2:3] or "_"
        elif cmd.startswith("FD"):
            data = cmd[2:]
        elif cmd.startswith("FS"):
            if bar and data is not None:
                found.append(barcode_text(data.rstrip("\r\n"), esc))
            bar, esc, data = False, None, None
    return found


def read_labels(d):
    """Tracking number -> where its labels are, from the ZPL in directory
    d; files whose names start with '.' are the tools' temporary files.
    Also what is wrong with the files themselves."""
    found, why = {}, []
    empty, half, blank = [], [], []
    for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if f.startswith("."):
            continue
        with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        labels = ZPL_LABEL.findall(text)
        # A run with nothing to print may leave an empty file; a file
        # with bytes in it but no label is something else.
        if text and not labels:
            empty.append(f)
        if "^XA" in ZPL_LABEL.sub("", text):
            half.append(f)
        for i, lab in enumerate(labels, 1):
            # A parcel abroad has its customs declaration (CN22/CN23)
            # after its label: a form, not a label.
            if "^FDCUSTOMS DECLARATION" in lab:
                continue
            codes = zpl_barcodes(lab)
            if not codes:
                blank.append("%s #%d" % (f, i))
            for tr in codes:
                found.setdefault(tr, []).append("%s #%d" % (f, i))
    if empty:
        why.append("%d label files with no label: %s" % (len(empty), some(empty)))
    if half:
        why.append("%d label files ending in half a label: %s" % (len(half), some(half)))
    if blank:
        why.append("%d labels with no barcode: %s" % (len(blank), some(blank)))
    return found, why


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="crash.py", description=__doc__.split("\n\n")[0],
        epilog="Prints TAP: a line per invariant per trial, a summary per kind.")
    p.add_argument("--bin", default=os.environ.get("FULFIL_BIN"),
                   help="the built tools (default $FULFIL_BIN)")
    p.add_argument("--root", default=os.environ.get("FULFIL_ROOT"),
                   help="the source tree (default $FULFIL_ROOT)")
    p.add_argument("--seed", type=int, default=1, help="first trial's seed (default 1)")
    p.add_argument("--trials", type=int, default=2, help="trials of each kind (default 2)")
    p.add_argument("--orders", type=int, default=300, help="orders a trial (default 300)")
    p.add_argument("--pick-window", type=int, default=None,
                   help="pick.window for pick-list (default: the config's default)")
    p.add_argument("--stage", default="all",
                   help="kinds of trial, comma-separated: %s, pipe, overlap (all its "
                        "kinds) or overlap-KIND, all (the default)" % ", ".join(STAGES))
    p.add_argument("--timeout", type=int, default=300,
                   help="seconds a tool may run before it counts as hung (default 300)")
    p.add_argument("--keep", action="store_true",
                   help="keep the directories of failed trials, and their ledgers "
                        "on pg, and say where (a database lives as long as its "
                        "cluster: tests/e2e/pg-pass removes its own when its command ends)")
    p.add_argument("--backend", choices=("sqlite", "pg"), default="sqlite",
                   help="the ledger: sqlite, a file in each trial's directory (the "
                        "default); or pg, a database for each trial in the PostgreSQL "
                        "cluster whose socket directory is $FULFIL_TEST_PG_HOST "
                        "(tests/e2e/pg-pass starts one and sets it)")
    a = p.parse_args(argv)
    if not a.bin or not a.root:
        p.error("--bin and --root (or FULFIL_BIN and FULFIL_ROOT) are needed")
    if a.backend == "pg" and not os.environ.get("FULFIL_TEST_PG_HOST"):
        p.error("--backend pg: FULFIL_TEST_PG_HOST (the cluster's socket directory) is "
                "needed; tests/e2e/pg-pass starts a cluster and sets it")
    kinds = set()
    for k in a.stage.split(","):
        if k == "all":
            kinds.update(KINDS)
        elif k == "overlap":
            kinds.update(x for x in KINDS if x.startswith("overlap-"))
        elif k in KINDS:
            kinds.add(k)
        else:
            p.error("--stage: no kind of trial '%s'" % k)
    a.stage = [k for k in KINDS if k in kinds]
    if a.trials < 0 or a.orders < 1:
        p.error("--trials must be >= 0 and --orders >= 1")
    return a


def main(argv):
    args = parse_args(argv)
    if os.environ.get("FULFIL_VALGRIND") == "1":
        print("1..0 # SKIP tools under valgrind are too slow for kills timed to the run")
        return 0
    h = Harness(args)
    try:
        h.setup()
        # The controls: nothing killed, nothing at once.  They show the
        # warehouse dispatches every order at all, and time the runs the
        # kills are drawn from.
        h.trial("control-stages", 0, args.seed, h.control_stages)
        h.trial("control-pipe", 0, args.seed, h.control_pipe)
        for kind in args.stage:
            for i in range(args.trials):
                h.trial(kind, i + 1, args.seed + i, h.body(kind))
    except (HarnessError, QueryError, OSError, subprocess.CalledProcessError) as e:
        print("Bail out! %s" % e)
        return 2
    finally:
        if not h.kept:
            shutil.rmtree(h.tmp, ignore_errors=True)
    h.summary()
    h.tap.done()
    return 1 if h.tap.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
