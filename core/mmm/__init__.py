"""core.mmm"""
