"""A second, differently shaped world: the same launch exported by other teams' tools (`--style foreign`).

Other column names and file names, day-first, month-first and written-out dates, money as text, a BOM, a
Windows-1252 file, quoted commas and a two-line field, creatives in the agency's folders with its own manifest
columns and some images nobody listed; no modelling table and no ground truth. It proves the app reads data
it did not make.
"""

from core.synth.foreign.generate import GENERATOR, ForeignWorld, build_foreign, generate_foreign

__all__ = ["GENERATOR", "ForeignWorld", "build_foreign", "generate_foreign"]
