from pathlib import Path

import pandas as pd
import pytest

from core.rag.documents import (
    ChunkKind,
    asset_chunks,
    csv_chunks,
    document_chunks,
    file_chunks,
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
    df = pd.read_csv(FIX / "raw" / "meta_ads.csv")
    total = df[df.model == "Voyager"].spend.sum()
    texts = [c.text for c in csv_chunks(FIX / "raw" / "meta_ads.csv") if c.metadata.get("level") == "Voyager"]
    assert texts and f"spend £{total:,.0f}" in texts[0]


def test_contract_split_by_numbered_section():
    chunks = document_chunks(FIX / "raw" / "contracts" / "itv_airtime_agreement.md")
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


EVENTS = ('event_id,event_name,venue,start_date,spend,leads_captured\n'
          'EVT1,Launch night,"Printworks, London",2025-03-07,52000.5,120\n'
          'EVT2,Dealer day,Motorpoint Arena,2025-03-21,8000,40\n'
          'EVT3,Summer show,"Hall 3, NEC, Birmingham",2025-04-11,30000,75\n')


def _summary(chunks, group, level=None):
    return next(c.text for c in chunks if c.metadata.get("group") == group
                and (level is None or c.metadata.get("level") == level))


def test_a_quoted_comma_keeps_every_later_value_under_its_column(tmp_path):
    (tmp_path / "events.csv").write_text(EVENTS)
    rows = [c for c in csv_chunks(tmp_path / "events.csv") if c.kind is ChunkKind.ROWS]
    lines = rows[0].text.splitlines()
    assert lines[0] == "events.csv rows 1-3"
    assert lines[1] == ("event_id: EVT1 | event_name: Launch night | venue: Printworks, London | "
                        "start_date: 2025-03-07 | spend: 52000.5 | leads_captured: 120")
    assert "venue: Hall 3, NEC, Birmingham | start_date: 2025-04-11 | spend: 30000" in lines[3]


def test_every_row_pair_matches_the_parsed_frame(tmp_path):
    (tmp_path / "events.csv").write_text(EVENTS)
    df = pd.read_csv(tmp_path / "events.csv")
    line = [c for c in csv_chunks(tmp_path / "events.csv") if c.kind is ChunkKind.ROWS][0].text.splitlines()[2]
    pairs = dict(p.split(": ", 1) for p in line.split(" | "))
    assert pairs == {c: str(v) for c, v in df.iloc[1].items()}


def test_csv_summaries_give_min_max_with_labels_distinct_keys_and_month_totals(tmp_path):
    (tmp_path / "events.csv").write_text(EVENTS)
    chunks = csv_chunks(tmp_path / "events.csv")
    spend = _summary(chunks, "range", "spend")
    assert "highest £52,000 (event_name Launch night, start_date 2025-03-07)" in spend
    assert "lowest £8,000 (event_name Dealer day, start_date 2025-03-21)" in spend
    assert "3 distinct event_id (one per row)" in _summary(chunks, "distinct")
    assert "2 rows; spend £60,000; leads_captured 160" in _summary(chunks, "month", "2025-03")
    assert "3 rows; spend £90,000; leads_captured 235" in _summary(chunks, "year", "2025")
    assert all(c.kind is ChunkKind.SUMMARY for c in chunks if c.metadata.get("group"))


def test_id_columns_are_counted_not_summed(tmp_path):
    (tmp_path / "sales.csv").write_text("sale_date,dealer_id,units\n2025-01-06,7,1\n2025-01-07,7,2\n2025-01-08,9,4\n")
    chunks = csv_chunks(tmp_path / "sales.csv")
    overview = _summary(chunks, "overview")
    assert "units 7" in overview and "dealer_id 23" not in overview
    assert "2 distinct dealer_id" in _summary(chunks, "distinct")


def test_csvs_are_read_by_the_catalog_reader_whatever_their_encoding(tmp_path):
    text = "week_start,station,spend\r2025-01-06,Heart,1\r2025-01-13,Capital,2\r"  # CR-only line ends
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "win.csv").write_bytes(text.replace("Heart", "Café").encode("cp1252"))
    (tmp_path / "wide.csv").write_bytes(text.encode("utf-16"))
    for name in ("bom.csv", "win.csv", "wide.csv"):
        chunks = csv_chunks(tmp_path / name)
        assert "spend £3" in _summary(chunks, "overview"), name
        assert "week_start: 2025-01-13 | station: Capital | spend: 2" in chunks[-1].text, name
    assert "station: Café" in csv_chunks(tmp_path / "win.csv")[-1].text


