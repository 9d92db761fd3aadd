# cups.sh: sourced by label --print's tests after lib.sh.  start_cupsd
# QUEUE... starts a real cupsd (Debian's cups-daemon) in $T/cups,
# listening on a domain socket only, as nobody when the tests run as
# root; each queue's backend (capture, written here) keeps every job as
# $T/cups/QUEUE/job-ID with its name in job-ID.title.  CUPS_SERVER points
# the tools at it.  A test that cannot start cupsd skips, saying why;
# scripts/demo, which defines its own skip_all first, goes on without
# printing (start_cupsd returns 1).

# skip_all WHY: no case can run here.
command -v skip_all >/dev/null 2>&1 || skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# The daemon in the background, as $_as; 0 once it answers.
_cupsd() {
	$_as /usr/sbin/cupsd -f -c "$C/cupsd.conf" -s "$C/cups-files.conf" \
	    >>"$C/log/stderr" 2>&1 &
	CUPSD_PID=$!
	_pids="$_pids $CUPSD_PID"
	_i=0
	until lpstat -r 2>/dev/null | grep -q 'is running'; do
		_i=$((_i + 1))
		if [ $_i -ge 100 ] || ! kill -0 "$CUPSD_PID" 2>/dev/null; then
			return 1
		fi
		sleep 0.1
	done
}

start_cupsd() {
	C=$T/cups
	[ -x /usr/sbin/cupsd ] || { skip_all "no cupsd (cups-daemon)"; return 1; }
	command -v lpstat >/dev/null ||
	    { skip_all "no lpstat (cups-client)"; return 1; }
	mkdir -p "$C/bin/backend" "$C/spool/temp" "$C/log" "$C/cache" "$C/state"
	cat >"$C/bin/backend/capture" <<'SH'
#!/bin/sh
# capture: each job's bytes into the directory the device URI names.
[ $# -eq 0 ] && { echo 'direct capture "Unknown" "fulfil test capture"'; exit 0; }
dir=${DEVICE_URI#capture:}
if [ $# -ge 6 ]; then cat "$6"; else cat; fi >"$dir/.job-$1" || exit 1
printf '%s\n' "$3" >"$dir/job-$1.title"
mv "$dir/.job-$1" "$dir/job-$1"
SH
	chmod 755 "$C/bin/backend/capture"
	: >"$C/printers.conf"
	for q in "$@"; do
		mkdir "$C/$q"
		printf '<Printer %s>\nInfo fulfil test queue\nDeviceURI capture:%s\nState Idle\nAccepting Yes\nShared No\n</Printer>\n' \
		    "$q" "$C/$q" >>"$C/printers.conf"
	done
	_as=
	_user=$(id -un)
	_group=$(id -gn)
	if [ "$(id -u)" -eq 0 ]; then
		# As root cupsd would run its backends as lp; as nobody it is
		# an unprivileged daemon through and through.
		_user=nobody
		_group=$(id -gn nobody)
		_as="setpriv --reuid=nobody --regid=$_group --clear-groups"
		chmod 711 "$T"
	fi
	cat >"$C/cups-files.conf" <<CONF
User $_user
Group $_group
ServerRoot $C
StateDir $C/state
ServerBin $C/bin
CacheDir $C/cache
DataDir /usr/share/cups
RequestRoot $C/spool
TempDir $C/spool/temp
AccessLog $C/log/access_log
ErrorLog $C/log/error_log
PageLog $C/log/page_log
Printcap $C/printcap
Sandboxing Off
CONF
	cat >"$C/cupsd.conf" <<CONF
LogLevel info
Listen $C/sock
Browsing Off
WebInterface No
DefaultAuthType None
PreserveJobHistory Yes
<Location />
Order allow,deny
Allow all
</Location>
<Policy default>
<Limit All>
Order deny,allow
</Limit>
</Policy>
CONF
	ln -s /usr/lib/cups/daemon "$C/bin/daemon"
	[ -z "$_as" ] || chown -R "$_user:$_group" "$C"
	CUPS_SERVER=$C/sock
	export CUPS_SERVER
	_cupsd || {
		skip_all "cupsd cannot start: $(tail -1 "$C/log/stderr" 2>/dev/null)"
		return 1
	}
}

# stop_cupsd: the daemon stopped (its queues and jobs stay in $T/cups).
stop_cupsd() {
	kill "$CUPSD_PID"
	while kill -0 "$CUPSD_PID" 2>/dev/null; do sleep 0.1; done
}

# restart_cupsd: the same daemon again.
restart_cupsd() {
	_cupsd || { echo "# cupsd did not start again" >&2; return 1; }
}

# jobs_in QUEUE: how many jobs have arrived in QUEUE, once it has
# finished what it has (at most 10 seconds).
jobs_in() {
	_i=0
	while [ -n "$(lpstat -o "$1" 2>/dev/null)" ] && [ $_i -lt 100 ]; do
		_i=$((_i + 1))
		sleep 0.1
	done
	ls "$C/$1" | grep -c '^job-[0-9]*$' || :
}
