"""The article HTML split into what each downstream step needs (one bs4 parse per file).

`extract_body(html) -> Body` walks the tree once, iteratively (no recursion, so 100,000-deep nesting cannot
overflow the stack), cutting text into blocks at block-level tags and `<br>`, and sorts each block into story
paragraphs, captions, the leading header block, or boilerplate.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilder


@dataclass
class Body:
    # Clean text blocks of the story, in order: headers, captions and boilerplate excluded.
    paragraphs: list[str] = field(default_factory=list)
    # Image and figure captions, photo credits.
    captions: list[str] = field(default_factory=list)
    # Texts of the leading header block (DW/NYT `<div><i>byline<br>time</i></div>`, RFI date div, ...).
    header: list[str] = field(default_factory=list)
    # Lines removed as boilerplate (copyright, feedx footer, disclaimers, widgets), kept because some
    # carry attribution (RFI's `© 2020 AFP`).
    boilerplate: list[str] = field(default_factory=list)
    # Texts of byline elements (header `<i>` line, BBC `Person > Name`, `<address>`), also in `header`.
    bylines: list[str] = field(default_factory=list)
    # Structural facts the degenerate check needs (not part of the text contract).
    has_video: bool = False
    ends_at_unlock: bool = False  # the story stops at a read-more / unlock button

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


PARAGRAPH, CAPTION, HEADER, BYLINE, BOILERPLATE = "p", "caption", "header", "byline", "boilerplate"

BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "figcaption",
        "figure",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "pre",
        "hr",
        "address",
        "dl",
        "dt",
        "dd",
        "center",
        "main",
        "nav",
        "form",
        "details",
        "summary",
        "time",
    ]
)
SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "iframe",
        "svg",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "source",
        "object",
        "embed",
        "select",
        "input",
        "textarea",
        "option",
        "canvas",
        "map",
        "button",
        "audio",
    ]
)
_WIDGET_CLASS = re.compile(
    r"share|newsletter|social|self-promo|t-copyright|adslot|advert|subscribe|o-ads|m-block-ad|bottomArticleBanner",
    re.I,
)
_CAPTION_CLASS = re.compile(r"caption|credit|picinfo", re.I)
_BYLINE_CLASS = re.compile(r"(?:^|[-_\s])(?:Name|byline|author)(?:[-_\s]|$)")
_PERSON_CLASS = re.compile(r"(?:^|[-_\s])(?:Person|StyledByline)(?:[-_\s]|$)")
_VIDEO_SRC = re.compile(r"youtube\.com|youtu\.be|vimeo\.com|/video", re.I)
_UNLOCK = re.compile(r"unlock|read-?more", re.I)
_RFI_DATE = re.compile(r"^\s*\d{2}/\d{2}/\d{4}\s*-\s*\d{1,2}:\d{2}\s*$")
_LINE_BREAKS = re.compile(r"[\n\u2028\u2029\x85]")

FEEDX_FOOTER = "获取更多RSS"
# Whole-block boilerplate, on any outlet (the feedx footer changes its second domain over time).
BOILERPLATE_PATTERNS = [
    re.compile(p)
    for p in (
        r"^获取更多RSS",
        r"^https?://feedx\.\w+/?$",
        r"©\s*\d{4}\s*年?\s*德[国國]之[声聲]",
        r"德[国國]之[声聲]版[权權][声聲]明",
        r"^摘[编译編譯]自其[他它]媒[体體]",
        r"不代表德[国國]之[声聲]",
        r"^德[国國]之[声聲]致力于为您提供",
        r"^©\s*\d{4}\s*(AFP|法新社)\s*$",
        r"^Feed enhanced by",
        r"^使用浏览器播视频|^使用瀏覽器播視頻|^view video in browser",
        r"^The post .* appeared first on",
    )
]


BOILERPLATE_RE = re.compile("|".join(f"(?:{p.pattern})" for p in BOILERPLATE_PATTERNS))


def _is_boilerplate_text(text: str) -> bool:
    # Every unanchored pattern names 德国之声/德國之聲; without 德 only the `^` ones can match, at the start.
    if "德" in text:
        return BOILERPLATE_RE.search(text) is not None
    return BOILERPLATE_RE.match(text) is not None


def fold_whitespace(text: str) -> str:
    """Whitespace runs (zero-width spaces and BOMs included) folded to one space, ends trimmed."""
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", " ").replace("\ufeff", " ")
    return " ".join(text.split())  # str.split() knows NBSP and ideographic spaces


def _element_children(tag: Tag) -> list:
    return [c for c in tag.contents if not (isinstance(c, NavigableString) and not c.strip())]


def _starts_with_img(tag: Tag) -> bool:
    """Whether the first of `_element_children(tag)` is an `<img>`, without listing them all."""
    for c in tag.contents:
        if isinstance(c, NavigableString) and not c.strip():
            continue
        return isinstance(c, Tag) and c.name == "img"
    return False


# Elements the walk does not enter: skipped subtrees, line breaks, images, players.
_LEAF_TAGS = SKIP_TAGS | {"br", "img", "video", "audio", "youtube-player"}
# Kinds of class-less elements inside a PARAGRAPH decided by the tag name alone (see _Walker.classify).
_KIND_BY_NAME = {
    "footer": BOILERPLATE,
    "figcaption": CAPTION,
    "figure": CAPTION,
    "address": BYLINE,
    "time": HEADER,
    "h1": HEADER,
    "aside": HEADER,
}
# Names for which classify() looks further than the class attribute and _KIND_BY_NAME.
_NAME_DECIDES = frozenset(_KIND_BY_NAME) | {"small", "div"}
# Leaf elements that are players (audio is a skip tag).
_PLAYER_TAGS = frozenset({"video", "youtube-player"})


def _small_kind(tag: Tag) -> str:
    """`<small>` under a picture's div, figure or figcaption is its credit."""
    parent = tag.parent
    return CAPTION if parent is not None and parent.name in ("div", "figure", "figcaption") else PARAGRAPH


