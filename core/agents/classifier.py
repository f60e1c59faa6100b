"""The router's trained classifier: logistic regression over the local MiniLM embedding plus rule features.

Features: the MiniLM embedding (meaning), character and word n-gram tf-idf (wording, typos), rule scores.
Trained on core/agents/router_data/train*.yml; C and the confidence threshold are chosen on dev.yml. The test
split (core/eval/router/test.yml) is never read here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from core.agents.amounts import find_amounts
from core.agents.entities import channel_mentions
from core.agents.rules import MMM_RULES, RAG_RULES, score
from core.agents.scenario import parse as parse_scenario
from core.agents.session import resolve
from core.agents.types import Intent
from core.rag.embedder import Embedder, LocalMiniLM

DATA_DIR = Path(__file__).parent / "router_data"
DEV = DATA_DIR / "dev.yml"


def train_files() -> list[Path]:
    """Every training file (train.yml, train_more.yml, …): written to vary vocabulary and form."""
    return sorted(DATA_DIR.glob("train*.yml"))
C_GRID = (3.0, 10.0, 30.0, 100.0)  # inverse regularisation, chosen on dev
TARGET_PRECISION = 0.95  # the threshold keeps dev accuracy of confident answers at least this high
RULE_WEIGHT = 1.0  # on standardised rule features; measured on dev against 0.3 and 3
PREVIOUS = re.compile(r"^\s*#\s*previous:\s*(.+?)\s*$")
ID_LINE = re.compile(r"\bid:\s*([\w-]+)")


@dataclass(frozen=True)
class Labelled:
    """One training question as the router sees it (a follow-up already resolved) and its intent."""

    text: str
    intent: Intent


@dataclass
class RouterModel:
    """The fitted classifier with its feature makers and the calibrated threshold."""

    clf: LogisticRegression
    chars: TfidfVectorizer
    words: TfidfVectorizer
    rule_mean: np.ndarray
    rule_std: np.ndarray
    threshold: float = 1.0
    dev_accuracy: float = 0.0

    @property
    def classes(self) -> tuple[Intent, ...]:
        """The intents in column order of proba()."""
        return tuple(Intent(c) for c in self.clf.classes_)

    def design(self, texts: Sequence[str], embedding: np.ndarray) -> sparse.csr_matrix:
        """[embedding | scaled rule features | char n-gram tf-idf | word n-gram tf-idf] of some texts."""
        rules = np.vstack([rule_features(t) for t in texts])
        scaled = RULE_WEIGHT * (rules - self.rule_mean) / self.rule_std
        return sparse.hstack([sparse.csr_matrix(embedding), sparse.csr_matrix(scaled),
                              self.chars.transform(texts), self.words.transform(texts)]).tocsr()

    def proba(self, texts: Sequence[str], embedding: np.ndarray) -> np.ndarray:
        """Class probabilities (N, K)."""
        return self.clf.predict_proba(self.design(texts, embedding))


def load_labelled(path: Path) -> list[Labelled]:
    """Questions of a router data file; a follow-up is resolved against the '# previous:' line above it."""
    previous: dict[str, str] = {}
    pending: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := PREVIOUS.match(line):
            pending = m.group(1)
        elif (m := ID_LINE.search(line)) and pending:
            previous[m.group(1)] = pending
            pending = None
    items = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions", [])
    out = []
    for item in items:
        text = str(item["question"])
        if str(item["id"]) in previous:
            text = resolve(text, previous[str(item["id"])]).question
        out.append(Labelled(text, Intent(item["intent"])))
    return out


def rule_features(text: str) -> np.ndarray:
    """Hand-made evidence: rule scores each side, a scenario, amounts, channels, a period, length."""
    mmm, mmm_top, _ = score(text, MMM_RULES)
    rag, rag_top, _ = score(text, RAG_RULES)
    scenario = parse_scenario(text)
    period = bool(re.search(r"\b(?:19|20)\d\d\b|\bq[1-4]\b|january|february|march|april|may|june|july|august|"
                            r"september|october|november|december|last (?:year|month|quarter)", text, re.I))
    return np.array([mmm, rag, mmm_top, rag_top, float(not scenario.empty), len(find_amounts(text)),
                     len(channel_mentions(text)), float(period), np.log1p(len(text.split()))], dtype=float)


def calibrate(proba: np.ndarray, truth: np.ndarray, classes: Sequence[str]) -> float:
    """The lowest confidence threshold whose confident dev predictions are at least TARGET_PRECISION right."""
    conf, pred = proba.max(axis=1), np.array(classes)[proba.argmax(axis=1)]
    for t in np.unique(conf):
        keep = conf >= t
        if keep.any() and np.mean(pred[keep] == truth[keep]) >= TARGET_PRECISION:
            return float(t)
    return 1.0


def train(train_set: list[Labelled], dev_set: list[Labelled], embedder: Embedder) -> RouterModel:
    """Fit on train; choose C and the confidence threshold on dev."""
    texts_tr, texts_dv = [q.text for q in train_set], [q.text for q in dev_set]
    y_tr, y_dv = np.array([q.intent.value for q in train_set]), np.array([q.intent.value for q in dev_set])
    e_tr, e_dv = embedder.embed(texts_tr), embedder.embed(texts_dv)
    rules = np.vstack([rule_features(t) for t in texts_tr])
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True).fit(texts_tr)
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True).fit(texts_tr)
    best: RouterModel | None = None
    with threadpool_limits(1):  # BLAS threads fighting over 2 cores made this fit ~50x slower
        for c in C_GRID:
            model = RouterModel(LogisticRegression(C=c, max_iter=3000), chars, words, rules.mean(axis=0),
                                np.maximum(rules.std(axis=0), 1e-9))
            model.clf.fit(model.design(texts_tr, e_tr), y_tr)
            model.dev_accuracy = float(np.mean(model.clf.predict(model.design(texts_dv, e_dv)) == y_dv))
            if best is None or model.dev_accuracy > best.dev_accuracy:
                best = model
    assert best is not None
    best.threshold = calibrate(best.proba(texts_dv, e_dv), y_dv, [c.value for c in best.classes])
    return best


@dataclass
class Classifier:
    """The trained router with its embedder, trained on first use (about 2 s) and kept for the process."""

    _model: RouterModel | None = None
    _embedder: Embedder | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ready(self) -> tuple[RouterModel, Embedder]:
        """Train on first use; later calls reuse the model."""
        with self._lock:
            if self._model is None or self._embedder is None:
                self._embedder = self._embedder or LocalMiniLM()
                train_set = [q for path in train_files() for q in load_labelled(path)]
                self._model = train(train_set, load_labelled(DEV), self._embedder)
            return self._model, self._embedder

    def predict(self, text: str) -> tuple[Intent, float, bool]:
        """(intent, its probability, whether that clears the calibrated threshold)."""
        model, embedder = self.ready()
        p = model.proba([text], embedder.embed([text]))[0]
        k = int(p.argmax())
        return model.classes[k], float(p[k]), bool(p[k] >= model.threshold)
