"""Named patterns for reading news dumps: metadata labels, dates, boilerplate, headings, captions.

Every pattern here is about how Chinese news pages are built, not about one site: labels such as
来源/作者/责任编辑 with a full-width or ASCII colon, the date formats CMSs print, the share/QR/
subscription furniture around an article, and the phrases that open the "related articles" and
footer zones after it. Both ASCII and full-width punctuation are accepted because NFKC-normalised
copies carry the former and raw dumps the latter.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- characters

#: One Han character (CJK unified ideographs and extension A, compatibility ideographs).
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
HAN_RE = re.compile(HAN)

#: Punctuation that only running prose has: commas, full stops, semicolons, question marks.
#: ASCII forms count when a Han character touches them (NFKC turned ，into , in copies).
PROSE_PUNCT = re.compile(rf"[，。；！？、]|{HAN}[,;!?]|[,;!?]{HAN}")

#: Any punctuation at all, Chinese or ASCII.
ANY_PUNCT = re.compile(r"[，。；：！？、“”‘’《》（）—…,.;:!?()\"']")

#: Punctuation a paragraph (or a caption sentence) ends with; headings and captions usually lack it.
#: A closing quote counts only after a full stop (``…。”``): a heading may end on a quoted phrase.
FINAL_PUNCT = re.compile(r"(?:[。！？!?…;；.]|[。！？!?…][”’』」])$")

#: Punctuation inside a sentence; a heading or caption may hold 、 or a colon but not these.
CLAUSE_PUNCT = re.compile(rf"[，。；！？]|{HAN}[,;!?]|[,;!?]{HAN}")

#: The separator after a label: a colon, or the vertical bar some CMSs use (``文丨某某``), which
#: NFKC turns into a dash (``︱`` -> ``—``).
COLON = r"\s*[:：丨︱|｜—]\s*"

# --------------------------------------------------------------------------- dates

#: A calendar date in the forms CMSs print: 2020-04-29, 2020/04/29, 2020.04.29, 2020年4月29日,
#: and the split ``2020 / 04/29`` or ``2023 11/ 17`` of templates that style the year apart.
DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*(?:[-/.年]\s*|\s+)(?P<m>[01]?\d)\s*[-/.月]\s*(?P<d>[0-3]?\d)(?!\d)\s*日?"
    r"(?:[\sT]*(?P<H>[0-2]?\d)\s*[:：时]\s*(?P<M>[0-5]\d)(?:\s*[:：分]\s*(?P<S>[0-5]\d))?)?"
)

#: A line that is only a date (possibly with a time and a weekday): a line of furniture.
DATE_LINE = re.compile(
    rf"^(?:(?:发布|发表|更新|出版|發布|發佈|發表)?(?:时间|時間|日期){COLON})?{DATE.pattern}\s*(?:星期.|周.)?\s*$"
)

#: A bare year on its own line: the first half of a split date.
YEAR_LINE = re.compile(r"^(?:19|20)\d\d$")

# --------------------------------------------------------------------------- labels

#: Metadata labels and the field each fills, simplified and traditional (Big5 pages). Longest
#: first so 责任编辑 wins over 编辑.
LABELS: tuple[tuple[str, str], ...] = (
    ("责任编辑", "editor"),
    ("責任編輯", "editor"),
    ("责编", "editor"),
    ("責編", "editor"),
    ("编辑", "subeditor"),  # a plain 编辑 names the editor only when no 责任编辑 does
    ("編輯", "subeditor"),
    ("来源", "source"),
    ("來源", "source"),
    ("稿源", "source"),
    ("出处", "source"),
    ("出處", "source"),
    ("作者", "author"),
    ("记者", "author"),
    ("記者", "author"),
    ("撰文", "author"),
    ("文", "author"),
    ("摄影", "photo"),
    ("攝影", "photo"),
    ("图", "photo"),
    ("圖", "photo"),
    ("发布时间", "date"),
    ("發布時間", "date"),
    ("發佈時間", "date"),
    ("发表时间", "date"),
    ("發表時間", "date"),
    ("时间", "date"),
    ("時間", "date"),
    ("日期", "date"),
)
#: Labels count only at a word start: 图片来源 / 本报记者 / 原文 are not labels (bylines have their
#: own pattern). One look-behind before the alternation, not one per name: the same match, and
#: compiling the Han class 28 times cost ~0.1 s at every start.
_LABEL_NAMES = f"(?<!{HAN})(?:{'|'.join(name for name, _ in LABELS)})"

#: ``来源：新华网`` / ``【责任编辑:张三 】`` / ``(责编:牛镛、岳弘彬)``: one label and its value, the
#: value running to the next label, a closing bracket or a wide gap.
LABEL = re.compile(
    rf"(?P<label>{_LABEL_NAMES}){COLON}(?P<value>.*?)\s*(?=$|[\]】)）]|\s[\[【]|\s{{2,}}|\s(?:{_LABEL_NAMES}){COLON}|\|)"
)

#: A line that starts with a label (value may be empty: then it is on the next line).
LABEL_LINE = re.compile(rf"^[\[【(（]?\s*(?:{_LABEL_NAMES}){COLON}")

#: A line that holds only a label and a colon: its value follows on a later line.
BARE_LABEL = re.compile(rf"^(?P<label>{_LABEL_NAMES}){COLON}$")

#: ``作者 王五 赵六`` / ``编辑 某某 | 排版 某某``: a label, a space and names (no colon).
SPACED_LABEL = re.compile(
    rf"^(?P<label>作者|记者|記者|责任编辑|責任編輯|责编|責編|编辑|編輯)\s+(?P<value>{HAN}{{2,4}}(?:\s+{HAN}{{2,4}})*)\s*(?:$|[|｜])"
)

#: ``记者 张三`` / ``本报记者 李四 王五`` / ``記者王小明／台北報導``: bylines without a colon.
#: Two-character names are often padded to three columns: ``方 敏``.
BYLINE = re.compile(
    rf"^(?:本报|本報|本台|新华社|新華社|中央社|央视|总台)?(?:特约|特約)?(?:记者|記者)\s*"
    rf"(?P<names>{HAN}\s?{HAN}{{1,7}}(?:[\s、，,]+{HAN}\s?{HAN}{{1,3}})*)"  # names may run together
    rf"(?:\s*[／/]\s*{HAN}{{2,6}}(?:报道|報導|电|電))?$"  # 記者王小明／台北報導
)

#: A byline that names no one: ``新华社记者``, ``本报通讯员`` (the names follow elsewhere).
BARE_BYLINE = re.compile(
    r"^(?:本报|本報|本台|新华社|新華社|中新社|央视|总台)?(?:特约|特約)?(?:记者|記者|通讯员|評論員|评论员)$"
)

#: Words that name a button or a page widget, never a person or an outlet.
UI_WORD = re.compile(
    r"查看|分享|打印|列印|收藏|关闭|關閉|字号|字体|字體|扫码|扫一扫|二维码|评论|評論|点击|點擊|登录|登入|注册|下载|下載|"
    r"客户端|手机版|返回|更多|"
    r"关注|订阅|举报|纠错|放大|缩小|小字号|大字号|阅读|播放|转发|复制|链接"
)

#: A person's name as bylines print it: two to four Han characters, or several of them.
NAME_LIST = re.compile(rf"^{HAN}{{2,4}}(?:[\s、，,/]+{HAN}{{2,4}})*$")

# --------------------------------------------------------------------------- boilerplate

#: Page furniture that can appear anywhere on the page (inside a line, not alone).
FURNITURE = re.compile(
    r"扫描二维码|扫码|二维码|扫一扫|分享到|分享至|一键分享|微信分享|手机查看|手机看|打开APP|打开客户端|下载客户端|"
    r"短信\S*到\d|订阅方式|关注我们|关注公众号|微信公众号|官方微信|官方微博|字体\s*[:：]|字号\s*[:：]|"
    r"[【\[]?(?:大|中|小)[】\]]?\s*[【\[]?(?:中|小)[】\]]?\s*$|打印本页|关闭窗口|"
    r"版权所有|Copyright|All Rights Reserved|ICP[备证]|违法和不良信息|举报电话|举报邮箱|网站地图|联系我们|"
    r"广告服务|免责声明|加载中|请稍候|刷新本页面|版權所有|免責聲明|^列印$|字體\s*[:：]|分享至|轉寄|"
    r"^本网?站|平台声明|^无障碍|^(?:登录|注册|登入)(?:\s*[|/｜]?\s*(?:登录|注册))?$|^\+?关注$|^分享$|^评论$|^收藏$|^打印$|^举报$|"
    r"^点赞$|^首赞$|^\+1$|^\d+$|^发布于|^阅读\s*[(（]?[\d.]+万?[)）]?$|^[\d.]+万?\s*阅读$|^首页$|^>|正文$|^当前位置|^您的位置|^位置\s*[:：]|^返回(?:首页|顶部)|"
    r">\s*>|»|＞＞|(?:[^|｜┊]*[|｜┊]){3}"  # breadcrumbs (首页 > 新闻 >> 正文), link bars (a | b | c | d)
)

#: Short lines naming a list that is not the article (a teaser block, a ranking): the list's
#: name ends the line (热门点击排行榜, 图片新闻, 猜你喜欢).
END_HEADING = re.compile(
    r"^.{0,6}(?:推荐|排行榜?|热文|热点|热榜|热点新闻|热门新闻|图片新闻|猜你喜欢|相关(?:新闻|阅读|文章|报道)|"
    r"精彩(?:图片|视频|专题)|往期回顾|更多(?:新闻|精彩))\s*[:：]?$"
)

#: Names of the blocks after an article; a line made only of them ("相关推荐 换一换") ends it.
_END_WORDS = (
    r"相关(?:推荐|阅读|新闻|文章|报道|链接|专题)|推荐阅读|延伸阅读|热门推荐|热点推荐|精彩推荐|猜你喜欢|大家都在看|"
    r"为你推荐|换一换|24小时热文|热门文章|热门新闻|最新文章|排行榜|热门排行|点击排行|上一篇|下一篇|查看更多|"
    r"加载更多|网友评论|全部评论|热门评论|发表评论|我要评论|"
    r"相關(?:新聞|閱讀|文章|報導)|延伸閱讀|推薦閱讀|熱門(?:新聞|文章)|猜你喜歡"
)
END_LINE = re.compile(rf"^(?:[“\"「【\[]?(?:{_END_WORDS})[】\]]?[\s:：>›»|]*)+$")

#: Lines that open the after-article zone by how they start, whatever follows: the editor's
#: line, a correction link, keywords, next-article teasers, disclaimers, comment counters.
END_PREFIX = re.compile(
    r"^[“\"「【\[(（]?\s*(?:责任编辑|责编|責任編輯|責編|纠错|文章关键词|关键词\s*[:：]|进入[【\[]|返回搜狐|阅读下一篇|"
    r"上一篇\s*[:：]|下一篇\s*[:：]|免责声明|免責聲明|版权声明|特别声明|平台声明|声明\s*[:：]|评论\s*\d+|"
    r"分享让更多人看到|举报/?反馈|热点栏目)"
)

#: A platform's disclaimer under the article, however long: the article is over.
DISCLAIMER = re.compile(r"^[“\"「【\[]?(?:特别声明|免责声明|版权声明|平台声明|郑重声明|声明|免責聲明|特別聲明)\s*[:：]")

#: A trailing "back to site / see more" fragment some CMSs glue to the last paragraph.
TRAILING_JUNK = re.compile(r"\s*(?:返回搜狐\s*[,，]?\s*查看更多|查看原图\s*\d*K?|【纠错】)\s*$")

# --------------------------------------------------------------------------- headings, captions, credits

#: ``党建为先：在战"疫"一线…``: a short kicker, a colon, a title (the kicker may be quoted).
KICKER_HEADING = re.compile(r"^[“\"「『]?[^，。,.:：]{2,10}[”\"」』]?\s*[:：]\s*\S.{1,40}$")

#: Numbered section headings: 一、… / （一）… / 1. … / 第一部分 / 【…】.
NUMBERED_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|"
    r"第[一二三四五六七八九十\d]{1,3}[部章节篇]|[【〖][^】〗]{2,30}[】〗]$)"
)

#: Photo furniture: credits and the words captions use (摄, 图为, 资料图, 供图, 图片来源).
CAPTION_CUE = re.compile(
    r"[（(][^)）]*摄[)）]|摄$|^图为|^图注|^图\s*\d|^图片来源|资料图|供图|图片由|^\(?图[:：/]|视频截图|截图$"
)

#: A caption that says so at its start (图为…, 图注：…): a caption even when it ends with 。.
CAPTION_START = re.compile(r"^(?:图为|图注\s*[:：]|上图[:：为]|下图[:：为]|图\s*\d+\s*[:：、 ])")

#: A closing credit in brackets at the end of the last paragraph: an office, an outlet, a byline.
TRAILING_CREDIT = re.compile(r"(?P<credit>[（(](?:[^（()）]{2,40})[)）])\s*$")

#: A whole line that is a credit: ``（记者 张三）``, ``(编辑:小何)``, ``新华社发（刘满仓摄）``, ``来源 | 某报``.
CREDIT_LINE = re.compile(
    rf"^(?:[（(][^（()）]{{2,40}}[)）]|(?:新华社|中新社|人民网|本报)?{HAN}{{0,6}}[发供]?[（(][^()（）]{{1,20}}摄[)）]|"
    rf"(?:来源|稿源|出品|监制|策划|统筹|文|图|视频|撰文|制作)\s*[|｜:：丨︱]\s*.{{1,40}}|"
    rf"(?:作者|编辑|排版|校对|审核|审校|监制|摄影|美编|统筹|策划|出品|制作)\s+{HAN}\S{{0,9}}(?:\s*[|｜]?\s*\S{{1,10}}){{0,6}})$"
)

#: Words that mark a bracketed ending as a credit, not a parenthetical remark.
CREDIT_WORD = re.compile(r"记者|编辑|责编|通讯员|作者|摄|供稿|来源|工作室|办公室|委员会|中心|局|部|报|网|社|台|供图")