def _header_block_kind(kids: list) -> str | None:
    """The leading header div: `<div><i>byline<br>time</i></div>` (DW, NYT) or an RFI date line."""
    only = kids[0] if len(kids) == 1 else None
    if isinstance(only, Tag) and only.name == "i":
        return BYLINE
    if isinstance(only, NavigableString) and _RFI_DATE.match(only):
        return HEADER
    return None


def _gallery_item_kind(kids: list) -> str:
    """A gallery item, `<div><img …><b>title</b>：caption</div>` (inline content only), is a caption."""
    first_is_img = kids and isinstance(kids[0], Tag) and kids[0].name == "img"
    if first_is_img and not any(isinstance(k, Tag) and k.name in BLOCK_TAGS for k in kids):
        return CAPTION
    return PARAGRAPH


class _Walker:
    def __init__(self) -> None:
        self.body = Body()
        self.buf: list[str] = []  # text of the block being read
        self.link_chars = 0
        self.link_items: list[str] = []
        self.header_done = False
        self.unlock_seen = False
        self.paragraphs_after_unlock = 0
        self.kinds = [
            PARAGRAPH,
            PARAGRAPH,
        ]  # of the elements entered and not left (two roots: the walk reads [-2])
        self.links = 0  # depth of enclosing <a>

    def flush(self, kind: str, tag_name: str | None) -> None:
        """File the text read since the last block boundary, line by line, as `kind`."""
        buf = self.buf
        if not buf:
            return
        raw = "".join(buf)
        buf.clear()  # in place: walk() holds a reference
        link_chars, self.link_chars = self.link_chars, 0
        all_link = tag_name == "li" and link_chars >= len(raw.strip()) > 0
        if "\n" in raw or "\u2028" in raw or "\u2029" in raw or "\x85" in raw:
            lines = _LINE_BREAKS.split(raw)
        else:
            lines = (raw,)  # most blocks: no regex split needed
        for line in lines:
            text = fold_whitespace(line)
            if text:
                self._file(text, kind, all_link)

    def _file(self, text: str, kind: str, all_link: bool) -> None:
        """One line of text into the Body list of its kind; boilerplate and link lists set apart."""
        if kind in (PARAGRAPH, CAPTION) and _is_boilerplate_text(text):
            kind = BOILERPLATE
        elif kind == PARAGRAPH and all_link:
            self.link_items.append(text)  # related-article links, unless the page is nothing but links
            return
        body = self.body
        if kind == PARAGRAPH:
            body.paragraphs.append(text)
            if self.unlock_seen:
                self.paragraphs_after_unlock += 1
        elif kind == CAPTION:
            body.captions.append(text)
        elif kind == HEADER:
            body.header.append(text)
        elif kind == BYLINE:
            body.header.append(text)
            body.bylines.append(text)
        else:
            body.boilerplate.append(text)

    def classify(self, tag: Tag, parent_kind: str) -> str:
        """Kind of an element inside a PARAGRAPH or HEADER (any other kind is inherited unchanged)."""
        attrs = tag.attrs
        flags = _class_flags(attrs.get("class")) if attrs else 0
        if parent_kind == HEADER:
            return BYLINE if flags & _F_BYLINE else HEADER
        name = tag.name
        kind = _kind_by_class(name, flags) if flags else _KIND_BY_NAME.get(name)
        if kind is not None:
            return kind
        if name == "small":
            return _small_kind(tag)
        if name == "div":
            return self._div_kind(tag)
        return PARAGRAPH

    def _div_kind(self, tag: Tag) -> str:
        """A `<div>`: the leading header block (before any paragraph), a gallery item, else a paragraph."""
        if self.header_done or self.body.paragraphs:
            if not _starts_with_img(tag):
                return PARAGRAPH  # the common case: no gallery item, no need to list the children
            return _gallery_item_kind(_element_children(tag))
        kids = _element_children(tag)
        kind = _header_block_kind(kids)
        if kind is not None:
            self.header_done = True  # only the first such div is the header
            return kind
        return _gallery_item_kind(kids)

    def _leaf(self, node: Tag, name: str) -> None:
        """An element the walk does not enter: a line break, an image, a player or a skipped subtree."""
        if name == "br":
            self.buf.append("\n")
        elif name == "iframe":
            if _VIDEO_SRC.search(str(node.get("src", ""))):
                self.body.has_video = True
        elif name == "button":
            if node.has_attr("data-readmore-unlocker") or _UNLOCK.search(str(node.get("class"))):
                self.unlock_seen = True
        elif name in _PLAYER_TAGS:
            self.body.has_video = True

    def walk(self, root: Tag) -> Body:
        """Read the tree once, filing each block's text as it ends. Text and the ends of elements, most of
        the nodes, are handled in this loop; entering an element is _enter()'s, what an element is, is
        decided in classify() and _leaf(). (The call per element costs ~4% of the walk, which is ~6% of
        `etl parse`'s CPU: 0.24 of 4.1 s on 2,000 corpus files.)"""
        kinds = self.kinds
        buf = self.buf
        flush, enter = self.flush, self._enter
        block_tags = BLOCK_TAGS
        # Iterative pre/post-order walk: a node is pushed to enter it, its name (a plain str, never a
        # NavigableString) to leave it.
        stack: list = [root]
        pop = stack.pop
        while stack:
            node = pop()
            kind_of = type(node)
            if kind_of is NavigableString:
                buf.append(node)
                if self.links:
                    self.link_chars += len(node.strip())
            elif kind_of is str:  # an element ends: its block's end or a change of kind files the text
                if buf and (node in block_tags or kinds[-1] != kinds[-2]):
                    flush(kinds[-1], node)
                self.links -= node == "a"
                kinds.pop()
            elif kind_of is Tag or isinstance(node, Tag):  # not comments, doctype, CDATA
                enter(node, stack)
        self.flush(kinds[-1], None)
        return self._finish()

    def _enter(self, node: Tag, stack: list) -> None:
        """An element: its kind decided, the text before it filed if it starts a block or another kind, its
        end and its children pushed (a leaf is handled at once)."""
        name = node.name
        if name in _LEAF_TAGS:  # one set lookup for the common case of none of these
            self._leaf(node, name)
            return
        kinds = self.kinds
        parent_kind = kinds[-1]
        if parent_kind == PARAGRAPH and not node.attrs and name not in _NAME_DECIDES:
            kind = PARAGRAPH  # what classify() says for a plain element; the most common case
        elif parent_kind in (PARAGRAPH, HEADER):
            kind = self.classify(node, parent_kind)
        else:
            kind = parent_kind  # captions, bylines and boilerplate stay what they are inside
        if self.buf and (name in BLOCK_TAGS or kind != parent_kind):
            self.flush(parent_kind, None)
        self.links += name == "a"
        kinds.append(kind)
        stack.append(name)
        contents = node.contents
        if contents:
            stack.extend(reversed(contents))

    def _finish(self) -> Body:
        """Link lists are boilerplate, unless the page is nothing but links; the unlock flag is settled."""
        if self.body.paragraphs:
            self.body.boilerplate.extend(self.link_items)
        else:
            self.body.paragraphs = self.link_items
        self.body.ends_at_unlock = self.unlock_seen and self.paragraphs_after_unlock == 0
        return self.body


