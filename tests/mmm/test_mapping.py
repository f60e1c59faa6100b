"""A user's weekly CSV mapped onto the model layout, with clear refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.mmm import load_weekly
from core.mmm.data import MmmDataError
from core.mmm.mapping import ColumnMap, apply, channel_key, guess, save


def _user_table(weeks: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%d/%m/%Y"),
                         "TV Spend (£)": rng.uniform(0, 5e4, weeks), "Search cost": rng.uniform(1e3, 9e3, weeks),
                         "Temperature": rng.normal(12, 5, weeks), "Sales": rng.poisson(300, weeks)})


def test_channel_keys():
    assert channel_key("TV Spend (£)") == "tv" and channel_key("spend_meta") == "meta"
    assert channel_key("Search cost") == "search"


def test_guess_then_apply_gives_a_loadable_table(tmp_path):
    df = _user_table()
    g = guess(df)
    assert g == ColumnMap("Week", "Sales", ("TV Spend (£)", "Search cost"), ("Temperature",))
    mapped = apply(df, g)
    assert list(mapped.columns) == ["week_start", "spend_tv", "spend_search", "temperature", "kpi"]
    data = load_weekly(mapped, target="kpi")
    assert list(data.channels) == ["tv", "search"]
    path = save(mapped, tmp_path)
    assert path == save(mapped, tmp_path) and path.read_text().startswith("week_start,")


@pytest.mark.parametrize("cmap,message", [
    (ColumnMap("Week", "Sales", ()), "at least one spend column"),
    (ColumnMap("Week", "Sales", ("Nope",)), "not in the file: Nope"),
    (ColumnMap("Week", "TV Spend (£)", ("TV Spend (£)",)), "cannot also be spend"),
])
def test_bad_mappings_are_refused(cmap, message):
    with pytest.raises(MmmDataError, match=message):
        apply(_user_table(), cmap)


def test_too_few_weeks_and_negative_spend_are_refused():
    with pytest.raises(MmmDataError, match="weeks"):
        apply(_user_table(10), guess(_user_table(10)))
    df = _user_table()
    df.loc[3, "TV Spend (£)"] = -1
    with pytest.raises(MmmDataError, match="negative"):
        apply(df, guess(df))
