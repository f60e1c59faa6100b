"""What-if scenarios in analysts' words, parsed into typed spend changes per channel.

Handles: move X from A to B (also "shift 10% of A into B"), cut / raise A by N% or £X, cut / raise A to £X,
set A to £X, spend £X (more) on A, add £X to A, take £X off A, stop / pause A, double / halve / triple A,
split X across A and B. Clauses joined by "and" or commas share a verb or an amount ("cut TV and radio by 20%").
A change the parser cannot read exactly is reported as a problem, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from core.agents.amounts import Amount, Unit, find_amounts
from core.agents.entities import channel_mentions
from core.domain import CHANNEL_KEYS


class Op(StrEnum):
    """How a change applies to a channel's current plan-period spend."""

    SET = "set"  # spend becomes value
    SCALE = "scale"  # spend × value
    ADD = "add"  # spend + value (negative to cut); with `of`, value is a share of that channel's current spend


@dataclass(frozen=True)
class Change:
    """One channel's change."""

    channel: str
    op: Op
    value: float
    of: str | None = None


@dataclass(frozen=True)
class Scenario:
    """The changes a question asks for, and what could not be read."""

    changes: tuple[Change, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the question names no change."""
        return not self.changes

    @property
    def channels(self) -> tuple[str, ...]:
        """Channels the scenario changes, in order."""
        return tuple(dict.fromkeys(c.channel for c in self.changes))

    def apply(self, current: dict[str, float]) -> dict[str, float]:
        """New plan-period spend of every changed channel; ValueError when a channel would go below zero."""
        new = {ch: current[ch] for ch in self.channels}
        for c in self.changes:
            if c.op is Op.SET:
                new[c.channel] = c.value
            elif c.op is Op.SCALE:
                new[c.channel] *= c.value
            else:
                new[c.channel] += c.value * current[c.of] if c.of else c.value
        below = [ch for ch, v in new.items() if v < -0.5]
        if below:
            raise ValueError(f"that takes {', '.join(below)} below zero")
        return {ch: max(v, 0.0) for ch, v in new.items()}


MOVE = r"move|moving|moved|shift|shifting|shifted|transfer|transferring|re-?allocat\w*|redirect\w*|divert\w*|switch|put|take|taking|swap"
SPLIT = r"split|splitting|divide|divided|spread|spreading|share|shared|distribute\w*"
DOWN = r"down|cut|cuts|cutting|reduce\w*|decrease\w*|lower\w*|trim\w*|slash\w*|drop|dropping|scale back|pull back|less"
# A bare "up" raises spend ("turn TV up"), but not in "catch-up TV" or a phrasal verb that means something else.
NOT_RAISING_UP = "".join(rf"(?<!\b{w} )" for w in ("tear", "sign", "set", "pick", "follow", "sum", "add", "make",
                                                     "break", "show", "end", "come", "catch", "back", "hold", "stack",
                                                     "line", "measure", "match", "shape", "wrap", "stacks", "lined"))
UP = rf"increase\w*|raise\w*|next(?=[^\w‹]*‹a)|raising|boost\w*|grow\w*|(?<!-){NOT_RAISING_UP}up|more|extra|another|invest\w*|add(?!\w*\s+up\b)\w*|top up|ramp up"
SET = r"set|setting|make|making|keep|hold|fix|spend|spending|spent|budget|allocate|bring"
STOP = (r"stop|stops|stopped|stopping|pause\w*|kill\w*|cancel\w*|axe|axed|scrap\w*|ditch\w*|switch(?:ed|ing)? off|turn(?:ed|ing)? off|"
        r"remove\w*|zero|without|drop(?:ped|ping)? (?:all|entirely)|pull(?:s|ed|ing)? out|(?:go|goes|went|gone|going) dark|"
        # "altogether" stops a channel only after a verb of cutting: "what has gone on TV altogether" is a total
        r"(?:cut|cutting|drop\w*|lose|losing|dump\w*|bin|binned|get rid of|pull\w*)\b[^?.]*?\baltogether")
MULTIPLIERS = {"double": 2.0, "doubled": 2.0, "doubling": 2.0, "twice": 2.0, "triple": 3.0, "tripled": 3.0,
               "tripling": 3.0, "halve": 0.5, "halved": 0.5, "halving": 0.5}
C_MARK = r"‹c\d+›"
C, A, GAP = r"‹c(\d+)›", r"‹a(\d+)›", r"[^‹]*?"  # channel and amount placeholders, and text between them
EVERY = re.compile(r"\b(?:everything|every channel|each channel|all (?:the )?(?:channels|media|spend|budgets?)|"
                   r"across the board|the (?:whole|total|overall|entire) (?:budget|plan|spend|media budget))\b")
_MONTH = "january|february|march|april|may|june|july|august|september|october|november|december"
PART_OF_YEAR = re.compile(rf"\bfor (?:a|one|two|three|four|six|\d+|the next|the first|the last|a couple of) "
                          rf"(?:weeks?|months?|quarters?)\b|\b(?:in|during|for|over) (?:q[1-4]|{_MONTH}|the summer|"
                          rf"the winter|the spring|the autumn|the run-up)\b", re.I)
# verbs whose meaning hangs on the words around them: "put TV at £5m" sets it, "take / knock £1m off TV" cuts it,
# "put / pour another £1m into TV" adds to it
SET_AT = re.compile(r"\b(?:put|puts|putting|run|running|have|having|take|taking|bring|bringing|hold|keep|leave)\b"
                    r".*?\bat\s+‹a\d+›")
TAKE_OFF = re.compile(r"\b(?:take|takes|taking|took|knock\w*|shav\w*|strip\w*)\b\s*(?:‹a\d+›\s*)?"
                      r"(?:off|out of|away from)\b")
PUT_INTO = re.compile(r"\b(?:put|puts|putting|pour\w*|plough\w*|pump\w*|throw\w*)\b\s*‹a\d+›[^‹]*?"
                      r"\b(?:into|in|on|behind)\b")


def _template(text: str, channels: Sequence[str] | None) -> tuple[str, list[str], list[Amount]]:
    """The lower-cased text with the i-th channel mention → ‹ci› and the i-th amount → ‹ai›."""
    mentions = channel_mentions(text, channels)
    amounts = [a for a in find_amounts(text) if all(a.end <= m.start or a.start >= m.end for m in mentions)]
    spans = sorted([(m.start, m.end, f" ‹c{i}› ") for i, m in enumerate(mentions)]
                   + [(a.start, a.end, f" ‹a{i}› ") for i, a in enumerate(amounts)])
    out, pos = [], 0
    for start, end, mark in spans:
        out += [text[pos:start].lower(), mark]
        pos = end
    out.append(text[pos:].lower())
    return "".join(out), [m.value for m in mentions], amounts


@dataclass
class _Parse:
    """The placeholders' values and what has been read so far."""

    chans: list[str]
    amounts: list[Amount]
    everyone: tuple[str, ...] = ()  # the channels "everything" / "across the board" stands for
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def channels_in(self, piece: str) -> list[str]:
        return [self.chans[int(i)] for i in re.findall(C, piece)]

    def amounts_in(self, piece: str) -> list[Amount]:
        return [self.amounts[int(i)] for i in re.findall(A, piece)]


MOVE_RX = re.compile(rf"\b(?:{MOVE})\b{GAP}{A}{GAP}\b(?:from|out of|off|of)\b\s*(?:(?:the|our)\s+)?{C}{GAP}"
                     rf"\b(?:to|into|onto|towards|in|over to|for)\b\s*{C}")
# "take half the LinkedIn budget and split it evenly between TikTok and Google": a move to several channels
TAKE_SPLIT_RX = re.compile(rf"\b(?:{MOVE})\b\s*{A}\s*(?:(?:of|out of|from|off)\s+)?(?:(?:the|our)\s+)?{C}{GAP}"
                           rf"\b(?:{SPLIT})\b\s*(?:(?:it|that|this|them)\s+)?(?:(?:evenly|equally)\s+)?"
                           rf"\b(?:between|across|among|amongst|over)\b\s*({C}(?:\s*(?:,|and|&)\s*{C})+)")
SPLIT_RX = re.compile(rf"{A}{GAP}\b(?:across|between|among|amongst|evenly)\b\s*"
                      rf"({C}(?:\s*(?:,|and|&|or)\s*{C})+)")  # "£1M (split) across A and B": across means split


def _move(p: _Parse, m: re.Match[str]) -> None:
    """'move £500k from TV to Google', 'shift 10% of TV into Google', 'take £1m off TV and put it into Meta'."""
    amount, src, dst = p.amounts[int(m.group(1))], p.chans[int(m.group(2))], p.chans[int(m.group(3))]
    if amount.unit is Unit.PERCENT:
        p.changes += [Change(src, Op.SCALE, 1 - amount.value / 100), Change(dst, Op.ADD, amount.value / 100, of=src)]
    else:
        p.changes += [Change(src, Op.ADD, -amount.value), Change(dst, Op.ADD, amount.value)]


def _take_split(p: _Parse, m: re.Match[str]) -> None:
    """'take half the LinkedIn budget and split it between TikTok and Google': out of one, shared evenly."""
    amount, src, dsts = p.amounts[int(m.group(1))], p.chans[int(m.group(2))], p.channels_in(m.group(3))
    if amount.unit is Unit.PERCENT:
        share = amount.value / 100
        p.changes += [Change(src, Op.SCALE, 1 - share), *(Change(d, Op.ADD, share / len(dsts), of=src) for d in dsts)]
    else:
        p.changes += [Change(src, Op.ADD, -amount.value), *(Change(d, Op.ADD, amount.value / len(dsts)) for d in dsts)]


def _split(p: _Parse, m: re.Match[str], piece: str) -> None:
    """'split £1M across YouTube and Meta', 'an extra £600k split between TV, OOH and radio'."""
    amount, chans = p.amounts[int(m.group(1))], p.channels_in(m.group(2))
    if amount.unit is not Unit.MONEY:
        p.problems.append("a split needs an amount of money, e.g. 'split £1M across YouTube and Meta'")
        return
    sign = -1.0 if re.search(rf"\b(?:{DOWN})\b", piece[:m.start()]) else 1.0
    p.changes += [Change(ch, Op.ADD, sign * amount.value / len(chans)) for ch in chans]


def _direction(clause: str) -> float | None:
    """-1 for a cut, +1 for an increase, None when the clause has no verb of either kind."""
    if re.search(rf"\b(?:{DOWN})\b", clause):
        return -1.0
    if re.search(rf"\b(?:{UP})\b", clause):
        return 1.0
    return None


def _multiplier(clause: str) -> float | None:
    """The factor a clause's 'double', 'halve' or 'triple' names."""
    return next((v for k, v in MULTIPLIERS.items() if re.search(rf"\b{k}\b", clause)), None)


def _verb(clause: str) -> str | None:
    """What a clause does to its channels: mult, stop, down, up, set, or None."""
    if _multiplier(clause) is not None:
        return "mult"
    if re.search(rf"\b(?:{STOP})\b|\bno\s+‹c|\bto (?:zero|nothing|£?0)\b|\b(?:entirely|completely)\b", clause):
        return "stop"
    if SET_AT.search(clause):
        return "set"
    if TAKE_OFF.search(clause):
        return "down"
    if PUT_INTO.search(clause):
        return "up"
    direction = _direction(clause)
    if direction is not None:
        return "down" if direction < 0 else "up"
    return "set" if re.search(rf"\b(?:{SET})\b", clause) else None


def _clause(p: _Parse, clause: str, shared: tuple[str | None, float | None], next_amount: Amount | None
            ) -> tuple[str | None, float | None]:
    """Changes of one clause; returns its verb and factor (a later clause without a verb borrows them)."""
    chans, amounts = p.channels_in(clause), p.amounts_in(clause)
    if not chans and EVERY.search(clause):  # "cut everything by 10%"
        if any(a.unit is Unit.MONEY for a in amounts):
            p.problems.append("a change to every channel needs a percentage (e.g. 'cut everything by 10%'), since "
                              "an amount could be shared out in more than one way")
            return shared
        chans = list(p.everyone)
    if not chans:
        return shared
    own = _verb(clause)
    verb, mult = (own, _multiplier(clause)) if own else shared
    amount = amounts[0] if amounts else next_amount if verb in ("down", "up") else None
    if verb == "mult" and mult is not None:
        p.changes += [Change(ch, Op.SCALE, mult) for ch in chans]
    elif verb == "stop":
        p.changes += [Change(ch, Op.SET, 0.0) for ch in chans]
    elif verb is None:
        return shared  # channels named without a change ("ROI of TV"): not part of a scenario
    elif amount is None and verb == "set":
        return shared  # "our Meta spend last year" names spend, not a change to it
    elif amount is None:
        p.problems.append(f"I could not tell by how much to change {', '.join(chans)}")
    elif re.search(rf"\b(?:to|at)\s+{A}", clause) or verb == "set":
        if amount.unit is Unit.PERCENT:
            p.problems.append(f"set {', '.join(chans)} to an amount of money, not a percentage")
        else:
            p.changes += [Change(ch, Op.SET, amount.value) for ch in chans]
    elif amount.unit is Unit.PERCENT:
        sign = -1.0 if verb == "down" else 1.0
        p.changes += [Change(ch, Op.SCALE, max(0.0, 1 + sign * amount.value / 100)) for ch in chans]
    else:
        sign = -1.0 if verb == "down" else 1.0
        p.changes += [Change(ch, Op.ADD, sign * amount.value / len(chans)) for ch in chans]
    return verb, mult


def parse(question: str, channels: Sequence[str] | None = None) -> Scenario:
    """The spend changes a question asks for; `channels` is the model's vocabulary (default: the domain's)."""
    template, chans, amounts = _template(question, channels)
    # "Meta's spend, and would moving £200k of it into Google help?": "of it" is the channel named before it
    template = re.sub(r"\b(of|from|out of|off)\s+(?:it|that|them)\b",
                      lambda m: f"{m.group(1)} {(re.findall(C_MARK, template[:m.start()]) or ['it'])[-1]}", template)
    p = _Parse(chans, amounts, tuple(channels) if channels is not None else CHANNEL_KEYS)
    for piece in re.split(r";|\bthen\b|\balso\b", template):
        # Whole shapes first: their "and" belongs to them ("take £1m off TV and put it into Meta").
        for rx, handle in ((TAKE_SPLIT_RX, lambda m, pc: _take_split(p, m)), (MOVE_RX, lambda m, pc: _move(p, m)),
                           (SPLIT_RX, lambda m, pc: _split(p, m, pc))):
            while (m := rx.search(piece)) is not None:
                handle(m, piece)
                piece = piece[:m.start()] + " " + piece[m.end():]
        clauses = [c for c in re.split(r"\band\b|,|&|\bplus\b|\bwhile\b|\bwhilst\b", piece) if c.strip()]
        shared: tuple[str | None, float | None] = (None, None)
        for i, clause in enumerate(clauses):
            later = [a for c in clauses[i + 1:] for a in p.amounts_in(c)]
            shared = _clause(p, clause, shared, later[0] if later else None)
    if p.changes and PART_OF_YEAR.search(question):
        p.problems.append("the what-if changes a channel's spend over the whole plan year, so a change for part of "
                          "it (“for a month”, “in Q4”) cannot be modelled as asked; give it as the year's change "
                          "(a month dark is about 8% less for the year)")
    return Scenario(tuple(p.changes), tuple(dict.fromkeys(p.problems)))
