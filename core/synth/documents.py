"""The world's documents: seven media contracts and four planning documents, written in one of two styles.

- "default": markdown, contracts under `<folder>/contracts/` (the seven file names the checks and eval know),
  planning documents under `<folder>/documents/` (media_plan_2025.md, launch_calendar.md, price_list.md,
  dealer_list.md).
- "foreign": the same facts as another company would file them: other file names, other heading wording, and a
  mix of formats (PDF, Word, plain text and markdown) under `<folder>/agreements/` and `<folder>/planning/`.

`folder` is the world's raw folder. Content is composed in core.synth.doc_contracts / doc_plans from the
generator's facts and rendered by core.synth.doc_render; the same call always writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path

from core.synth.contracts import contracts
from core.synth.doc_contracts import contract_doc
from core.synth.doc_model import Doc
from core.synth.doc_plans import dealer_list, launch_calendar_doc, media_plan, price_list
from core.synth.doc_render import write_doc


class Style(str, Enum):
    """How the documents are filed and written."""

    DEFAULT = "default"
    FOREIGN = "foreign"


CONTRACTS_DIR = "contracts"
PLANS_DIR = "documents"
PLANS: dict[str, Callable[[bool], Doc]] = {
    "media_plan": media_plan, "launch_calendar": launch_calendar_doc, "price_list": price_list,
    "dealer_list": dealer_list}
DEFAULT_PLAN_FILES = {"media_plan": "media_plan_2025.md", "launch_calendar": "launch_calendar.md",
                      "price_list": "price_list.md", "dealer_list": "dealer_list.md"}
# Foreign file names by contract reference and plan key: formats mixed as a real shared drive mixes them.
FOREIGN_CONTRACT_FILES = {
    "ITV-2025-0418": "agreements/ITV_Sales_Agreement_2025-0418.pdf",
    "SKY-MS-2025-117": "agreements/Sky Media Airtime Contract 2025.docx",
    "SKY-MS-2025-117-A1": "agreements/SKY_Addendum_A1_BVOD_AdSmart.txt",
    "C4P-2025-052": "agreements/C4_Partnership_Terms_FINAL.pdf",
    "JCD-UK-25-3391": "agreements/JCDecaux_Outdoor_Contract_v3.docx",
    "CCUK-DOOH-25-0712": "agreements/ClearChannel_DOOH_booking_terms.txt",
    "MMP-TOB-2025-01": "agreements/Meridian_Terms_of_Business_signed.docx",
}
FOREIGN_PLAN_FILES = {"media_plan": "planning/2025_UK_Media_Flowchart.docx",
                      "launch_calendar": "planning/Launch_Timeline_UK.txt",
                      "price_list": "planning/RRP_Pricing_Sheet_2025.pdf",
                      "dealer_list": "planning/Retailer_Network_Directory.md"}


def documents(style: Style | str) -> list[tuple[str, Doc]]:
    """(path relative to the raw folder, document) of every document in the style, contracts first."""
    style = Style(style)
    foreign = style is Style.FOREIGN
    out = []
    for c in contracts():
        rel = FOREIGN_CONTRACT_FILES[c.reference] if foreign else f"{CONTRACTS_DIR}/{c.file}"
        out.append((rel, contract_doc(c, foreign)))
    for key, make in PLANS.items():
        rel = FOREIGN_PLAN_FILES[key] if foreign else f"{PLANS_DIR}/{DEFAULT_PLAN_FILES[key]}"
        out.append((rel, make(foreign)))
    return out


def write_documents(folder: Path, style: Style | str) -> list[Path]:
    """Write every document of the style under folder (the raw folder); the paths written, in order."""
    return [write_doc(doc, Path(folder) / rel) for rel, doc in documents(style)]
