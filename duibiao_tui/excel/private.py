"""Files holding names or phone numbers are readable by the officer only, like the database."""

from __future__ import annotations

from pathlib import Path

__all__ = ["private_file"]


def private_file(path: Path) -> Path:
    """Mode 0600 for an export holding personal data (summary, 情况表, CSV, error workbook);
    on a file system without modes (a FAT USB stick) there is nothing to tighten."""
    try:
        path.chmod(0o600)
    except OSError:
        pass
    return path
