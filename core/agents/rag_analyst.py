"""Offline RAG analyst: answers from retrieved passages only, quoting the unit that holds the answer."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllInflections, getAllLemmas

from core.agents.entities import Entities, extract
from core.agents.grounding import (
    FORECAST_REPLY,
    asks_about_the_future,
    named_documents,
    names_in,
    passage_lacks,
    question_parts,
    thing_a_passage_lacks,
    thing_asked,
    unknown_terms,
    wanted_answer,
)
from core.agents.highlight import EXPANSIONS, STOPWORDS, Highlight, best_units, idiom_meanings
from core.agents.tables_cues import HOW_MANY
from core.agents.tables_types import TableAnswer
from core.agents.tables_vocab import everyday_matches
from core.agents.tools import Toolbox
from core.agents.types import Draft, Source
from core.catalog.categories import Category
from core.catalog.manifest import read_manifest
from core.catalog.paths import resolve_inside
from core.domain import channel_label
from core.rag.types import Hit

TEXT_K = 8  # retrieve wider than we show: the highlighter picks the passage that answers
ASSET_K = 4
SNIPPET_CHARS = 280
OTHER_PASSAGES = 2
ANSWER_WINDOW = 5  # an answer of the asked type must be in one of the best passages, or the reply declines


def where(hit: Hit) -> str:
    """A hit's place in its file: contract section, CSV rows, or the summary it is."""
    if hit.section:
        return f"§ {hit.metadata.get('clause', '')} {hit.section}".replace("§  ", "§ ").strip()
    if hit.rows:
        return f"rows {hit.rows}"
    group = hit.metadata.get("group")
    if group == "overview":
        return "file summary"
    return f"summary by {group}: {hit.metadata.get('level')}" if group else ""


def source_of(hit: Hit, snippet: str) -> Source:
    """The Source citing a hit (section for contracts and summaries, rows for row groups)."""
    section = None if hit.rows else (where(hit) or None)
    return Source(file=hit.source_file, section=section, rows=hit.rows, score=round(hit.score, 4),
                  snippet=snippet[:SNIPPET_CHARS])


def manifest_field(hit: Hit, name: str) -> str:
    """A field of a creative's manifest text ('file: …; format: …; description: …')."""
    for part in hit.text.split("; "):
        key, _, value = part.partition(": ")
        if key == name:
            return value
    return ""


QUANTITY = re.compile(r"\bhow (?:many|much)\b|\btotal\b|\bspen[dt]\b|\bcosts?\b|\bbudget", re.I)


@lru_cache(maxsize=8)
def _formats(assets_dir: str, stamp: float) -> tuple[str, ...]:
    """The creative formats an assets folder holds ('story', 'carousel card'), longest first."""
    names = {str(v).strip().lower() for v in read_manifest(Path(assets_dir)).df["format"] if str(v).strip()}
    return tuple(sorted(names, key=len, reverse=True))


def creative_formats(manifest: Path) -> tuple[str, ...]:
    """The formats of the folder's creatives, re-read when its manifest changes."""
    return _formats(str(manifest.parent), manifest.stat().st_mtime if manifest.exists() else 0.0)


def wants_creatives(question: str, ents: Entities, formats: tuple[str, ...] = ()) -> bool:
    """True when the question asks for ad creatives rather than data or documents ("how far ahead is artwork
    due?" wants a duration from a contract, not images). Naming a format the creatives come in ("the AVATR 12
    Meta story against a city skyline") asks for them too, unless it asks how much or how many."""
    wanted = wanted_answer(question)
    if ents.category is Category.ASSETS:
        return wanted is None or wanted[1] not in ("a duration", "a date")
    return wanted is None and not QUANTITY.search(question) and any(
        re.search(rf"(?<![\w-]){re.escape(f)}s?(?![\w-])", question, re.I) for f in formats)


