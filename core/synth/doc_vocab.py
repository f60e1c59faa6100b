"""What a contract calls things, by what it buys: defined terms and the nouns its clauses use.

Kept apart from the clause wording (core.synth.doc_contracts) so the same clause reads right for airtime, panels,
screens or agency services.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.synth.contracts import MediaKind


@dataclass(frozen=True)
class Vocab:
    """Nouns of one kind of media contract."""

    media: str  # what is bought
    units: str  # what is counted
    evidence: str  # what proves delivery
    measure: str  # whose numbers settle delivery
    definitions: tuple[tuple[str, str], ...]  # (term, meaning) defined for this kind only


VOCAB = {
    MediaKind.TV: Vocab(
        "airtime", "spots", "broadcast certificates", "BARB consolidated viewing data",
        (("Airtime", "advertising time on the Vendor's linear television channels and their simulcasts"),
         ("Spot", "a single transmission of an advertisement of the duration booked"),
         ("TVR", "a television rating: the audience of a Spot as a percentage of the target audience, as "
                 "reported by BARB"),
         ("Impact", "one viewing of one Spot by one member of the target audience"),
         ("Broadcast Certificate", "the Vendor's record of the channel, date and time at which each Spot was "
                                   "transmitted"),
         ("Peak", "the hours of 17:30 to 23:00 on any day of the week"))),
    MediaKind.BVOD: Vocab(
        "video advertising inventory", "impressions", "ad-server logs",
        "the Vendor's ad server, verified by an independent ad-verification provider",
        (("BVOD", "broadcaster video on demand: advertising served within the Vendor's streaming services"),
         ("Impression", "one advertisement served to one device and started"),
         ("Completion Rate", "the share of Impressions viewed to the end of the advertisement"),
         ("AdSmart", "the Vendor's addressable service that serves different advertisements to different "
                     "households watching the same programme"),
         ("CPM", "the cost per thousand Impressions"))),
    MediaKind.OOH: Vocab(
        "advertising panels", "panels", "posting photographs", "Route audience data",
        (("Panel", "a single advertising display face at a roadside, bus shelter or other site"),
         ("Campaign Cycle", "a posting period of two weeks starting on a Monday"),
         ("Posting Compliance", "the share of booked Panels posted and displayed on the first day of a Campaign "
                                "Cycle"),
         ("Route", "the out-of-home audience measurement currency of the UK industry"),
         ("Site List", "the list of Panels, with their locations, booked for a Campaign Cycle"))),
    MediaKind.DOOH: Vocab(
        "digital screen time", "plays", "proof-of-play logs", "the Vendor's proof-of-play logs",
        (("Screen", "a digital advertising display operated by the Vendor"),
         ("Play", "one complete display of an advertisement on one Screen"),
         ("Loop", "the repeating sequence of advertisements shown on a Screen"),
         ("Share of Time", "the proportion of each Loop given to the Client's advertisements"),
         ("Proof of Play", "the Vendor's log of every Play, by Screen, date and time"))),
    MediaKind.AGENCY: Vocab(
        "media services", "media bookings", "media owner invoices", "the Client's reporting dashboard",
        (("Net Media Spend", "the amount paid to media owners after all discounts, excluding commission and VAT"),
         ("Media Owner", "any broadcaster, publisher, platform or site owner from whom media is bought"),
         ("Rebate", "any discount, credit, bonus or volume payment a Media Owner gives in respect of the "
                    "Client's spend"),
         ("Media Plan", "the annual plan of channels, budgets and flighting approved by the Client"),
         ("Channel", "one of the eleven media channels set out in Appendix A"))),
}
