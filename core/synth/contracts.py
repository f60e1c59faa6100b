"""Media contracts as markdown: parties, reference, term, value table, payment, notice, KPIs, numbered clauses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.synth.facts import AGENCY, BRAND, BUDGET_2025
from core.synth.lines import TRADITIONAL

ADDRESS = "1 Canada Square, London E14 5AB"


def _line_total(ref: str) -> int:
    """The 2025 value of a bought line, as generated in the media CSVs."""
    return sum(line.total for line in TRADITIONAL if line.contract_ref == ref)


@dataclass(frozen=True)
class Contract:
    """What varies between contracts; the rest is the shared template."""

    file: str
    title: str
    vendor: str
    vendor_address: str
    reference: str
    signed: str
    start: str
    end: str
    value: int
    value_rows: tuple[tuple[str, str, int], ...]  # (item, period, £)
    payment: str
    notice: str
    kpis: tuple[str, ...]
    make_goods: str
    extra: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (clause title, text)


def contracts() -> list[Contract]:
    """The seven agreements behind the 2025 plan; values agree with the generated media rows."""
    itv, sky, bvod = _line_total("ITV-2025-0418"), _line_total("SKY-MS-2025-117"), _line_total("SKY-MS-2025-117-A1")
    c4_2025, jcd, ccd = _line_total("C4P-2025-052"), _line_total("JCD-UK-25-3391"), _line_total("CCUK-DOOH-25-0712")
    c4_total = 1_000_000
    return [
        Contract("itv_airtime_agreement.md", "ITV Airtime Sales Agreement", "ITV Media Sales (ITV plc)",
                 "2 Television Centre, London W12 7RU", "ITV-2025-0418", "12 June 2025", "1 July 2025",
                 "31 December 2025", itv,
                 (("Linear airtime, ITV1 and ITV2 (peak and off-peak)", "Jul–Sep 2025", round(itv * 0.45)),
                  ("Linear airtime, ITV1 and ITV2 (peak and off-peak)", "Oct–Dec 2025", itv - round(itv * 0.45))),
                 "Monthly in arrears against broadcast certificates, 30 days from invoice.",
                 "Either party may cancel bookings with 28 days written notice; spots cancelled with less notice "
                 "are charged at 100%.",
                 ("Deliver 5,200 adult TVRs across the term", "At least 40% of impacts in peak (17:30–23:00)",
                  "Centre break position for 35% of spots"),
                 "Under-delivery of more than 5% of agreed TVRs is made good with equivalent airtime within 8 weeks.",
                 (("Volume discount", "A rebate of 4% applies if total 2025 spend with ITV exceeds £3,000,000."),)),
        Contract("sky_airtime_agreement.md", "Sky Media Airtime Agreement", "Sky Media (Sky UK Limited)",
                 "Grant Way, Isleworth TW7 5QD", "SKY-MS-2025-117", "14 February 2025", "1 March 2025",
                 "31 December 2025", sky + bvod,
                 (("Linear airtime across Sky channels", "Mar–Dec 2025", sky),
                  ("BVOD on Sky Go and Sky AdSmart (see addendum SKY-MS-2025-117-A1)", "May–Dec 2025", bvod)),
                 "Quarterly in advance, 45 days from invoice.",
                 "Bookings may be cancelled with 6 weeks written notice; the agreement may be terminated with 60 days "
                 "written notice.",
                 ("Deliver 2,900 adult TVRs on linear", "Minimum 85% completion rate on BVOD",
                  "Audience: adults 25–54 ABC1 index ≥ 120"),
                 "Shortfalls against TVR or completion guarantees are made good with bonus airtime in the next quarter.",
                 (("Data", "Sky provides weekly post-campaign reports and access to Sky AdSmart audience insight."),)),
        Contract("sky_bvod_addendum.md", "Addendum A1: Sky BVOD and AdSmart", "Sky Media (Sky UK Limited)",
                 "Grant Way, Isleworth TW7 5QD", "SKY-MS-2025-117-A1", "22 April 2025", "5 May 2025",
                 "31 December 2025", bvod,
                 (("Sky Go BVOD pre-roll, 20\" and 30\"", "May–Dec 2025", round(bvod * 0.6)),
                  ("Sky AdSmart addressable", "May–Dec 2025", bvod - round(bvod * 0.6))),
                 "Monthly in arrears, 45 days from invoice, under the parent agreement SKY-MS-2025-117.",
                 "Cancellation as the parent agreement: 6 weeks written notice.",
                 ("CPM no higher than £32 on Sky Go", "85% completion rate", "Frequency cap 3 per household per week"),
                 "Impressions under-delivered are re-run at no cost within the term.",
                 (("Relationship to the parent agreement", "This addendum forms part of SKY-MS-2025-117; its value is "
                   "included in the parent agreement total."),)),
        Contract("channel4_partnership.md", "Channel 4 Partnership Agreement", "Channel 4 Sales (4Sales)",
                 "124 Horseferry Road, London SW1P 2TX", "C4P-2025-052", "8 August 2025", "1 September 2025",
                 "28 February 2026", c4_total,
                 (("Linear airtime and All 4 sponsorship idents", "Sep–Dec 2025", c4_2025),
                  ("Linear airtime and All 4 sponsorship idents", "Jan–Feb 2026", c4_total - c4_2025)),
                 "Monthly in arrears, 30 days from invoice.",
                 "Either party may terminate with 90 days written notice; committed sponsorship idents are "
                 "non-cancellable.",
                 ("1,100 adult TVRs across the term", "Sponsorship of the 'Grand Designs' strand",
                  "Brand lift study at the end of the term"),
                 "Under-delivery is made good with airtime or a credit against the 2026 portion.",
                 (("Exclusivity", "No competing electric car brand may sponsor the same strand during the term."),)),
        Contract("jcdecaux_ooh_agreement.md", "JCDecaux Outdoor Advertising Agreement", "JCDecaux UK Ltd",
                 "991 Great West Road, Brentford TW8 9DN", "JCD-UK-25-3391", "3 February 2025", "1 March 2025",
                 "31 December 2025", jcd,
                 (("48-sheet roadside", "Mar–Dec 2025", round(jcd * 0.5)),
                  ("6-sheet and bus shelters", "Mar–Dec 2025", jcd - round(jcd * 0.5))),
                 "50% on signature, balance monthly in arrears, 30 days from invoice.",
                 "Campaign cycles may be cancelled with 8 weeks written notice at no charge.",
                 ("Minimum 95% panel posting compliance", "Route-audited impacts per two-week cycle as booked"),
                 "Panels not posted or damaged for more than 48 hours are extended by the days lost.",
                 (("Creative deadlines", "Artwork delivered 10 working days before each cycle."),)),
        Contract("clear_channel_dooh_agreement.md", "Clear Channel Digital Out-of-Home Agreement", "Clear Channel UK",
                 "33 Golden Square, London W1F 9JT", "CCUK-DOOH-25-0712", "15 July 2025", "1 August 2025",
                 "31 December 2025", ccd,
                 (("DOOH roadside (Adshel Live, Storm)", "Aug–Dec 2025", round(ccd * 0.6)),
                  ("DOOH malls", "Aug–Dec 2025", ccd - round(ccd * 0.6))),
                 "Monthly in arrears, 30 days from invoice.",
                 "Either party may terminate with 30 days written notice; booked weeks within the notice period are "
                 "payable.",
                 ("Share of time 1 in 6 on booked screens", "Proof-of-play reports weekly"),
                 "Plays lost through screen downtime above 3% are re-run within the term.", ()),
        Contract("media_agency_terms.md", "Media Agency Terms of Business", AGENCY,
                 "20 Farringdon Road, London EC1M 3HE", "MMP-TOB-2025-01", "2 December 2024", "1 January 2025",
                 "31 December 2026", round(BUDGET_2025 * 0.03),
                 (("Commission on media (3% of £20,000,000 planned 2025 spend)", "2025", round(BUDGET_2025 * 0.03)),),
                 "Commission invoiced monthly with media, 30 days from invoice; media passed through at net cost.",
                 "Either party may terminate with 90 days written notice.",
                 ("Monthly performance reporting by channel", "Annual media audit by an independent auditor",
                  "Rebates and volume discounts passed back to the client in full"),
                 "Missed reporting deadlines reduce the following month's commission by 10%.",
                 (("Commission", "The agency's remuneration is a commission of 3% of net media spend."),
                  ("Budget", f"The 2025 UK media budget is £{BUDGET_2025:,} across 11 channels."))),
    ]


def render(c: Contract) -> str:
    """The contract as markdown with numbered clauses."""
    table = "\n".join(f"| {item} | {period} | £{value:,} |" for item, period, value in c.value_rows)
    clauses = [
        ("Parties", f"This agreement is between **{BRAND}** (the Client), {ADDRESS}, acting through its media agency "
                    f"{AGENCY}, and **{c.vendor}** (the Vendor), {c.vendor_address}."),
        ("Term", f"The agreement runs from {c.start} to {c.end}."),
        ("Contract value", f"The total contract value is **£{c.value:,}** (excluding VAT).\n\n"
                           f"| Item | Period | Value |\n|---|---|---|\n{table}"),
        ("Payment terms", c.payment),
        ("Notice period and cancellation", c.notice),
        ("KPIs", "\n".join(f"- {k}" for k in c.kpis)),
        ("Make-goods", c.make_goods),
        *c.extra,
        ("Governing law", "This agreement is governed by the laws of England and Wales."),
    ]
    body = "\n\n".join(f"## {i}. {title}\n{text}" for i, (title, text) in enumerate(clauses, 1))
    return (f"# {c.title}\n\nVendor: {c.vendor}\nReference: {c.reference}\nClient: {BRAND}\n"
            f"Signed: {c.signed}\n\n{body}\n")


def write_contracts(folder: Path) -> list[Path]:
    """Write every contract into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for c in contracts():
        path = folder / c.file
        path.write_text(render(c), encoding="utf-8")
        out.append(path)
    return out
