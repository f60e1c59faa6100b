"""The wording of a media contract's clauses, composed from templates and the contract's own facts.

Each function returns one clause (a title and numbered sub-clauses). Facts (values, dates, notice, payment,
KPIs, make-goods) come from the Contract; the wording around them is picked per contract and per style from a
few variants, so seven agreements do not repeat one paragraph seven times and the foreign rendering reads
differently from the default one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.synth.contracts import ADDRESS, Contract, MediaKind
from core.synth.doc_model import Block, Bullets, Grid, money, pick
from core.synth.doc_vocab import VOCAB
from core.synth.facts import AGENCY, BRAND
from core.synth.lines import TRADITIONAL, Line, Pattern


@dataclass(frozen=True)
class Sub:
    """A numbered sub-clause: its text, any blocks shown under it, and its own numbered children."""

    text: str
    after: tuple[Block, ...] = ()
    children: tuple[str, ...] = ()


@dataclass(frozen=True)
class Clause:
    """A numbered clause: its title and sub-clauses."""

    title: str
    subs: tuple[Sub, ...] = field(default_factory=tuple)


def _v(c: Contract, foreign: bool, clause: str, options: tuple[str, ...]) -> str:
    """The variant of a sentence this contract and style use."""
    return pick(options, c.reference, "foreign" if foreign else "default", clause)


def parties(c: Contract, foreign: bool) -> Clause:
    """Who the agreement is between."""
    if c.kind is MediaKind.AGENCY:
        first = (f"This agreement is between **{BRAND}** (the Client), {ADDRESS}, and **{c.vendor}** (the "
                 f"Agency), {c.vendor_address}.")
        second = ("The Agency is appointed as the Client's media planning and buying agency for the United "
                  "Kingdom and contracts with Media Owners as agent for the Client, a disclosed principal.")
    else:
        first = (f"This agreement is between **{BRAND}** (the Client), {ADDRESS}, acting through its media agency "
                 f"{AGENCY}, and **{c.vendor}** (the Vendor), {c.vendor_address}.")
        second = _v(c, foreign, "parties", (
            f"{AGENCY} signs as agent for the Client; the Client remains liable for payment of sums properly "
            "invoiced under this agreement.",
            f"The Client has authorised {AGENCY} to place, amend and cancel bookings under this agreement on its "
            "behalf, and the Vendor may rely on instructions given by the agency.",
            f"Bookings are placed by {AGENCY} as the Client's agent; the agency is not a principal to any booking "
            "and the Client is responsible for payment."))
    role = "Agency" if c.kind is MediaKind.AGENCY else "Vendor"
    also = "" if c.kind is MediaKind.AGENCY else f"{c.short} or "
    third = (f"In this agreement {c.vendor} is referred to as {also}the {role}, and the Client and the {role} "
             "together as the parties.")
    return Clause("Contracting parties" if foreign else "Parties", (Sub(first), Sub(second), Sub(third)))


def definitions(c: Contract, foreign: bool) -> Clause:
    """Defined terms: the common ones and those of what the contract buys."""
    common = (("Agreement", "this agreement, including its schedules and appendices, as amended in writing"),
              ("Business Day", "a day other than a Saturday, Sunday or public holiday in England"),
              ("Contract Value", f"the total value stated in clause 4, being {money(c.value)} excluding VAT"),
              ("Term", f"the period from {c.start} to {c.end}"))
    terms = sorted(common + VOCAB[c.kind].definitions)
    lead = _v(c, foreign, "definitions", (
        "In this agreement the following words have these meanings:",
        "The following definitions apply in this agreement:",
        "Unless the context requires otherwise, these terms are used with the meanings given below:"))
    items = tuple(f"\"{term}\" means {meaning};" for term, meaning in terms)
    rules = _v(c, foreign, "interpretation", (
        "Clause and schedule headings do not affect interpretation; the singular includes the plural; a reference "
        "to a statute includes it as amended or re-enacted.",
        "Headings are for convenience only. Words such as \"including\" do not limit the words before them, and "
        "references to writing include email.",
        "If a schedule conflicts with the clauses, the clauses prevail; references to writing include email but "
        "not instant messages."))
    return Clause("Interpretation" if foreign else "Definitions and interpretation",
                  (Sub(lead, (Bullets(items),)), Sub(rules)))


def term(c: Contract, foreign: bool) -> Clause:
    """When the agreement starts and ends."""
    first = (f"The agreement was signed on {c.signed} and runs from {c.start} to {c.end}." if foreign else
             f"The agreement runs from {c.start} to {c.end}; the Term ends on {c.end}.")
    second = _v(c, foreign, "term", (
        "Any extension must be agreed in writing before the end of the Term; bookings do not roll over.",
        "The parties will review the agreement two months before it expires and may extend it by written "
        "variation.",
        "No renewal is implied: bookings after the Term need a new agreement or a signed variation."))
    third = _v(c, foreign, "survival", (
        "Clauses on payment, confidentiality, liability and governing law survive the end of the Term.",
        f"The end of the Term does not affect sums already due under {c.reference} or rights that arose before it.",
        "Obligations that by their nature continue, including payment and confidentiality, survive expiry."))
    return Clause("Duration" if foreign else "Term", (Sub(first), Sub(second), Sub(third)))


def value(c: Contract, foreign: bool) -> Clause:
    """The contract value and its breakdown (the table the world checks compare with the bookings)."""
    rows = tuple((item, period, money(v)) for item, period, v in c.value_rows)
    table = Grid(("Item", "Period", "Value"), rows)
    total = (f"The Client shall pay a total consideration of **{money(c.value)}**, exclusive of VAT, made up of:"
             if foreign else f"The total contract value is **{money(c.value)}** (excluding VAT), made up of:")
    if c.kind is MediaKind.AGENCY:
        basis = ("Media bought for the Client is invoiced at Net Media Spend and passed through without mark-up; "
                 "the Contract Value is the Agency's commission on the planned spend.")
    else:
        basis = _v(c, foreign, "value-basis", (
            f"Rates for {VOCAB[c.kind].media} are those set out in Schedule 2; the Vendor's published rate card "
            "does not apply.",
            f"The value is calculated from the rates in Schedule 2 and the {VOCAB[c.kind].units} booked; any "
            "agency discount is already reflected in those rates.",
            f"Schedule 2 sets out the rates for {VOCAB[c.kind].media}. Rates are fixed for the Term."))
    vat = _v(c, foreign, "vat", (
        "VAT is added at the rate in force on the date of each invoice.",
        "All sums are stated net of VAT, which is charged in addition at the prevailing rate.",
        f"VAT is payable on every invoice under {c.reference} at the standard rate then in force."))
    return Clause("Consideration" if foreign else "Contract value", (Sub(total, (table,)), Sub(basis), Sub(vat)))


def delivery(c: Contract, foreign: bool) -> Clause:
    """How what is bought is booked, delivered and proved: one clause per kind of media."""
    v = VOCAB[c.kind]
    subs: tuple[Sub, ...]
    if c.kind is MediaKind.TV:
        title = "Airtime orders and broadcast" if foreign else "Booking and transmission"
        subs = (Sub(f"Spots are booked by written order from {AGENCY} at least four weeks before transmission, "
                    "stating the campaign, spot length, target audience and weekly weight."),
                Sub(f"{c.short} schedules Spots across its channels to meet the audience targets in clause 9; "
                    "the Client may request specific programmes, subject to availability.",
                    children=("Spots placed outside the agreed dayparts count towards delivery only if the "
                              "Client approves them in writing.",
                              "Two Spots for competing electric car brands are not scheduled in the same break.")),
                Sub("Every advertisement must carry Clearcast clearance before transmission; the Client supplies "
                    "clocked copy at least three Business Days before first air."),
                Sub(f"{c.short} provides {v.evidence} weekly and delivery is settled on {v.measure}."))
    elif c.kind is MediaKind.BVOD:
        title = "Ad serving" if foreign else "Delivery of impressions"
        subs = (Sub("Impressions are served on Sky Go and through AdSmart to the audiences agreed in each "
                    "insertion order."),
                Sub("The Vendor paces delivery evenly across each month unless the insertion order states a "
                    "different weighting.",
                    children=("Impressions served to devices outside the United Kingdom do not count towards "
                              "delivery.",)),
                Sub(f"Delivery is measured on {v.measure}; where the two differ by more than 10% the parties "
                    "reconcile before invoicing."))
    elif c.kind is MediaKind.OOH:
        title = "Display of posters" if foreign else "Posting and sites"
        subs = (Sub("Panels are booked in Campaign Cycles. The Vendor issues a Site List for each cycle and "
                    "posts the Client's artwork on the first Monday of the cycle."),
                Sub("The Vendor may substitute a Panel of equal or better audience and format if a booked site "
                    "becomes unavailable, and tells the agency before posting.",
                    children=("A substituted Panel is shown in a revised Site List before it is posted.",
                              "Panels damaged or defaced during a cycle are reposted within 48 hours of notice.")),
                Sub(f"The Vendor supplies {v.evidence} for a sample of at least 10% of Panels in each cycle, and "
                    f"audiences are reported on {v.measure}."))
    elif c.kind is MediaKind.DOOH:
        title = "Digital display" if foreign else "Screens and plays"
        subs = (Sub("The Client's advertisements are shown on the booked Screens at the Share of Time in "
                    "clause 9, in every Loop during the hours the Screens operate."),
                Sub("Content is supplied in the Vendor's formats at least five Business Days before going live "
                    "and may be changed once a week at no charge.",
                    children=("Dayparted or weather-triggered content is scheduled by the Vendor at no extra "
                              "cost.",)),
                Sub(f"Delivery is settled on {v.measure}, shared with the agency every week."))
    else:
        title = "Scope of appointment" if foreign else "Appointment and services"
        subs = (Sub("The Agency plans and buys media across the Channels in Appendix A, within the budgets and "
                    "flighting of the approved Media Plan."),
                Sub("No booking may be made that would take any Channel above its budget in Appendix A without "
                    "the Client's written approval.",
                    children=("The Agency may move up to 5% of a Channel's budget between months without "
                              "approval, provided the Channel's annual budget is not exceeded.",)),
                Sub("The Agency negotiates with Media Owners in the Client's name, signs agreements as its agent "
                    "and keeps copies of every contract, order and invoice for six years."))
    return Clause(title, subs)


def _pattern_words(line: Line) -> str:
    """How a line is bought, in words."""
    return {Pattern.ALWAYS_ON: "running continuously", Pattern.FLIGHTED: "flighted in bursts",
            Pattern.SPORADIC: "bought as individual insertions"}[line.pattern]


def campaign(c: Contract, foreign: bool) -> Clause:
    """The campaigns the contract carries, from the media lines booked against its reference."""
    v = VOCAB[c.kind]
    subs: tuple[Sub, ...]
    if c.kind is MediaKind.AGENCY:
        names = sorted({f"{ln.campaign} ({ln.model})" for ln in TRADITIONAL if ln.start.year == 2025})
        subs = (Sub(f"The 2025 plan covers the launches of the DEEPAL S07, AVATR 12 and AVATR 11 and the preview "
                    f"of the DEEPAL S05; its traditional media lines are: {', '.join(names)}."),
                Sub("Digital campaigns run on Meta, Google, YouTube, TikTok, DV360 and LinkedIn under the "
                    "platforms' own terms, bought by the Agency in the Client's accounts."))
        return Clause("Campaign particulars" if foreign else "Campaigns", subs)
    booked = [ln for ln in TRADITIONAL if ln.contract_ref.startswith(c.reference)]
    subs = tuple(Sub(f"The {v.media} bought under this agreement carry the {ln.campaign} campaign "
                     f"({ln.campaign_id}) for the {ln.model}, first on air in the week of {ln.start.day} "
                     f"{ln.start:%B %Y} and {_pattern_words(ln)}.") for ln in booked)
    follow = _v(c, foreign, "campaign", (
        "Weekly weights are set by the agency within the value in clause 4 and may be moved between weeks on "
        "ten Business Days' notice.",
        "The agency may re-phase weekly weight within the Term without charge, provided the total stays within "
        "the value in clause 4.",
        "Creative rotation and weekly weight are confirmed by the agency in writing before each flight."))
    return Clause("Campaign particulars" if foreign else "Campaigns", (*subs, Sub(follow)))


def payment(c: Contract, foreign: bool) -> Clause:
    """Payment terms: the contract's own, then invoicing and disputes."""
    first = f"Payment terms: {c.payment}" if not foreign else f"Invoices are settled as follows: {c.payment}"
    second = _v(c, foreign, "invoice", (
        f"Each invoice quotes the reference {c.reference}, the campaign and the period it covers, and is sent "
        f"to {AGENCY} with the supporting {VOCAB[c.kind].evidence}.",
        f"Invoices without the reference {c.reference} or without {VOCAB[c.kind].evidence} may be returned "
        "unpaid and the payment period runs from receipt of a correct invoice.",
        f"The reference {c.reference} must appear on every invoice; the agency reconciles invoices against "
        f"{VOCAB[c.kind].evidence} before payment."))
    third = _v(c, foreign, "dispute", (
        "An invoice disputed in good faith may be withheld in the disputed part only; the undisputed balance is "
        "paid on time.",
        "The Client may withhold the disputed part of an invoice while the parties resolve the dispute, and pays "
        "the rest when due."))
    fourth = _v(c, foreign, "late", (
        "Late payments carry interest under the Late Payment of Commercial Debts (Interest) Act 1998.",
        "Interest on overdue sums runs at 4% a year above the Bank of England base rate until payment.",
        f"{c.short} may charge statutory interest on any undisputed sum unpaid 14 days after its due date."))
    return Clause("Invoicing and settlement" if foreign else "Payment terms",
                  (Sub(first), Sub(second), Sub(third), Sub(fourth)))


