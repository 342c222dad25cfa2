"""The British English word list, read from Debian's hunspell-en-gb when installed.

Only the stems are read (no affix expansion): enough to confirm that a suggested
British form is a real word, or that a word in capitals is an ordinary word. When the
file is absent the set is empty and callers fall back to their own lists.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from docgen.cache import cached

DEFAULT_DICTIONARY = Path("/usr/share/hunspell/en_GB.dic")


@lru_cache(maxsize=4)
def english_words(path: str | None = None) -> frozenset[str]:
    """Lower-case common words (entries written in lower case) from a hunspell .dic."""
    from docgen.settings import environment

    source = Path(path or environment().hunspell_dic or DEFAULT_DICTIONARY)
    try:
        stat = source.stat()
    except OSError:
        return frozenset()

    def build() -> frozenset[str]:
        lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
        # The first line is the entry count; proper nouns and acronyms keep their capitals
        # in the file and are left out, so "CEO" or "Ofsted" never count as common words.
        stems = (line.split("/", 1)[0].strip() for line in lines[1:])
        return frozenset(stem for stem in stems if stem and stem.islower())

    # Parsing the file takes a fifth of a second; the cache entry is keyed by its identity.
    key = hashlib.sha256(f"{source.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return cached(f"hunspell-stems-{key.hexdigest()[:16]}", build, frozenset)
