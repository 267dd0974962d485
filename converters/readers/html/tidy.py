"""Trimming the built blocks: byline lines, the repeated headline and page furniture.

Article containers often start with the headline and a ``2024-03-11 12:12 来源：… 作者：…`` line
and end with share bars, 【纠错】 links, "related" lists and "返回搜狐，查看更多". Byline lines are
turned into metadata and removed; 责任编辑 lines stay in the body as a :class:`Credit` (news
bodies end with them) and also fill ``Meta.editor``.
"""

from __future__ import annotations

import re

from lxml import etree

from converters.readers.html import meta
from converters.readers.html.blocks import inline_text
from converters.readers.html.content import BLOCK_TAGS
from converters.tree import Block, Credit, Figure, Heading, Link, List, Paragraph, Text, plain_text

#: Whole lines that are page furniture wherever they appear.
_JUNK = re.compile(
    r"^[\[【(（]?\s*(?:我要)?纠错\s*[\]】)）]?$|返回搜狐|查看更多$|^分享(?:到|至)?\s*[:：]?|^打印(?:本页|此页)?$|"
    r"^关闭(?:窗口)?$|^扫一扫|^扫描二维码|^字号\s*[:：]?|^(?:[【\[]?[大中小][】\]]?\s*){2,3}$|^(?:上|下)一篇|"
    r"^举报$|^收藏$|^点赞$|^评论$|^(?:微信|微博|QQ空间)(?:\s+(?:微信|微博|QQ空间))*$|^手机(?:看|查看|阅读)|"
    r"^(?:责任编辑|责编)\s*[:：]?\s*$|^点击(?:进入|查看)|^(?:本文)?(?:视频)?加载中|^Play Video$|版权所有|"
    r"^Copyright|^ICP|^举报电话",
)
#: Platform disclaimers under self-media posts (any length).
_DISCLAIMER = re.compile(
    r"^(?:平台|免责|特别|版权)声明\s*[:：]|仅代表作者(?:本人)?(?:观点)?[，,].{0,30}平台|"
    r"^Notice\s*:.{0,80}uploaded and posted by|^关于我们|"
    # Site-wide notices ("本网所刊登的…未经授权禁止…"), not an article's own rights line.
    r"^(?:凡|本网|本站).{0,60}(?:版权|授权)",
    re.IGNORECASE,
)
#: Headings that introduce lists of other articles or the comments: they and what follows are dropped.
_RELATED = re.compile(
    r"^[【\[]?\s*(?:相关(?:新闻|阅读|推荐|链接|文章|报道|稿件)|推荐阅读|延伸阅读|热点推荐|猜你喜欢|热门推荐|"
    r"更多精彩|精彩推荐|网友评论|热门评论|最新评论|全部评论|发表评论|我要评论|我要留言|评论区|留言板)"
)
_EDITOR = re.compile(
    r"^[\[【(（]?\s*(?:[责責]任[编編][辑輯]|[责責][编編]|[编編][辑輯]|审核|审读|监制|校对|排版|策划)\s*[:：丨|/]"
)
_EDITOR_ANYWHERE = re.compile(r"[责責]任[编編][辑輯]\s*[:：]|[(（【\[][责責][编編]\s*[:：]")
#: A byline line: short, and built around a date or a 来源/作者/记者 label.
_BYLINE = re.compile(
    r"[来來]源\s*[:：]|作者\s*[:：]|[记記]者\s*[:：]|[发發]布(?:[时時][间間]|日期)|[时時][间間]\s*[:：]|[编編][辑輯]\s*[:：]|"
    r"[阅閱][读讀](?:数|量)?\s*[:：]|"
    r"^发布于\s*[:：]"
)
_DATE_LINE = re.compile(
    r"^\s*(?:发布时间\s*[:：]?\s*)?(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?[\s\d:：]*"
)
MAX_BYLINE_CHARS = 100


def _text(block: Block) -> str:
    return re.sub(r"\s+", " ", plain_text(block)).strip()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_byline(text: str) -> bool:
    return len(text) <= MAX_BYLINE_CHARS and (bool(_BYLINE.search(text)) or bool(_DATE_LINE.match(text)))


