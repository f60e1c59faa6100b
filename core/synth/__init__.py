"""A seeded synthetic marketing world: DEEPAL/AVATR's UK launch, with the ground truth it was drawn from."""

from core.synth.checks import CheckResult, run_checks
from core.synth.world import WorldReport, generate_world

__all__ = ["CheckResult", "WorldReport", "generate_world", "run_checks"]