def notice(c: Contract, foreign: bool) -> Clause:
    """Notice period and cancellation: the contract's own terms, then how notice is given."""
    first = f"Notice period: {c.notice}" if not foreign else f"Cancellation and notice: {c.notice}"
    second = _v(c, foreign, "notice-how", (
        "Notice must be given in writing under the notices clause and runs from the day it is received.",
        "Written notice takes effect on the Business Day after it is delivered; email counts as writing if it "
        "is acknowledged.",
        "Any notice of cancellation must identify the bookings affected and is effective from receipt."))
    third = _v(c, foreign, "breach", (
        "Either party may terminate at once by written notice if the other commits a material breach that is not "
        "remedied within 14 days of being asked to, or becomes insolvent.",
        "A party may end the agreement immediately if the other becomes insolvent or fails to remedy a material "
        "breach within 14 days of written notice of it.",
        f"Termination for cause does not release the Client from paying for {VOCAB[c.kind].units} already "
        "delivered in line with this agreement."))
    return Clause("Cancellation and termination" if foreign else "Notice period and cancellation",
                  (Sub(first), Sub(second), Sub(third)))


def kpis(c: Contract, foreign: bool) -> Clause:
    """The performance indicators the contract guarantees."""
    lead = ("The Agency shall meet the following KPIs:" if c.kind is MediaKind.AGENCY else
            "The Vendor guarantees the following KPIs:") if not foreign else "The following performance standards apply:"
    second = f"Performance is measured on {VOCAB[c.kind].measure} and reported monthly to the Client."
    third = _v(c, foreign, "kpi-review", (
        "Either party may call a review meeting if any KPI is missed in two consecutive months.",
        "KPIs are reviewed at each quarterly business review and any shortfall is recorded with its remedy.",
        "A missed KPI is reported within five Business Days of the month end, with the cause and a recovery "
        "plan."))
    return Clause("Performance standards" if foreign else "KPIs",
                  (Sub(lead, (Bullets(c.kpis),)), Sub(second), Sub(third)))


