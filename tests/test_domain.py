"""The domain vocabulary: defined once, used by every package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core import domain
from core.catalog.categories import channel_of
from core.synth.facts import CHANNELS as WORLD_CHANNELS

CORE = Path(__file__).resolve().parents[1] / "core"
SHARED = ("SPEND_PREFIX", "PLAN_WEEKS", "WEEKS_PER_YEAR", "DEFAULT_VALUE_PER_LEAD", "Progress", "CHANNELS",
          "CHANNEL_LABELS", "CHANNEL_SYNONYMS", "DEFAULT_VALUE_PER_UNIT")
NOT_A_COPY = {("CHANNELS", "synth/facts.py")}  # the world's media plan (budgets, truth), keyed by the domain's channels


def _module_level_names(path: Path) -> set[str]:
    """Names assigned at the top level of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def test_each_shared_constant_is_defined_in_one_module():
    where: dict[str, list[str]] = {}
    for path in CORE.rglob("*.py"):
        rel = path.relative_to(CORE).as_posix()
        for name in _module_level_names(path) & set(SHARED):
            if (name, rel) not in NOT_A_COPY:
                where.setdefault(name, []).append(rel)
    assert {name: files for name, files in where.items() if len(files) > 1} == {}


def test_the_world_buys_exactly_the_domain_channels():
    assert [c.key for c in WORLD_CHANNELS] == list(domain.CHANNEL_KEYS)
    assert [c.name for c in WORLD_CHANNELS] == [c.label for c in domain.CHANNELS]


@pytest.mark.parametrize(("word", "channel"), [("itv", "tv"), ("channel4", "tv"), ("dooh", "ooh"),
                                               ("facebook", "meta"), ("TikTok", "tiktok"), ("contract", None)])
def test_channel_of_word(word, channel):
    assert domain.channel_of_word(word) == channel


def test_file_names_map_to_channels_through_the_domain_words():
    assert channel_of("raw/contracts/clear_channel_dooh_agreement.md") == "ooh"
    assert channel_of("assets/youtube/avatr12_bumper_01.png") == "youtube"
    assert channel_of("raw/media_agency_terms.md") is None


def test_labels_for_known_and_unknown_keys():
    assert domain.channel_label("dv360") == "DV360" and domain.channel_label("TV") == "TV"
    assert domain.channel_label("carrier_pigeon") == "carrier_pigeon"
