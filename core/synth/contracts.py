"""The seven media agreements behind the 2025 plan, as data: parties, reference, term, values, notice, KPIs.

Values of bought lines come from the media lines the CSVs are generated from (core.synth.lines), so a
contract's 2025 value rows equal the spend booked against its reference. How a contract is worded and laid
out is core.synth.doc_contracts' job; this module holds only what each agreement states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from core.synth.facts import AGENCY, BUDGET_2025
from core.synth.lines import TRADITIONAL

ADDRESS = "1 Canada Square, London E14 5AB"
AGENCY_ADDRESS = "20 Farringdon Road, London EC1M 3HE"
COMMISSION = 0.03  # the agency's commission on net media spend
C4_TOTAL = 1_000_000  # the Channel 4 partnership runs into 2026; only its 2025 portion is booked in the CSVs


class MediaKind(str, Enum):
    """What a contract buys: it chooses the definitions and the delivery clauses."""

    TV = "tv"
    BVOD = "bvod"
    OOH = "ooh"
    DOOH = "dooh"
    AGENCY = "agency"


def line_total(ref: str) -> int:
    """The 2025 value of a bought line, as generated in the media CSVs."""
    return sum(line.total for line in TRADITIONAL if line.contract_ref == ref)


@dataclass(frozen=True)
class Contract:
    """What one agreement states; the wording around it is composed per contract."""

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
    kind: MediaKind = MediaKind.TV
    short: str = ""  # how the text names the vendor after the parties clause
    deliverables: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)  # Schedule 1 (item, measure, when)
    rates: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)  # Schedule 2 (item, unit, rate)
    signatory: tuple[str, str] = ("", "")  # (vendor signatory, title)


def contracts() -> list[Contract]:
    """The seven agreements behind the 2025 plan; values agree with the generated media rows."""
    itv, sky, bvod = line_total("ITV-2025-0418"), line_total("SKY-MS-2025-117"), line_total("SKY-MS-2025-117-A1")
    c4_2025, jcd, ccd = line_total("C4P-2025-052"), line_total("JCD-UK-25-3391"), line_total("CCUK-DOOH-25-0712")
    fee = round(BUDGET_2025 * COMMISSION)
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
                 (("Volume discount", "A rebate of 4% applies if total 2025 spend with ITV exceeds £3,000,000."),),
                 MediaKind.TV, "ITV",
                 (("Adult TVRs, ITV1 and ITV2", "BARB consolidated", "5,200 across the term"),
                  ("Peak share of impacts (17:30–23:00)", "BARB", "at least 40%"),
                  ("Centre break positions", "broadcast certificates", "35% of spots"),
                  ("DEEPAL S07 launch burst", "on air", "from 7 July 2025")),
                 (("30-second spot, ITV1 peak", "station average price", "index 135"),
                  ("30-second spot, ITV1 off-peak", "station average price", "index 80"),
                  ("Centre break premium", "per spot", "+7.5%"),
                  ("Length factor, 20-second spot", "per spot", "0.80 of 30-second rate")),
                 ("Helen Marsh", "Director of Agency Sales")),
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
                 (("Data", "Sky provides weekly post-campaign reports and access to Sky AdSmart audience insight."),),
                 MediaKind.TV, "Sky",
                 (("Adult TVRs, Sky channel portfolio", "BARB consolidated", "2,900 across the term"),
                  ("BVOD completion rate", "Sky ad server", "at least 85%"),
                  ("Audience index, adults 25–54 ABC1", "BARB", "120 or more"),
                  ("AVATR launch campaign", "on air", "from 3 March 2025")),
                 (("30-second spot, Sky portfolio", "station average price", "index 100"),
                  ("Sky Sports premium", "per spot", "+15%"),
                  ("Sky Atlantic premium", "per spot", "+10%"),
                  ("BVOD and AdSmart", "per addendum SKY-MS-2025-117-A1", "see addendum")),
                 ("Daniel Okafor", "Head of Automotive Sales")),
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
                   "included in the parent agreement total."),),
                 MediaKind.BVOD, "Sky",
                 (("Sky Go pre-roll impressions", "Sky ad server, third-party verified", "as booked per month"),
                  ("Completion rate", "Sky ad server", "85%"),
                  ("Household frequency cap", "AdSmart decisioning", "3 per household per week")),
                 (("Sky Go pre-roll, 30-second", "CPM", "no higher than £32"),
                  ("Sky Go pre-roll, 20-second", "CPM", "0.85 of the 30-second CPM"),
                  ("AdSmart targeting, first attribute", "CPM uplift", "+20%")),
                 ("Daniel Okafor", "Head of Automotive Sales")),
        Contract("channel4_partnership.md", "Channel 4 Partnership Agreement", "Channel 4 Sales (4Sales)",
                 "124 Horseferry Road, London SW1P 2TX", "C4P-2025-052", "8 August 2025", "1 September 2025",
                 "28 February 2026", C4_TOTAL,
                 (("Linear airtime and All 4 sponsorship idents", "Sep–Dec 2025", c4_2025),
                  ("Linear airtime and All 4 sponsorship idents", "Jan–Feb 2026", C4_TOTAL - c4_2025)),
                 "Monthly in arrears, 30 days from invoice.",
                 "Either party may terminate with 90 days written notice; committed sponsorship idents are "
                 "non-cancellable.",
                 ("1,100 adult TVRs across the term", "Sponsorship of the 'Grand Designs' strand",
                  "Brand lift study at the end of the term"),
                 "Under-delivery is made good with airtime or a credit against the 2026 portion.",
                 (("Exclusivity", "No competing electric car brand may sponsor the same strand during the term."),),
                 MediaKind.TV, "Channel 4",
                 (("Adult TVRs, Channel 4 portfolio", "BARB consolidated", "1,100 across the term"),
                  ("'Grand Designs' sponsorship idents", "broadcast certificates", "every episode in the term"),
                  ("Brand lift study", "independent research agency", "end of the term")),
                 (("Sponsorship ident, 10-second", "per episode", "fixed fee within the contract value"),
                  ("30-second spot, Channel 4 peak", "station average price", "index 125"),
                  ("All 4 (Channel 4 streaming) pre-roll", "CPM", "card rate less 20%")),
                 ("Priya Raman", "Partnerships Director")),
        Contract("jcdecaux_ooh_agreement.md", "JCDecaux Outdoor Advertising Agreement", "JCDecaux UK Ltd",
                 "991 Great West Road, Brentford TW8 9DN", "JCD-UK-25-3391", "3 February 2025", "1 March 2025",
                 "31 December 2025", jcd,
                 (("48-sheet roadside", "Mar–Dec 2025", round(jcd * 0.5)),
                  ("6-sheet and bus shelters", "Mar–Dec 2025", jcd - round(jcd * 0.5))),
                 "50% on signature, balance monthly in arrears, 30 days from invoice.",
                 "Campaign cycles may be cancelled with 8 weeks written notice at no charge.",
                 ("Minimum 95% panel posting compliance", "Route-audited impacts per two-week cycle as booked"),
                 "Panels not posted or damaged for more than 48 hours are extended by the days lost.",
                 (("Creative deadlines", "Artwork delivered 10 working days before each cycle."),),
                 MediaKind.OOH, "JCDecaux",
                 (("Panel posting compliance", "posting photographs and site audit", "at least 95%"),
                  ("Route-audited impacts", "Route release in force", "as booked per two-week cycle"),
                  ("Site list", "per campaign cycle", "5 working days before posting")),
                 (("48-sheet roadside", "per panel per two-week cycle", "card rate less 35%"),
                  ("6-sheet roadside", "per panel per two-week cycle", "card rate less 40%"),
                  ("Bus shelter package", "per panel per two-week cycle", "card rate less 40%")),
                 ("Mark Ellison", "Sales Director, Agencies")),
        Contract("clear_channel_dooh_agreement.md", "Clear Channel Digital Out-of-Home Agreement", "Clear Channel UK",
                 "33 Golden Square, London W1F 9JT", "CCUK-DOOH-25-0712", "15 July 2025", "1 August 2025",
                 "31 December 2025", ccd,
                 (("DOOH roadside (Adshel Live, Storm)", "Aug–Dec 2025", round(ccd * 0.6)),
                  ("DOOH malls", "Aug–Dec 2025", ccd - round(ccd * 0.6))),
                 "Monthly in arrears, 30 days from invoice.",
                 "Either party may terminate with 30 days written notice; booked weeks within the notice period are "
                 "payable.",
                 ("Share of time 1 in 6 on booked screens", "Proof-of-play reports weekly"),
                 "Plays lost through screen downtime above 3% are re-run within the term.", (),
                 MediaKind.DOOH, "Clear Channel",
                 (("Share of time on booked screens", "proof-of-play logs", "1 in 6"),
                  ("Proof-of-play report", "per week", "every Monday"),
                  ("Screen downtime tolerance", "proof-of-play logs", "3% of booked plays")),
                 (("Adshel Live roadside", "per screen per week, 1 in 6", "card rate less 30%"),
                  ("Storm large-format", "per screen per week, 1 in 6", "card rate less 25%"),
                  ("Mall screens", "per screen per week, 1 in 6", "card rate less 30%")),
                 ("Sophie Carter", "Head of Agency Partnerships")),
        Contract("media_agency_terms.md", "Media Agency Terms of Business", AGENCY,
                 AGENCY_ADDRESS, "MMP-TOB-2025-01", "2 December 2024", "1 January 2025",
                 "31 December 2026", fee,
                 ((f"Commission on media ({COMMISSION:.0%} of £{BUDGET_2025:,} planned 2025 spend)", "2025", fee),),
                 "Commission invoiced monthly with media, 30 days from invoice; media passed through at net cost.",
                 "Either party may terminate with 90 days written notice.",
                 ("Monthly performance reporting by channel", "Annual media audit by an independent auditor",
                  "Rebates and volume discounts passed back to the client in full"),
                 "Missed reporting deadlines reduce the following month's commission by 10%.",
                 (("Commission", f"The agency's remuneration is a commission of {COMMISSION:.0%} of net media spend."),
                  ("Budget", f"The 2025 UK media budget is £{BUDGET_2025:,} across 11 channels; its split by "
                             "channel is set out in Appendix A.")),
                 MediaKind.AGENCY, "the Agency",
                 (("Annual media plan", "approved by the Client", "by 15 December each year"),
                  ("Monthly performance report by channel", "delivered to the Client", "10th working day of the month"),
                  ("Independent media audit", "appointed auditor", "once a year"),
                  ("Quarterly business review", "meeting", "each quarter")),
                 (("Commission on net media spend", "per cent of net media", f"{COMMISSION:.0%}"),
                  ("Strategy and planning", "included in commission", "no separate fee"),
                  ("Econometric (MMM) study", "per study", "quoted separately")),
                 ("James Whitfield", "Managing Partner")),
    ]