def make_goods(c: Contract, foreign: bool) -> Clause:
    """What happens when delivery falls short."""
    first = f"Make-goods: {c.make_goods}" if not foreign else f"Remedy for under-delivery: {c.make_goods}"
    second = _v(c, foreign, "make-goods", (
        "Make-good schedules are proposed within ten Business Days of the shortfall and need the Client's "
        "approval.",
        "The agency must approve each proposed make-good before it runs; make-goods are offered in the same or "
        "a better audience.",
        "Make-goods are offered in comparable dayparts or locations and do not count towards any volume "
        "rebate."))
    third = _v(c, foreign, "credit", (
        "If a make-good cannot be delivered within the Term, the shortfall is credited at the booked rate.",
        f"Where no make-good is possible, {c.short} credits the value of the shortfall against the next invoice.",
        "Any shortfall still outstanding at the end of the Term is refunded within 30 days."))
    return Clause("Remedies for under-delivery" if foreign else "Make-goods", (Sub(first), Sub(second), Sub(third)))


def extra(c: Contract, foreign: bool, title: str, text: str) -> Clause:
    """A clause particular to this contract, with a sentence on how it is applied."""
    follow = _v(c, foreign, f"extra-{title}", (
        "This clause applies for the whole Term and is not affected by any cancellation of individual bookings.",
        "Any change to this clause must be agreed in writing and signed by both parties.",
        "The agency confirms in each quarterly review that this clause has been applied."))
    return Clause(title, (Sub(text), Sub(follow)))


