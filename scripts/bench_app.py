"""App benchmark in a real browser: warm render per page (fresh tab, and switching pages in the app), slider →
prediction latency, screenshots.

Usage: .venv/bin/python scripts/bench_app.py [--data DIR] [--shots docs/screenshots] [--json]
Starts `streamlit run` on 127.0.0.1 against DIR (default: the data folder; it must hold a generated world with
its index built), drives Debian's Chromium with Playwright, prints timings, and saves one screenshot per page.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
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


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (or JSON-dump) the numbers."""
    from playwright.sync_api import sync_playwright

    p = argparse.ArgumentParser(prog="scripts/bench_app.py", description=__doc__)
    p.add_argument("--data", type=Path, default=Settings.from_env().data_dir)
    p.add_argument("--shots", type=Path, default=ROOT / "docs" / "screenshots")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
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
