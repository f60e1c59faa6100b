"""Chunking by the document's own structure: clauses, appendices, overlapping windows, one unit per table row."""

import pytest

from core.catalog import parse_csv
from core.rag.chunking import (
    OVERLAP_WORDS,
    TARGET_WORDS,
    passages,
    row_text,
    split_sections,
    windows,
)
from core.rag.documents import row_lines
from core.rag.readers import Document, Heading, Paragraph, parse_markdown, parse_plain_text

CONTRACT = """Airtime agreement

Vendor: Example Media

1. Parties
This agreement is between the Client and the Vendor.

2. Cancellation
2.1 Notice
Either party may cancel with 28 days written notice.
2.2 Charges
Spots cancelled late are charged at 100%.
2.2.1 Make-goods are offered within 8 weeks.

3. Governing law
English law applies.
3.5 million impacts were delivered in the first quarter of the term.

APPENDIX A - RATE CARD
Peak spots cost more than off-peak spots.
"""


def test_numbered_clauses_become_sections_with_their_numbers_and_paths():
    sections = split_sections(parse_plain_text(CONTRACT, "airtime.txt"))
    got = [(s.number, s.label) for s in sections]
    assert got == [(None, ""), ("1", "Parties"), ("2.1", "Cancellation › Notice"), ("2.2", "Cancellation › Charges"),
                   ("2.2.1", "Cancellation › Charges"), ("3", "Governing law"), (None, "Appendix A › Rate card")]
    law = sections[5]
    assert "3.5 million impacts" in law.blocks[-1].text  # prose starting with a number is no clause
    assert sections[4].blocks[0].text.startswith("2.2.1 Make-goods")


def test_section_passages_carry_title_and_heading_and_the_preamble_stays():
    ps = passages(parse_plain_text(CONTRACT, "airtime.txt"))
    notice = next(p for p in ps if p.section.number == "2.1")
    assert notice.text == "Airtime agreement\n## 2.1 Cancellation › Notice\nEither party may cancel with 28 days written notice."
    assert ps[0].section.number is None and "Vendor: Example Media" in ps[0].text


def test_list_items_and_out_of_sequence_numbers_are_not_clauses():
    doc = Document("T", (Heading("1. Scope", 1), Paragraph("1. first item", list_item=True),
                         Paragraph("7. Seven is not the clause after 1"), Paragraph("2. Fees")), "t.md")
    assert [s.number for s in split_sections(doc)] == ["1"]  # '2. Fees' has no body of its own


def test_markdown_headings_nest_by_level():
    doc = parse_markdown("# Plan\n## Goals\nGrow.\n### Reach\nWide.\n## Risks\nFew.\n", "p.md")
    assert [s.label for s in split_sections(doc)] == ["Goals", "Goals › Reach", "Risks"]


def test_long_sections_split_into_windows_that_overlap():
    words = [f"w{i}" for i in range(300)]
    doc = Document("Long terms", (Heading("4. Liability", 1), Paragraph(" ".join(words))), "l.md")
    ps = passages(doc)
    assert len(ps) > 1 and all(p.parts == len(ps) for p in ps) and [p.part for p in ps] == list(range(len(ps)))
    bodies = [p.text.split("\n", 2)[2].split() for p in ps]
    assert all(p.text.startswith("Long terms\n## 4 Liability\n") for p in ps)
    assert all(len(b) <= TARGET_WORDS for b in bodies)
    for a, b in zip(bodies, bodies[1:]):
        assert a[-OVERLAP_WORDS:] == b[:OVERLAP_WORDS]
    seen = [w for b in bodies for w in b]
    assert sorted(set(seen), key=words.index) == words  # nothing lost


@pytest.mark.parametrize("n", [0, 1, TARGET_WORDS, TARGET_WORDS + 1, 500, 1234])
def test_windows_cover_every_word_with_fixed_overlap(n):
    spans = windows(n)
    covered = sorted({i for a, b in spans for i in range(a, b)})
    assert covered == list(range(n))
    assert all(b - a <= TARGET_WORDS for a, b in spans)
    assert all(b1 - a2 == OVERLAP_WORDS for (_, b1), (a2, _) in zip(spans, spans[1:]))


def test_windows_refuse_an_overlap_as_long_as_the_window():
    with pytest.raises(ValueError):
        windows(10, target=5, overlap=5)


def test_a_pipe_table_in_an_appendix_gives_one_passage_per_row_with_header_and_section():
    md = ("# Media plan\n\n## 1. Scope\nPaid media in 2025.\n\n## Appendix A\n\n### Budget by channel\n\n"
          "| Channel | Annual budget |\n|---|---|\n| TV | £2,000,000 |\n| Radio | £400,000 |\n| Print |  |\n")
    ps = passages(parse_markdown(md, "plan.md"))
    rows = [p for p in ps if p.row is not None]
    where = "## Media plan – Appendix A – Budget by channel\n"
    assert [p.text for p in rows] == [where + "Channel: TV | Annual budget: £2,000,000",
                                      where + "Channel: Radio | Annual budget: £400,000", where + "Channel: Print"]
    assert {p.section.label for p in rows} == {"Appendix A › Budget by channel"}
    table = next(p for p in ps if p.row is None and p.section.label == "Appendix A › Budget by channel")
    assert "Radio | £400,000" in table.text  # the section keeps the whole table too


