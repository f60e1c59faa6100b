"""App benchmark in a real browser: warm render per page (fresh tab, and switching pages in the app), slider →
prediction latency, screenshots; or, with --concurrent, many analysts at once.

Usage: .venv/bin/python scripts/bench_app.py [--data DIR] [--shots docs/screenshots] [--json]
       .venv/bin/python scripts/bench_app.py --concurrent [--chat 10] [--dashboards 5] [--data DIR] [--json]
Starts `streamlit run` on 127.0.0.1 against DIR (default: the data folder; it must hold a generated world with
its index built), drives Debian's Chromium with Playwright, prints timings, and saves one screenshot per page.

--concurrent runs that many chat and MMM dashboard sessions at the same time in one process, each a Streamlit
AppTest in its own thread (the way one server serves its sessions: shared caches, one index client), and prints
p50/p95 of each kind of step: opening the app, a chat answer, opening the dashboard, a what-if slider move.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS, start_app  # noqa: E402

PAGES = {"chat": "/", "mmm": "/mmm", "gallery": "/gallery", "data": "/data"}
NAV = {"chat": "Chat", "mmm": "MMM dashboard", "gallery": "Creative gallery", "data": "Data management"}
# What shows that a page has rendered its content (not just the app shell).
READY = {"chat": "text=Try one of these", "mmm": '[data-testid="stMetric"]:has-text("Predicted leads")',
         "gallery": '[data-testid="stImage"]', "data": '[data-testid="stDataFrame"]'}
REPEATS = 3
IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
PREDICTION_JS = ("(before) => [...document.querySelectorAll('[data-testid=\"stMetric\"]')].some("
                 "m => m.innerText.includes('Predicted leads') && !m.innerText.includes(before))")


def render_seconds(page, url: str, ready: str) -> float:
    """Seconds from navigation until the page's content is on screen and Streamlit's run has finished."""
    page.goto("about:blank")
    t = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, timeout=180_000)
    page.wait_for_function(IDLE_JS, timeout=180_000)
    return time.perf_counter() - t


def switch_seconds(page, name: str) -> float:
    """Seconds from clicking a page in the app's navigation until its content is on screen and the run is done."""
    t = time.perf_counter()
    page.locator('[data-testid="stSidebarNav"]').get_by_text(NAV[name], exact=True).click()
    page.wait_for_selector(READY[name], timeout=60_000)
    page.wait_for_function(IDLE_JS, timeout=60_000)
    return time.perf_counter() - t


def slider_seconds(page, base: str) -> list[float]:
    """Seconds from a slider key press until the predicted KPI shows a new value, several times."""
    page.goto(base + PAGES["mmm"])
    metric = page.locator('[data-testid="stMetric"]', has_text="Predicted leads").locator(
        '[data-testid="stMetricValue"]')
    metric.wait_for(timeout=180_000)
    page.wait_for_function(IDLE_JS, timeout=180_000)
    slider = page.get_by_role("slider").first
    out = []
    for key in ("PageDown", "PageUp", "Home", "End", "PageDown"):
        before = metric.inner_text()
        slider.focus()
        t = time.perf_counter()
        slider.press(key)
        page.wait_for_function(PREDICTION_JS, arg=before, timeout=30_000)
        out.append(time.perf_counter() - t)
        page.wait_for_function(IDLE_JS, timeout=30_000)
    return out


# ---- many sessions at once (AppTest in threads) ------------------------------------------------------------
CHAT_SESSIONS, DASHBOARD_SESSIONS = 10, 5
CHAT_QUESTIONS = ("What is the notice period in the ITV airtime agreement?", "Which channel has the highest ROI?",
                  "Show me TikTok creatives for the DEEPAL S07")
