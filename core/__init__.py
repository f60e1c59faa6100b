"""Marketing Intelligence Platform: everything testable without a browser."""