def test_an_unreadable_csv_raises_a_value_error_naming_it(tmp_path):
    (tmp_path / "open_quote.csv").write_text('a,b\n"1,2\n')
    with pytest.raises(ValueError, match="open_quote.csv"):
        csv_chunks(tmp_path / "open_quote.csv")


def test_contract_table_rows_are_their_own_chunks_cited_by_section(tmp_path):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "plan.md").write_text(
        "# Media plan\n\n## 1. Scope\nThe plan covers 2025.\n\n## Appendix A – Budget by channel\n\n"
        "| Channel | Annual budget |\n|---|---|\n| TV | £2,000,000 |\n| Radio | £400,000 |\n")
    chunks = document_chunks(tmp_path / "contracts" / "plan.md")
    rows = [c for c in chunks if c.kind is ChunkKind.TABLE_ROW]
    assert [c.text for c in rows] == [
        "## Media plan – Appendix A – Budget by channel\nChannel: TV | Annual budget: £2,000,000",
        "## Media plan – Appendix A – Budget by channel\nChannel: Radio | Annual budget: £400,000"]
    assert {c.metadata["section"] for c in rows} == {"Appendix A › Budget by channel"}
    assert rows[1].metadata["category"] == "contracts" and rows[1].metadata["table_row"] == 2
    assert len({c.id for c in chunks}) == len(chunks)


def test_text_sources_take_documents_as_they_come(tmp_path):
    for name in ("a.csv", "b.md", "c.txt", "d.pdf", "e.docx", "f.png", "README.md", "README.txt"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in text_sources(tmp_path)] == ["a.csv", "b.md", "c.txt", "d.pdf", "e.docx"]


def test_file_chunks_read_a_text_file_by_its_structure(tmp_path):
    (tmp_path / "terms.txt").write_text("Supplier terms\n\n1. Payment\nInvoices are paid in 30 days.\n\n"
                                        "2. Notice\nEither party may end this with 60 days notice.\n")
    chunks = file_chunks(tmp_path / "terms.txt")
    by_clause = {c.metadata["clause"]: c for c in chunks}
    assert by_clause["2"].metadata["section"] == "Notice" and "60 days" in by_clause["2"].text
    assert by_clause["2"].text.startswith("Supplier terms\n")


def test_a_docx_table_row_is_found_by_its_question_and_cited_by_its_section(tmp_path):
    import shutil

    import docx

    from core.config import Settings
    from core.rag.index import HybridIndex

    shutil.copytree(FIX, tmp_path / "data")
    d = docx.Document()
    d.add_heading("Media plan 2025", 0)
    d.add_heading("1. Scope", 1)
    d.add_paragraph("The plan covers paid media for the DEEPAL launch year.")
    d.add_heading("Appendix A – Budget by channel", 1)
    table = d.add_table(rows=4, cols=2)
    for r, values in enumerate([("Channel", "Annual budget"), ("TV", "£2,000,000"), ("Radio", "£400,000"),
                                ("Print", "£150,000")]):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    d.save(str(tmp_path / "data" / "raw" / "media_plan.docx"))
    ix = HybridIndex.open(Settings(data_dir=tmp_path / "data", index_dir=tmp_path / "index"))
    try:
        report = ix.build()
        assert "raw/media_plan.docx" in report.embedded_files and not report.skipped
        top = ix.search_text("What is the annual budget for the radio channel?", k=3)[0]
    finally:
        ix.close()
    assert top.source_file == "media_plan.docx" and top.metadata["kind"] == "table_row"
    assert "Channel: Radio | Annual budget: £400,000" in top.text
    assert top.section == "Appendix A › Budget by channel"
