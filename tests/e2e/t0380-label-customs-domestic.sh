#!/bin/sh
# label: a parcel that stays in the warehouse's country has no customs
# declaration (no shipment.customs, no page or label more); one that
# leaves it has one, unless label.customs.enabled is false.  Labels print
# the destination country in English, with its own name when it fits,
# not its code.
. "$FULFIL_ROOT/tests/e2e/lib.sh"
. "$FULFIL_ROOT/tests/e2e/customs.sh"
setup
customs_picked '.order_id == "C-DOM" or .order_id == "C-DE" or .order_id == "C-JP"'
jq -c 'select(.order_id == "C-DOM")' picked.ndjson >dom.ndjson

run label -f zpl,pdf,png -o dom dom.ndjson
is "domestic: exit 0" "$rc" 0
is "domestic: no shipment.customs" "$(jq -c '.shipment.customs' out)" null
is "domestic: one ZPL label, one PDF page, one PNG" \
    "$(grep -c '\^XA' dom/*.zpl) $(pdfinfo dom/*.pdf | awk '/^Pages/{print $2}') $(ls dom/*.png | wc -l)" \
    "1 1 1"
check "domestic: no CUSTOMS DECLARATION anywhere" \
    sh -c "! grep -q 'CUSTOMS' dom/*.zpl && ! pdftotext dom/*.pdf - | grep -q CUSTOMS"
is "domestic: no warning" "$(cat err | grep -c warning || true)" 0

run label --db intl.db -f zpl,pdf -o intl picked.ndjson
is "international: exit 0" "$rc" 0
is "international: a declaration for DE and JP, none for CN" \
    "$(jq -r '[.order_id, (.shipment.customs.form // "-")] | join(" ")' out | sort | tr '\n' ',')" \
    "C-DE CN22,C-DOM -,C-JP CN22,"
pdftotext -layout intl/*.pdf text
check "the ship-to country in English and German" grep -q "GERMANY / Deutschland" text
check "in English and Japanese" grep -q "JAPAN / 日本" text
check "the form names the countries in English" grep -q "Berlin, Germany" text
check "the ZPL too" grep -q "GERMANY / Deutschland" intl/*.zpl
check "ZPL in the printer's font 0: no Japanese it cannot draw" \
    sh -c "grep -q 'FDJAPAN^FS' intl/*.zpl && ! grep -q 日本 intl/*.zpl"
jq '.label = {"printer_font": "E:SIMSUN.TTF"}' fulfil.json >font.json
run label --config font.json --db font.db -f zpl -o font picked.ndjson
check "a font file on the printer: the Japanese too" grep -q "JAPAN / 日本" font/*.zpl
check "no bare code for the country" sh -c "! grep -qx ' *DE *' text"

jq '.label = {"customs": {"enabled": false}}' fulfil.json >off.json
run label --config off.json --db off.db -f zpl -o off picked.ndjson
is "enabled false: exit 0" "$rc" 0
is "enabled false: no declaration" \
    "$(jq -c '.shipment.customs' out | sort -u)" null
is "enabled false: three labels, no forms" \
    "$(grep -c '\^XA' off/*.zpl) $(grep -c CUSTOMS off/*.zpl || true)" "3 0"
done_testing
