"""The fixed facts of the synthetic world: brand, budgets, models, dealers, calendar, true media effects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.config import DEFAULT_VALUE_PER_LEAD
from core.domain import channel_label

BRAND = "DEEPAL UK Ltd"
PARENT = "Changan Automobile"
AGENCY = "Meridian Media Partners Ltd"
MARKETS = ("GB", "DE", "FR")
FIRST_WEEK = date(2024, 1, 1)
N_WEEKS = 104  # Mondays 2024-01-01 … 2025-12-22; the plan year is the last 52
DARK_DAYS = (date(2024, 12, 30), date(2024, 12, 31))  # no media between the years: plan year = 2025 spend
BUDGET_2025 = 20_000_000
PRELAUNCH_SHARE = 0.3  # 2024 awareness budget as a share of each channel's 2025 budget


@dataclass(frozen=True)
class Channel:
    """A media channel of the world: key, 2025 budget (£), kind, and the truth its effect is drawn from."""

    key: str
    budget: int
    kind: str  # digital | traditional | events
    decay: float  # geometric adstock rate
    half_sat: float  # Hill half-saturation as a multiple of mean weekly adstocked spend
    slope: float
    roi: float  # true 2025 ROI on leads at VALUE_PER_LEAD a lead; beta is solved from it

    @property
    def name(self) -> str:
        """Display name, as the domain writes it."""
        return channel_label(self.key)


CHANNELS = (
    Channel("tv", 6_000_000, "traditional", 0.65, 1.1, 1.6, 0.55),
    Channel("ooh", 3_000_000, "traditional", 0.5, 1.0, 1.3, 0.35),
    Channel("youtube", 2_400_000, "digital", 0.45, 0.9, 1.2, 0.50),
    Channel("meta", 2_200_000, "digital", 0.3, 0.8, 1.1, 0.70),
    Channel("google", 1_800_000, "digital", 0.15, 0.7, 1.0, 0.95),
    Channel("dv360", 1_400_000, "digital", 0.35, 0.9, 1.2, 0.30),
    Channel("tiktok", 1_000_000, "digital", 0.25, 0.8, 1.1, 0.40),
    Channel("linkedin", 600_000, "digital", 0.3, 1.0, 1.0, 0.20),
    Channel("print", 600_000, "traditional", 0.4, 1.2, 1.4, 0.15),
    Channel("radio", 400_000, "traditional", 0.35, 1.0, 1.2, 0.30),
    Channel("events", 600_000, "events", 0.2, 1.0, 1.0, 0.60),
)
CHANNEL_KEYS = tuple(c.key for c in CHANNELS)
DIGITAL = tuple(c.key for c in CHANNELS if c.kind == "digital")
TRADITIONAL = tuple(c.key for c in CHANNELS if c.kind == "traditional")

DIGITAL_FILES = {"meta": "meta_ads.csv", "google": "google_ads.csv", "dv360": "dv360.csv",
                 "tiktok": "tiktok_ads.csv", "youtube": "youtube_ads.csv", "linkedin": "linkedin_ads.csv"}
TRADITIONAL_FILES = {"tv": "tv_performance.csv", "ooh": "ooh_performance.csv",
                     "print": "print_performance.csv", "radio": "radio_performance.csv"}
OTHER_FILES = ("competitor_spend.csv", "economic_indicators.csv", "events.csv", "sla_tracking.csv",
               "vehicle_sales.csv", "website_analytics.csv", "configurator_sessions.csv", "leads.csv",
               "test_drives.csv")
RAW_FILES = (*DIGITAL_FILES.values(), *TRADITIONAL_FILES.values(), *OTHER_FILES)


@dataclass(frozen=True)
class Trim:
    """A trim level with its on-the-road GBP price."""

    name: str
    price: int


@dataclass(frozen=True)
class CarModel:
    """A model on sale (or in preview) in the UK."""

    key: str
    name: str
    brand: str
    body: str
    launch: date
    stage: str  # launch | preview
    trims: tuple[Trim, ...]
    interest: float  # share of leads

    @property
    def price(self) -> int:
        """Starting price: the cheapest trim."""
        return min(t.price for t in self.trims)


MODELS = (
    CarModel("s07", "DEEPAL S07", "DEEPAL", "mid-size electric SUV", date(2025, 9, 1), "launch",
             (Trim("Pure", 27_990), Trim("Pro", 31_490), Trim("Pro Max AWD", 35_990)), 0.42),
    CarModel("s05", "DEEPAL S05", "DEEPAL", "compact electric SUV", date(2025, 12, 1), "preview",
             (Trim("Pure", 24_990), Trim("Pro", 27_490)), 0.18),
    CarModel("avatr12", "AVATR 12", "AVATR", "electric grand tourer", date(2025, 9, 1), "launch",
             (Trim("Long Range RWD", 54_990), Trim("Performance AWD", 62_990)), 0.24),
    CarModel("avatr11", "AVATR 11", "AVATR", "premium electric SUV", date(2025, 10, 1), "launch",
             (Trim("Long Range RWD", 59_990), Trim("Performance AWD", 67_990)), 0.16),
)
MODEL_NAMES = tuple(m.name for m in MODELS)

REGIONS = ("London", "South East", "South West", "East of England", "West Midlands", "East Midlands",
           "North West", "Yorkshire", "Scotland", "Wales")
CITIES = {"London": ("London", "Croydon", "Wembley"), "South East": ("Reading", "Brighton", "Guildford"),
          "South West": ("Bristol", "Exeter", "Bath"), "East of England": ("Cambridge", "Norwich", "Chelmsford"),
          "West Midlands": ("Birmingham", "Coventry", "Wolverhampton"),
          "East Midlands": ("Nottingham", "Leicester", "Derby"), "North West": ("Manchester", "Liverpool", "Preston"),
          "Yorkshire": ("Leeds", "Sheffield", "York"), "Scotland": ("Glasgow", "Edinburgh", "Aberdeen"),
          "Wales": ("Cardiff", "Swansea", "Newport")}
DEALER_GROUPS = ("Arnold Clark", "Lookers", "Vertu Motors", "Sytner", "Marshall", "Hendy", "Stoneacre",
                 "Jardine", "Johnsons", "Snows")
N_DEALERS = 50
N_LAUNCH_DEALERS = 15
COMPETITORS = ("BYD", "Tesla", "MG", "Polestar", "Kia")

# Truth of the baseline: leads a week with no media, and what moves it.
BASE_LEADS = 380.0
TREND_PER_YEAR = 0.25
SEASON_AMPLITUDE = 0.18  # UK plate-change months (March, September) lift interest
CONFIDENCE_EFFECT = 4.0  # leads per point of consumer confidence above its mean
BANK_RATE_EFFECT = -60.0  # leads per percentage point of bank rate above its mean
COMPETITOR_EFFECT = -0.00004  # leads per £ of competitor spend above its mean
NOISE_SD = 0.05  # multiplicative weekly noise on leads
VALUE_PER_LEAD = DEFAULT_VALUE_PER_LEAD  # the truth's ROIs are quoted at the app's default lead value