def test_appendix_and_schedule_headings_restart_clause_numbering():
    doc = parse_plain_text("Terms\n\n1. Fees\nPaid monthly.\n\nSchedule 2: Rates\n1. Peak\nPeak rates apply.\n", "t.txt")
    assert [(s.number, s.label) for s in split_sections(doc)] == [("1", "Fees"), ("1", "Schedule 2 › Rates › Peak")]


def test_a_quoted_comma_csv_row_keeps_its_columns_right():
    loaded = parse_csv(b'event,venue,spend\nLaunch,"Printworks, London",5200\nShow,NEC,300\n', "events.csv")
    assert row_lines(loaded.df) == ["event: Launch | venue: Printworks, London | spend: 5200",
                                    "event: Show | venue: NEC | spend: 300"]


def test_row_text_leaves_out_empty_cells_and_flattens_newlines():
    assert row_text([("a", "1"), ("b", ""), ("c", "two\nlines")], "T") == "T | a: 1 | c: two lines"


TEXT_TABLE = """Terms of business

APPENDIX A - ANNUAL BUDGET BY CHANNEL

Channel | Annual budget | Share of total
TV | £6,000,000 | 30.0%
Radio | £400,000 | 2.0%

Notes | kept as prose
"""


def test_pipe_separated_text_lines_are_a_table_whose_rows_carry_header_and_section():
    ps = passages(parse_plain_text(TEXT_TABLE, "terms.txt"))
    rows = [p.text for p in ps if p.row is not None]
    where = "## Terms of business – Appendix A – Annual budget by channel\n"
    assert rows == [where + "Channel: TV | Annual budget: £6,000,000 | Share of total: 30.0%",
                    where + "Channel: Radio | Annual budget: £400,000 | Share of total: 2.0%"]
    body = next(p for p in ps if p.row is None).text
    assert "Notes | kept as prose" in body  # one line of pipes is prose, not a table


@pytest.mark.parametrize("text", ["a | b\nc | d | e", "a | b\nno pipes here", "| b\nc | d"])
def test_ragged_or_pipeless_lines_stay_a_paragraph(text):
    doc = Document("T", (Heading("Notes", 1), Paragraph(text)), "t.txt")
    assert [type(b).__name__ for b in split_sections(doc)[0].blocks] == ["Paragraph"]


def test_a_long_clause_line_ending_in_a_colon_introduces_its_list_and_is_no_heading():
    text = ("Terms\n\n2. Definitions\n2.1 In this agreement the following words have these meanings:\n"
            "- \"Spot\" means one transmission;\n\n2.2 Short lead:\nHeadings do not affect interpretation.\n")
    sections = split_sections(parse_plain_text(text, "t.txt"))
    assert [(s.number, s.label) for s in sections] == [("2.1", "Definitions"), ("2.2", "Definitions › Short lead")]
    assert sections[0].blocks[0].text.startswith("2.1 In this agreement")


def test_a_clause_that_introduces_a_table_is_a_passage_without_the_rows():
    doc = parse_markdown("# JCDecaux Agreement\n\n## 4. Consideration\n\n4.1 The Client shall pay a total "
                         "consideration of £1,800,000, made up of:\n\n| Item | Value |\n|---|---|\n"
                         "| 48-sheet roadside | £900,000 |\n| Bus shelters | £900,000 |\n", "j.md")
    texts = [p.text for p in passages(doc)]
    clause = next(t for t in texts if "£1,800,000" in t)
    assert "£900,000" not in clause  # the rows are their own units, and the table its own window
    assert any("Item | Value" in t and "48-sheet roadside" in t for t in texts)
    assert any(t.endswith("Item: Bus shelters | Value: £900,000") for t in texts)


def test_each_defined_term_is_a_passage_of_its_own():
    doc = parse_markdown('# ITV Agreement\n\n## 2. Interpretation\n\n- "Agreement" means this agreement;\n'
                         '- "Contract Value" means the total value stated in clause 4, being £3,300,000;\n'
                         '- Spots are booked weekly.\n', "i.md")
    defined = [p for p in passages(doc) if p.definition is not None]
    assert [p.text.split("\n")[1] for p in defined] == [
        '- "Agreement" means this agreement;',
        '- "Contract Value" means the total value stated in clause 4, being £3,300,000;']
    assert defined[0].text.startswith("## ITV Agreement – Interpretation")
