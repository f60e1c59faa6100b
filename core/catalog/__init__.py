"""Inventory, loading, validation and profiles of any data folder (CSV, markdown, images)."""

from core.catalog.categories import Category, category_of, channel_of
from core.catalog.inventory import inventory
from core.catalog.loading import CatalogError, LoadedCsv, load_csv, parse_csv
from core.catalog.profile import preview, profile
from core.catalog.upload import UploadCheck, check_upload, save_upload
from core.catalog.validate import FileCheck, validate_folder

__all__ = ["Category", "CatalogError", "FileCheck", "LoadedCsv", "UploadCheck", "category_of", "channel_of",
           "check_upload", "inventory", "load_csv", "parse_csv", "preview", "profile", "save_upload",
           "validate_folder"]
