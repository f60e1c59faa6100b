"""The domain vocabulary: every constant shared across packages, defined once (as Meridian keeps constants.py).

Values a user can change (value per KPI unit) are not here: `core.config.Settings` holds them (with their
defaults) and they are passed explicitly to whatever computes money.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

SPEND_PREFIX = "spend_"  # weekly modelling tables name media spend columns spend_<channel>
PLAN_WEEKS = 52  # ROI, spend and budgets refer to the last year of data: the plan period
WEEKS_PER_YEAR = 52.18  # mean weeks in a calendar year, so yearly seasonality does not drift across years

Progress = Callable[[float, str], object]  # (fraction done in [0, 1], what is happening now); result ignored


@dataclass(frozen=True)
class ChannelInfo:
    """A media channel: its key (as in spend_<key> and file names), how replies write it, and what names it.

    `synonyms` is a regex of the words analysts and file names use for the channel.
    """

    key: str
    label: str
    synonyms: str


CHANNELS: tuple[ChannelInfo, ...] = (
    ChannelInfo("tv", "TV", r"tv|television|telly|the box|itv|sky|channel ?4"),
    ChannelInfo("ooh", "OOH", r"ooh|dooh|outdoor|out[- ]of[- ]home|billboards?|posters?|jcdecaux"),
    ChannelInfo("youtube", "YouTube", r"youtube|yt"),
    ChannelInfo("meta", "Meta", r"meta|facebook|instagram|insta|fb|ig"),
    ChannelInfo("google", "Google", r"google|adwords|paid search|search ads|sem|ppc"),
    ChannelInfo("dv360", "DV360", r"dv360|dv 360|programmatic|display"),
    ChannelInfo("tiktok", "TikTok", r"tik ?tok"),
    ChannelInfo("linkedin", "LinkedIn", r"linked ?in"),
    ChannelInfo("print", "Print", r"print|press|newspapers?|magazines?"),
    ChannelInfo("radio", "Radio", r"radio|the wireless"),  # podcasts are not radio: no file counts their spend
    ChannelInfo("events", "Events", r"events|motor shows?|test[- ]drive events"),
)
CHANNEL_KEYS: tuple[str, ...] = tuple(c.key for c in CHANNELS)
_BY_KEY = {c.key: c for c in CHANNELS}
_WORD_RX = [(c.key, re.compile(rf"(?:{c.synonyms})", re.I)) for c in CHANNELS]


def channel_label(key: str) -> str:
    """How a channel key is written for people: 'tv' → 'TV'; an unknown key is shown as it is."""
    info = _BY_KEY.get(key.lower())
    return info.label if info else key


def channel_of_word(word: str) -> str | None:
    """The channel a single word of a file or folder name stands for ('itv' → 'tv'), if any."""
    return next((key for key, rx in _WORD_RX if rx.fullmatch(word)), None)
