#!/bin/sh
# Privacy canary, for the readers and converters t0126 predates:
# WooCommerce, Etsy (orders + --items), Taobao (订单报表 + 宝贝报表, 收货地址
# split), the Amazon all-orders report, and column maps that convert
# (defaults, value tables, country names, date_format, decimal commas).
# Each column of each export holds the canary in turn, alone and inside
# values wrong in other ways, in an order of its own; stderr and the
# reasons of --rejects must never show it.  The rejects file keeps the
# raw record whole, by design: only its reasons are looked at.  The
# order id is the one field messages print; its column is left alone.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
setup
C=CANARY-7f3a
# Pickup and SKU lookups on, so that their paths are taken too.
jq '.pickup = {"methods": ["Collect from *"]}
    | .ingest.sku_from = ["sku", "barcode", "name"]' fulfil.json >f.json
mv f.json fulfil.json

# leaks NAME: neither stderr of the last run nor the reasons in rej.ndjson
# hold the canary.
leaks() {
	jq -r '.reason' rej.ndjson >reasons 2>/dev/null || : >reasons
	if grep -q "$C" err reasons; then
		not_ok "$1"
		grep -h "$C" err reasons | head -5 | cut -c1-200 | sed 's/^/#   /'
	else
		ok "$1"
	fi
}

# canary SRC DST DELIM KEY [ITEMS_SRC ITEMS_DST]: from an order of SRC
# (and its rows in ITEMS_SRC, joined by the column KEY), one order per
# column and kind of bad value, the canary in that column of every row
# of the order; then the same for each column of the items file.  The
# order is the first, or the one whose KEY is $BASE; SET ("col=value;
# ...") changes its rows (and items rows) first, so that lines without a
# SKU, partly fulfilled lines and unpaid orders are what the canary meets.
canary() {
	BASE=${BASE:-} SET=${SET:-} /usr/bin/python3 - "$C" "$@" <<'PY'
import csv, os, sys
c, src, dst, delim, key = sys.argv[1:6]
isrc, idst = (sys.argv[6:8] + [None, None])[:2]
delim = "\t" if delim == "tab" else delim

def load(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.reader(f, delimiter=delim))

def save(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delim, lineterminator="\r\n",
            quoting=csv.QUOTE_MINIMAL)
        w.writerows(rows)

def variants(orig):
    return [c, c + "\x01", "x" + c + ",y", orig + c, c + orig,
        orig + " " + c, "'" + c, '="' + c + '"', "(" + c + ")",
        c + "x" * 3000, "\u00e9" + c + "\u4e2d"]

head = load(src)
rows = head[1:]
head = head[0]
k = head.index(key)
base = os.environ["BASE"] or rows[0][k]
first = [r for r in rows if r[k] == base]
if isrc:
    ihead = load(isrc)
    irows = ihead[1:]
    ihead = ihead[0]
    ik = ihead.index(key)
    ifirst = [r for r in irows if r[ik] == base]
for kv in filter(None, os.environ["SET"].split(";")):
    col, v = kv.split("=", 1)
    for h, rs in ((head, first), (ihead if isrc else [], ifirst if isrc else [])):
        if col in h:
            for r in rs:
                r[h.index(col)] = v
out, iout = [head], [ihead] if isrc else None
n = 0

def emit(orows, irs):
    global n
    n += 1
    oid = "9%08d" % n
    for r in orows:
        r = list(r)
        r[k] = oid
        out.append(r)
    for r in irs or []:
        r = list(r)
        r[ik] = oid
        iout.append(r)

for col in range(len(head)):
    if col == k:
        continue
    for v in variants(first[0][col]):
        rs = [list(r) for r in first]
        for r in rs:
            r[col] = v
        emit(rs, ifirst if isrc else None)
    # Only in the last row of the order.
    rs = [list(r) for r in first]
    rs[-1][col] = c
    emit(rs, ifirst if isrc else None)
if isrc:
    for col in range(len(ihead)):
        if col == ik:
            continue
        for v in variants(ifirst[0][col]):
            irs = [list(r) for r in ifirst]
            for r in irs:
                r[col] = v
            emit(first, irs)
    # Items that no order has, and an order no item has.
    r = list(ifirst[0])
    r[ik] = "8%08d" % n
    r[(ik + 1) % len(r)] = c
    iout.append(r)
    r = list(first[0])
    r[k] = "7%08d" % n
    out.append(r)
save(dst, out)
if isrc:
    save(idst, iout)
PY
}

# WooCommerce, one row per item: as exported, with lines without a SKU
# (found by name, or not at all), and with a ZIP that lost its zero.
for set in "" "item_sku=" "shipping_postcode=2108"; do
	SET=$set canary "$DATA/woocommerce-orders.csv" woo.csv , order_number
	fresh_ledger
	run ingest-orders --rejects rej.ndjson woo.csv
	check "WooCommerce${set:+ ($set)}: read, some rejected" \
	    grep -q "read.*[1-9][0-9]* rejected" err
	leaks "WooCommerce${set:+ ($set)}: no message shows a cell"
