"""Word documents to PDF with LibreOffice: warm converters, a pool for batches, a one-off call."""

from __future__ import annotations

from docgen.issue.convert.pool import ConverterPool
from docgen.issue.convert.soffice import Converter, convert_once, find_soffice

__all__ = ["Converter", "ConverterPool", "convert_once", "find_soffice"]
