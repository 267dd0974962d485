"""Finding the article body: readability's candidate scoring, tuned for Chinese news pages.

Every text unit (a paragraph, or a ``<div>``/``<td>`` holding running text of its own) scores
by its length and its Chinese punctuation, and hands that score to its ancestors (the parent in
full, the grandparent half, further ancestors less). Each candidate's score is then weighted by
its class/id names and scaled by ``1 - link density`` (GNE's text-density insight: the article is
long text with few links; menus and "related" lists are mostly links). The best candidate wins,
and climbs to its parent when the parent holds substantially more article-like text.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from converters.readers.html.dom import remove, text_of

BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "h1", "h2", "h3", "h4",
        "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "tr", "td",
        "th", "blockquote", "figure", "figcaption", "pre", "center", "form", "hr", "address", "body",
        "caption", "fieldset", "details", "summary", "html",
    }
)

#: Names of containers that hold page furniture rather than the article.
NEGATIVE = re.compile(
    r"comment|foot|footer|masthead|sidebar|side-bar|side_bar|sponsor|shopping|share|social|"
    r"related|relate|recommend|recom|hotnews|hot-news|hot_news|rank|breadcrumb|crumb|\bnav|"
    r"navbar|menu|toolbar|tool-bar|widget|banner|advert|\bads?\b|\bad[-_]|gg_|copyright|login|"
    r"popup|modal|qrcode|erweima|subscribe|byline-tools|pagination|pager|paging|tags?\b|"
    r"\bmore\b|corr(ection)?|jiucuo|top-?bar|header|logo|search|weibo|wechat|player|video-|autoplay|playlist",
    re.IGNORECASE,
)
#: Names of containers that usually hold the article.
POSITIVE = re.compile(
    r"article|content|entry|main|post|text|story|detail|body|zw|con_|cont|rich_media|"
    r"TRS_Editor|Custom_UnionStyle|artical|news_txt|page-content",
    re.IGNORECASE,
)

_PUNCT = re.compile(r"[，。、；！？：,;.!?]")
#: Boilerplate containers are removed only while they are smaller than this share of the page's
#: text: a misleading class name on the article's own wrapper must not delete the article.
_MAX_BOILERPLATE_SHARE = 0.3
#: A teaser list has at least this many cards, each at most this long.
_MIN_CARDS = 3
_MAX_CARD_CHARS = 300


def class_names(el: etree._Element) -> str:
    """The element's class and id, as one string for the name patterns."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _own_text(el: etree._Element) -> str:
    """Text of ``el`` outside its block children (what it shows as its own running text)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag.lower() not in BLOCK_TAGS:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return re.sub(r"\s+", "", "".join(parts))


def link_density(el: etree._Element) -> float:
    """Share of the element's text that sits inside links."""
    total = len(re.sub(r"\s+", "", "".join(el.itertext())))
    if not total:
        return 0.0
    linked = sum(len(re.sub(r"\s+", "", "".join(a.itertext()))) for a in el.iter("a"))
    return min(1.0, linked / total)


def _class_weight(el: etree._Element) -> float:
    names = class_names(el)
    if not names:
        return 0.0
    weight = 0.0
    if NEGATIVE.search(names):
        weight -= 25
    if POSITIVE.search(names):
        weight += 25
    return weight


def _tag_weight(tag: str) -> float:
    if tag in ("div", "article", "section", "main"):
        return 5
    if tag in ("pre", "td", "blockquote"):
        return 3
    if tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
        return -3
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th"):
        return -5
    return 0


def drop_boilerplate(body: etree._Element) -> None:
    """Remove containers whose names say they are furniture (share bars, related lists, comments)."""
    total = max(1, len(re.sub(r"\s+", "", "".join(body.itertext()))))
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el.tag.lower() in ("body", "html"):
            continue
        names = class_names(el)
        if not names or not NEGATIVE.search(names):
            continue
        size = len(re.sub(r"\s+", "", "".join(el.itertext())))
        if POSITIVE.search(names) and size > 200 and link_density(el) < 0.3:
            continue
        if el.tag.lower() in ("aside", "footer") or size / total < _MAX_BOILERPLATE_SHARE:
            remove(el)
    for el in list(body.iter("aside", "footer")):
        if el.getparent() is not None and len(text_of(el)) / total < _MAX_BOILERPLATE_SHARE:
            remove(el)


