"""Where docgen's own data lives: its templates, style rules (with the tone model) and
samples.

The repository keeps them at the top level (``templates/``, ``style_rules/``,
``samples/``), where template writers and reviewers expect them. A wheel carries a copy
inside the package, under ``docgen/_data/`` (``setup.py`` puts it there), so an installed
docgen works from any folder. A workspace may point at its own folders instead (see
``docgen.settings``).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
FOLDERS = ("templates", "style_rules", "samples")


def shipped(name: str) -> Path:
    """The folder ``name`` as shipped: the installed copy, else the checkout's."""
    if name not in FOLDERS:
        raise ValueError(f"docgen ships no folder named {name!r}")
    installed = Path(str(files("docgen") / "_data" / name))
    return installed if installed.is_dir() else CHECKOUT / name