def _link_share(block: Block) -> float:
    if not isinstance(block, (Paragraph, Heading)):
        return 0.0
    links = sum(len(inline_text(i.children)) for i in block.children if isinstance(i, Link))
    total = len(inline_text(block.children).strip())
    return links / total if total else 0.0


def _all_links(block: Block) -> bool:
    return isinstance(block, Paragraph) and _link_share(block) >= 0.9


def tidy(blocks: list[Block], title: str | None) -> tuple[list[Block], dict[str, str]]:
    """Blocks without furniture, and the metadata read from the byline lines removed."""
    found: dict[str, str] = {}
    squashed_title = _squash(title or "")
    out: list[Block] = []
    seen_text = False
    for block in blocks:
        text = _text(block)
        if isinstance(block, Figure):
            alt = block.image.alt if block.image is not None else ""
            # Alt text is a caption unless it merely repeats the headline.
            if not block.caption and alt and not (squashed_title and squashed_title.startswith(_squash(alt))):
                block = Figure(block.image, (Text(alt),))
            out.append(block)
            continue
        if not text:
            continue
        if squashed_title and _squash(text) == squashed_title and not seen_text:
            continue  # the headline repeated at the top of the body; it lives in the metadata
        if _RELATED.match(text) and (len(text) <= 20 or _link_share(block) >= 0.5):
            if seen_text:
                break  # everything after "相关新闻"/"网友评论" belongs to other articles or readers
            continue  # a label above the article (a sidebar that came first) ends nothing
        if (_JUNK.search(text) and len(text) <= 40) or _DISCLAIMER.search(text):
            continue
        if not re.search(r"[\w\u4e00-\u9fff]", text):  # "< >", "|", "..." left by carousels and pagers
            continue
        if isinstance(block, Heading) and all(isinstance(i, Link) for i in block.children):
            continue
        if (_EDITOR.match(text) or _EDITOR_ANYWHERE.search(text)) and len(text) <= MAX_BYLINE_CHARS:
            for key, value in meta.from_text([text]).items():
                found.setdefault(key, value)
            out.append(Credit((Text(text),)))
            continue
        if not seen_text and _is_byline(text):
            for key, value in meta.from_text([text]).items():
                found.setdefault(key, value)
            continue
        if isinstance(block, List) and all(_all_links(b) for item in block.children for b in item.children):
            continue
        if seen_text and isinstance(block, Paragraph) and len(text) <= MAX_BYLINE_CHARS:
            # A closing byline line ("本报记者 张三", "作者：李四") names the author when the top did not;
            # the line itself stays, as printed.
            late = meta.from_text([text]).get("author")
            if late:
                found.setdefault("author_late", late)
        if isinstance(block, Paragraph) and len(text) > MAX_BYLINE_CHARS // 2:
            seen_text = True
        out.append(block)
    # Trailing runs of link-only paragraphs are "more news" lists that escaped the scoring.
    while out and _all_links(out[-1]):
        out.pop()
    return out, found


def byline_zone(body: etree._Element, title: str | None, span: int = 12) -> list[str]:
    """The short lines right after the headline (where dates, 来源 and 作者 are printed)."""
    lines = [line for line in _lines(body) if line]
    squashed = _squash(title or "")
    start = None
    if squashed:
        for i, line in enumerate(lines):
            s = _squash(line)
            if s and (s == squashed or (len(s) >= 6 and squashed.startswith(s))):
                start = i + 1
                break
    if start is None:
        return [line for line in lines[:60] if len(line) <= MAX_BYLINE_CHARS and _is_byline(line)][:span]
    zone: list[str] = []
    for line in lines[start : start + span]:
        if len(line) > MAX_BYLINE_CHARS:
            break  # the article has begun
        zone.append(line)
    return zone


def _lines(el: etree._Element) -> list[str]:
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        block = tag in BLOCK_TAGS or tag == "br"
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            visit(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    visit(el)
    return [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in "".join(parts).split("\n")]
