"""Build broken_letter.docx: a template with one of each fault ``docgen templates check`` finds.

Run from the repository root: python tests/data/broken_template/build.py
The faults, paragraph by paragraph, are listed in tests/test_templates_check.py.
"""

from __future__ import annotations

from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent


def build() -> None:
    document = docx.Document()
    document.add_paragraph("{{ letter_date|uk_date(false) }}")  # 1: sound
    split = document.add_paragraph("Dear ")  # 2: a tag split across two runs
    split.add_run("{{ headteacher.")
    split.add_run("salutation }}").bold = True
    document.add_paragraph("We have paused the inspection of {{ school.nmae }}.")  # 3: unknown
    document.add_paragraph("{%p if requested_by == 'headteacher' %}")  # 4: never closed
    document.add_paragraph("You asked for the pause.")  # 5
    document.add_paragraph("Failure to comply will result in the inspection being "
                           "recorded as incomplete.")  # 6: harsh fixed text
    document.add_paragraph("{%p endfor %}")  # 7: closes nothing
    document.add_paragraph("Support is available from {{ support|map(attribute='name')"
                           "|and_list }}.")  # 8: sound
    document.add_paragraph("Yours sincerely, {{ signatory.name }}")  # 9: sound
    document.save(HERE / "broken_letter.docx")


if __name__ == "__main__":
    build()
