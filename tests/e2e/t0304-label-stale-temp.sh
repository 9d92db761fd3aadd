#!/bin/sh
# A label run killed before it renamed a label into place leaves its
# temporary file (customer data) in the labels directory; the next run
# that writes there removes it.  A temporary file of a live run stays.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
mkdir labels
dead=$(sh -c 'echo $$')
echo '^XA^FDhalf a label^XZ' >labels/.run-000001-0001.zpl.$dead.Ab12Cd
echo '^XA^FDbeing written^XZ' >labels/.run-000002-0001.zpl.$$.Ef34Gh
echo 'not ours' >labels/.keep.me
ingest-orders -q "$DATA/orders.ndjson" | pick-list -q >picked.ndjson
run label -o labels picked.ndjson
is "label: exit 0" "$rc" 0
is "the dead run's temporary file removed" \
    "$(ls -a labels | grep -c "^\.run-000001-0001\.zpl\.$dead\.")" 0
is "a live run's temporary file left" \
    "$(ls -a labels | grep -c "^\.run-000002-0001\.zpl\.$$\.")" 1
is "other files left" "$(ls -a labels | grep -c '^\.keep\.me$')" 1
is "the labels written, no temporary file of this run left" \
    "$(ls labels | grep -c '\.zpl$') $(ls -a labels | grep -c '^\.run-.*\.zpl\.[0-9]*\.......$')" "1 1"
done_testing
