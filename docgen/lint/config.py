"""Lint settings: which rules run, at what severity, with which thresholds.

``LintConfig`` is what the engine reads. Loading it from ``[tool.docgen.lint]`` in
pyproject.toml or from docgen.toml lives here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docgen.errors import ConfigError
from docgen.identifiers import selects
from docgen.lint.findings import Severity
from docgen.suggest import did_you_mean


@dataclass(frozen=True)
class LintConfig:
    """Rule selection by id prefix, severity overrides and per-type thresholds."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # rule id prefix -> severity
    # document type (or "default") -> threshold name -> value, overriding style_rules/
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    grammar_server: str | None = None  # LanguageTool server URL
    grammar_local: bool = False  # use a local LanguageTool install if one is found

    def enabled(self, rule_id: str) -> bool:
        """Whether a rule runs: selected (or nothing selected) and not ignored."""
        if self.select and not selects(self.select, rule_id):
            return False
        return not selects(self.ignore, rule_id)

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        """The configured severity for a rule; the longest matching prefix wins."""
        matches = [p for p in self.severity if selects([p], rule_id)]
        return self.severity[max(matches, key=len)] if matches else default


# --- Loading ----------------------------------------------------------------------------

CONFIG_FILE = "docgen.toml"
PYPROJECT = "pyproject.toml"
GRAMMAR_URL_ENV = "DOCGEN_LANGUAGETOOL_URL"
_KEYS = {"select", "ignore", "severity", "thresholds", "grammar_server", "grammar_local"}
DOCGEN_TOML_TABLES = ("lint", "service")  # the top-level tables docgen.toml may hold
# Readability measures a threshold may set (the readability rule kind's measures).
MEASURES = ("sentence_words", "paragraph_sentences", "flesch_reading_ease",
            "flesch_kincaid_grade")


def find_config(start: Path | None = None) -> tuple[Path, tuple[str, ...]] | None:
    """Find the nearest docgen.toml, or pyproject.toml with [tool.docgen.lint], upwards.

    Returns the file and the table path inside it, or None when there is none.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / CONFIG_FILE
        if own.is_file():
            return own, ("lint",)
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_lint_table(pyproject):
            return pyproject, ("tool", "docgen", "lint")
    return None


def _has_lint_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # A quick look first, so unrelated pyproject files are not parsed.
    return "docgen.lint" in text and "lint" in _read_toml(pyproject).get("tool", {}).get(
        "docgen", {})


def load_config(path: Path | None = None, *, start: Path | None = None,
                environ: Mapping[str, str] | None = None) -> LintConfig:
    """Load settings from ``path`` (or the nearest config file) and the environment."""
    if path is not None:
        table_path = ("tool", "docgen", "lint") if path.name == PYPROJECT else ("lint",)
        found: tuple[Path, tuple[str, ...]] | None = (path, table_path)
    else:
        found = find_config(start)
    config = LintConfig()
    if found is not None:
        config = config_from_table(_table(*found), found[0], ".".join(found[1]))
    if environ is None:
        from docgen.settings import environment

        url = environment().languagetool_url or ""
    else:
        url = environ.get(GRAMMAR_URL_ENV, "").strip()
    if url:
        config = replace(config, grammar_server=url)
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError("does not exist; check the --config path", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot be read ({exc.strerror})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"is not valid TOML: {exc}", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError("is not UTF-8 text; save it as UTF-8", path=path) from None


def _table(path: Path, keys: tuple[str, ...]) -> dict[str, Any]:
    data = _read_toml(path)
    if keys == ("lint",):
        # docgen.toml is ours whole: [lint], and [service] for 'docgen serve'. A stray
        # lint table such as [severity] belongs under [lint]; anything else is a typo.
        for key in data:
            if key in DOCGEN_TOML_TABLES:
                continue
            if key in _KEYS:
                raise ConfigError(f"unknown key '{key}'; put settings under [lint] "
                                  f"(for example [lint.{key}])", path=path)
            raise ConfigError(
                f"unknown table [{key}]"
                + did_you_mean(key, DOCGEN_TOML_TABLES, listing="; docgen.toml holds "
                               "[lint] (docgen lint) and [service] (docgen serve)"),
                path=path)
    for key in keys:
        table = data.get(key, {})
        if not isinstance(table, dict):
            raise ConfigError(f"'{'.'.join(keys)}' must be a table", path=path)
        data = table
    return data


def config_from_table(table: dict[str, Any], path: Path | str, prefix: str) -> LintConfig:
    """Check a [lint] table key by key and build the settings; unknown keys are errors."""
    for key in table:
        if key not in _KEYS:
            raise ConfigError(
                f"unknown key '{prefix}.{key}'; expected one of {', '.join(sorted(_KEYS))}",
                path=path,
            )
    select = _prefixes(table, "select", path, prefix)
    ignore = _prefixes(table, "ignore", path, prefix)
    severity: dict[str, Severity] = {}
    raw_severity = table.get("severity", {})
    if not isinstance(raw_severity, dict):
        raise ConfigError(f"'{prefix}.severity' must be a table of rule = severity", path=path)
    for rule, value in raw_severity.items():
        try:
            severity[rule] = Severity.parse(value) if isinstance(value, str) else Severity.parse("")
        except ValueError:
            raise ConfigError(
                f"'{prefix}.severity.\"{rule}\"' is {value!r}; expected \"suggestion\", "
                "\"warning\" or \"error\"", path=path,
            ) from None
    thresholds: dict[str, dict[str, float]] = {}
    raw_thresholds = table.get("thresholds", {})
    if not isinstance(raw_thresholds, dict):
        raise ConfigError(f"'{prefix}.thresholds' must be a table of document types",
                          path=path)
    for document_type, limits in raw_thresholds.items():
        where = f"{prefix}.thresholds.{document_type}"
        if not isinstance(limits, dict):
            raise ConfigError(f"'{where}' must be a table of measure = number", path=path)
        for measure, value in limits.items():
            if measure not in MEASURES:
                raise ConfigError(f"unknown key '{where}.{measure}'; expected one of "
                                  f"{', '.join(MEASURES)}", path=path)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"'{where}.{measure}' is {value!r}; expected a number",
                                  path=path)
        thresholds[document_type] = {m: float(v) for m, v in limits.items()}
    server = table.get("grammar_server")
    if server is not None and not (isinstance(server, str) and
                                   server.startswith(("http://", "https://"))):
        raise ConfigError(f"'{prefix}.grammar_server' is {server!r}; expected an http:// or "
                          "https:// URL of a LanguageTool server", path=path)
    local = table.get("grammar_local", False)
    if not isinstance(local, bool):
        raise ConfigError(f"'{prefix}.grammar_local' must be true or false", path=path)
    return LintConfig(select=select, ignore=ignore, severity=severity, thresholds=thresholds,
                      grammar_server=server or None, grammar_local=local)


def _prefixes(table: dict[str, Any], key: str, path: Path | str, prefix: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"'{prefix}.{key}' must be a list of rule-id prefixes such as "
                          "[\"Tone\", \"Plain.Words\"]", path=path)
    return tuple(v.strip() for v in value)


def with_overrides(config: LintConfig, *, select: tuple[str, ...] = (),
                   ignore: tuple[str, ...] = ()) -> LintConfig:
    """Apply command-line choices: --select replaces the file's list, --ignore adds to it."""
    return replace(config, select=select or config.select,
                   ignore=config.ignore + tuple(p for p in ignore if p not in config.ignore))
