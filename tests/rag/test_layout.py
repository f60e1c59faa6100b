"""Tables laid out with spaces (PDF layout text, aligned text exports) and wrapped lines of running text."""

from __future__ import annotations

from core.rag.layout import Grid, cells, split_tables
from core.rag.readers import Paragraph, Table, layout_blocks, parse_plain_text

ITV = [
    "4.1 The Client shall pay a total consideration of £3,300,000, exclusive of VAT, made up of:",
    "",
    "Item                                      Period              Value",
    "Linear airtime, ITV1 and ITV2 (peak and   Jul-Sep 2025        £1,485,000",
    "off-peak)",
    "Linear airtime, ITV1 and ITV2 (peak and   Oct-Dec 2025        £1,815,000",
    "off-peak)",
    "",
    "4.2 The value is calculated from the rates in Schedule 2 and the spots booked.",
]


def _never(_: str) -> bool:
    return False


def test_cells_are_split_by_three_or_more_spaces_only():
    assert cells("Brand   Model S07  Pro     £27,990") == [(0, "Brand"), (8, "Model S07  Pro"), (27, "£27,990")]


def test_an_aligned_table_is_found_with_its_wrapped_cells_joined():
    parts = split_tables(ITV, _never)
    grids = [p for p in parts if isinstance(p, Grid)]
    assert len(grids) == 1
    header, *rows = grids[0].rows
    assert header == ("Item", "Period", "Value")
    assert rows == [("Linear airtime, ITV1 and ITV2 (peak and off-peak)", "Jul-Sep 2025", "£1,485,000"),
                    ("Linear airtime, ITV1 and ITV2 (peak and off-peak)", "Oct-Dec 2025", "£1,815,000")]
    assert parts[0] == ITV[:2] and parts[-1] == ITV[-2:]


def test_one_two_cell_line_is_no_table():
    lines = ["Supplier: ITV Media Sales      Reference: ITV-2025-0418", "Signed on 12 June 2025."]
    assert split_tables(lines, _never) == [lines]


def test_a_line_that_opens_a_clause_ends_the_table():
    lines = ["Model      From       Trims", "S07        £27,990    3", "S05        £24,990    2",
             "5.1 Spots are booked by written order."]
    parts = split_tables(lines, lambda line: line.startswith("5.1"))
    assert isinstance(parts[0], Grid) and len(parts[0].rows) == 3 and parts[1] == lines[3:]


def test_layout_blocks_give_tables_and_paragraphs_in_order():
    blocks = layout_blocks(ITV)
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph"]
    table = blocks[1]
    assert isinstance(table, Table) and table.rows[1][2] == "£1,815,000"


def test_a_line_wrapped_mid_sentence_is_joined_to_the_next():
    text = ("6.1 The airtime bought under this agreement carries the launch TV campaign for the\n"
            "DEEPAL S07, planned from 7 July 2025 to 22 December 2025 across all ITV channels.\n"
            "6.2 The agency may re-phase weekly weight within the Term without any charge at all.\n")
    paras = [b.text for b in parse_plain_text(text, "x.txt").blocks if isinstance(b, Paragraph)]
    assert paras[0].startswith("6.1") and "for the DEEPAL S07, planned" in paras[0] and "\n" not in paras[0]


def test_short_lines_of_a_header_block_stay_apart():
    text = ("ITV Airtime Sales Agreement\nSupplier: ITV Media Sales\nOur reference: ITV-2025-0418\n\n"
            "1.1 This agreement is between DEEPAL UK Ltd (the Client) and ITV Media Sales, the Vendor here.\n")
    doc = parse_plain_text(text, "x.txt")
    head = next(b for b in doc.blocks if isinstance(b, Paragraph))
    assert head.text.split("\n") == ["ITV Airtime Sales Agreement", "Supplier: ITV Media Sales",
                                     "Our reference: ITV-2025-0418"]


def test_pipe_table_rows_are_never_joined_as_wrapped_prose():
    rows = ["Model | Event | Date | Market"] + [f"DEEPAL S0{i} | Start of launch events in the north | "
                                                f"{i} March 2025 | GB" for i in range(1, 5)]
    para = next(b for b in parse_plain_text("\n".join(rows), "t.txt").blocks if isinstance(b, Paragraph))
    assert para.text.split("\n") == rows
