"""core.synth"""
