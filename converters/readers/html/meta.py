"""Article metadata from an HTML page: title, date, author, source, editor, URL, publisher.

Structured data wins over page text: JSON-LD, then Open Graph/``article:``/CMS meta tags, then
the byline zone of the page (the lines around the headline: ``2024-03-11 12:12 来源：…``,
``作者：…``, ``责任编辑：…``). Titles lose their site suffix (``…_光明网``, ``--时政--人民网``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from converters.readers.html.dom import text_of

_DATE_META = (
    "article:published_time", "og:article:published_time", "og:release_date", "publishdate", "pubdate",
    "publish_date", "publish-date", "publishtime", "publish_time", "pubtime", "datepublished", "dc.date",
    "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date", "weibo:article:create_at",
    "bytedance:published_time", "article:modified_time", "og:updated_time", "lastmod",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author")

_DATE_TEXT = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(?:T|\s)?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?"
)
#: A name: CJK letters (with the middle dot of transliterated names) or Latin words.
_NAME = r"[\u4e00-\u9fff·•A-Za-z][\u4e00-\u9fff·•A-Za-z .\-]{0,18}"
_NAMES = rf"{_NAME}(?:\s*[、，,/\s]\s*{_NAME}){{0,5}}"
# Traditional forms (記者, 編輯, 來源) are matched too: Big5 pages print them.
_AUTHOR_TEXT = re.compile(
    rf"(?<![责任責])(?:作者|[记記]者|撰文|文|文字|[编編][辑輯]|通[讯訊][员員])"
    rf"(?:\s*[:：/丨|｜]\s*|[ \u3000]+)({_NAMES})"
)
_EDITOR_TEXT = re.compile(rf"(?:[责責]任[编編][辑輯]|[责責][编編])\s*[:：]?\s*({_NAMES})")
_SOURCE_TEXT = re.compile(r"[来來]源\s*[:：]\s*([^\s|｜/丨:：()（）【】\[\]]{2,30})")
#: Words that follow a label in menus and toolbars, never a person's name.
_MENU_WORDS = frozenset(
    {"首页", "登录", "注册", "分享", "打印", "关闭", "收藏", "评论", "大", "中", "小", "字号", "更多", "返回",
     "网站", "作者", "编辑", "来源", "责任编辑", "纠错", "推荐", "订阅", "扫码", "微信", "微博", "客户端"}
)
#: Names of outlets rather than people: newspapers, agencies, sites, channels.
_ORGANISATION = re.compile(
    r"[网網]|[报報]|社|[台臺]|新[闻聞]|[财財][经經]|周刊|[杂雜]志|客[户戶]端|在[线線]|[频頻][道]|[传傳]媒|媒[体體]|News|Daily|"
    r"\.(?:com|cn|net)",
    re.IGNORECASE,
)
_TRAILING_DATE = re.compile(r"\d{4}\D?\d{1,2}\D?\d{1,2}.*$")
#: Title separators, longest first; what follows the first one is the site/channel suffix.
#: Longest site or channel name we peel off a title; shortest headline we accept as what remains.
MAX_SITE_NAME_CHARS = 16
MIN_HEADLINE_CHARS = 4
# A hyphen between digits is part of the headline ("2024-2025赛季"), not a separator.
_TITLE_SEPARATORS = re.compile(r"\s*(?:--|——|_|\||｜|–|—|·|::|(?<!\d)-|-(?!\d))\s*")


def _metas(root: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        value = (m.get("content") or "").strip()
        if key and value and key not in out:
            out[key] = value
    return out


def _json_ld(root: etree._Element) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.append(item["@graph"])


def iso_date(text: str | None) -> str | None:
    """The first date in ``text`` as ISO 8601 (``2024-03-11`` or ``2024-03-11T12:12``)."""
    if not text:
        return None
    m = _DATE_TEXT.search(text)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if m.group(4) is not None:
        hour, minute = int(m.group(4)), int(m.group(5))
        if hour < 24 and minute < 60:
            out += f"T{hour:02d}:{minute:02d}"
            if m.group(6) is not None and int(m.group(6)) < 60:
                out += f":{int(m.group(6)):02d}"
    return out


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?:/|\d|_|\.|-)")


def url_date(url: str | None) -> str | None:
    """The day a news address encodes (``/2024-05/13/``, ``/20240513/…``), as ISO 8601."""
    m = _URL_DATE.search(url or "")
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def strip_site_suffix(title: str, headline: str | None = None) -> str:
    """``title`` without its trailing site/channel names; the page's headline decides when it can."""
    title = re.sub(r"\s+", " ", title).strip()
    if headline:
        h = re.sub(r"\s+", " ", headline).strip()
        if h and title.startswith(h) and (len(title) == len(h) or _TITLE_SEPARATORS.match(title, len(h))):
            return h
    # Peel site and channel names off the end while they are short and joined by the same separator
    # as the site name: "标题_探索者_光明网" -> "标题", but "出口增长-30%_新华网" keeps its "-30%".
    pieces = [(m.start(), m.end(), m.group().strip()) for m in _TITLE_SEPARATORS.finditer(title)]
    if not pieces:
        return title
    site_separator = pieces[-1][2]
    end = len(title)
    # Only the site's own separator splits here: "--健康·生活--人民网" peels "健康·生活" whole.
    for start, stop, _ in reversed([p for p in pieces if p[2] == site_separator]):
        segment = title[stop:end].strip()
        if not segment or len(segment) > MAX_SITE_NAME_CHARS or start == 0:
            break
        end = start
    head = title[:end].strip()
    return head if len(head) >= MIN_HEADLINE_CHARS else title


