"""Inventory, loading, validation and profiles of a data folder."""

from core.catalog.categories import Category, category_of, channel_of

__all__ = ["Category", "category_of", "channel_of"]
