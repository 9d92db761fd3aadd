#!/bin/sh
# label --pack: the scans of one order through a pipe.  A wrong item, an
# extra one and a code nothing knows are refused with one line each, the
# box left as it was; the full box labels the order once, and every scan
# is in the ledger.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup

ingest-orders -q "$DATA/pick-orders.ndjson" | pick-list -q >picked.ndjson
# P-1: TEA-2, TEA-1 and the promotion's GIFT-CUP, one each.
printf '%s\n' web:P-1 TEA-2 POT-1 TEA-2 NO-SUCH-THING TEA-1 GIFT-CUP >scans
run label --pack -o labels <scans
is "exit 1: scans were refused" "$rc" 1
is "the packer's lines" "$(sed 's/^label: //' err)" \
"order P-1: open; 0 of 3 in the box; left: 1 x TEA-2, 1 x TEA-1, 1 x GIFT-CUP
order P-1: + TEA-2 Tieguanyin oolong 100 g; 1 of 3 in the box; left: 1 x TEA-1, 1 x GIFT-CUP
<stdin>:3: wrong item: POT-1 (Yixing clay teapot) is not in order P-1: put it back
<stdin>:4: extra item: order P-1 has all 1 of TEA-2 in the box: take this one out
<stdin>:5: unknown code 'NO-SUCH-THING': not an item, order or tote
order P-1: + TEA-1 Longjing green tea 250 g; 2 of 3 in the box; left: 1 x GIFT-CUP
order P-1: + GIFT-CUP Celadon tea cup; 3 of 3 in the box; complete
order P-1: packed: label printed
7 scans, 1 order packed, 0 left unfinished, 3 refused
1 read, 1 labelled, 0 reprinted (1 parcel), 0 passed through, 0 rejected"
check "no bell when stderr is not a terminal" sh -c "! grep -q \"$(printf '\a')\" err"
is "the labelled record on stdout" "$(jq -r '[.order_id, .status, .shipment.tracking] | join(" ")' out)" \
    "P-1 labelled SF000000000001"
is "its label printed" "$(ls labels)" "run-000003-0001.zpl"
check "the label is P-1's" grep -q "SF000000000001" labels/run-000003-0001.zpl
is "the ledger has it labelled" \
    "$(ledger_sql fulfil.db "select status from orders where order_id = 'P-1'")" labelled
is "every scan in the ledger, with what it matched and its verdict" \
    "$(ledger_sql fulfil.db "select order_id, code, coalesce(sku, '-'), verdict from pack_scans order by id" | tr '\n' ' ')" \
    "P-1|web:P-1|-|order P-1|TEA-2|TEA-2|item P-1|POT-1|POT-1|wrong P-1|TEA-2|TEA-2|extra P-1|NO-SUCH-THING|-|unknown P-1|TEA-1|TEA-1|item P-1|GIFT-CUP|GIFT-CUP|item P-1|GIFT-CUP|-|complete "
is "the run and time of each" \
    "$(ledger_sql fulfil.db "select distinct run, at from pack_scans")" "3|2026-11-23T10:00:00+08:00"

# A code before any order, an order not picked (P-4 is held), CANCEL with
# nothing open; a scanner's CR and blank lines are nothing.
printf 'TEA-1\r\n\n  \nweb:P-4\nCANCEL\nweb:P-1\n' >scans2
run label --pack -o labels --station desk-2 <scans2
is "exit 1" "$rc" 1
is "each refused" "$(sed 's/^label: //' err | head -4)" \
"<stdin>:1: item TEA-1 before an order: scan an order or a tote first
<stdin>:4: order P-4 is held: nothing to pack
<stdin>:5: no order open to cancel
<stdin>:6: order P-1 is labelled: nothing to pack"
is "the station kept" "$(ledger_sql fulfil.db "select distinct station from pack_scans where run = 4")" desk-2
is "nothing labelled again" "$(ls labels)" "run-000003-0001.zpl"
is "nothing on stdout" "$(cat out)" ""

# On a terminal a refusal rings: script(1) gives the run one.
printf '%s\n' web:P-2 TEA-1 >scans3
script -qec "label --pack -o labels --scans scans3" /dev/null </dev/null >tty.out || :
is "a bell on a terminal, once, with the refusal" \
    "$(tr -d '\r' <tty.out | grep -c "$(printf '\a')")" 1
check "the bell ends the wrong item's line" \
    grep -q "wrong item: TEA-1 (Longjing green tea 250 g) is not in order P-2: put it back$(printf '\a')" tty.out

# What --pack will not take.
run label --pack <scans
is "no -o: exit 2" "$rc" 2
is "no -o: said" "$(cat err)" "label: --pack needs -o dir for the labels"
run label --pack -o labels picked.ndjson <scans
is "orders given: exit 2" "$rc" 2
is "orders given: said" "$(cat err)" \
    "label: --pack reads scans, not orders: the orders are the ledger's"
run label --scans scans -o labels
is "--scans without --pack: exit 2" "$rc" 2

done_testing