done
run ingest-orders --db f.db --rejects rej.ndjson -f woocommerce woo.csv
leaks "WooCommerce (-f): no message shows a cell"

# Etsy: the sold orders joined with the sold order items.
for set in "" "SKU=" "Date Shipped=11/20/26"; do
	SET=$set canary "$DATA/etsy-sold-orders.csv" etsy.csv , "Order ID" \
	    "$DATA/etsy-sold-order-items.csv" etsy-items.csv
	fresh_ledger
	run ingest-orders --rejects rej.ndjson --items etsy-items.csv etsy.csv
	check "Etsy${set:+ ($set)}: read" grep -q "read" err
	leaks "Etsy${set:+ ($set)}: no message shows a cell"
done
run ingest-orders --db f.db --rejects rej.ndjson etsy.csv
leaks "Etsy without its items: no message shows a cell"

# Taobao: 订单报表 + 宝贝报表, 收货地址 and 修改后的收货地址 split; paid,
# unpaid, partly sent, lines without a SKU.
for set in "订单状态=卖家部分发货" "订单状态=等待买家付款" "商家编码=;外部系统编号=" ""; do
	SET=$set canary "$FULFIL_ROOT/examples/taobao-orders.csv" tb.csv , 订单编号 \
	    "$FULFIL_ROOT/examples/taobao-items.csv" tb-items.csv
	fresh_ledger
	run ingest-orders --rejects rej.ndjson -f taobao --items tb-items.csv tb.csv
	check "Taobao${set:+ ($set)}: read" grep -q "read" err
	leaks "Taobao${set:+ ($set)}: no message shows a cell"
done
# Addresses the splitter must give up on, around the canary.
/usr/bin/python3 - "$C" tb.csv tb-addr.csv tb-items.csv tb-addr-items.csv <<'PY'
import csv, sys
c, src, dst, isrc, idst = sys.argv[1:]
def load(p):
    return list(csv.reader(open(p, newline="", encoding="utf-8")))
def save(p, rows):
    csv.writer(open(p, "w", newline="", encoding="utf-8"),
        lineterminator="\r\n").writerows(rows)
rows, irows = load(src), load(isrc)
head = rows[0]
a, b = head.index("收货地址"), head.index("修改后的收货地址")
items = [r for r in irows if r[0] == rows[1][0]]
out, iout = [head], [irows[0]]
forms = [c, c + "(201203)", "上海 " + c, "上海 上海市 " + c,
    "上海 上海市 浦东新区 " + c + "(" + c + ")", "上海 上海市 浦东新区 路(" + c,
    c + " " + c + " " + c + " " + c, "(" + c + ")", " ".join([c] * 40),
    "香港 " + c, "台湾 " + c + " x(123)", c + "省 " + c + "市 " + c + "区 x",
    "上海 上海市 浦东新区 张江路123号(2012" + c + ")", c * 200,
    "上海 上海市 浦东新区 张江路123号(" + c + "\x01)", "\x01" + c]
for i, f in enumerate(forms):
    for col in (a, b):
        r = list(rows[1])
        r[0] = "6%07d%d" % (i, col == b)
        r[col] = f
        out.append(r)
        for it in items:
            it = list(it)
            it[0] = r[0]
            iout.append(it)
save(dst, out)
save(idst, iout)
PY
run ingest-orders --db f.db --rejects rej.ndjson -f taobao \
    --items tb-addr-items.csv tb-addr.csv
check "Taobao, addresses: read" grep -q "read" err
leaks "Taobao, addresses that do not split: no message shows them"
# A GBK export: the message says how to convert it, not what it holds.
iconv -f UTF-8 -t GBK tb.csv >tb-gbk.csv
iconv -f UTF-8 -t GBK tb-items.csv >tb-items-gbk.csv
run ingest-orders --db g.db --rejects rej.ndjson -f taobao \
    --items tb-items-gbk.csv tb-gbk.csv
leaks "Taobao in GBK: no message shows a cell"
run ingest-orders --db g.db --rejects rej.ndjson -f taobao \
    --items tb-items-gbk.csv tb.csv
leaks "Taobao, items in GBK: no message shows a cell"

# Amazon's all-orders report (tab-separated): an unshipped order, one
# pending payment, one partly shipped; a line without a SKU.
for base in 111-0000004-0000004 111-0000005-0000005 111-0000006-0000006 \
    "111-0000004-0000004 sku="; do
	BASE=${base%% *} SET=$(echo "$base" | sed -n 's/^[^ ]* //p') \
	    canary "$DATA/amazon-all-orders.txt" amazon.txt tab amazon-order-id
	fresh_ledger
	run ingest-orders --rejects rej.ndjson amazon.txt
	check "Amazon all-orders ($base): read" grep -q "read" err
	leaks "Amazon all-orders ($base): no message shows a cell"
