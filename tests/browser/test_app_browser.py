"""The app in a real browser: every page opens, chat answers with a citation, gallery shows creatives."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _wait_idle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def _shot(page, name: str) -> None:
    """Full-page screenshot into the test artifacts folder."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_chat_answers_with_a_citation(app_url, page):
    page.goto(f"{app_url}/chat")
    page.get_by_text("Chat with your marketing data").wait_for()
    box = page.get_by_placeholder("Ask a question about your marketing data…")
    box.fill("how much notice to cancel ITV bookings")
    box.press("Enter")
    page.get_by_text("Sources (", exact=False).wait_for()
    page.get_by_text("itv_airtime_agreement.md", exact=False).first.wait_for()
    _wait_idle(page)
    _shot(page, "chat")


def test_gallery_shows_creatives_and_large_view(app_url, page):
    page.goto(f"{app_url}/gallery")
    page.get_by_text("Room for everyone").wait_for()
    page.locator('[data-testid="stImage"]').nth(1).wait_for()  # thumbnails render after the captions
    assert page.locator('[data-testid="stImage"]').count() >= 2
    _wait_idle(page)
    _shot(page, "gallery")
    page.get_by_role("button", name="View").first.click()
    page.get_by_role("dialog").wait_for()
    _shot(page, "gallery_dialog")


def test_data_page_opens(app_url, page):
    page.goto(f"{app_url}/data")
    page.get_by_text("Data management").first.wait_for()
    page.get_by_role("tab", name="Inventory").wait_for()
    _wait_idle(page)
    _shot(page, "data")
