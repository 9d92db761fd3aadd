/*
 * cnaddr: a Chinese address written on one line, as Taobao and Tmall
 * export it in 收货地址, split into the parts of a ship_to.
 *
 * The line is the province (or municipality), the city, the district
 * and the street, separated by blanks (ASCII or U+3000), with the postal
 * code in brackets at the end:
 *
 *     上海 上海市 浦东新区 张江路123号(201203)
 *
 * gives region 上海, city 上海市, district 浦东新区, line1 张江路123号,
 * postcode 201203.  A third part that is not a district (one that does
 * not end in 区, 县, 市 or 旗, as in 东莞市's towns) starts the street;
 * parts after the district (a 街道 or 镇, the street, the building) make
 * line1, as written.  The code is 3 to 10 digits in brackets, ASCII or
 * full-width; a code of zeros, written when the buyer gave none, is no
 * code.  Hong Kong,
 * Macao and Taiwan are told by the first part (香港..., 澳门...,
 * 台湾...) and get their own country code; everything else is CN.
 *
 * Ownership: nothing here allocates; the parts are written into the
 * caller's struct.
 */
#ifndef FULFIL_CNADDR_H
#define FULFIL_CNADDR_H

#define CNADDR_PART 256

struct cnaddr {
	char region[CNADDR_PART];
	char city[CNADDR_PART];
	char district[CNADDR_PART];
	char line1[CNADDR_PART];
	char postcode[16];
	char country[3];
};

/*
 * Split s into a.  Returns the number of parts found before the street
 * (0 to 3); every field of a is set, "" when absent.
 */
int cnaddr_split(const char *s, struct cnaddr *a);

#endif