done

# Amazon's unshipped report without prices (one warning for the file).
for set in "" "sku="; do
	SET=$set canary "$DATA/amazon-unshipped-us.txt" amazon.txt tab order-id
	fresh_ledger
	run ingest-orders --rejects rej.ndjson amazon.txt
	check "Amazon unshipped${set:+ ($set)}: read" grep -q "read" err
	leaks "Amazon unshipped${set:+ ($set)}: no message shows a cell"
done

# A map that converts: each column of the shop's CSV in turn; lines
# without a SKU, partly sent, unpaid.
for set in "" "商品编码=" "行状态=partial" "状态=待付款"; do
	SET=$set canary "$DATA/shop-cn.csv" shop.csv ";" 单号
	fresh_ledger
	run ingest-orders --rejects rej.ndjson --map "$DATA/shop-cn-map.json" \
	    shop.csv
	check "converting map${set:+ ($set)}: read, some rejected" \
	    grep -q "read.*[1-9][0-9]* rejected" err
	leaks "converting map${set:+ ($set)}: no message shows a cell"
done
# Without date patterns, tables or a default country: the loose readers.
sed 's#\([0-9][0-9]\)/\([0-9][0-9]\)/\(20[0-9][0-9]\)#\3-\1-\2#' \
    "$DATA/shop-cn.csv" >shop-iso.csv
canary shop-iso.csv shop.csv ";" 单号
jq 'del(.date_format, .timezone, .defaults)' "$DATA/shop-cn-map.json" >bare.json
fresh_ledger
run ingest-orders --rejects rej.ndjson --map bare.json shop.csv
check "bare map: read, some rejected" grep -q "read.*[1-9][0-9]* rejected" err
leaks "bare map: no message shows a cell"
# Each field mapped to the recipient's column, whose cells are the canary:
# every converter takes a value it was not made for.
sed "1!s/^\([^;]*\);\([^;]*\);[^;]*;/\1;\2;$C;/" "$DATA/shop-cn.csv" >named.csv
sed "1!s/^\([^;]*\);\([^;]*\);[^;]*;/\1;\2;$C;/" shop-iso.csv >named-iso.csv
for field in placed_at currency ship_to.country ship_to.postcode \
    ship_to.phone ship_to.region customer.email customer.locale lines.sku \
    lines.name lines.qty lines.unit_price lines.price_total \
    lines.fulfilment lines.shipped_qty lines.refunded_qty subtotal shipping \
    tax discount total payment.method payment.cod_amount payment.status \
    payment.outstanding payment.refunded service delivery_window.from \
    delivery_window.to shipping_method fulfillment_status cancelled_at \
    status source; do
	jq --arg f "$field" '.columns[$f] = "收件人"' \
	    "$DATA/shop-cn-map.json" >mis.json
	run ingest-orders --db mis.db --rejects rej.ndjson --map mis.json \
	    named.csv
	leaks "converting map, $field from the name column: no message shows it"
	jq 'del(.date_format, .timezone, .defaults)' mis.json \
	    >mis-bare.json
	run ingest-orders --db mis.db --rejects rej.ndjson --map mis-bare.json \
	    named-iso.csv
	leaks "bare map, $field from the name column: no message shows it"
done
# Defaults and value tables that give a wrong value: configuration, which
# messages may name; the cells must not show all the same.
jq --arg c "$C" '.defaults["ship_to.country"] = "ZZ"
    | .defaults["placed_at"] = "not a date"
    | .values["payment.method"] = {"*": "bogus"}
    | .values["service"] = {"*": "bogus"}
    | .values["lines.fulfilment"] = {"*": "bogus"}' \
    "$DATA/shop-cn-map.json" >wrong.json
canary "$DATA/shop-cn.csv" shop.csv ";" 单号
run ingest-orders --db w.db --rejects rej.ndjson --map wrong.json shop.csv
leaks "map with wrong defaults and tables: no message shows a cell"

# A file whose first row, customer data, is taken for a header.
for f in "-f woocommerce" "-f etsy" "-f taobao" "-f amazon" \
    "--map $DATA/shop-cn-map.json"; do
	printf '%s,%s;%s\t%s\n1,2;3\t4\n' "$C" "$C" "$C" "$C" >headless.csv
	# shellcheck disable=SC2086 # $f is the options, split on purpose
	run ingest-orders --db h.db --rejects rej.ndjson $f headless.csv
	leaks "no header ($f): no message shows the first row"
done
# The items file without its header.
printf '%s,%s\n1,2\n' "$C" "$C" >headless.csv
run ingest-orders --db h.db --rejects rej.ndjson --items headless.csv etsy.csv
leaks "Etsy items without a header: no message shows the first row"
run ingest-orders --db h.db --rejects rej.ndjson -f taobao \
    --items headless.csv tb.csv
leaks "Taobao items without a header: no message shows the first row"
done_testing
