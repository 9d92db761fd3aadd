#!/usr/bin/python3
# A carrier helper for the tests (fulfil-carrier-helper(5)): numbers by
# idempotency key, kept in $HELPER_STATE, each request appended to
# $HELPER_LOG.  $HELPER_MODE makes it misbehave:
#   good     the same number for the same key, a new one for a new key
#   crash    reads the request and dies by SIGKILL
#   crash2   good for parcel 1, dies for parcel 2 and on
#   garbage  answers no JSON
#   twice    answers two objects
#   slow     sleeps 60 s before answering
#   refuse   answers {"error": ...}
#   same     answers one number for every key (a number used already)
#   fickle   a new number on every call, even for a key answered before
#   bad      a tracking number with a space in it
# $HELPER_SLEEP: seconds to wait before anything else (a slow carrier API).
# $HELPER_TRACKING: the number to answer, whatever the key.
# $HELPER_PIDS: a file its process id is appended to, for tests to end it.
# Run as "helper void", it logs the request to $HELPER_LOG.void and
# answers by $HELPER_VOID: good (voided), old (exit 2, no word: a helper
# that knows no void), refuse, crash, slow (60 s).
import json, os, signal, sys, time

assert sys.argv[1:] in (["allocate"], ["void"]), sys.argv
req = json.loads(sys.stdin.read())
if sys.argv[1] == "void":
    how = os.environ.get("HELPER_VOID", "good")
    if how == "old":
        sys.exit(2)
    with open(os.environ["HELPER_LOG"] + ".void", "a") as f:
        f.write(json.dumps(req, sort_keys=True) + "\n")
    if how == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    if how == "slow":
        time.sleep(60)
    if how == "refuse":
        print(json.dumps({"error": "too late to cancel the waybill"}))
    else:
        print(json.dumps({"voided": True}))
    sys.exit(0)
mode = os.environ.get("HELPER_MODE", "good")
if "HELPER_PIDS" in os.environ:
    with open(os.environ["HELPER_PIDS"], "a") as f:
        f.write("%d\n" % os.getpid())
time.sleep(float(os.environ.get("HELPER_SLEEP", "0")))
with open(os.environ["HELPER_LOG"], "a") as f:
    f.write(json.dumps(req, sort_keys=True) + "\n")
state_path = os.environ["HELPER_STATE"]
try:
    with open(state_path) as f:
        state = json.load(f)
except FileNotFoundError:
    state = {"next": 500000000001, "keys": {}}
key = req["idempotency_key"]
if mode == "crash" or (mode == "crash2" and req["parcel"]["n"] >= 2):
    os.kill(os.getpid(), signal.SIGKILL)
if mode == "garbage":
    print("Traceback: the carrier's API is down")
    sys.exit(0)
if mode == "slow":
    time.sleep(60)
if mode == "refuse":
    print(json.dumps({"error": "account suspended"}))
    sys.exit(0)
if mode == "same":
    print(json.dumps({"tracking": "SF500000000001", "sort_code": "755"}))
    sys.exit(0)
if "HELPER_TRACKING" in os.environ:
    print(json.dumps({"tracking": os.environ["HELPER_TRACKING"]}))
    sys.exit(0)
if mode == "bad":
    print(json.dumps({"tracking": "SF 5000"}))
    sys.exit(0)
if mode == "fickle" or key not in state["keys"]:
    state["keys"][key] = "SF%012d" % state["next"]
    state["next"] += 1
    with open(state_path + ".tmp", "w") as f:
        json.dump(state, f)
    os.rename(state_path + ".tmp", state_path)
tracking = state["keys"][key]
ans = {"tracking": tracking, "sort_code": "755-%s" % tracking[-2:],
       "label": {"route": "W%d" % req["parcel"]["n"]}}
print(json.dumps(ans))
if mode == "twice":
    print(json.dumps(ans))
