/*
 * cnaddr: Taobao's one-line 收货地址 into region, city, district, street
 * and postal code, with the shapes real addresses take.
 */
#include <stdio.h>
#include <string.h>

#include "cnaddr.h"
#include "tap.h"

/* Split s; each part as want, "|"-separated: region|city|district|line1|pc|cc.
 */
static void
split(const char *s, const char *want, const char *name)
{
	struct cnaddr a;
	char got[1200];

	cnaddr_split(s, &a);
	snprintf(got, sizeof got, "%s|%s|%s|%s|%s|%s", a.region, a.city,
	    a.district, a.line1, a.postcode, a.country);
	is_str(got, want, "%s", name);
}

int
main(void)
{
	split("上海 上海市 浦东新区 张江路123号(201203)",
	    "上海|上海市|浦东新区|张江路123号|201203|CN",
	    "the issue's address: municipality, city, district, street, code");
	split("浙江省 杭州市 西湖区 文新街道 文一西路100号(310012)",
	    "浙江省|杭州市|西湖区|文新街道 文一西路100号|310012|CN",
	    "a 街道 after the district stays with the street");
	split("广东省 东莞市 长安镇 长青路1号(523850)",
	    "广东省|东莞市||长安镇 长青路1号|523850|CN",
	    "a town where a district would be: part of the street");
	split("广东省 深圳市 南山区 科技园路1号 A座 5楼（518057）",
	    "广东省|深圳市|南山区|科技园路1号 A座 5楼|518057|CN",
	    "full-width brackets; blanks inside the street are kept");
	split("四川省\xe3\x80\x80成都市\xe3\x80\x80锦江区\xe3\x80\x80春熙路2号("
	      "000000)",
	    "四川省|成都市|锦江区|春熙路2号||CN",
	    "ideographic spaces; zeros are no code");
	split("内蒙古自治区 呼和浩特市 新城区 新华大街1号",
	    "内蒙古自治区|呼和浩特市|新城区|新华大街1号||CN", "no code at all");
	split("新疆维吾尔自治区 伊犁哈萨克自治州 伊宁县 解放路1号(835100)",
	    "新疆维吾尔自治区|伊犁哈萨克自治州|伊宁县|解放路1号|835100|CN",
	    "a county (县) is a district");
	split("香港特别行政区 九龙 油尖旺区 弥敦道100号(999077)",
	    "香港特别行政区|九龙|油尖旺区|弥敦道100号|999077|HK",
	    "Hong Kong is HK");
	split("澳门特别行政区 澳门半岛 大堂区 新马路1号",
	    "澳门特别行政区|澳门半岛|大堂区|新马路1号||MO", "Macao is MO");
	split("台湾 台北市 大安区 复兴南路1号(106)",
	    "台湾|台北市|大安区|复兴南路1号|106|TW",
	    "Taiwan is TW, with its three-digit code");
	split("北京 北京市 朝阳区(100022)", "北京|北京市||朝阳区|100022|CN",
	    "nothing after the district: it is the street");
	split("张江路123号", "|||张江路123号||CN", "one part: the street");
	split("", "|||||CN", "nothing");
	split("  上海 上海市 浦东新区 张江路123号 (201203)  ",
	    "上海|上海市|浦东新区|张江路123号|201203|CN",
	    "blanks around it, and before the code");
	return done_testing();
}
