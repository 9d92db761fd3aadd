#!/usr/bin/env node
// zpl-render: draw the first label of a ZPL file as a PNG image, the way
// a 203 dpi (8 dots/mm) printer would, so that tests can read its
// barcode back with zbarimg.  The label's size comes from its ^PW and
// ^LL (in dots), else 4 x 6 in.  Uses zpl-renderer-js (a WebAssembly
// build of zebrash): scripts/install-deps puts it in tests/node_modules.
//
// usage: node tests/zpl-render.js label.zpl label.png
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const DPMM = 8;

function dots(zpl, cmd, fallback) {
	const m = zpl.match(new RegExp("\\^" + cmd + "(\\d+)"));
	return m ? Number(m[1]) : fallback;
}

async function main() {
	const [src, dst] = process.argv.slice(2);
	if (!src || !dst) {
		console.error("usage: node zpl-render.js label.zpl label.png");
		process.exit(2);
	}
	let lib;
	try {
		lib = require(path.join(__dirname, "node_modules", "zpl-renderer-js"));
	} catch (e) {
		console.error("zpl-render: zpl-renderer-js is not installed (run scripts/install-deps test)");
		process.exit(127);
	}
	const zpl = fs.readFileSync(src, "utf8");
	const w = dots(zpl, "PW", 812) / DPMM;
	const h = dots(zpl, "LL", 1218) / DPMM;
	const { api } = await lib.ready;
	const png = await api.zplToBase64Async(zpl, w, h, DPMM);
	fs.writeFileSync(dst, Buffer.from(png, "base64"));
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error("zpl-render: " + (e && e.message ? e.message : e));
		process.exit(1);
	});
