from pathlib import Path

from core.rag.documents import (
    ChunkKind,
    asset_chunks,
    csv_chunks,
    markdown_chunks,
    text_sources,
)

FIX = Path(__file__).parent / "fixtures"


def test_csv_chunks_have_metadata_and_deterministic_ids():
    a = csv_chunks(FIX / "raw" / "meta_ads.csv")
    b = csv_chunks(FIX / "raw" / "meta_ads.csv")
    assert [c.id for c in a] == [c.id for c in b]
    assert len({c.id for c in a}) == len(a)
    assert all(c.metadata["source_file"] == "meta_ads.csv" for c in a)
    assert all(c.metadata["category"] == "digital_media" and c.metadata["channel"] == "meta" for c in a)
    assert {c.kind for c in a} == {ChunkKind.SUMMARY, ChunkKind.ROWS}


def test_csv_summary_totals_per_group_match_pandas():
    import pandas as pd

    df = pd.read_csv(FIX / "raw" / "meta_ads.csv")
    total = df[df.model == "Voyager"].spend.sum()
    texts = [c.text for c in csv_chunks(FIX / "raw" / "meta_ads.csv") if c.metadata.get("level") == "Voyager"]
    assert texts and f"spend £{total:,.0f}" in texts[0]


def test_contract_split_by_numbered_section():
    chunks = markdown_chunks(FIX / "raw" / "contracts" / "itv_airtime_agreement.md")
    sections = {c.metadata.get("clause"): c for c in chunks}
    assert {"1", "2", "3"} <= set(sections)
    assert "28 days" in sections["2"].text and sections["2"].metadata["section"] == "Cancellation"
    assert sections["2"].metadata["reference"] == "ITV-2024-017"
    assert sections["2"].metadata["category"] == "contracts"


def test_asset_chunks_point_at_images():
    chunks = asset_chunks(FIX / "assets" / "asset_manifest.csv")
    assert len(chunks) == 2
    assert all(Path(c.image_path).exists() for c in chunks)
    assert chunks[0].metadata["source_file"] == "aurora_sunset.png"


def test_text_sources_skip_assets_and_index(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "x.csv").write_text("a\n1\n")
    (tmp_path / "foo.csv").write_text("a\n1\n")
    assert [p.name for p in text_sources(tmp_path)] == ["foo.csv"]


def test_a_row_naming_a_missing_image_keeps_its_text_but_no_image(tmp_path):
    (tmp_path / "asset_manifest.csv").write_text("file,description\ngone.png,a lost creative\n,no file at all\n")
    chunks = asset_chunks(tmp_path / "asset_manifest.csv")
    assert [c.image_path for c in chunks] == [None, None]
    assert "a lost creative" in chunks[0].text and chunks[0].metadata["file"] == "gone.png"


def test_text_sources_skip_hidden_files_and_links_out(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / ".scratch.csv").write_text("a\n1\n")
    (tmp_path / "elsewhere.md").write_text("# Not ours\n")
    (tmp_path / "data" / "linked.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "data" / "ours.md").write_text("# Ours\n")
    assert [p.name for p in text_sources(tmp_path / "data")] == ["ours.md"]