def standard(c: Contract, foreign: bool) -> list[Clause]:
    """The clauses every agreement closes with; their wording varies by contract."""
    v = VOCAB[c.kind]
    return [
        Clause("Advertising standards" if foreign else "Copy and compliance", (
            Sub("All advertising must comply with the UK Code of Non-broadcast Advertising (CAP Code) or the UK "
                "Code of Broadcast Advertising (BCAP Code), as applies."),
            Sub(_v(c, foreign, "copy", (
                f"{c.short} may refuse copy that it reasonably believes breaches the law or those codes, and "
                "will give reasons in writing.",
                "The Client warrants that claims about range, charging and price are substantiated before the "
                "advertising runs.",
                "Electric range and charging claims must state the test cycle (WLTP) they are based on."))))),
        Clause("Confidential information" if foreign else "Confidentiality", (
            Sub(_v(c, foreign, "confidential", (
                "Each party keeps the terms of this agreement, including its rates, confidential and uses the "
                "other's information only to perform it.",
                f"The rates, volumes and discounts in this agreement are confidential to the parties and to "
                f"{AGENCY}.",
                "Neither party discloses the other's confidential information except to its advisers, auditors "
                "or as the law requires."))),
            Sub(_v(c, foreign, "confidential-term", (
                "This obligation lasts for three years after the end of the Term.",
                "The duty of confidence continues for three years after this agreement ends.",
                "These obligations survive for three years from the end of the Term."))))),
        Clause("Personal data" if foreign else "Data protection", (
            Sub("Each party complies with the UK GDPR and the Data Protection Act 2018 for any personal data it "
                "handles under this agreement."),
            Sub(_v(c, foreign, "data", (
                f"Only aggregated, non-personal delivery data is shared; {v.evidence} contain no personal data.",
                "Any audience data provided is aggregated and may not be used to identify individuals.",
                "Neither party transfers personal data outside the UK without the other's written consent."))))),
        Clause("Limitation of liability" if foreign else "Liability", (
            Sub(_v(c, foreign, "liability", (
                "Neither party is liable for indirect or consequential loss, or for loss of profit or goodwill.",
                "Each party's total liability in each contract year is limited to the Contract Value.",
                "Liability for death or personal injury caused by negligence, or for fraud, is not limited."))),
            Sub(_v(c, foreign, "liability-law", (
                "Nothing in this agreement limits liability that cannot be limited by law.",
                f"Neither party excludes liability for fraud or for any other loss that the law does not allow "
                f"{c.short} or the Client to exclude.",
                "No limit in this clause applies to the Client's obligation to pay sums properly due."))))),
        Clause("Events beyond control" if foreign else "Force majeure", (
            Sub("A force majeure event is any event beyond a party's reasonable control, including fire, flood, "
                "strikes, network failure and acts of government, but not lack of funds."),
            Sub(_v(c, foreign, "force", (
                f"Neither party is liable for failure to perform caused by events beyond its reasonable control; "
                f"{v.units} lost to such an event are rescheduled or credited.",
                f"If such an event prevents delivery for more than 30 days, the Client may cancel the affected "
                f"{v.units} without charge.",
                "A party affected by such an event tells the other promptly and does what it reasonably can to "
                "limit its effect."))))),
        Clause("Records and inspection" if foreign else "Reporting and audit", (
            Sub(_v(c, foreign, "records", (
                f"{c.short} keeps complete records of the {v.units} delivered and the sums invoiced under this "
                "agreement for six years after the Term.",
                f"Records of every booking, {v.units[:-1]} delivered and invoice are kept for at least six years "
                "and made available on reasonable notice.",
                "Each party keeps accurate records of its performance of this agreement and retains them for six "
                "years."))),
            Sub(_v(c, foreign, "audit", (
                "The Client, or an independent auditor it appoints, may inspect those records once a year on ten "
                "Business Days' notice.",
                "An independent media auditor appointed by the Client may audit delivery and invoicing against "
                "this agreement once in each contract year.",
                "Any overpayment an audit finds is refunded within 30 days; the Client bears the cost of the audit "
                "unless it finds an overcharge above 5%."))))),
        Clause("Ethical conduct" if foreign else "Anti-bribery and modern slavery", (
            Sub("Each party complies with the Bribery Act 2010 and the Modern Slavery Act 2015, and neither offers "
                "nor accepts any gift or hospitality intended to influence a booking."),
            Sub(_v(c, foreign, "ethics", (
                "A breach of this clause is a material breach that cannot be remedied.",
                "Each party tells the other at once if it becomes aware of a breach of this clause.",
                "Each party keeps policies and training that are adequate to prevent bribery in its business."))))),
        Clause("Transfer of rights" if foreign else "Assignment and subcontracting", (
            Sub(_v(c, foreign, "assign", (
                "Neither party may assign this agreement without the other's written consent, not to be "
                "unreasonably withheld.",
                f"{c.short} may not subcontract delivery without the Client's written approval.",
                "The Client may assign this agreement to another company in its group on written notice."))),)),
        Clause("Communications" if foreign else "Notices", (
            Sub(f"Notices to the Client go to the Marketing Director, {BRAND}, {ADDRESS}, with a copy to "
                f"{AGENCY}."),
            Sub(f"Notices to {c.short} go to the address in clause 1, marked for the attention of the "
                f"{c.signatory[1]}."))),
        Clause("Whole agreement" if foreign else "Entire agreement", (
            Sub(_v(c, foreign, "entire", (
                "This agreement is the whole agreement between the parties about its subject and replaces any "
                "earlier proposal, rate card or correspondence.",
                f"This agreement, with its schedules, records everything agreed about {c.reference}; neither party "
                "relies on any statement not set out in it.",
                "No terms printed on an order, invoice or rate card apply unless this agreement adopts them."))),)),
        Clause("Law and jurisdiction" if foreign else "Governing law", (
            Sub("This agreement is governed by the laws of England and Wales."),
            Sub(_v(c, foreign, "courts", (
                "The courts of England have exclusive jurisdiction over any dispute arising from it.",
                "Any dispute is first referred to senior managers of both parties for 20 Business Days before "
                "either goes to the courts of England.",
                "The parties submit to the exclusive jurisdiction of the courts of England and Wales."))))),
    ]


def clauses(c: Contract, foreign: bool) -> list[Clause]:
    """Every numbered clause of the contract, in order: the contract's own extras before the standard ones."""
    body = [parties(c, foreign), definitions(c, foreign), term(c, foreign), value(c, foreign),
            delivery(c, foreign), campaign(c, foreign), payment(c, foreign), notice(c, foreign), kpis(c, foreign),
            make_goods(c, foreign)]
    body += [extra(c, foreign, title, text) for title, text in c.extra]
    return body + standard(c, foreign)
