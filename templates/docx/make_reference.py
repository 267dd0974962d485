"""Generate ``templates/docx/reference.docx``, the house styles the DOCX writer uses.

Run from the repository root: ``python templates/docx/make_reference.py``. The output is
deterministic (fixed ZIP times, fixed part order), so regenerating it leaves git clean.
Fonts and sizes are explained in ``templates/docx/README.md``. Open the result in Word or
LibreOffice, change the styles, save it under another name and pass it as ``--reference-doc``.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from converters.writers.docx.package import app_xml, zip_parts  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
# Declared on the document root so the pictures articles add need no declarations of their own.
DRAWING = ('xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
SERIF, SANS, KAI = "宋体", "黑体", "楷体"  # SimSun, SimHei, KaiTi on every Chinese Windows
LATIN_SERIF, LATIN_SANS = "Times New Roman", "Arial"


def fonts(east_asia: str, latin: str) -> str:
    """Explicit faces for every script; no theme attributes, which would override these."""
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>'


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def pstyle(style_id: str, name: str, ppr: str, rpr: str, *, based: str = "Normal", nxt: str = "BodyText",
           extra: str = "", alias: str = "") -> str:
    """One paragraph style; ``alias`` is the name Chinese users see in the style gallery."""
    aliases = f'<w:aliases w:val="{alias}"/>' if alias else ""
    based_on = f'<w:basedOn w:val="{based}"/>' if based else ""
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"{extra}><w:name w:val="{name}"/>{aliases}'
            f'{based_on}<w:next w:val="{nxt}"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def heading(level: int, half_points: int, before: int, after: int) -> str:
    return pstyle(
        f"Heading{level}", f"heading {level}",
        f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}" w:line="360" '
        f'w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>'
        f'<w:outlineLvl w:val="{level - 1}"/>',
        fonts(SANS, LATIN_SANS) + size(half_points), alias=f"标题 {level}",
    )


def styles_xml() -> str:
    body = fonts(SERIF, LATIN_SERIF)
    styles = [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:aliases w:val="正文"/><w:qFormat/><w:pPr><w:widowControl/><w:spacing w:before="0" w:after="0" '
        'w:line="360" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>'
        f'<w:rPr>{body}{size(24)}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/></w:style>',
        pstyle("BodyText", "Body Text", '<w:ind w:firstLineChars="200" w:firstLine="480"/>', body,
               alias="正文文本"),
        pstyle("Title", "Title", '<w:keepNext/><w:spacing w:before="240" w:after="120" w:line="240" '
               'w:lineRule="auto"/><w:jc w:val="center"/>', fonts(SANS, LATIN_SANS) + size(44),
               nxt="Subtitle", alias="标题"),
        pstyle("Subtitle", "Subtitle", '<w:keepNext/><w:spacing w:before="0" w:after="120"/><w:jc w:val="center"/>',
               fonts(KAI, LATIN_SERIF) + size(30), nxt="ArticleMeta", alias="副标题"),
        pstyle("ArticleMeta", "Article Meta", '<w:spacing w:before="0" w:after="360"/><w:jc w:val="center"/>',
               body + '<w:color w:val="595959"/>' + size(21), alias="文章信息"),
        heading(1, 32, 360, 120),
        heading(2, 28, 240, 120),
        heading(3, 24, 240, 60),
        heading(4, 24, 120, 60),
        heading(5, 24, 120, 60),
        heading(6, 24, 120, 60),
        pstyle("Figure", "Figure", '<w:keepNext/><w:spacing w:before="240" w:after="60" w:line="240" '
               'w:lineRule="auto"/><w:jc w:val="center"/>', body, nxt="Caption", alias="图片"),
        pstyle("Caption", "caption", '<w:keepLines/><w:spacing w:before="60" w:after="240" w:line="300" '
               'w:lineRule="auto"/><w:jc w:val="center"/>', fonts(SANS, LATIN_SANS) + size(21), alias="题注"),
        pstyle("Quote", "Quote", '<w:spacing w:before="120" w:after="120"/><w:ind w:left="840" w:right="840" '
               'w:leftChars="350" w:rightChars="350"/>', fonts(KAI, LATIN_SERIF) + '<w:color w:val="404040"/>',
               alias="引用"),
        pstyle("ListParagraph", "List Paragraph", '<w:contextualSpacing/>', body, alias="列表段落"),
        pstyle("Credit", "Credit", '<w:spacing w:before="240" w:after="0"/><w:jc w:val="right"/>', body,
               alias="署名"),
        pstyle("Footer", "footer", '<w:jc w:val="center"/><w:spacing w:line="240" w:lineRule="auto"/>',
               body + size(18), nxt="Footer", alias="页脚"),
        pstyle("ThematicBreak", "Thematic Break", '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
               'w:color="808080"/></w:pBdr><w:spacing w:before="240" w:after="360" w:line="240" '
               'w:lineRule="auto"/><w:ind w:left="2880" w:right="2880"/>', body + size(12), alias="分隔线"),
    ]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {W}><w:docDefaults>'
            f'<w:rPrDefault><w:rPr>{body}<w:kern w:val="2"/>{size(24)}'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
            f'</w:docDefaults>{"".join(styles)}</w:styles>')


def settings_xml() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {W}>'
            '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
            '<w:characterSpacingControl w:val="compressPunctuation"/>'
            '<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>'
            '<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>'
            '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
            '</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
            '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>')


FONT_TABLE = [
    # name, altName, panose, charset, family, pitch
    (SERIF, "SimSun", "02010600030101010101", "86", "auto", "variable"),
    (SANS, "SimHei", "02010609060101010101", "86", "modern", "fixed"),
    (KAI, "KaiTi", "02010609060101010101", "86", "modern", "fixed"),
    (LATIN_SERIF, "", "02020603050405020304", "00", "roman", "variable"),
    (LATIN_SANS, "", "020B0604020202020204", "00", "swiss", "variable"),
]


def font_table_xml() -> str:
    rows = []
    for name, alt, panose, charset, family, pitch in FONT_TABLE:
        alt_el = f'<w:altName w:val="{alt}"/>' if alt else ""
        rows.append(f'<w:font w:name="{name}">{alt_el}<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/>'
                    f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {W}>{"".join(rows)}</w:fonts>'


SAMPLE = [
    ("Title", "文章标题（标题）"),
    ("Subtitle", "副标题"),
    ("ArticleMeta", "2024年3月11日 · 来源：示例日报 · 作者：张三 · 责任编辑：王五"),
    ("BodyText", "正文段落使用“正文文本”样式：宋体小四，两端对齐，首行缩进两字符，1.5 倍行距。"),
    ("Heading1", "一级标题（标题 1）"),
    ("Heading2", "二级标题（标题 2）"),
    ("Heading3", "三级标题（标题 3）"),
    ("Quote", "引文使用“引用”样式：楷体，左右各缩进。"),
    ("ListParagraph", "列表段落"),
    ("Figure", "（图片）"),
    ("Caption", "图 1　题注使用“题注”样式：黑体五号，居中。"),
    ("ThematicBreak", ""),
    ("Credit", "（署名，右对齐）"),
]


def document_xml() -> str:
    paragraphs = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        + (f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else "")
        + "</w:p>"
        for style, text in SAMPLE
    )
    # A4 with the margins of Word's Chinese default; no document grid, so line spacing is what the styles say.
    sect = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" '
            'w:left="1800" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/>'
            '<w:docGrid w:linePitch="360"/></w:sectPr>').replace(
        "<w:sectPr>", '<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W} {R} {DRAWING}><w:body>'
            f"{paragraphs}{sect}</w:body></w:document>")


def footer_xml() -> str:
    """A centred page number: ``PAGE`` field with its cached result."""
    run = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {W} {R}><w:p><w:pPr>'
            '<w:pStyle w:val="Footer"/></w:pPr>' + run.format("begin")
            + '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>' + run.format("separate")
            + '<w:r><w:t>1</w:t></w:r>' + run.format("end") + "</w:p></w:ftr>")


def core_xml() -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Pressroom 参考样式</dc:title>'
            '<dc:creator>Pressroom</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>')


DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = DECLARATION + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{CT_MAIN}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{CT_MAIN}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{CT_MAIN}.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{CT_MAIN}.fontTable+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{CT_MAIN}.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def relationships(*rows: tuple[str, str]) -> str:
    """A relationships part: ``rId1``… for ``(type, target)`` rows."""
    items = "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
                    for i, (kind, target) in enumerate(rows, 1))
    return DECLARATION + f'<Relationships xmlns="{PKG}">{items}</Relationships>'


PACKAGE_RELS = relationships((REL + "officeDocument", "word/document.xml"),
                             ("http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                              "docProps/core.xml"),
                             (REL + "extended-properties", "docProps/app.xml"))
DOCUMENT_RELS = relationships((REL + "styles", "styles.xml"), (REL + "settings", "settings.xml"),
                              (REL + "fontTable", "fontTable.xml"), (REL + "footer", "footer1.xml"))


def build() -> bytes:
    parts = {
        "word/document.xml": document_xml().encode(),
        "word/styles.xml": styles_xml().encode(),
        "word/settings.xml": settings_xml().encode(),
        "word/fontTable.xml": font_table_xml().encode(),
        "word/footer1.xml": footer_xml().encode(),
        "docProps/core.xml": core_xml().encode(),
        "docProps/app.xml": app_xml(),
    }
    ordered = [("[Content_Types].xml", CONTENT_TYPES.encode()), ("_rels/.rels", PACKAGE_RELS.encode()),
               *parts.items(), ("word/_rels/document.xml.rels", DOCUMENT_RELS.encode())]
    return zip_parts(ordered)


def main() -> None:
    out = HERE / "reference.docx"
    out.write_bytes(build())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
