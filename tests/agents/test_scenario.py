"""What-if phrasings parse exactly: each row is a question and the plan-year spend it asks for."""

from __future__ import annotations

import pytest

from core.agents.amounts import Unit, find_amounts
from core.agents.scenario import parse

NOW = {"tv": 6_000_000.0, "ooh": 3_000_000.0, "youtube": 2_400_000.0, "meta": 2_200_000.0, "google": 1_800_000.0,
       "dv360": 1_400_000.0, "tiktok": 1_000_000.0, "linkedin": 600_000.0, "print": 600_000.0,
       "radio": 400_000.0, "events": 600_000.0}

PHRASINGS = [
    # move X from A to B
    ("If I move £500k from TV to Google, what happens to leads?", {"tv": 5_500_000, "google": 2_300_000}),
    ("move £500k from TV to Google", {"tv": 5_500_000, "google": 2_300_000}),
    ("What if we shift 0.5M out of TV into paid search?", {"tv": 5_500_000, "google": 2_300_000}),
    ("reallocate £300k from print to LinkedIn", {"print": 300_000, "linkedin": 900_000}),
    ("transfer half a million from OOH to YouTube", {"ooh": 2_500_000, "youtube": 2_900_000}),
    ("take £1m off TV and put it into Meta", {"tv": 5_000_000, "meta": 3_200_000}),
    ("shift 10% of TV into TikTok", {"tv": 5_400_000, "tiktok": 1_600_000}),
    ("What happens if we moved £250,000 from radio to events?", {"radio": 150_000, "events": 850_000}),
    ("move 200k from DV360 over to YouTube", {"dv360": 1_200_000, "youtube": 2_600_000}),
    # out of one channel, shared between several
    ("Take half the LinkedIn budget and split it evenly between TikTok and Google",
     {"linkedin": 300_000, "tiktok": 1_150_000, "google": 1_950_000}),
    ("take 20% of the TV budget and spread it across Meta, Google and TikTok",
     {"tv": 4_800_000, "meta": 2_600_000, "google": 2_200_000, "tiktok": 1_400_000}),
    ("move £300k out of TV and split it between Meta and Google", {"tv": 5_700_000, "meta": 2_350_000,
                                                                    "google": 1_950_000}),
    # the next amount in a channel is added to it
    ("What would the next £100k in Google bring back?", {"google": 1_900_000}),
    # cut / raise by a percentage or an amount
    ("What happens to leads if we cut TV spend by 20%?", {"tv": 4_800_000}),
    ("cut Meta by a fifth", {"meta": 1_760_000}),
    ("reduce OOH by 25 per cent", {"ooh": 2_250_000}),
    ("increase Google by 15% and reduce TV by 10%", {"google": 2_070_000, "tv": 5_400_000}),
    ("TV down 10%, Meta up 10%", {"tv": 5_400_000, "meta": 2_420_000}),
    ("cut TV and radio by 20%", {"tv": 4_800_000, "radio": 320_000}),
    ("what if we cut TV by £1m", {"tv": 5_000_000}),
    ("boost YouTube by £400k", {"youtube": 2_800_000}),
    ("raise TikTok spend by 50%", {"tiktok": 1_500_000}),
    ("trim print by half", {"print": 300_000}),
    ("slash linkedin by 100k", {"linkedin": 500_000}),
    ("What would happen with 30% less radio?", {"radio": 280_000}),
    # set to an amount
    ("what if we spend £2m on OOH", {"ooh": 2_000_000}),
    ("set OOH to £2m", {"ooh": 2_000_000}),
    ("raise Google to £2.5m and pause print", {"google": 2_500_000, "print": 0}),
    ("cut TV to £4 million", {"tv": 4_000_000}),
    ("What if TikTok budget is £1.5M?", {"tiktok": 1_500_000}),
    ("bring events down to 400k", {"events": 400_000}),
    # add / take an amount
    ("put an extra half a million into TikTok", {"tiktok": 1_500_000}),
    ("add 0.5M to YouTube", {"youtube": 2_900_000}),
    ("spend £250,000 more on events", {"events": 850_000}),
    ("what if we spend another £1m on Meta", {"meta": 3_200_000}),
    # stop
    ("stop radio", {"radio": 0}),
    ("what if we had no radio", {"radio": 0}),
    ("What happens if we pause LinkedIn and switch off print?", {"linkedin": 0, "print": 0}),
    ("kill print and double TikTok", {"print": 0, "tiktok": 2_000_000}),
    # multiply
    ("double Meta and halve print", {"meta": 4_400_000, "print": 300_000}),
    ("what if we tripled linkedin", {"linkedin": 1_800_000}),
    ("double Meta and TikTok", {"meta": 4_400_000, "tiktok": 2_000_000}),
    ("What if we doubled TV?", {"tv": 12_000_000}),
    # split X across A and B
    ("split £1M across YouTube and Meta", {"youtube": 2_900_000, "meta": 2_700_000}),
    ("an extra £600k split between TV, OOH and radio", {"tv": 6_200_000, "ooh": 3_200_000, "radio": 600_000}),
    ("spend another £1.2m evenly across Google, Meta & TikTok",
     {"google": 2_200_000, "meta": 2_600_000, "tiktok": 1_400_000}),
    ("cut £400k across print and radio", {"print": 400_000, "radio": 200_000}),
    # verbs that take their meaning from the words around them
    ("Put TV at £5m - what do we get?", {"tv": 5_000_000}),
    ("what if we run radio at £1m and put Meta at £3m", {"radio": 1_000_000, "meta": 3_000_000}),
    ("Knock 15% off Meta", {"meta": 1_870_000}),
    ("Take a million off the telly", {"tv": 5_000_000}),
    ("shave £100k off print", {"print": 500_000}),
    ("Put another £1m into TV", {"tv": 7_000_000}),
    ("What do we lose if we pull out of print altogether?", {"print": 0}),
    ("What if we dropped radio altogether?", {"radio": 0}),
    ("What if Google went dark?", {"google": 0}),
    ("How much would we lose if we stopped all TV?", {"tv": 0}),
    ("Move a quarter of the TV budget into YouTube", {"tv": 4_500_000, "youtube": 3_900_000}),
    ("Cut everything by 10%", {ch: 0.9 * v for ch, v in NOW.items()}),
    ("What's our Meta spend last year, and would moving £200k of it into Google help?",
     {"meta": 2_000_000, "google": 2_000_000}),  # "of it" is the channel named before
]


