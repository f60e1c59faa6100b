"""Inventory, loading, validation and profiles of any data folder (CSV, markdown, images), and kept versions."""

from core.catalog.categories import Category, category_of, channel_of
from core.catalog.inventory import inventory, skipped_files
from core.catalog.loading import MAX_CSV_BYTES, CatalogError, LoadedCsv, load_csv, parse_csv
from core.catalog.profile import preview, profile
from core.catalog.upload import UploadCheck, check_upload, save_upload
from core.catalog.validate import FileCheck, validate_folder
from core.catalog.versions import (
    Shelf,
    Version,
    delete_file,
    file_sha256,
    keep_version,
    list_quarantined,
    list_versions,
    quarantine,
    release,
    restore_version,
    versioned_files,
)

__all__ = ["Category", "CatalogError", "FileCheck", "LoadedCsv", "MAX_CSV_BYTES", "Shelf", "UploadCheck",
           "Version", "category_of", "channel_of", "check_upload", "delete_file", "file_sha256", "inventory", "skipped_files",
           "keep_version", "list_quarantined", "list_versions", "load_csv", "parse_csv", "preview", "profile",
           "quarantine", "release", "restore_version", "save_upload", "validate_folder", "versioned_files"]