def _starts_with_link(el: etree._Element) -> bool:
    """True when the first visible text of ``el`` sits inside a link (a teaser card's headline)."""
    for text in el.xpath(".//text()[normalize-space()]"):
        owner = text.getparent()
        if text.is_tail:  # tail text belongs to the element's parent, not the element
            owner = owner.getparent()
        node = owner
        while node is not None and node is not el:
            if node.tag == "a":
                return True
            node = node.getparent()
        return bool(el.tag == "a")
    return False


def drop_teaser_lists(body: etree._Element) -> None:
    """Remove lists of other articles: runs of look-alike cards, each led by a linked headline.

    Such lists (hot news, "more from this channel") carry summaries with as much punctuation as
    the article, so scoring alone cannot reject them; their shape can. A container goes when at
    least three of its children share one tag and class, and most of those start with a link.
    """
    for el in list(body.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el.find(".//h1") is not None:
            continue
        kids = [c for c in el if isinstance(c.tag, str)]
        if len(kids) < _MIN_CARDS:
            continue
        shapes = Counter((c.tag, c.get("class") or "") for c in kids)
        shape, count = shapes.most_common(1)[0]
        # Paragraph runs are never cards: a digest article may lead each paragraph with a link.
        if count < _MIN_CARDS or count < 0.6 * len(kids) or shape[0] == "p":
            continue
        cards = [c for c in kids if (c.tag, c.get("class") or "") == shape]
        led = [c for c in cards if len(text_of(c)) <= _MAX_CARD_CHARS and _starts_with_link(c)]
        if len(led) >= 0.6 * len(cards):
            remove(el)


def _unit_score(text: str) -> float:
    return 1 + len(_PUNCT.findall(text)) + min(len(text) / 50, 3)


def article_elements(body: etree._Element) -> list[etree._Element]:
    """The best candidate and the siblings that continue it (readability's sibling rule)."""
    top, final = _best(body)
    parent = top.getparent()
    if parent is None or top is body:
        return [top]
    threshold = max(10.0, final.get(top, 0.0) * 0.2)
    out: list[etree._Element] = []
    for sibling in parent:
        if not isinstance(sibling.tag, str):
            continue
        if sibling is top:
            out.append(sibling)
            continue
        text = re.sub(r"\s+", "", "".join(sibling.itertext()))
        density = link_density(sibling)
        same_names = class_names(sibling) == class_names(top) and bool(class_names(top))
        # A sibling with the top one's class name gets a bonus (page 2 of the body, a second text box).
        score = final.get(sibling, 0.0) + (final.get(top, 0.0) * 0.2 if same_names else 0.0)
        # A scoring sibling of running text (a lead box before the text box)...
        continues = score >= threshold and density < 0.25
        # ...or a loose paragraph of running text next to it.
        loose = sibling.tag.lower() == "p" and len(text) > 80 and density < 0.25 and len(_PUNCT.findall(text)) >= 2
        if continues or loose:
            out.append(sibling)
    return out


def best_candidate(body: etree._Element) -> etree._Element:
    """The element most likely to hold the article (``body`` itself when nothing scores)."""
    return _best(body)[0]


def _best(body: etree._Element) -> tuple[etree._Element, dict[etree._Element, float]]:
    scores: dict[etree._Element, float] = {}

    def init(el: etree._Element) -> None:
        if el not in scores:
            scores[el] = _tag_weight(el.tag.lower()) + _class_weight(el)

    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag not in ("p", "div", "td", "pre", "section", "article", "span", "font", "center", "li", "dd"):
            continue
        own = _own_text(el)
        if len(own) < 15:
            continue
        if tag in ("span", "font"):  # inline wrappers: the enclosing block is the unit
            continue
        score = _unit_score(own)
        node = el if tag in ("div", "td", "section", "article") else el.getparent()
        level = 0
        while node is not None and level < 5 and isinstance(node.tag, str):
            init(node)
            scores[node] += score if level == 0 else score / 2 if level == 1 else score / (level * 3)
            node = node.getparent()
            level += 1
    if not scores:
        return body, {}
    final = {el: s * (1 - link_density(el)) for el, s in scores.items()}
    top = max(final, key=lambda el: final[el])
    # Climb while an ancestor scores nearly as well: the article may be split over sibling boxes
    # (lead photo box, text box, pages) that only the ancestor contains.
    node = top.getparent()
    while node is not None and node in final and node.tag.lower() not in ("body", "html"):
        if final[node] >= final[top] * 0.9 and link_density(node) < 0.35:
            top = node
        node = node.getparent()
    return top, final
