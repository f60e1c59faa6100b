"""Marketing mix model: transforms, fit with bootstrap intervals, ROI, curves, optimizer and what-if."""

from core.mmm.cache import get_fit
from core.mmm.data import MmmDataError, WeeklyData, load_weekly
from core.mmm.fit import fit_model
from core.mmm.optimize import optimize_budget, whatif
from core.mmm.outputs import (
    adstock_curves,
    coefficient_magnitudes,
    coefficients,
    contributions,
    current_allocation,
    fit_diagnostics,
    fitted_vs_actual,
    response_curves,
    roi_table,
)
from core.mmm.summary import summarize
from core.mmm.types import (
    AdstockKind,
    ChannelHyper,
    FitConfig,
    MmmFit,
    Optimization,
    WhatIf,
)

__all__ = [
    "AdstockKind", "ChannelHyper", "FitConfig", "MmmDataError", "MmmFit", "Optimization", "WeeklyData", "WhatIf",
    "adstock_curves", "coefficient_magnitudes", "coefficients", "contributions", "current_allocation",
    "fit_diagnostics", "fit_model", "fitted_vs_actual", "get_fit", "load_weekly", "optimize_budget",
    "response_curves", "roi_table", "summarize", "whatif",
]