def answer_assets(question: str, ents: Entities, tools: Toolbox) -> Draft:
    """The best-matching creatives with what each shows."""
    channel = ents.channels[0] if len(ents.channels) == 1 else None
    model = ents.models[0] if len(ents.models) == 1 else None
    hits = tools.search_assets(question, k=ASSET_K, channel=channel, model=model)
    if not hits and (channel or model):
        hits = tools.search_assets(question, k=ASSET_K)
    if not hits:
        return Draft("I found no creatives matching that description.")
    lines = ["Here are the creatives that best match:"]
    sources = []
    for i, h in enumerate(hits, 1):
        desc = manifest_field(h, "description") or h.text
        fmt = manifest_field(h, "format")
        lines.append(f"{i}. **{h.source_file}** ({channel_label(str(h.metadata.get('channel') or ''))} {fmt}) [{i}]")
        sources.append(source_of(h, desc))
    return Draft("\n".join(lines), sources, images_inside((h.image_path for h in hits), tools.settings.data_dir))


def images_inside(paths: Iterable[str | None], data_dir: Path) -> list[str]:
    """The image paths (absolute, or relative to the data folder) whose real path lies inside the data folder:
    an index built elsewhere, or a manifest naming ../../x.png, must not put an outside file in an answer."""
    return [p for p in paths if p and resolve_inside(data_dir, p) is not None]


def inflections(word: str) -> set[str]:
    """The other forms of an inflected word ('phased' → phase, phasing, phases): the index matches words as
    written. A word in its base form ('value') keeps to itself: its other forms would only widen the search."""
    out: set[str] = set()
    lemmas_of = getAllLemmas(word.lower())
    if any(word.lower() in lemmas for lemmas in lemmas_of.values()):
        return out
    for pos, lemmas in lemmas_of.items():
        for lemma in lemmas:
            out |= {lemma, *(f for forms in getAllInflections(lemma, upos=pos).values() for f in forms)}
    return out - {word.lower()}


def files_words(question: str) -> list[str]:
    """How the files name what the question says in everyday words: "shopping centre" → mall, "phones" → mobile."""
    return list(dict.fromkeys(key for key, _ in everyday_matches(question)))


def keywords(question: str) -> str:
    """The question's content words, their other forms and how contracts word them: a second, sharper query
    ('total spend TV 2025'; 'payment terms' also looks for 'invoice' and 'settled', 'phased' for 'phasing')."""
    words = [w for w in re.findall(r"[\w£%.-]+", question) if w.lower() not in STOPWORDS]
    forms = [f for w in words if w.isalpha() and len(w) > 3 for f in sorted(inflections(w))]
    return " ".join(dict.fromkeys([*words, *forms, *(x for w in words for x in EXPANSIONS.get(w.lower(), ())),
                                   *idiom_meanings(question), *files_words(question)]))


def gather(question: str, ents: Entities, tools: Toolbox) -> list[Hit]:
    """Hits for the question as asked plus its keywords (within the one channel it names, and across every file),
    best first, no repeats."""
    channel = ents.channels[0] if len(ents.channels) == 1 else None
    sharp = keywords(question)
    runs = [tools.search_data(question, k=TEXT_K), tools.search_data(sharp, k=TEXT_K, channel=channel)]
    if channel is not None:  # a plan's or contract's row about the channel ("TikTok | ... | Dec: £167,883") is
        runs.append(tools.search_data(sharp, k=TEXT_K))  # filed under no channel
    best: dict[str, tuple[int, Hit]] = {}
    for run in runs:
        for rank, h in enumerate(run):
            if h.id not in best or rank < best[h.id][0]:
                best[h.id] = (rank, h)
    return [h for _, h in sorted(best.values(), key=lambda rh: (rh[0], -rh[1].score))]


def decline_unknown_terms(unknown: list[str]) -> Draft:
    """Say which words of the question the data never mentions."""
    named = ", ".join(f"“{w}”" for w in unknown)
    return Draft(f"Nothing in your data or documents mentions {named}, so they do not hold the answer to this. "
                 "The Data page lists what the folder contains.", declined=True)