#: Where a run of names ends: the next label on the same byline.
_NEXT_LABEL = re.compile(
    r"(?:[来來]源|[责責]任?[编編]|[编編][辑輯]|[发發]布|[时時][间間]|日期|字号|[记記]者|通[讯訊]|摄影?|报道|本报|\d)"
)
MAX_CJK_NAME_CHARS = 6
MAX_OTHER_NAME_CHARS = 20
#: Role words that sit between a label and the names ("文/记者 张三").
_ROLE_WORDS = frozenset({"记者", "記者", "本报记者", "通讯员", "实习生", "特约评论员", "评论员", "摄影", "摄"})


def _name_like(token: str) -> bool:
    """Chinese names are two to four characters (six with a compound surname and padding);
    transliterated ones join parts with a middle dot; longer runs are job titles or organisations."""
    if re.search(r"[\u4e00-\u9fff]", token) and not re.search(r"[·•]", token):
        return len(token) <= MAX_CJK_NAME_CHARS
    return len(token) <= MAX_OTHER_NAME_CHARS


def clean_name(raw: str) -> str | None:
    """A byline's names with labels and menu words removed, or ``None``."""
    raw = raw.strip()
    for role in sorted(_ROLE_WORDS, key=len, reverse=True):
        if raw.startswith(role):
            raw = raw[len(role):].strip()
    raw = _NEXT_LABEL.split(raw, maxsplit=1)[0]
    names = [n.strip(" ·") for n in re.split(r"[、，,/\s]+", raw) if n.strip(" ·")]
    names = [n for n in names if n not in _MENU_WORDS and not n.endswith(tuple(_ROLE_WORDS)) and _name_like(n)]
    if not names:
        return None
    return " ".join(names)


def headline(root: etree._Element) -> str | None:
    """The page's visible headline: the first ``<h1>`` with some text."""
    for h in root.iter("h1"):
        text = text_of(h)
        if 4 <= len(text) <= 120:
            return text
    return None