SLIDER_MOVES = (0.5, 1.5, 1.0)  # what-if TV spend as a multiple of today's
SESSION_TIMEOUT_S = 600


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between order statistics (numpy's default)."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def share_one_runtime() -> None:
    """Let AppTests run in threads at once, as sessions of one server.

    Each AppTest run installs a mock Runtime on the Runtime class and removes it when it ends, so concurrent runs
    would pull it from under each other. Point AppTest at a subclass (its set and unset land there) and install
    one shared mock runtime on Runtime itself, and share one script cache — a real server has one of each for
    all its sessions too.
    """
    from unittest.mock import MagicMock

    from streamlit import config
    from streamlit.runtime import Runtime
    from streamlit.testing.v1 import app_test

    class PerRunRuntime(Runtime):
        """Receives AppTest's per-run Runtime._instance writes."""

    shared = MagicMock(spec=Runtime)
    shared.media_file_mgr = app_test.MediaFileManager(app_test.MemoryMediaFileStorage("/mock/media"))
    shared.dataframe_source_mgr = app_test.DataframeSourceManager()
    shared.cache_storage_manager = app_test.MemoryCacheStorageManager()
    components = app_test.BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    shared.bidi_component_registry = components
    app_test.Runtime = PerRunRuntime
    Runtime._instance = shared
    # A server compiles each page once into one locked script cache; AppTest makes one per run, and CPython 3.11's
    # compiler is not safe to run from several threads at once.
    scripts = app_test.ScriptCache()
    app_test.ScriptCache = lambda: scripts
    # AppTest patches this option per run; concurrent patches restore each other's, so make every value True.
    config.set_option("global.appTest", True)


def _timed(samples: dict[str, list[float]], step: str, action: Callable[[], object]) -> None:
    """Run one session step, record its seconds under step, fail loudly if the app raised."""
    t = time.perf_counter()
    at = action()
    samples.setdefault(step, []).append(time.perf_counter() - t)
    if getattr(at, "exception", None) or getattr(at, "error", None):  # a failed answer is shown as an error
        raise RuntimeError(f"{step}: {[e.value for e in (*at.exception, *at.error)]}")


def chat_session(start: threading.Barrier) -> dict[str, list[float]]:
    """One analyst: open the app (the chat page) and ask CHAT_QUESTIONS in turn."""
    from streamlit.testing.v1 import AppTest

    samples: dict[str, list[float]] = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=SESSION_TIMEOUT_S)
    start.wait()
    _timed(samples, "chat_open", at.run)
    for q in CHAT_QUESTIONS:
        _timed(samples, "chat_answer", lambda q=q: at.chat_input[0].set_value(q).run())
    if [m.name for m in at.chat_message] != ["user", "assistant"] * len(CHAT_QUESTIONS):
        raise RuntimeError("chat: not every question got an answer")
    return samples


def dashboard_session(start: threading.Barrier) -> dict[str, list[float]]:
    """One analyst: open the app, switch to the MMM dashboard and move the TV what-if slider."""
    from streamlit.testing.v1 import AppTest

    samples: dict[str, list[float]] = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=SESSION_TIMEOUT_S)
    start.wait()
    at.run()
    _timed(samples, "dashboard_open", lambda: at.switch_page("pages/mmm.py").run())
    today = at.slider(key="whatif_tv").value
    for factor in SLIDER_MOVES:
        _timed(samples, "slider_update", lambda f=factor: at.slider(key="whatif_tv").set_value(today * f).run())
    return samples