def decline_closest(hit: Hit, unit: Highlight, why: str) -> Draft:
    """Show the closest passage and say why it does not answer the question as asked."""
    return Draft(f"The closest passage is in {hit.source_file} ({where(hit)}) [1], but {why}, so the data does not "
                 f"answer this as asked:\n\n> {unit.text.replace('**', '')}", [source_of(hit, unit.text)],
                 declined=True)


def answer_documents(question: str, ents: Entities, tools: Toolbox) -> Draft:
    """The passage unit that best answers the question, quoted and cited, plus the runners-up."""
    hits = gather(question, ents, tools)
    if not hits:
        return Draft("I found nothing in the data or documents about that. Try other words, or check the "
                     "Data page that the file is there and the index is built.", declined=True)
    unknown = unknown_terms(question, tools.settings.data_dir,
                            [f"{h.text} {h.source_file} {h.section or ''}" for h in hits])
    if unknown:
        return decline_unknown_terms(unknown)
    wanted = wanted_answer(question)
    # every unit of every passage, best first; a "mall" row answers "shopping centre screens"
    ranked = best_units(" ".join([question, *files_words(question)]), hits, per_hit=None)
    picks: dict[int, Highlight] = {}
    for u in ranked:  # per passage its best unit; of the kind asked when it has one ("Effective from: 1 Sep…")
        if u.hit_rank not in picks or wanted and wanted[0].search(u.text) and not wanted[0].search(
                picks[u.hit_rank].text):
            picks[u.hit_rank] = u
    order = sorted(picks, key=lambda r: (-picks[r].score, r))
    # quote the best passage about what the question names ("Tesla", "TV") that holds an answer of the asked kind
    # (an amount for "how much"), not just the best
    data_dir = tools.settings.data_dir
    names = names_in(question, data_dir)
    absent = {r: passage_lacks(question, names, ents.channels, hits[r].source_file,
                               f"{hits[r].section or ''} {hits[r].text}", data_dir) for r in order[:ANSWER_WINDOW]}
    about = [r for r in order[:ANSWER_WINDOW] if not absent[r]]
    if not about:
        named = ", ".join(f"“{n}”" for n in absent[order[0]])
        return decline_closest(hits[order[0]], picks[order[0]], f"neither it nor its file mentions {named}")
    thing = thing_asked(question)  # "the liability cap": a passage that never names it does not state it
    named_thing = [r for r in about if not thing_a_passage_lacks(thing, f"{hits[r].section or ''} {picks[r].text}")]
    if not named_thing:
        return decline_closest(hits[about[0]], picks[about[0]], f"it does not mention the {' '.join(thing)}")
    about = named_thing
    typed = [r for r in about if wanted is None or wanted[0].search(picks[r].text)]
    best = typed[0] if typed else about[0]
    order = [best] + [r for r in order if r != best]
    top = hits[best]
    if not typed and wanted:
        return decline_closest(top, picks[best], f"it does not state {wanted[1]}")
    quote = picks[best].text.replace("**", "")  # the quote is bolded whole; inner bold would break it
    lines = [f"**From {top.source_file}** ({where(top)}) [1]:", "", f"> **{quote}**"]
    quoted = [(best, picks[best].text)]
    for unit in part_answers(question, hits, about, picks[best].text, ents.models):
        hit = hits[unit.hit_rank]
        quoted.append((unit.hit_rank, unit.text))
        lines += ["", f"**And from {hit.source_file}** ({where(hit)}) [{len(quoted)}]:", "",
                  f"> **{unit.text.replace('**', '')}**"]
    others = [r for r in order[1:] if r not in {r for r, _ in quoted}][:OTHER_PASSAGES]
    if others:
        lines += ["", "Related passages:"]
        for n, r in enumerate(others, len(quoted) + 1):
            lines.append(f"- {hits[r].source_file} ({where(hits[r])}) [{n}]: {picks[r].text}")
    cited = quoted + [(r, picks[r].text) for r in others]
    rest = [(r, picks[r].text if r in picks else hits[r].text) for r in range(len(hits))
            if r not in {c for c, _ in cited}]
    return Draft("\n".join(lines), [source_of(hits[r], text) for r, text in cited + rest])


