"""Does the data hold an answer? Words the data never uses, and passages that lack the kind of answer asked for.

A question about something no file mentions ("towing capacity", "Snapchat", "2027") is declined instead of
answered with the nearest passage. Two vocabularies decide what counts as known: the words of the data folder
itself (file and column names, text values, documents) and the words analysts use to ask (the router's
answerable training questions), so "telly" or "shifted" are not mistaken for missing data.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml
from lemminflect import getAllLemmas

from core.agents.acronyms import acronyms_of, spelled_out
from core.agents.entities import channel_mentions
from core.agents.highlight import EXPANSIONS, STOPWORDS
from core.agents.tables_link import ALIASES, RATES, channel_spans
from core.agents.tables_vocab import DEMONYMS, VALUE_WORDS, everyday_matches
from core.agents.typos import mend
from core.catalog import load_csv
from core.catalog.inventory import data_files
from core.domain import CHANNELS, channel_label
from core.rag.readers import Table, read_document

ROUTER_DATA = Path(__file__).parent / "router_data"
TOKEN = re.compile(r"[a-z][a-z0-9']+|\d{4}")
YEAR = re.compile(r"^(?:19|20)\d\d$")
YEARS_IN = re.compile(r"\b(?:19|20)\d\d\b")  # a year asked about is named like a name: the file must have it
MAX_VALUES_PER_COLUMN = 5000  # text columns with more distinct values are ids or free text: read their header only
MIN_TERM = 3
MAX_LABELS = 50  # a text column with at most this many distinct values holds labels (brands, models, channels)
DOCUMENT_SUFFIXES = (".md", ".txt", ".pdf", ".docx")
# the stopwords that are never nouns: 'price list' and 'motor show' name things
FUNCTION_WORDS = STOPWORDS - {"list", "show"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """One form for a word's inflections: 'dealers' and 'dealer', 'brochures' and 'brochure', 'sold' and 'sell'.

    English words fold to their dictionary form (lemminflect's lexicon: a noun's, else a verb's, else an
    adjective's); other words (names, typos) lose a plural or verb ending.
    """
    w = word.lower().replace("'s", "").rstrip("'")
    lemmas = getAllLemmas(w)
    for pos in ("NOUN", "VERB", "ADJ"):
        if pos in lemmas:
            return str(lemmas[pos][0])
    if len(w) > 6 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 5 and re.search(r"(?:s|x|z|ch|sh)es$", w):
        return w[:-2]
    for suffix in ("s", "ing", "ed"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def terms(text: str) -> set[str]:
    """Stemmed content words and years of a text."""
    return {stem(t) for t in TOKEN.findall(text.lower()) if len(t) >= MIN_TERM and t not in STOPWORDS}


def document_text(path: Path) -> str:
    """All the words of a .md/.txt/.pdf/.docx document: title, headings, paragraphs, table cells."""
    doc = read_document(path)
    parts = [doc.title]
    for block in doc.blocks:
        if isinstance(block, Table):
            parts += [*block.header, *(cell for row in block.rows for cell in row)]
        else:
            parts.append(block.text)
    return " ".join(parts)


def _csv_text(path: Path) -> str:
    """A CSV's file name, header and text values, and the years of its dates (numbers are not vocabulary)."""
    parts = [path.stem.replace("_", " ")]
    loaded = load_csv(path)
    if loaded.error or loaded.df is None:
        return parts[0]
    df = loaded.df
    parts.append(" ".join(map(str, df.columns)).replace("_", " "))
    for col in df.columns:
        values = df[col]
        if pd.api.types.is_numeric_dtype(values):
            continue
        uniques = values.dropna().astype(str).unique()
        if len(uniques) <= MAX_VALUES_PER_COLUMN:
            parts.append(" ".join(uniques))
        # dates are vocabulary through their years
        parts.append(" ".join(values.astype(str).str.extract(r"((?:19|20)\d\d)")[0].dropna().unique()))
    return " ".join(parts)


@dataclass(frozen=True)
class FileVocab:
    """What one file of the data folder talks about: its words (stemmed) and the channels it names."""

    words: frozenset[str]
    channels: frozenset[str]
    numbered: frozenset[str] = frozenset()  # names with a number ("channel 4", "schedule 2"), lower-cased
    bigrams: frozenset[str] = frozenset()  # adjacent words as written, lower-cased: "north west", "clear channel"


# a name with a number: "Channel 5" is not "Channel 4" ("clause 7.4" and "Q3 2025" are not such names)
NUMBERED = re.compile(r"\b([A-Za-z]{3,})\s+(\d{1,3})\b(?![.,:]?\d|-|\s*%|\s*(?:st|nd|rd|th)\b)")  # not "48-sheets"


def numbered_names(text: str) -> frozenset[str]:
    """Every name-with-a-number a text holds, lower-cased: 'channel 4', 'annex 1'."""
    return frozenset(f"{w.lower()} {n}" for w, n in NUMBERED.findall(text) if w.lower() not in CALENDAR)


@lru_cache(maxsize=8)
def _vocab_by_file(root: str, fingerprint: tuple[tuple[str, float], ...]) -> Mapping[str, FileVocab]:
    """Each file's vocabulary by file name (cached per folder state; files of one name share one)."""
    texts: dict[str, list[str]] = {}
    for rel, _ in fingerprint:
        path = Path(root) / rel
        parts = texts.setdefault(path.name, [])
        parts.append(rel.replace("_", " ").replace("/", " "))
        if path.suffix.lower() == ".csv":
            parts.append(_csv_text(path))
        elif path.suffix.lower() in DOCUMENT_SUFFIXES:
            try:
                parts.append(document_text(path))
            except (OSError, ValueError):  # an unreadable document adds no words; the index reports it
                continue
    return {name: FileVocab(frozenset(terms(" ".join(parts))),
                            frozenset(m.value for m in channel_mentions(" ".join(parts))), numbered_names(" ".join(parts)),
                            bigrams(" ".join(parts)))
            for name, parts in texts.items()}


def named_places(data_dir: Path) -> frozenset[str]:
    """Names and demonyms of places the folder holds only by another name or code: 'germany' where a market is DE
    ('uk' where the contracts say UK is a word of its own)."""
    root = Path(data_dir)
    return _named_places(str(root), _fingerprint(root))


@lru_cache(maxsize=8)
def _named_places(root: str, fingerprint: tuple[tuple[str, float], ...]) -> frozenset[str]:
    """named_places, cached per folder state."""
    tokens = {w for pair in _folder_bigrams(root, fingerprint) for w in pair.split()}
    return frozenset(w for key, rx in DEMONYMS.items() if set(key.split()) <= tokens for w in rx.split("|")
                     if w.isalpha() and w not in tokens)


def places_lacking(question: str, held: Iterable[str], data_dir: Path) -> list[str]:
    """Places the question names that `held` (values or word pairs of a file) holds neither by name nor by code:
    the market DE of web analytics says nothing of cars sold in Germany."""
    places = named_places(data_dir)
    tokens = {w for text in held for w in text.lower().split()}
    return [w for w in WORD.findall(question) if w.lower() in places and w.lower() not in tokens
            and not any(set(key.split()) <= tokens for key, rx in DEMONYMS.items() if re.fullmatch(rx, w, re.I))]


def bigrams(text: str) -> frozenset[str]:
    """Adjacent words of a text, lower-cased and unstemmed ('paid_social' gives 'paid social')."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:]))


@lru_cache(maxsize=8)
def _folder_bigrams(root: str, fingerprint: tuple[tuple[str, float], ...]) -> frozenset[str]:
    """Every adjacent word pair the data folder uses (cached per folder state)."""
    return frozenset().union(*(v.bigrams for v in _vocab_by_file(root, fingerprint).values()))


@lru_cache(maxsize=8)
def _folder_words(root: str, fingerprint: tuple[tuple[str, float], ...]) -> frozenset[str]:
    """Every word the data folder uses (cached per folder state)."""
    return frozenset().union(*(v.words for v in _vocab_by_file(root, fingerprint).values()))


def _fingerprint(root: Path) -> tuple[tuple[str, float], ...]:
    """The data folder's files and their modification times: the key of every per-folder cache here."""
    return tuple(sorted((p.relative_to(root).as_posix(), p.stat().st_mtime) for p in data_files(root)))


def folder_words(data_dir: Path) -> frozenset[str]:
    """The data folder's vocabulary, re-read only when a file changed."""
    root = Path(data_dir)
    return _folder_words(str(root), _fingerprint(root))


def file_vocab(data_dir: Path, name: str) -> FileVocab:
    """The vocabulary of one file of the data folder (by file name); empty for a file it does not hold."""
    root = Path(data_dir)
    return _vocab_by_file(str(root), _fingerprint(root)).get(name, FileVocab(frozenset(), frozenset()))


# calendar words say when, not what: a clause need not repeat the month a question names
CALENDAR = frozenset("january february march april may june july august september october november december "
                     "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
                     "saturday sunday".split())
ID_LIKE = re.compile(r"^(?=[a-z-]*\d)(?=[\d-]*[a-z])[a-z0-9-]{2,}$")  # S07, DLR041, TV-25-LAUNCH
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")  # a question's words as written, ids and hyphens kept


def word_before(words: Sequence[str], i: int) -> str:
    """The word before words[i]; the question's first word lower-cased, as its capital says nothing of a name."""
    if i == 0:
        return ""
    return words[0].lower() if i == 1 else words[i - 1]


def names_in(question: str, data_dir: Path) -> list[str]:
    """The names a question is about that the data folder knows: capitalised words after the first word and
    ids such as S07 or DLR041 (a name the folder never uses is unknown_terms' business)."""
    known = folder_words(data_dir)
    out = []
    words = WORD.findall(question)
    for i, raw in enumerate(words):
        low = raw.lower().removesuffix("'s").strip("'-")
        if low in STOPWORDS or low in CALENDAR or len(low) < MIN_TERM or stem(low) not in known:
            continue
        if (i > 0 and raw[0].isupper()) or ID_LIKE.match(low):
            out.append(raw.removesuffix("'s"))
    # "the Channel 5 spots": the name is the word with its number, which the folder must hold as such
    out += [f"{w} {n}" for w, n in NUMBERED.findall(question)
            if w[0].isupper() and w.lower() not in CALENDAR and stem(w.lower()) in known and not ID_LIKE.match(w.lower())]
    return list(dict.fromkeys(out))


def missing_names(names: Sequence[str], channels: Sequence[str], source_file: str, passage: str,
                  data_dir: Path) -> list[str]:
    """The question's names and channels that neither the passage nor its whole file mentions: a passage from a
    file that never names "Tesla" cannot say what Tesla sold, however close its words."""
    vocab = file_vocab(data_dir, source_file)
    words = vocab.words | terms(f"{source_file.replace('_', ' ')} {passage}")
    numbered = vocab.numbered | numbered_names(passage)
    missing = [n for n in names if (n.lower() not in numbered if NUMBERED.fullmatch(n) else stem(n.lower()) not in words)]
    said = vocab.channels | {m.value for m in channel_mentions(passage)}
    labels = [channel_label(c) for c in channels if c not in said]
    return missing + [c for c in labels if c.lower() not in {n.lower() for n in missing}]


def passage_lacks(question: str, names: Sequence[str], channels: Sequence[str], source_file: str, passage: str,
                  data_dir: Path) -> list[str]:
    """What the question asks about that a passage and its file never mention: its names and years, its channels
    and its nouns (missing_names, nouns_a_file_lacks)."""
    missing = missing_names([*names, *YEARS_IN.findall(question)], channels, source_file, passage, data_dir)
    missing += compounds_a_passage_lacks(question, passage)
    missing += places_lacking(question, file_vocab(data_dir, source_file).bigrams | bigrams(passage), data_dir)
    said = {m.lower() for m in missing}
    return missing + [n for n in nouns_a_file_lacks(question, source_file, passage, data_dir) if n not in said]


def compounds_a_passage_lacks(question: str, passage: str) -> list[str]:
    """Two-word compound nouns of the question ("early-payment discount") whose parts the passage does not hold: a
    clause on VAT is no answer about early payment. Compounds of time ("year-end"), of glue words ("on-air"), verbs
    ("ring-fenced", "under-delivers") and everyday names of the data's values ("shopping-centre") are left alone."""
    everyday = {w.lower() for _, m in everyday_matches(question) for w in WORD.findall(m.group(0))}
    out = []
    for word in WORD.findall(question):
        parts = word.lower().split("-")
        if (len(parts) == 2 and all(len(p) >= MIN_TERM and p.isalpha() for p in parts) and word.lower() not in everyday
                and "NOUN" in getAllLemmas(parts[1]) and not PREFIXES.match("".join(parts))
                and not set(parts) & (STOPWORDS | COMPOUND_GLUE | TIME_NOUNS | CALENDAR)
                and thing_a_passage_lacks(parts, passage)):
            out.append(word)
    return out


# words that say when: a table's rows are dated, so "year" or "week" need not be among its words
TIME_NOUNS = frozenset("year years month months week weeks quarter quarters day days date dates period time daily weekly "
                       "monthly quarterly yearly annual annually".split())


def nouns_a_file_lacks(question: str, source_file: str, passage: str, data_dir: Path) -> list[str]:
    """Nouns of the question that other files use but this file never does: a row of competitor spend does not
    say how many cars Tesla sold, nor a Channel 4 contract what the podcast sponsorship cost.

    A document is held only to the nouns few files use ("podcast", "brochure"): prose says "way" or "part"
    anywhere, and a word after a noun is as often a verb there ("the partnership falls into 2026").
    """
    known, own = folder_words(data_dir), file_vocab(data_dir, source_file).words | terms(passage)
    table = source_file.lower().endswith(".csv")
    telling = known if table else rare_words(data_dir)
    out = []
    tokens = WORD.findall(IDIOMS.sub(" ", question))  # "put their name to" asks about no name
    counted = asked_heads(question, COUNTED)  # "how many leads": what is counted must be in the file, noun or verb
    # everyday words for a thing the file names in its own terms: "shopping centre screens" are its "malls"
    said_otherwise = {part.lower() for key, m in everyday_matches(question) if stem(key.split()[-1]) in own
                      for w in WORD.findall(m.group(0)) for part in [w, *w.split("-")]}
    # a compound is also about its first word, which the files may spell apart: "click-through" needs "click"
    words = [(i, part) for i, token in enumerate(tokens)
             for part in dict.fromkeys([token] + ([token.split("-")[0]] if "-" in token.strip("-") else []))]
    for i, token in words:
        raw, word = token.lower(), stem(token.lower())
        if raw in RATES and raw not in own:  # "radio cpa": a ratio this file does not hold
            out.append(raw)
        elif (len(raw) >= MIN_TERM and raw not in STOPWORDS | TIME_NOUNS | CALENDAR | EMPTY_NOUNS | said_otherwise
                and word in telling and word not in own and not ID_LIKE.match(raw)
                and not any(stem(x) in own for x in EXPANSIONS.get(raw, ()))  # an "uplift" is the file's premium
                and not channel_mentions(raw)  # "posters" is a channel, checked as one by missing_names
                and (is_subject_noun(raw, word_before(tokens, i), after_noun=table) or raw in counted
                     or i == 0 and raw != word and "NOUN" in getAllLemmas(raw)  # "impacts off the Heart spots?"
                     or len(raw) >= MIN_JARGON and raw.isalpha() and not getAllLemmas(raw))):  # 'podcast'
            out.append(raw)
    return list(dict.fromkeys(out))


MIN_JARGON = 5  # a word English does not list ("podcast") counts as a noun from this length
# nouns that say nothing of a subject ("the cheapest way into an S05"), and pronouns the lexicon lists as nouns
EMPTY_NOUNS = frozenset("way ways thing things part parts kind kinds sort sorts type types lot lots bit bits place "
                        "side point case fact stuff example matter option options they them we us you he she it "
                        "one ones last first second third next every headline thousand thousands hundred hundreds "
                        "million millions".split())
RARE_SHARE = 0.25  # a word in at most this share of the folder's files is telling of the files that have it


@lru_cache(maxsize=8)
def _rare_words(root: str, fingerprint: tuple[tuple[str, float], ...]) -> frozenset[str]:
    """Words that at most RARE_SHARE of the folder's files (and at least one) use."""
    vocab = _vocab_by_file(root, fingerprint)
    counts = Counter(w for v in vocab.values() for w in v.words)
    limit = max(2, int(RARE_SHARE * len(vocab)))
    return frozenset(w for w, n in counts.items() if n <= limit)


def rare_words(data_dir: Path) -> frozenset[str]:
    """The folder's rare words (see _rare_words), re-read only when a file changed."""
    root = Path(data_dir)
    return _rare_words(str(root), _fingerprint(root))


def pairs(text: str) -> set[str]:
    """Consecutive content-word pairs of a text, stemmed: 'the UK price list' → {'price list'}."""
    words = [stem(t) for t in TOKEN.findall(text.lower()) if len(t) >= MIN_TERM and t not in FUNCTION_WORDS]
    return {f"{a} {b}" for a, b in zip(words, words[1:])}


def _csv_names(path: Path) -> tuple[set[str], set[str]]:
    """A CSV's header and file-name words and their pairs ('list price'), which name the table and not a
    document; and the words of its label values ('deepal'), which no pair naming a document may use."""
    loaded = load_csv(path)
    df = loaded.df if loaded.error is None and loaded.df is not None else pd.DataFrame()
    named = [path.stem.replace("_", " "), *(str(c).replace("_", " ") for c in df.columns)]
    header_words = {w for n in named for w in terms(n)}
    labels: set[str] = set()  # values of label columns (brand, model, channel), not of free text
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]) and df[col].nunique() <= MAX_LABELS:
            labels |= terms(" ".join(df[col].dropna().astype(str).unique()))
    return {p for n in named for p in pairs(n)} | header_words, labels - header_words