def concurrent_bench(data: Path, chats: int, dashboards: int) -> dict:
    """p50/p95 seconds per step with chats + dashboards sessions started at once against data (warmed first)."""
    os.environ["MIP_DATA_DIR"] = str(data)
    for name in ("MIP_INDEX_DIR", "ANTHROPIC_API_KEY"):
        os.environ.pop(name, None)
    share_one_runtime()
    from core.rag import index as rag_index

    opened: list[str] = []
    connect = rag_index.connect
    rag_index.connect = lambda s: (opened.append(str(s.index_path)), connect(s))[1]  # counts index clients
    # Warm-up, as a running server is: index opened, embedder and router loaded, MMM fit read from its cache.
    chat_session(threading.Barrier(1))
    dashboard_session(threading.Barrier(1))
    alone = {**chat_session(threading.Barrier(1)), **dashboard_session(threading.Barrier(1))}  # the baseline
    start = threading.Barrier(chats + dashboards)
    load_before = os.getloadavg()[0]
    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=chats + dashboards) as pool:
        futures = [pool.submit(chat_session, start) for _ in range(chats)]
        futures += [pool.submit(dashboard_session, start) for _ in range(dashboards)]
        results = [f.result() for f in futures]
    wall = time.perf_counter() - t
    merged: dict[str, list[float]] = {}
    for r in results:
        for step, values in r.items():
            merged.setdefault(step, []).extend(values)
    return {"sessions": {"chat": chats, "dashboard": dashboards}, "wall_s": round(wall, 1),
            "load_avg_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
            "cpus": os.cpu_count(), "index_clients_opened": len(opened),
            "alone_p50_s": {step: round(percentile(v, 50), 2) for step, v in alone.items()},
            "steps": {step: {"n": len(v), "p50_s": round(percentile(v, 50), 2), "p95_s": round(percentile(v, 95), 2)}
                      for step, v in merged.items()}}


def print_concurrent(result: dict) -> None:
    """The concurrent bench as a small table."""
    s = result["sessions"]
    print(f"{s['chat']} chat + {s['dashboard']} dashboard sessions at once, {result['wall_s']} s wall, "
          f"load average {result['load_avg_1m']['before']} → {result['load_avg_1m']['after']} on {result['cpus']} cores, "
          f"{result['index_clients_opened']} index client(s) opened")
    for step, r in result["steps"].items():
        print(f"{step:<15} n={r['n']:<3} p50 {r['p50_s']:.2f} s   p95 {r['p95_s']:.2f} s   "
              f"(one session alone: p50 {result['alone_p50_s'][step]:.2f} s)")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (or JSON-dump) the numbers."""
    p = argparse.ArgumentParser(prog="scripts/bench_app.py", description=__doc__)
    p.add_argument("--data", type=Path, default=Settings.from_env().data_dir)
    p.add_argument("--shots", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--json", action="store_true")
    p.add_argument("--concurrent", action="store_true", help="many sessions at once instead of the browser bench")
    p.add_argument("--chat", type=int, default=CHAT_SESSIONS)
    p.add_argument("--dashboards", type=int, default=DASHBOARD_SESSIONS)
    args = p.parse_args(argv)
    if args.concurrent:
        result = concurrent_bench(args.data, args.chat, args.dashboards)
        print(json.dumps(result, indent=2)) if args.json else print_concurrent(result)
        return 0
    from playwright.sync_api import sync_playwright

    args.shots.mkdir(parents=True, exist_ok=True)
    proc, base = start_app(args.data, args.shots.parent / "bench_app_streamlit.log")
    result: dict = {"pages": {}}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            render_seconds(page, base + PAGES["mmm"], READY["mmm"])  # cold: index, embedder, fit load once
            for name, path in PAGES.items():
                times = [render_seconds(page, base + path, READY[name]) for _ in range(REPEATS)]
                result["pages"][name] = {"fresh_tab_s": round(statistics.median(times), 2)}
                page.screenshot(path=str(args.shots / f"{name}.png"), full_page=True)
            order = list(PAGES) * REPEATS
            switches: dict[str, list[float]] = {}
            for name in order[1:]:  # within one session, as an analyst moves around
                switches.setdefault(name, []).append(switch_seconds(page, name))
            for name, times in switches.items():
                result["pages"][name]["in_app_s"] = round(statistics.median(times), 2)
            lat = slider_seconds(page, base)
            result["slider_update_ms"] = {"median": round(1000 * statistics.median(lat)),
                                          "max": round(1000 * max(lat))}
            browser.close()
    finally:
        proc.terminate()
    (args.shots.parent / "bench_app_streamlit.log").unlink(missing_ok=True)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for name, r in result["pages"].items():
            print(f"{name:<8} warm render: fresh tab {r['fresh_tab_s']:.2f} s, in-app switch {r['in_app_s']:.2f} s")
        s = result["slider_update_ms"]
        print(f"slider → prediction: median {s['median']} ms, max {s['max']} ms")
        print(f"screenshots: {args.shots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