def extract(root: etree._Element) -> dict[str, str]:
    """Metadata from structured data (run before scripts are stripped: JSON-LD lives in one)."""
    metas = _metas(root)
    found: dict[str, str] = {}
    for item in _json_ld(root):
        kind = str(item.get("@type") or "")
        if not re.search(r"Article|Posting|Report|WebPage", kind):
            continue
        for key in ("datePublished", "dateCreated", "dateModified"):
            if isinstance(item.get(key), str) and "date" not in found and iso_date(item[key]):
                found["date"] = str(iso_date(item[key]))
        if isinstance(item.get("headline"), str) and "title" not in found:
            found["title"] = item["headline"].strip()
        author = item.get("author")
        authors = author if isinstance(author, list) else [author]
        raw = [a.get("name") if isinstance(a, dict) else a for a in authors]
        names = [n.strip() for n in raw if isinstance(n, str) and n.strip()]
        people = [n for n in names if not _ORGANISATION.search(n)]
        if people and "author" not in found:
            found["author"] = " ".join(people)
        elif names:
            found.setdefault("source_fallback", names[0])
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            found.setdefault("publisher", publisher["name"].strip())
    if "date" not in found:
        for key in _DATE_META:
            if iso_date(metas.get(key)):
                found["date"] = str(iso_date(metas[key]))
                break
    if "date" not in found:
        for t in root.iter("time"):
            if iso_date(t.get("datetime")):
                found["date"] = str(iso_date(t.get("datetime")))
                break
    if "author" not in found:
        for key in _AUTHOR_META:
            value = metas.get(key, "")
            if value and not re.search(r"\d{3}|https?:|www\.|网|\.com", value) and clean_name(value):
                # Portals put the outlet in the author tag ("新京报"): that is the source, not a person.
                key_name = "source_fallback" if _ORGANISATION.search(value) else "author"
                found.setdefault(key_name, str(clean_name(value)) if key_name == "author" else value.strip())
                break
    for key in ("og:site_name", "application-name", "publisher"):
        if metas.get(key) and "publisher" not in found:
            found["publisher"] = metas[key]
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and (link.get("href") or "").startswith("http"):
            found["url"] = str(link.get("href")).strip()
            break
    if "url" not in found and metas.get("og:url", "").startswith("http"):
        found["url"] = metas["og:url"]
    source = metas.get("source") or metas.get("og:article:source")
    if source:
        value = _TRAILING_DATE.sub("", re.sub(r"^\s*[来來]源\s*[:：]\s*", "", source)).strip()
        if value:
            found["source"] = value
    title_el = next(iter(root.iter("title")), None)
    page_title = text_of(title_el) if title_el is not None else ""
    raw_title = page_title or metas.get("og:title", "") or found.get("title", "")
    h1 = headline(root)
    candidates = [found.get("title"), metas.get("og:title"), h1]
    # The shortest structured title that the <title> starts with is the headline without suffix.
    squashed = page_title.replace(" ", "")
    prefixes = [c for c in candidates if c and squashed and squashed.startswith(c.replace(" ", ""))]
    best = min(prefixes, key=len) if prefixes else None
    found["title"] = strip_site_suffix(raw_title, best) if raw_title else (h1 or found.get("title", ""))
    if not found["title"]:
        del found["title"]
    suffix = raw_title[len(found.get("title", "")):] if raw_title.startswith(found.get("title", "")) else ""
    # The site's name is the last part of the suffix ("--财经--人民网" -> "人民网").
    parts = [p for p in _TITLE_SEPARATORS.split(suffix) if p.strip()]
    # Only a name that reads like a site's is one: keyword suffixes ("_尼克斯_季后赛") are not.
    site = parts[-1].strip() if parts else ""
    found.setdefault("site_suffix", site if _ORGANISATION.search(site) else "")
    return found


def from_text(lines: list[str]) -> dict[str, str]:
    """Date, author, source and editor from byline-like lines (the page's header zone)."""
    found: dict[str, str] = {}
    for line in lines:
        if "date" not in found and (d := iso_date(line)):
            found["date"] = d
        if "source" not in found and (m := _SOURCE_TEXT.search(line)):
            found["source"] = _TRAILING_DATE.sub("", m.group(1)) or m.group(1)
        if "editor" not in found and (m := _EDITOR_TEXT.search(line)) and clean_name(m.group(1)):
            found["editor"] = str(clean_name(m.group(1)))
        photo_credit = re.search(r"摄\s*[)）]?\s*$|摄影", line)  # "记者 王海 摄" names the photographer
        if "author" not in found and not photo_credit and (m := _AUTHOR_TEXT.search(line)):
            name = clean_name(m.group(1))
            if name and _ORGANISATION.search(name):  # "作者：新京报" credits the outlet
                found.setdefault("source_fallback", name)
            elif name:
                found["author"] = name
    return found
