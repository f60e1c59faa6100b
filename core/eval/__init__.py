"""core.eval"""