_F_WIDGET, _F_CAPTION, _F_BYLINE, _F_PERSON = 1, 2, 4, 8
_CLASS_FLAGS: dict[str, int] = {}
# What a class says, strongest first; a tag name of _KIND_BY_NAME counts as much as its class flag.
_KIND_BY_CLASS = ((BOILERPLATE, _F_WIDGET), (CAPTION, _F_CAPTION), (BYLINE, _F_BYLINE), (HEADER, _F_PERSON))


def _kind_by_class(name: str, flags: int) -> str | None:
    """The kind of an element with a telling class: the strongest of its class flags and its name."""
    by_name = _KIND_BY_NAME.get(name)
    for kind, flag in _KIND_BY_CLASS:
        if by_name == kind or flags & flag:
            return kind
    return None


def _class_flags(cls) -> int:
    """What a class attribute says about an element, cached (pages repeat the same classes)."""
    if not cls:
        return 0
    text = " ".join(cls) if isinstance(cls, list) else cls
    flags = _CLASS_FLAGS.get(text)
    if flags is None:
        flags = (
            (_F_WIDGET if _WIDGET_CLASS.search(text) else 0)
            | (_F_CAPTION if _CAPTION_CLASS.search(text) else 0)
            | (_F_BYLINE if _BYLINE_CLASS.search(text) else 0)
            | (_F_PERSON if _PERSON_CLASS.search(text) else 0)
        )
        if len(_CLASS_FLAGS) < 50_000:
            _CLASS_FLAGS[text] = flags
    return flags


