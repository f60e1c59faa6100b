"""core.agents"""