@pytest.mark.parametrize(("question", "expected"), PHRASINGS, ids=[q for q, _ in PHRASINGS])
def test_phrasing_parses_exactly(question, expected):
    scenario = parse(question)
    assert scenario.problems == ()
    assert scenario.apply(NOW) == pytest.approx({ch: float(v) for ch, v in expected.items()})


def test_the_table_is_at_least_forty_phrasings():
    assert len(PHRASINGS) >= 40


@pytest.mark.parametrize("question", ["What is the ROI of TV?", "what if we move budget around",
                                      "Is TikTok paying for itself?",
                                      "What has gone on catch-up TV (BVOD) altogether?",
                                      "How much warning to tear up the Sky contract altogether?",
                                      "What does our TV spend add up to this year?"])
def test_no_change_named_is_an_empty_scenario(question):
    s = parse(question)
    assert s.empty and s.problems == ()


@pytest.mark.parametrize(("question", "problem"), [
    ("cut TV", "by how much"),
    ("set Meta to 20%", "amount of money"),
    ("split 10% across YouTube and Meta", "amount of money"),
    ("raise the total budget by £1m", "needs a percentage"),  # shared out how?
    ("If we went dark on TV for a month, would leads drop?", "part of"),  # the what-if is a whole plan year
    ("what if we cut TV in Q4 by 20%", "part of"),
])
def test_a_change_that_cannot_be_read_exactly_is_reported_not_guessed(question, problem):
    s = parse(question)
    assert any(problem in p for p in s.problems)


def test_moving_more_than_a_channel_has_is_refused():
    with pytest.raises(ValueError, match="radio"):
        parse("move £1m from radio to TV").apply(NOW)


def test_a_user_files_own_channel_names_are_the_vocabulary():
    s = parse("move 5k from x1 to paid social", channels=["x1", "paid_social"])
    assert s.apply({"x1": 20_000.0, "paid_social": 10_000.0}) == {"x1": 15_000.0, "paid_social": 15_000.0}


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("£500k", 500_000, Unit.MONEY), ("0.5M", 500_000, Unit.MONEY), ("half a million", 500_000, Unit.MONEY),
    ("£2 million", 2_000_000, Unit.MONEY), ("£250,000", 250_000, Unit.MONEY), ("20%", 20, Unit.PERCENT),
    ("20 per cent", 20, Unit.PERCENT), ("a fifth", 20, Unit.PERCENT), ("£1.2bn", 1_200_000_000, Unit.MONEY),
])
def test_amounts(text, value, unit):
    (amount,) = find_amounts(f"what if {text} more")
    assert amount.value == pytest.approx(value) and amount.unit is unit


@pytest.mark.parametrize("text", ["in 2025", "top 5 channels", "in September 2025"])
def test_years_and_small_counts_are_not_money(text):
    assert find_amounts(text) == []
