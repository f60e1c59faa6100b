"""The UK dealer network: 50 dealers in 10 regions, 15 of them launch dealers."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.synth.facts import CITIES, DEALER_GROUPS, N_DEALERS, N_LAUNCH_DEALERS, REGIONS

REGION_WEIGHT = np.array([0.18, 0.14, 0.08, 0.09, 0.10, 0.07, 0.11, 0.09, 0.09, 0.05])


def dealers(rng: np.random.Generator) -> pd.DataFrame:
    """dealer_id DLR001…DLR050, name, group, city, region, launch_dealer, response speed (median hours)."""
    per_region = N_DEALERS // len(REGIONS)
    rows = []
    for r, region in enumerate(REGIONS):
        for j in range(per_region):
            i = r * per_region + j
            city = CITIES[region][j % len(CITIES[region])]
            group = DEALER_GROUPS[(i * 3 + j) % len(DEALER_GROUPS)]
            rows.append({"dealer_id": f"DLR{i + 1:03d}", "dealer_name": f"{group} DEEPAL {city}", "group": group,
                         "city": city, "region": region})
    df = pd.DataFrame(rows)
    # Each region's first dealer launches, plus five more picked at random: every region can test drive.
    first = df.groupby("region", sort=False).head(1).index.to_numpy()
    extra = rng.choice(np.setdiff1d(df.index, first), N_LAUNCH_DEALERS - len(first), replace=False)
    df["launch_dealer"] = df.index.isin(np.concatenate([first, extra]))
    df["median_response_hours"] = np.round(rng.lognormal(np.log(9), 0.6, len(df)), 1)
    return df