def part_answers(question: str, hits: list[Hit], about: list[int], quoted: str,
                 models: Sequence[str] = ()) -> list[Highlight]:
    """For a two-part question, the unit that best answers each part the main quote does not already hold
    ("how many TVRs ..., and what audience index ..." are two lines of one schedule); for a question about two
    car models, the best unit about each ("the Pro trims of the S07 and the S05" are two rows of a price list)."""
    asks: list[tuple[str, str | None]] = [(part, None) for part in question_parts(question)]
    asks += [(question, model) for model in models] if len(models) > 1 else []
    out: list[Highlight] = []
    for part, model in asks:
        wanted = wanted_answer(part)
        units = sorted((u for u in best_units(part, hits, per_hit=None) if u.hit_rank in about
                        and (wanted is None or wanted[0].search(u.text))
                        and (model is None or model.lower() in u.text.lower())), key=lambda u: (-u.score, u.hit_rank))
        if units and units[0].score > 0 and units[0].text not in quoted and all(units[0].text != u.text for u in out):
            out.append(units[0])
    return out


def answer_comparison(question: str, ents: Entities, tools: Toolbox) -> Draft:
    """One best passage per named channel, side by side in a small table."""
    rows, sources = [], []
    for ch in ents.channels:
        hits = tools.search_data(question, k=TEXT_K, channel=ch) or tools.search_data(f"{channel_label(ch)} {question}")
        if not hits:
            rows.append(f"| {channel_label(ch)} | no passage found | |")
            continue
        unit = max(best_units(question, hits), key=lambda u: (u.score, -u.hit_rank))
        hit = hits[unit.hit_rank]
        sources.append(source_of(hit, unit.text))
        rows.append(f"| {channel_label(ch)} | {unit.text.replace('|', '/')} | {hit.source_file} [{len(sources)}] |")
    table = ["| channel | best matching passage | source |", "|---|---|---|", *rows]
    return Draft("Side by side from the data:\n\n" + "\n".join(table), sources)


def computed_draft(question: str, computed: TableAnswer, data_dir: Path) -> Draft:
    """A computed table answer as a draft; words the data never mentions, or no rows, make it a decline."""
    unknown = unknown_terms(question, data_dir)
    if unknown:  # the computation matched the rest of the question, not these words: do not answer it
        return decline_unknown_terms(unknown)
    return Draft(computed.markdown(), computed.sources(),
                 declined=all(c.rows == 0 for c in computed.computations))


def answer(question: str, tools: Toolbox) -> Draft:
    """Route within the RAG analyst: creatives, a number computed from the exports, a channel comparison, or a
    document answer."""
    ents = extract(question)
    if wants_creatives(question, ents, creative_formats(tools.settings.manifest_path)):
        counted = tools.table_query(question) if HOW_MANY.search(question) else None
        if counted is not None:  # "how many creatives do we have for TikTok?" counts the manifest's rows
            return computed_draft(question, counted, tools.settings.data_dir)
        return answer_assets(question, ents, tools)
    if asks_about_the_future(question):
        return Draft(FORECAST_REPLY, declined=True)
    # a question that names a document ("in the media flowchart") is about that document, not the exports
    computed = None if named_documents(question, tools.settings.data_dir) else tools.table_query(question)
    if computed is not None:
        return computed_draft(question, computed, tools.settings.data_dir)
    if len(ents.channels) >= 2 and any(w in question.lower() for w in ("compare", "versus", " vs", "difference")):
        return answer_comparison(question, ents, tools)
    return answer_documents(question, ents, tools)
