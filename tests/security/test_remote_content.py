"""No remote content: a beacon in the data (`![t](http://host/pixel.png)`, `<img src=//host/…>`) never reaches a
rendered page or an export as an image the reader's browser would fetch."""

from __future__ import annotations

import re

import pytest

import core.agents.ask as ask_module
from core.agents.types import Answer, Source
from core.chat_export import ChatTurn, Role, to_markdown
from core.viz.markdown import is_remote, strip_remote_images
from tests.app.conftest import open_app
from tests.faults.test_chat_faults import app_env, chat_world  # noqa: F401  (the chat AppTest fixtures)

BEACON = "![t](http://host/pixel.png)"
HTML_BEACON = '<img alt="logo" src="https://host/logo.gif">'


@pytest.mark.parametrize("text, want", [
    (f"Quote: {BEACON} end", "Quote: [image removed: t] end"),
    ("![](//host/p.png)", "[image removed]"),
    ('![alt text](https://host/p.png "a title")', "[image removed: alt text]"),
    ("![t](<http://host/with space.png>)", "[image removed: t]"),
    ("![a [b] c](http://host/x(1).png)", "[image removed: a (b) c]"),
    ("![t](&#104;ttp://host/p.png)", "[image removed: t]"),  # entities are decoded by the renderer
    ("![t](http\\://host/p.png)", "[image removed: t]"),  # so are backslash escapes
    ("![t](\\\\host/p.png)", "[image removed: t]"),
    ("![ref][px]\n\n[px]: http://host/p.png", "[image removed: ref]\n\n[px]: http://host/p.png"),
    ("![PX]\n\n[px]: <http://host/p.png>", "[image removed: PX]\n\n[px]: <http://host/p.png>"),
    (HTML_BEACON, "[image removed: logo]"),
    ("<IMG alt='a>b' SRC=http://host/a.png>", "[image removed: a>b]"),
    ('<source srcset="local.png 1x, https://host/x 2x">', "[image removed]"),
    ('<div style="background:url(http://host/x)">hi</div>', "[image removed]hi</div>"),
])
def test_remote_images_become_their_alt_text(text, want):
    assert strip_remote_images(text) == want


@pytest.mark.parametrize("text", [
    "plain **bold** text with [a link](http://host/page) and an autolink <http://host/page>",
    "![creative](assets/meta/a.png)", '<img src="local.png">', "![x][loc]\n\n[loc]: a.png", "",
    "a ! [not an image](http://host)", "`code` and ![alt]()",
])
def test_local_images_links_and_plain_text_are_untouched(text):
    assert strip_remote_images(text) == text


def test_nested_and_regrown_images_are_removed_too():
    nested = "![![in](http://host/i.png)](http://host/o.png)"
    regrow = "!![a](http://host/x)(http://host/y.png)"  # removing the inner image leaves `![…](http://host/y.png)`
    for text in (nested, regrow, "![" * 30 + "x" + "](http://host/p.png)" * 30):
        out = strip_remote_images(text)
        assert not _has_remote_image(out), out
        assert strip_remote_images(out) == out  # idempotent


def _has_remote_image(markdown: str) -> bool:
    """Oracle: after removal, no `![` is followed (through its brackets) by a remote target."""
    return bool(re.search(r"!\[[^\n]*?\]\(\s*<?\s*(?:https?:|//)", markdown))


def test_is_remote():
    assert all(map(is_remote, ["http://h/x", "HTTPS://h", "//h/x", " //h", "data:image/png;base64,AA", "<http://h>"]))
    assert not any(map(is_remote, ["a.png", "assets/x.png", "/abs/x.png", "./x.png", ""]))


def test_exports_carry_no_remote_image():
    turns = [ChatTurn(Role.USER, f"what does {BEACON} show?"),
             ChatTurn(Role.ASSISTANT, f"The contract says:\n\n> {BEACON}\n\n{HTML_BEACON}",
                      [Source(file="contract.md", section="1", snippet=f"see {BEACON}")],
                      ["http://host/creative.png", "assets/meta/a.png"], notice=f"note {BEACON}")]
    md = to_markdown(turns, clean=strip_remote_images)
    assert "http://host" not in md and "https://host" not in md
    assert md.count("[image removed: t]") == 4 and "[image removed: logo]" in md
    assert "![creative](assets/meta/a.png)" in md  # local images stay


def _texts(at) -> list[str]:
    """The protobuf text of every element on the page (markdown bodies, captions, alerts, badges, labels)."""
    out, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        if getattr(node, "proto", None) is not None:
            out.append(str(node.proto))
        stack.extend(getattr(node, "children", {}).values())
    return out


def test_the_chat_page_renders_a_quoted_beacon_without_its_url(app_env, monkeypatch):  # noqa: F811
    fake = Answer(reply=f"**From contract.md** [1]:\n\n> {BEACON}\n\n{HTML_BEACON}",
                  sources=[Source(file="contract.md", section="§ 1 Term", snippet=f"the clause {BEACON}")],
                  notice=f"heads up {BEACON}")
    monkeypatch.setattr(ask_module, "ask", lambda *a, **k: fake)
    at = open_app()
    at.chat_input[0].set_value("what does the contract say").run()
    assert not at.exception
    texts = _texts(at)
    assert any("[image removed: t]" in t for t in texts)  # the quote is there, as text
    assert not [t for t in texts if "http://host" in t or "https://host" in t]
    at.run()  # the stored turn, re-rendered from history, is just as clean
    assert not [t for t in _texts(at) if "http://host" in t or "https://host" in t]