_TAG = re.compile(r"<[^>]*>")


def _fallback(html: str) -> Body:
    """Tag-stripped text, for HTML that bs4 cannot handle (pathological nesting)."""
    text = _TAG.sub("\n", html)
    body = Body()
    for line in text.split("\n"):
        line = fold_whitespace(line)
        if line:
            (body.boilerplate if _is_boilerplate_text(line) else body.paragraphs).append(line)
    return body


class _RecordTreeBuilder(LXMLTreeBuilder):
    """bs4's lxml tree builder with its fixed and per-node costs cut; the soup it builds is bs4's own, node
    for node and field for field (tests/dumps/test_record_tree_builder.py compares every field of every node).

    - It keeps its lxml parser between documents: lxml inspects the target's callbacks whenever a parser
      is made, and a closed parser is reusable. A feed that fails mid-document drops the parser.
    - Namespace-free tags (all the HTML parser ever reports) skip bs4's namespace bookkeeping, and the
      per-node work of `BeautifulSoup.handle_starttag`/`handle_endtag`/`endData` is done inline: the same
      fields stored on the same objects without bs4's generic layers (filters, custom element classes,
      per-tag builder queries, `typing.cast` calls), which cost more than lxml's whole parse.
      Anything namespaced (an nsmap, a `{uri}name`), a <meta> (charset substitution) and the tags with
      their own string classes (<script>, <style>, <template>, <rt>, <rp>) go through bs4's own code.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._parser = None
        self._tag_fields: dict = {}  # set per document by feed()
        self._stock_tag_names = frozenset(self.string_containers) | {"meta"}

    def parser_for(self, encoding):
        if encoding is not None:  # bs4's retry with explicit UTF-8 bytes: a one-off parser
            return super().parser_for(encoding)
        if self._parser is None:
            self._parser = super().parser_for(None)
        return self._parser

    def feed(self, markup) -> None:
        # A new Tag's fields that are the same for every node of this document, in `Tag.__init__` order:
        # `_tag_node` copies the dict and fills in the node's own (copying beats storing 21 keyword fields).
        self._tag_fields = dict(
            parser_class=self.soup.__class__,
            name=None,
            namespace=None,
            _namespaces=None,
            prefix=None,
            sourceline=None,
            sourcepos=None,
            attribute_value_list_class=self.attribute_value_list_class,
            attrs=None,
            known_xml=False,
            contents=None,
            parent=None,
            previous_element=None,
            next_element=None,
            next_sibling=None,
            previous_sibling=None,
            hidden=False,
            can_be_empty_element=None,
            cdata_list_attributes=self.cdata_list_attributes,
            preserve_whitespace_tags=self.preserve_whitespace_tags,
            interesting_string_types=Tag.MAIN_CONTENT_STRING_TYPES,
        )
        try:
            super().feed(markup)
        except BaseException:
            self._parser = None
            raise

    def start(self, name, attrib, nsmap={}) -> None:  # noqa: B006 (lxml's signature)
        if nsmap or len(self.nsmaps) > 1 or not name or name[0] == "{":
            return super().start(name, attrib, nsmap)
        if attrib:  # a dict (an attribute-less tag gets an empty read-only mapping)
            for key in attrib:
                if not key or key[0] == "{":
                    return super().start(name, attrib, nsmap)
            attrs = self.attribute_dict_class(attrib)  # str keys and values: stored as they come
        else:
            attrs = self.attribute_dict_class()
        soup = self.soup
        namespaces = self.active_namespace_prefixes[-1]
        if name in self._stock_tag_names:
            soup.handle_starttag(name, None, None, attrs, namespaces=namespaces)
            return None
        self._end_text(soup)
        tag = self._tag_node(soup, name, attrs, namespaces)
        # `pushTag` (string containers took bs4's own path).
        soup.tagStack.append(tag)
        soup.currentTag = tag
        soup.open_tag_counter[name] += 1
        if name in self.preserve_whitespace_tags:
            soup.preserve_whitespace_tag_stack.append(tag)
        return None

    def _tag_node(self, soup, name: str, attrs, namespaces) -> Tag:
        """`Tag(...)` as `handle_starttag` makes it, linked into the tree; fields in `Tag.__init__` order."""
        previous = soup._most_recent_element
        parent = soup.currentTag
        siblings = parent.contents
        previous_sibling = siblings[-1] if siblings else None
        fields = self._tag_fields.copy()
        fields["name"] = name
        fields["_namespaces"] = namespaces or {}
        fields["attrs"] = attrs
        fields["contents"] = []
        fields["parent"] = parent
        fields["previous_element"] = previous
        fields["previous_sibling"] = previous_sibling
        fields["can_be_empty_element"] = self.empty_element_tags is None or name in self.empty_element_tags
        tag = _new_tag(Tag)
        tag.__dict__ = fields
        if previous_sibling is not None:
            previous_sibling.next_sibling = tag
        if previous is not None:
            previous.next_element = tag
        soup._most_recent_element = tag
        siblings.append(tag)
        return tag

    def end(self, name) -> None:
        if len(self.nsmaps) > 1 or not name or name[0] == "{":
            return super().end(name)
        soup = self.soup
        self._end_text(soup)
        stack = soup.tagStack
        top = stack[-1]
        if (
            top.name == name
            and top.prefix is None
            and len(stack) > 1
            and not soup.preserve_whitespace_tag_stack
            and not soup.string_container_stack
        ):
            # `_popToTag` when the innermost open tag is the one closed (the common case): one `popTag`.
            stack.pop()
            soup.open_tag_counter[name] -= 1
            soup.currentTag = stack[-1]
        else:
            soup._popToTag(name)  # `handle_endtag` without its second, empty `endData`
        return None

    def data(self, data) -> None:
        self.soup.current_data.append(data)  # `handle_data`

    def _end_text(self, soup) -> None:
        """`soup.endData()`: the text read since the last tag becomes a string node."""
        parts = soup.current_data
        if not parts:
            return
        text = "".join(parts)
        if not soup.preserve_whitespace_tag_stack and not text.strip(soup.ASCII_SPACES):
            text = "\n" if "\n" in text else " "  # bs4 folds whitespace-only strings
        soup.current_data = []
        string_class = NavigableString
        if soup.string_container_stack:  # inside <script>, <style> …: their own string class
            string_class = self.string_containers.get(soup.string_container_stack[-1].name, string_class)
        # `string_class(text)` then `object_was_parsed`: the string's fields, in their order, and its links.
        string = _new_string(string_class, text)
        parent = soup.currentTag
        previous = soup._most_recent_element
        siblings = parent.contents
        previous_sibling = siblings[-1] if siblings else None
        fix = parent.next_element is not None  # the parent held something already: bs4 re-links its tail
        string.__dict__ = {
            "hidden": False,
            "parent": parent,
            "previous_element": previous,
            "next_element": None,
            "next_sibling": None,
            "previous_sibling": previous_sibling,
        }
        if previous is not None:
            previous.next_element = string
        if previous_sibling is not None:
            previous_sibling.next_sibling = string
        soup._most_recent_element = string
        siblings.append(string)
        if fix:
            soup._linkage_fixer(parent)


_new_tag = object.__new__  # a Tag whose fields `start` stores itself
_new_string = str.__new__  # a NavigableString whose fields `_end_text` stores itself


_builders = threading.local()


def parse_html(html: str) -> BeautifulSoup:
    """`BeautifulSoup(html, "lxml")`, with class attributes kept as written (not split into lists: the walk
    reads them as one string) and one `_RecordTreeBuilder` per thread."""
    builder = getattr(_builders, "builder", None)
    if builder is None:
        builder = _builders.builder = _RecordTreeBuilder(multi_valued_attributes=None)
    return BeautifulSoup(html, builder=builder)


def extract_body(html: str) -> Body:
    if not html.strip():
        return Body()
    try:
        soup = parse_html(html)
    except RecursionError:
        return _fallback(html)
    try:
        return _Walker().walk(soup)
    except RecursionError:
        return _fallback(html)
    finally:
        _unlink(soup)


def _unlink(soup: BeautifulSoup) -> None:
    """Empty every node of a soup that is done with. Nodes link to their parent and neighbours, so a dropped
    soup is cyclic garbage that only the cyclic collector frees, after traversing it (~6% of the record's
    CPU); emptied, reference counting frees each node at once and the collector seldom runs."""
    node = soup.contents[0] if soup.contents else None  # the soup itself has no next_element
    soup.__dict__.clear()
    while node is not None:
        following = node.next_element
        node.__dict__.clear()
        node = following