@lru_cache(maxsize=8)
def _document_names(root: str, fingerprint: tuple[tuple[str, float], ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Per document, the words and word pairs of its file name and title that neither a CSV nor analysts'
    questions use: how a question names that document."""
    table_names: set[str] = set()
    values: set[str] = set()
    titles: list[tuple[str, set[str]]] = []
    for rel, _ in fingerprint:
        path = Path(root) / rel
        if path.suffix.lower() == ".csv":
            names, words = _csv_names(path)
            table_names |= names
            values |= words
        elif path.suffix.lower() in DOCUMENT_SUFFIXES:
            names_of = [re.sub(r"[_\-/]+", " ", Path(rel).stem)]
            try:
                names_of.append(read_document(path).title)
            except (OSError, ValueError):  # an unreadable document is named by its file name alone
                pass
            titles.append((path.name, {x for n in names_of for x in terms(n) | pairs(n) if not re.search(r"\d", x)}))
    # a word analysts use in any question ("media", "terms") or that a CSV uses names no document in particular;
    # a pair of such words ("price list", "media plan") does, unless a CSV uses it or it holds a label ("deepal")
    common = table_names | values | question_words() | channel_pairs()
    return tuple((name, frozenset(w for w in words - common if not set(w.split()) & values)) for name, words in titles)


@lru_cache(maxsize=1)
def channel_pairs() -> frozenset[str]:
    """Word pairs of the channels' names and synonyms ('out home'): a channel, not a document."""
    return frozenset(p for c in CHANNELS for syn in c.synonyms.split("|") for p in pairs(syn))


def named_documents(question: str, data_dir: Path) -> list[str]:
    """The documents a question names by a distinctive word of their title ("in the media flowchart")."""
    root = Path(data_dir)
    asked = terms(question) | pairs(question)
    return [name for name, words in _document_names(str(root), _fingerprint(root)) if words & asked]


def mended(question: str, data_dir: Path) -> str:
    """The question with one-letter slips mended against the folder's words and the way analysts ask
    ("avrage discout" is the average discount; a word one edit from two others is left as typed)."""
    return mend(question, _spelling(folder_words(data_dir)))


@lru_cache(maxsize=4)
def _spelling(folder: frozenset[str]) -> frozenset[str]:
    """The words a slip may be read as: the folder's and the analysts', singular and plural."""
    words = folder | question_words()
    return words | {f"{w}s" for w in words}


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    """Words analysts use to ask answerable questions (the router's training questions), and channel synonyms."""
    out: set[str] = set()
    for path in sorted(ROUTER_DATA.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions", []):
            if item.get("kind") != "unanswerable":
                out |= {t for t in terms(str(item.get("question", ""))) if not YEAR.match(t)}
    for c in CHANNELS:
        out |= terms(re.sub(r"[^a-z ]+", " ", c.synonyms.replace("|", " ")))
    return frozenset(out)


def spoken_for(word: str, previous: str = "") -> bool:
    """A word the table answers read as a column, value or channel though no file uses it ('outlay', 'footfall',
    'phones', 'telly', 'the wireless'): known wording, not a subject the data lacks."""
    pair = f"{previous} {word}"  # "the wireless" is a channel; "dv360 viewability" is a channel and a word
    return (any(rx.fullmatch(word) for rx, _, _ in ALIASES) or any(end > len(previous) for *_, end in channel_spans(pair))
            or any(re.fullmatch(rx, word, re.I) for rx in VALUE_WORDS.values()))


# figures of speech whose nouns are no subject: "got behind the wheel" drove, "on the hook" is bound to
IDIOMS = re.compile(r"\b(?:behind the wheel|on the hook|put pen to paper|in the (?:black|red)|bang for (?:the|our|your) "
                    r"buck|ballpark|at the end of the day|off the back of|on the cards|across the piece|"
                    r"put (?:our|their|your|his|her|its) names? to|out of the door|for a spin|all told|north of)\b", re.I)


def unknown_terms(question: str, data_dir: Path, passages: Sequence[str] = ()) -> list[str]:
    """Words the question hinges on that neither the data nor the way analysts ask ever uses.

    Unfamiliar ordinary words ("receive", "put pen to paper") are wording, not missing data; a name (capitalised
    after the first word), a year, or the thing asked about ("how many complaints", "the temperature", "the boot",
    "household income", "towing capacity") is a subject the data does not have.
    """
    runs = unknown_name_runs(question, data_dir, passages)
    if runs:
        return runs
    folder = folder_words(data_dir)
    known = folder | question_words() | {t for p in passages for t in terms(p)}
    # "pence per litre" is the data's ppl: words that spell out one of its acronyms are its wording
    spelled = {w.lower() for start, end, _ in spelled_out(question, acronyms_of(folder))
               for w in re.findall(r"[A-Za-z]+", question[start:end])}
    words = re.findall(r"[A-Za-z][A-Za-z0-9']*(?:-[A-Za-z0-9']+)*|\d{4}", IDIOMS.sub(" ", question))
    place_names = named_places(data_dir)
    asked = {m.group(1).lower() for m in ASKED_ABOUT.finditer(question)} | asked_heads(question)
    unknown: dict[str, bool] = {}
    decisive = False
    content = 0
    for i, whole in enumerate(words):
        if spoken_for(whole.lower(), words[i - 1] if i else ""):  # "hand-raisers", "the wireless"
            content += 1
            continue
        raw = whole.split("-")[-1]  # a compound is about its last word: "in-game" asks about games
        low = raw.lower()
        if (len(raw) < MIN_TERM or low in STOPWORDS or low.split("'")[0] in STOPWORDS | {"i"}  # "what's", "I'm"
                or low in SHORTHAND or low in CALENDAR):  # "Sept 2025" is a month, however the data spells it
            continue
        content += 1
        if (low in spelled or stem(low) in known or spoken_for(low) or low[-1] == "s" and stem(low[:-1]) in known
                or low in place_names
                or any(stem(x) in known for x in EXPANSIONS.get(low, ()))):  # "loading": premium
            continue
        # "the busiest month" asks about the month: a word English uses only as an adjective is not the subject
        asked_noun = low in asked and low not in REQUEST_NOUNS and (not getAllLemmas(low) or "NOUN" in getAllLemmas(low))
        parts = whole.split("-")
        previous = parts[-2] if len(parts) > 1 else word_before(words, i)
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        # a capital is a name after the first word; a first word needs the possessive too ("Hyundai's TV spend"),
        # and a long word English does not have is a name however it is typed where names stand: before one of the
        # data's words or after a preposition ("pinterest spend h2 25?", "creatives for snapchat"), not as a noun of
        # its own ("how many visitors came through our roadshows")
        bare = low.split("'")[0]
        named = (bool(YEAR.match(raw)) or whole[0].isupper() and (i > 0 or POSSESSIVE.search(whole) is not None)
                 or asked_noun or len(bare) >= MIN_NAME and not english(bare)
                 and (previous.lower() in NAME_LEFT or stem(following) in folder or following in MEASURE_HEADS)
                 # "most-favoured-nation pricing" is a term of art; "word-of-mouth", "end-of-year" are English
                 or len(parts) >= TERM_PARTS and not {w.lower() for w in parts} & COMPOUND_GLUE)
        decisive = decisive or named
        # "wrap up", "knock off", "stick on": a verb with its particle, not a thing
        unknown[whole.lower()] = named or (following not in PARTICLES and is_subject_noun(low, previous))
    subjects = sum(unknown.values())
    # one stray noun in a question otherwise about the data is wording ("take a car out for a spin"); a name, a
    # year, the thing asked about, or nouns making up a good part of the question are what it hinges on
    if decisive or subjects and subjects >= SUBJECT_SHARE * content:
        return list(unknown)
    return []


TITLE_CASE = 0.5  # a question with a larger share of capitalised words is title-cased: its capitals name nothing


def unknown_name_runs(question: str, data_dir: Path, passages: Sequence[str] = ()) -> list[str]:
    """Names of two or more capitalised words that the folder never writes together ("North East", "GT Sport"):
    each word may be known ("North West", "East Midlands") while the name is not. Channels and the folder's own
    acronyms ("DOOH", "AWD") are labels beside a name, not part of it."""
    words = WORD.findall(IDIOMS.sub(" ", question))
    alpha = [w for w in words if w.isalpha()]
    if not alpha or sum(w[0].isupper() for w in alpha) > TITLE_CASE * len(alpha):
        return []
    folder = folder_words(data_dir)
    root = Path(data_dir)
    known = _folder_bigrams(str(root), _fingerprint(root)).union(*(bigrams(p) for p in passages))

    def in_name(i: int, w: str) -> bool:
        """Whether the question's i-th word can be part of a name."""
        low = w.lower()
        return (i > 0 and w.isalpha() and w[0].isupper() and low not in STOPWORDS | CALENDAR
                and not channel_mentions(w) and not (w.isupper() and stem(low) in folder))

    runs: list[list[str]] = [[]]
    for i, w in enumerate(words):
        if in_name(i, w):
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    return [" ".join(r) for r in runs if len(r) > 1
            and any(f"{a.lower()} {b.lower()}" not in known for a, b in zip(r, r[1:]))]


SUBJECT_SHARE = 0.25  # unfamiliar nouns at least this share of a question's content words: it is about them
PARTICLES = frozenset("up off out down back".split())
POSSESSIVE = re.compile(r"['’]s$")
TERM_PARTS = 3  # a compound of this many words that the data never uses is a term it does not hold
COMPOUND_GLUE = frozenset("of in to on the a and for by at".split())
MIN_NAME = 6  # a word English lacks is a name from this length; shorter ones are often shorthand ("thx", "whats")
MEASURE_HEADS = frozenset("rate rates score scores index ratio".split())  # "viewability rate": a measure's name
NAME_LEFT = frozenset("on for from via with in at through across vs versus than".split())  # "spend on pinterest"
PREFIXES = re.compile(r"^(?:out|over|under|re|un|pre|non|mis|co|sub|super|multi|cross|counter|inter|post|mid)-?"
                      r"(?=\w{4})")


def english(word: str) -> bool:
    """A word English has, or one with an English prefix ("outspend", "reallocate", "underdelivered")."""
    return bool(getAllLemmas(word) or getAllLemmas(PREFIXES.sub("", word)))
# analysts' shorthand for how to read the numbers ("YoY", "MoM", "YTD"), not a subject the data may lack
SHORTHAND = frozenset("yoy mom qoq wow ytd mtd qtd avg approx pct incl excl vs".split())
# English words after which a word that can be a noun or a verb is a noun: "the boot", "share of voice"
NOMINAL_LEFT = frozenset("the a an our their its my your his her this that these those any some each every per of on "
                         "in into for about with by from at average total".split())
QUANTIFIERS = frozenset({"lot", "lots", "bit", "couple"})  # "a lot", "a bit": an amount, not a subject
# nouns that name the form of the answer asked for ("a summary of spend"), not a subject the data may lack
REQUEST_NOUNS = frozenset("summary overview breakdown rundown recap snapshot list table chart graph figure figures "
                          "number numbers detail details info information estimate mean median average sum count "
                          "total tally proportion percentage ratio growth".split())


def is_subject_noun(word: str, previous: str, after_noun: bool = True) -> bool:
    """Whether an unfamiliar word is a thing asked about: a word English uses only as a noun ("income",
    "cinema", "complaints"), or one that is also a verb where a noun stands ("the boot", "customer churn").
    After a name it names the kind of that thing ("Sytner's York showroom"), but not after a country's two-letter
    code ("UK temperatures"); words English does not know (typos, brands) are left to the other rules."""
    pos = getAllLemmas(word)
    after_name = (previous[:1].isupper() and not (len(previous) == 2 and previous.isupper())
                  and not ID_LIKE.match(previous.lower()))
    if "NOUN" not in pos or word in QUANTIFIERS or word in REQUEST_NOUNS or after_name:
        return False
    prev = previous.lower()
    if set(pos) == {"NOUN"} or ID_LIKE.match(prev):  # "the S07 trim" asks for a trim, as "the boot" for a boot
        return True
    return prev in NOMINAL_LEFT or after_noun and prev not in STOPWORDS and set(getAllLemmas(prev)) == {"NOUN"}


def asked_heads(question: str, phrase: re.Pattern[str] | None = None) -> set[str]:
    """The nouns a question asks for or breaks down by: "how many customer complaints", "which search keywords",
    "spend by age group": the words of the phrase after the cue that can be nouns, up to the first that cannot."""
    out: set[str] = set()
    for m in (phrase or ASKED_PHRASE).finditer(question):
        for word in m.group(1).lower().split():
            lemmas = getAllLemmas(word)
            if word in STOPWORDS or lemmas and "NOUN" not in lemmas:
                break
            out.add(word)
    return out


COUNTED = re.compile(r"\b(?:how many|number of)\s+((?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+)", re.I)
ASKED_PHRASE = re.compile(r"\b(?:how many|which|(?:broken down|split|break(?:down)?|analysed) by|by)\s+"
                          r"((?:[a-z][a-z-]+\s+){0,2}[a-z][a-z-]+)", re.I)
# The noun a question asks for: "how many complaints", "what was the temperature", "the average age of".
ASKED_ABOUT = re.compile(r"\b(?:how many|number of|what(?:'s| is| was| are| were)?(?: the| our)?|average|total|"
                         r"which)\s+(?:\w+\s+){0,2}?([a-z][a-z-]+)\b", re.I)
# the thing a "what's the ..." question asks for: "the liability cap", "what volume rebate" (a passage must name it)
ASKED_THING = re.compile(r"\bwhat(?:'s|’s| is| are| was| were)?\s+(?:the\s+|our\s+|any\s+|a\s+)?"
                         r"((?:[a-z][a-z-]+\s+)?[a-z][a-z-]+)\b", re.I)
# words that name the form of a term, not the term: "the payment terms", "the notice period", "the CPM rate"
GENERIC_THING = REQUEST_NOUNS | frozenset("terms term deal agreement contract clause rules rule policy value price cost "
                                          "costs fee fees amount date rate rates period position arrangement process "
                                          "level status situation".split())
LOOSE_PREFIX = 5  # "cancellation" is held by "cancelled": derived words share their first letters


def thing_asked(question: str) -> list[str]:
    """The compound term a "what's the ..." question asks for, without words for its form: "the liability cap"
    gives ['liability', 'cap']; "the payment terms" (one word left) and "what do they charge" give none."""
    m = ASKED_THING.search(question)
    out: list[str] = []
    for w in (m.group(1).lower().split() if m else []):
        if w in STOPWORDS or "NOUN" not in getAllLemmas(w):  # "the cheapest way": a judgement, not a term
            break
        out.append(w)
    named = [w for w in out if w not in GENERIC_THING | EMPTY_NOUNS]
    # one word is often paraphrased ("the ceiling" of "no higher than"); a compound term ("the liability cap") is not
    return named if len(named) > 1 else []


def thing_a_passage_lacks(thing: Sequence[str], passage: str) -> list[str]:
    """The words of the asked thing that a passage holds neither as written, derived nor by a contract's word."""
    raw = set(re.findall(r"[a-z]+", passage.lower()))
    said = terms(passage)

    def held(w: str) -> bool:
        k = min(len(w), LOOSE_PREFIX)
        return (stem(w) in said or any(stem(x) in said for x in EXPANSIONS.get(w, ()))
                or any(len(p) >= k and p[:k] == w[:k] for p in raw))
    return [w for w in thing if not held(w)]


# what plans and contracts schedule: "when will the S05 go on sale / be on show / launch / start"
PLANNED = re.compile(r"\b(?:go(?:es)? on sale|on show|in showrooms?|launch|start|begin|end|expire|open|air|be (?:available|"
                     r"delivered|due|signed|paid|invoiced|able to|allowed to))", re.I)
PLAN_YES_NO = re.compile(r"^\s*will\b", re.I)  # "will people be able to test drive it in December?": the plan says
# "next year's media plan" is a document asked about (possessive), not a forecast
FUTURE = re.compile(r"\bwill\b|\bnext (?:year|summer|winter|spring|autumn|month|quarter|week)\b(?!['’]s)|\bforecast|"
                    r"\bpredict|\bgoing to be\b|\bin (?:20[3-9]\d)\b", re.I)


# "How many leads came from YouTube in 2025 and what is its marginal ROI?": a second question after "and"
SECOND_QUESTION = re.compile(r"(?:,\s*|\s+)(?:and|but|plus|also)\s+(?=(?:what|which|how|is|are|does|do|did|would|"
                             r"will|should|where|who|when|can|could|has|have)\b)|;\s*|\?\s+(?=\w)", re.I)


def question_parts(question: str) -> list[str]:
    """The questions a two-part question asks ("how many TVRs ..., and what audience index ..."); [] for one."""
    parts = [p.strip(" ,?") for p in SECOND_QUESTION.split(question)]
    parts = [p for p in parts if p]
    return parts if len(parts) > 1 else []


FORECAST_REPLY = ("Your data and documents record what has happened; they hold no forecast to answer this. "
                  "For what the model expects from a change in spend, ask a what-if (e.g. “what if we cut TV "
                  "by 20%?”).")


def asks_about_the_future(question: str) -> bool:
    """True for a forecast ("what will petrol prices be next summer?"): exports hold only what happened. A date
    asked of a planned event ("when will the S05 be on show?") is no forecast: calendars and contracts state it."""
    return bool(FUTURE.search(question)) and not (PLANNED.search(question) and (
        wanted_answer(question) is not None or PLAN_YES_NO.match(question)))


# (what the question asks, what a passage that answers it contains, how the reply names it), in priority order:
# "how much notice" wants a duration, not an amount of money.
ANSWER_TYPES: tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...] = (
    (re.compile(r"notice|how long|how far (?:ahead|in advance)|in advance|days|weeks|deadline|period|term of|"
                r"how much time|hours|how (?:early|soon|quickly|fast)\b", re.I),
     re.compile(r"(?:\d+|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|fourteen|twenty|thirty|sixty|"
                r"ninety))\s*(?:working\s+|business\s+|calendar\s+|clear\s+)?(?:days?|weeks?|months?|years?|hours?)\b",
                re.I), "a duration"),
    (re.compile(r"^\s*(?:from |since |until )?when\b|\bwhen (?:will|does|do|is|are)\b|\bwhat date\b|"
                r"\b(?:start|end|expire)s?\b|\bruns? (?:from|until|till|to)\b", re.I),
     re.compile(r"\b\d{1,2} (?:january|february|march|april|may|june|july|august|september|october|november|"
                r"december) \d{4}\b|\b\d{4}-\d\d-\d\d\b|\b(?:january|february|march|april|may|june|july|"
                r"august|september|october|november|december) \d{4}\b"
                # a time set by an event answers "when" too: "30 days from invoice", "monthly in arrears"
                r"|\b\d+\s*(?:working\s+)?(?:days?|weeks?|months?)\s+(?:from|after|before|of|following)\b"
                r"|\bin (?:arrears|advance)\b", re.I), "a date"),
    (re.compile(r"how much|cost|spend|spent|value|budget|price|fee|consideration|allocat|worth|discount|rebate|"
                r"commission|surcharge", re.I),
     # a year is no amount; a share is ("how much downtime": above 3%)
     re.compile(r"£\s?\d|\b\d[\d,]*\.\d\d\b|\b\d{1,3}(?:,\d{3})+\b|\b(?!(?:19|20)\d\d\b)\d{4,}\b|\b\d+(?:\.\d+)?\s?%"),
     "an amount"),
    (re.compile(r"how many|number of|count", re.I), re.compile(r"\d"), "a number"),
)


def wanted_answer(question: str) -> tuple[re.Pattern[str], str] | None:
    """What a passage answering the question must contain, and its name (the first type that applies)."""
    for asks, gives, name in ANSWER_TYPES:
        if asks.search(question):
            return gives, name
    return None


def lacks_answer_type(question: str, passages: list[str]) -> str | None:
    """The kind of answer the question wants when none of the passages contains it."""
    wanted = wanted_answer(question)
    if wanted is None:
        return None
    return None if any(wanted[0].search(p) for p in passages) else wanted[1]
