"""Uploads are checked before saving, stay inside data/raw, and never overwrite unconfirmed."""

from __future__ import annotations

import pytest

from core.catalog import CatalogError, check_upload, list_versions, save_upload

GOOD = b"date,campaign_id,impressions,clicks,spend\n2025-01-01,C1,100,5,9.5\n"


@pytest.mark.parametrize("name", ["../evil.csv", "sub/dir.csv", "..\\evil.csv", ".hidden.csv", "/etc/passwd.csv"])
def test_unsafe_names_are_rejected(tmp_path, name):
    check = check_upload(name, GOOD, tmp_path)
    assert not check.ok and check.target is None
    assert not any(tmp_path.parent.glob("evil.csv"))


def test_wrong_type_and_bad_content_are_rejected(tmp_path):
    assert "only .csv, .md, .txt, .pdf and .docx" in check_upload("notes.exe", b"x", tmp_path).message
    assert "empty" in check_upload("x.csv", b"", tmp_path).message
    assert "missing columns" in check_upload("meta_ads.csv", b"date,spend\n2025-01-01,1\n", tmp_path).message
    with pytest.raises(CatalogError):
        save_upload(check_upload("x.csv", b"", tmp_path), b"", tmp_path)


def test_save_then_overwrite_needs_confirmation_and_keeps_the_old_version(tmp_path):
    raw = tmp_path / "raw"
    check = check_upload("meta_ads.csv", GOOD, raw)
    assert check.ok and not check.would_overwrite
    assert save_upload(check, GOOD, raw).read_bytes() == GOOD
    assert list_versions(tmp_path, "raw/meta_ads.csv") == []  # nothing was replaced
    again = check_upload("meta_ads.csv", GOOD + b"2025-01-02,C1,10,1,1\n", raw)
    assert again.ok and again.would_overwrite
    with pytest.raises(CatalogError, match="already exists"):
        save_upload(again, GOOD, raw)
    assert (raw / "meta_ads.csv").read_bytes() == GOOD  # nothing lost
    save_upload(again, GOOD + b"2025-01-02,C1,10,1,1\n", raw, overwrite=True)
    assert (raw / "meta_ads.csv").read_bytes().count(b"\n") == 3
    [kept] = list_versions(tmp_path, "raw/meta_ads.csv")
    assert kept.path.read_bytes() == GOOD and kept.path.is_relative_to(tmp_path / ".versions")
    assert not [p for p in raw.iterdir() if p.name.startswith(".")]  # no temporary files left behind


def test_markdown_must_be_utf8(tmp_path):
    assert check_upload("deal.md", "# Côte\n".encode("cp1252"), tmp_path).message == (
        "deal.md is cp1252 text; save it as UTF-8")
    assert check_upload("deal.md", "# Côte\n".encode("utf-8-sig"), tmp_path).ok


def test_oversized_upload_is_refused_before_parsing(tmp_path, monkeypatch):
    import core.catalog.upload as upload

    monkeypatch.setattr(upload, "MAX_BYTES", 10)
    assert "big.csv is larger than" in check_upload("big.csv", GOOD, tmp_path).message


def test_markdown_upload(tmp_path):
    check = check_upload("new_contract.md", b"# Deal\n\n## 1. Term\n", tmp_path)
    assert check.ok and check.target == (tmp_path / "new_contract.md").resolve()


def _docx_bytes(text: str) -> bytes:
    import io

    import docx

    d = docx.Document()
    d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_pdf_word_and_text_contracts_are_accepted_and_never_overwrite_silently(tmp_path):
    from tests.rag.test_readers import pdf_bytes

    raw = tmp_path / "raw"
    for name, content in [("terms.pdf", pdf_bytes(["1. Fees", "The fee is 3%."])),
                          ("terms.docx", _docx_bytes("1. Fees. The fee is 3%.")), ("terms.txt", b"1. Fees\n")]:
        check = check_upload(name, content, raw)
        assert check.ok and not check.would_overwrite, check.message
        save_upload(check, content, raw)
        again = check_upload(name, content + b" ", raw)
        assert again.would_overwrite
        with pytest.raises(CatalogError, match="already exists"):
            save_upload(again, content + b" ", raw)
        assert (raw / name).read_bytes() == content


def test_broken_documents_are_refused_with_the_reason(tmp_path):
    from tests.rag.test_readers import pdf_bytes

    assert "has no text to read" in check_upload("scan.pdf", pdf_bytes([]), tmp_path).message
    assert "not a readable PDF" in check_upload("cut.pdf", pdf_bytes(["Hi"])[:40], tmp_path).message
    assert "not a readable Word document" in check_upload("x.docx", b"text", tmp_path).message
    assert "is empty" in check_upload("x.txt", b"\n\n", tmp_path).message


def test_an_acceptable_csv_carries_its_warnings(tmp_path):
    content = b"week_start,spend\n2024-01-01,5\n2024-01-08,6\n2024-01-22,7\n2024-01-29,8\n2024-01-29,8\n"
    check = check_upload("radio.csv", content, tmp_path)
    assert check.ok and check.problems == []
    assert check.warnings == ["1 duplicate rows (e.g. line 6 repeats line 5)",
                              "1 weeks missing in week_start (no rows): 2024-01-15"]
    assert not check_upload("radio.csv", content.replace(b",8\n", b",-8\n"), tmp_path).ok  # negative spend fails
