/*
 * taobao: the order exports of Taobao and Tmall's seller centre (已卖出的
 * 宝贝 > 批量导出), two CSV files joined by 订单编号: the 订单报表 (one row
 * per order: the recipient, 收货地址 in one field, the money, the
 * order's status) and the 宝贝报表 (one row per item: 标题, 价格, 购买数量,
 * 商家编码, 商品属性 and the item's own status).  Times are Beijing time
 * without an offset; money is yuan.  The files come in GBK: they must
 * be made UTF-8 first (iconv -f GBK -t UTF-8), which the reader says
 * when a header is not UTF-8.
 */
#include <string.h>

#include "cnaddr.h"
#include "reader_int.h"
#include "status.h"

enum { TB_STATUS, TB_ADDRESS, TB_NEW_ADDRESS, TB_PAID_AT };
enum { TBI_STATUS };

static int
has(const char *s, const char *word)
{
	return strstr(s, word) != NULL;
}

/* An item's own status: closed (refunded) or sent. */
static const char *
taobao_row(struct reader *r, struct group *g, json_t *line)
{
	const char *s = reader_extra(r, TBI_STATUS);

	(void)g;
	(void)line;
	if (has(s, "关闭") || has(s, "退款成功"))
		return "refunded";
	if (has(s, "已发货") || has(s, "已签收") || has(s, "交易成功"))
		return "fulfilled";
	return NULL;
}

/*
 * The order's status in words: 等待买家付款, 买家已付款，等待卖家发货,
 * 卖家部分发货, 卖家已发货，等待买家确认, 买家已签收, 交易成功, 交易关闭.
 */
static void
order_status(struct reader *r, struct group *g)
{
	const char *s = reader_extra(r, TB_STATUS), *pay = "pending";

	if (has(s, "关闭")) {
		reader_setval(g, F_STATUS, status_name(ST_CANCELLED));
		/* Closed after it was paid is refunded; before, void. */
		pay = reader_blank(reader_extra(r, TB_PAID_AT)) ? "voided"
								: "refunded";
	} else if (has(s, "等待买家付款"))
		pay = "pending";
	else if (has(s, "部分发货")) {
		pay = "paid";
		reader_setval(g, F_FULFILLMENT_STATUS, "partial");
	} else if (has(s, "已发货") || has(s, "已签收") || has(s, "交易成功")) {
		pay = "paid";
		reader_setval(g, F_FULFILLMENT_STATUS, "fulfilled");
	} else if (has(s, "等待卖家发货")) {
		pay = "paid";
		reader_setval(g, F_FULFILLMENT_STATUS, "unfulfilled");
	}
	if (g->val[F_PAYMENT_STATUS] == NULL)
		reader_setval(g, F_PAYMENT_STATUS, pay);
}

static void
taobao_order(struct reader *r, struct group *g)
{
	const char *addr = reader_extra(r, TB_NEW_ADDRESS);
	struct cnaddr a;

	order_status(r, g);
	/* The address as the seller changed it, if they did. */
	if (reader_blank(addr))
		addr = reader_extra(r, TB_ADDRESS);
	if (reader_blank(addr))
		return;
	cnaddr_split(addr, &a);
	reader_setval(g, F_SHIP_TO_REGION, a.region[0] ? a.region : NULL);
	reader_setval(g, F_SHIP_TO_CITY, a.city[0] ? a.city : NULL);
	reader_setval(g, F_SHIP_TO_LINE1, a.line1[0] ? a.line1 : NULL);
	reader_setval(g, F_SHIP_TO_LINE2, a.district[0] ? a.district : NULL);
	reader_setval(g, F_SHIP_TO_POSTCODE, a.postcode[0] ? a.postcode : NULL);
	reader_setval(g, F_SHIP_TO_COUNTRY, a.country);
}

const struct dialect dialect_taobao = {
    .name = "taobao",
    .source = "taobao",
    .delim = ',',
    .cols =
	{
	    [F_ORDER_ID] = "订单编号",
	    [F_PLACED_AT] = "订单创建时间",
	    [F_CUSTOMER_NAME] = "收货人姓名",
	    [F_CUSTOMER_PHONE] = "联系手机|联系电话",
	    [F_SHIP_TO_NAME] = "收货人姓名",
	    [F_SHIP_TO_PHONE] = "联系手机|联系电话",
	    [F_SUBTOTAL] = "买家应付货款",
	    [F_SHIPPING] = "买家应付邮费",
	    [F_TOTAL] = "总金额",
	    [F_PAYMENT_REFUNDED] = "退款金额",
	    [F_PREF_NOTE] = "买家留言",
	    [F_SHIPPING_METHOD] = "运送方式",
	},
    .defaults =
	{
	    [F_CURRENCY] = "CNY",
	    [F_SHIP_TO_COUNTRY] = "CN",
	},
    .tz = "Asia/Shanghai",
    .extra = {"订单状态", "收货地址", "修改后的收货地址", "订单付款时间"},
    .items_name = "宝贝报表 (items file)",
    .icols =
	{
	    [F_ORDER_ID] = "订单编号",
	    [F_LINES_SKU] = "商家编码|外部系统编号",
	    [F_LINES_NAME] = "标题",
	    [F_LINES_VARIANT] = "商品属性",
	    [F_LINES_QTY] = "购买数量",
	    [F_LINES_UNIT_PRICE] = "价格",
	},
    .iextra = {"订单状态"},
    .row = taobao_row,
    .order = taobao_order,
};
