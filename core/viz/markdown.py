"""No remote content: data-derived markdown never makes the reader's browser fetch from another host.

A document in the data folder can hold `![t](http://host/pixel.png)` or `<img src="//host/p.gif">`; quoted in a
chat answer, a gallery description or an export, it would be a tracking beacon. Images whose target has a
scheme (`http:`, `https:`, `data:`, …) or is protocol-relative (`//host/…`) become plain text
"[image removed: alt]"; relative (local) images and ordinary links are left alone.
"""

from __future__ import annotations

import html
import re

REMOVED = "[image removed{alt}]"
MAX_PASSES = 8  # an image nested in an alt text is removed on the next pass; deeper nesting gets escaped
REMOTE_RE = re.compile(r"^\s*<?\s*(?:[a-z][a-z0-9+.\-]*:|[\\/]{2})", re.I)
_ALT = r"(?P<alt>(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)"
_URL = r"(?P<url><[^>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)"
_TITLE = r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?"""
INLINE_IMAGE_RE = re.compile(rf"!\[{_ALT}\]\(\s*{_URL}?{_TITLE}\s*\)")
REF_IMAGE_RE = re.compile(rf"!\[{_ALT}\](?:\[(?P<ref>(?:\\.|[^\[\]\\])*)\])?(?!\()")
REF_DEF_RE = re.compile(r"^ {0,3}\[(?P<label>(?:\\.|[^\[\]\\])+)\]:\s*(?P<url><[^>\n]*>|\S+)", re.M)
HTML_TAG_RE = re.compile(r"""<(?P<tag>[a-z][a-z0-9-]*)\b(?P<attrs>(?:"[^"]*"|'[^']*'|[^"'>])*)>""", re.I)
HTML_ATTR_RE = re.compile(r"""(?P<name>[a-z_:][\w:.-]*)\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
REMOTE_ATTRS = frozenset({"src", "srcset", "poster", "background", "data", "xlink:href"})
MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark backslash escapes of ASCII punctuation
CSS_URL_RE = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.\-]*:|//)", re.I)


def is_remote(url: str) -> bool:
    """True when a link target names a scheme or another host (not a path relative to the document).

    Checked as written, with HTML entities decoded (`&#104;ttp:`) and with markdown escapes removed too
    (`http\\://`), since a renderer may apply either.
    """
    decoded = html.unescape(url)
    return any(REMOTE_RE.match(u) for u in (url, decoded, MD_ESCAPE_RE.sub(r"\1", decoded)))


def _label(text: str) -> str:
    """A reference label normalised the way CommonMark matches them (case and whitespace folded)."""
    return " ".join(text.split()).casefold()


def _placeholder(alt: str) -> str:
    """'[image removed: alt]' with the alt as plain text (brackets and newlines flattened)."""
    flat = " ".join(alt.replace("[", "(").replace("]", ")").split())
    return REMOVED.format(alt=f": {flat}" if flat else "")


def _inline(match: re.Match[str]) -> str:
    """A remote inline image as its placeholder; anything else unchanged."""
    return _placeholder(match["alt"]) if is_remote(match["url"] or "") else match[0]


def _html_tag(match: re.Match[str]) -> str:
    """An HTML tag that would load a remote resource as its placeholder; anything else unchanged."""
    attrs = {m["name"].lower(): m["value"].strip("\"'") for m in HTML_ATTR_RE.finditer(match["attrs"])}
    loads = [v for k, v in attrs.items() if k in REMOTE_ATTRS or (k == "href" and match["tag"].lower() == "link")]
    remote = any(is_remote(part) for v in loads for part in v.split(",")) or bool(CSS_URL_RE.search(match["attrs"]))
    return _placeholder(attrs.get("alt", "")) if remote else match[0]


def _one_pass(markdown: str) -> str:
    """Inline images, reference images whose definition is remote, and loading HTML tags, replaced once."""
    remote_refs = {_label(m["label"]) for m in REF_DEF_RE.finditer(markdown) if is_remote(m["url"])}

    def ref(match: re.Match[str]) -> str:
        label = match["ref"] if match["ref"] else match["alt"]
        return _placeholder(match["alt"]) if _label(label) in remote_refs else match[0]

    out = INLINE_IMAGE_RE.sub(_inline, markdown)
    out = REF_IMAGE_RE.sub(ref, out) if remote_refs else out
    return HTML_TAG_RE.sub(_html_tag, out)


def strip_remote_images(markdown: str) -> str:
    """The markdown with every remote image (inline, reference-style or HTML) replaced by its alt text."""
    out = markdown
    for _ in range(MAX_PASSES):
        nxt = _one_pass(out)
        if nxt == out:
            return out
        out = nxt
    return out.replace("![", "!\\[").replace("<", "&lt;")  # pathological nesting: no image syntax survives
