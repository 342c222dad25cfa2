"""docgen's settings in one typed object: the ``DOCGEN_*`` variables and the settings file.

``load_settings`` reads them once: the environment into ``Environment``, the ``[service]``
table (``docgen.toml``, or ``[tool.docgen.service]`` in pyproject.toml) into
``ServiceSettings``, and the ``[lint]`` table into ``LintConfig``. ``Settings`` holds all
three and is what the pipeline and the service take. Precedence, highest first: a
command-line option, then a ``DOCGEN_*`` variable, then the file, then the default; the
one exception is the register, where the ``[service]`` file's ``register`` key wins over
``DOCGEN_DB`` (the service's file names the service's register).

Tokens are stored only as SHA-256 hashes, so the file can sit in a repository or a config
map without giving anyone a working token.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, InstanceOf, ValidationError
from pydantic.dataclasses import dataclass

from docgen.errors import ConfigError
from docgen.lint.config import LintConfig, load_config

# --- the environment -----------------------------------------------------------------------


class Environment(BaseModel):
    """The ``DOCGEN_*`` environment variables docgen reads, each under its own name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    templates: Path | None = Field(None, description="DOCGEN_TEMPLATES: a templates folder "
                                   "to use instead of the shipped one.")
    style_rules: Path | None = Field(None, description="DOCGEN_STYLE_RULES: a style rules "
                                     "folder to use instead of the shipped one.")
    db: str | None = Field(None, description="DOCGEN_DB: the register file or database URL.")
    register_key: Path | None = Field(None, description="DOCGEN_REGISTER_KEY: the key that "
                                      "signs checkpoints (default: beside the register).")
    register_witness: Path | None = Field(None, description="DOCGEN_REGISTER_WITNESS: the "
                                          "checkpoint file (default: beside the register).")
    languagetool_url: str | None = Field(None, description="DOCGEN_LANGUAGETOOL_URL: a "
                                         "LanguageTool server; wins over grammar_server.")
    hunspell_dic: Path | None = Field(None, description="DOCGEN_HUNSPELL_DIC: the British "
                                      "English Hunspell dictionary.")
    soffice: Path | None = Field(None, description="DOCGEN_SOFFICE: the LibreOffice program.")
    uno_python: str | None = Field(None, description="DOCGEN_UNO_PYTHON: a Python that can "
                                   "import uno.")
    cache_dir: Path | None = Field(None, description="DOCGEN_CACHE_DIR: where docgen keeps "
                                   "its caches.")
    debug: bool = Field(False, description="DOCGEN_DEBUG: show tracebacks.")
    service_config: Path | None = Field(None, description="DOCGEN_SERVICE_CONFIG: the "
                                        "service's settings file ('docgen serve --config').")
    service_lint_processes: int | None = Field(
        None, ge=0, description="DOCGEN_SERVICE_LINT_PROCESSES: 'docgen serve "
        "--lint-processes'.")
    service_host: str | None = Field(None, description="DOCGEN_SERVICE_HOST: 'docgen serve "
                                     "--host'.")

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> Environment:
        """Read the variables from ``environ`` (default: the process's); empty is unset."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            raw = env.get(variable(name), "").strip()
            if raw:
                values[name] = raw
        if "debug" in values:
            values["debug"] = values["debug"] not in ("0", "false", "no")
        try:
            return cls(**values)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            field_name = str(first["loc"][0])
            raise ConfigError(f"the environment variable {variable(field_name)} is "
                              f"{values[field_name]!r}; expected "
                              f"{_expected(first['type'])}") from None


def variable(name: str) -> str:
    """The environment variable behind an ``Environment`` field."""
    return f"DOCGEN_{name.upper()}"


def _expected(kind: str) -> str:
    if kind.startswith("int") or kind == "greater_than_equal":
        return "a whole number, 0 or more"
    return "a path" if kind.startswith("path") else "text"


def environment() -> Environment:
    """The ``DOCGEN_*`` variables as they are now (read afresh: tests and tools set them).
    Each lint asks; only a change of value costs a new validation."""
    return _environment(tuple(os.environ.get(variable(name), "")
                              for name in Environment.model_fields))


@lru_cache(maxsize=8)
def _environment(raw: tuple[str, ...]) -> Environment:
    return Environment.read(dict(zip(map(variable, Environment.model_fields), raw,
                                     strict=True)))


# --- the service's table ---------------------------------------------------------------------

ROLES = ("writer", "reviewer", "issuer")

# What each role may do. An issuer may render and lint what it issues; waiving a finding
# stays with reviewers, so a token that issues with waivers must hold both roles.
PERMISSIONS: dict[str, frozenset[str]] = {
    "writer": frozenset({"render", "lint"}),
    "reviewer": frozenset({"lint", "waive"}),
    "issuer": frozenset({"issue", "render", "lint"}),
}

MB = 1024 * 1024


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest stored in the configuration for ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ApiToken:
    """One API token as configured: who holds it, its roles and the hash of its secret."""

    name: str
    roles: frozenset[str]
    sha256: str

    def may(self, action: str) -> bool:
        """Whether any of this token's roles allows ``action``."""
        return any(action in PERMISSIONS[role] for role in self.roles)


@dataclass(frozen=True)
class ServiceSettings:
    """The ``[service]`` table; the defaults suit one person on their own machine."""

    tokens: tuple[ApiToken, ...] = ()
    # The tone-check page calls POST /v1/lint without a token when this is true. Unset,
    # it is true only while the service listens on a loopback address (see ``host``).
    allow_anonymous_lint: bool | None = None
    max_body_bytes: int = 10 * MB
    max_docx_unpacked_bytes: int = 100 * MB
    max_docx_parts: int = 500
    max_docx_ratio: float = 100.0  # unpacked size over packed size
    max_pdf_pages: int = 200
    conversion_timeout: float = 60.0  # seconds for one DOCX to PDF conversion
    # Characters of text one lint request may hold: about 30,000 words, several times
    # the longest inspection report, and a few seconds of linting at worst.
    max_text_chars: int = 200_000
    lint_timeout: float = 20.0  # seconds for one lint; the worker is then replaced
    lint_processes: int = 0  # 0: lint in the server process; N: a pool of N processes
    shutdown_timeout: float = 10.0  # seconds running requests get after SIGTERM
    cors_origins: tuple[str, ...] = ()  # no CORS headers at all unless origins are listed
    register: str | None = None  # register path or database URL; None: DOCGEN_DB or default
    issue_dir: str | None = None  # where issued documents are written
    lint_config_file: str | None = None  # the TOML file lint settings are read from
    source: str | None = field(default=None, compare=False)  # the file these came from
    # Where the service listens: given by 'docgen serve --host', never by the file.
    host: str = "127.0.0.1"

    @property
    def anonymous_lint(self) -> bool:
        """Whether anyone may lint without a token: as the file says, else only when
        nobody beyond this machine can reach the service."""
        if self.allow_anonymous_lint is not None:
            return self.allow_anonymous_lint
        return is_loopback(self.host)

    def lint_access(self) -> str:
        """One sentence for start-up: who may lint, and why."""
        where = f"the file {self.source}" if self.source else "the settings"
        if self.anonymous_lint:
            if self.allow_anonymous_lint is None:
                return (f"anyone on this machine may lint without a token (the service "
                        f"listens on {self.host}, a loopback address, only)")
            return (f"anyone who can reach {self.host} may lint without a token "
                    f"(allow_anonymous_lint = true in {where})")
        if self.allow_anonymous_lint is None:
            reason = (f"the service listens on {self.host}, beyond this machine; to let "
                      "anyone lint, set allow_anonymous_lint = true under [service]")
        else:
            reason = f"allow_anonymous_lint = false in {where}"
        if not self.tokens:
            reason += ("; no tokens are configured yet, so nobody can lint: add one made "
                       "with 'docgen serve --hash-token'")
        return f"linting needs a token ({reason})"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only (127.0.0.1, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address, so assume the wider one


_KEYS = {f.name for f in fields(ServiceSettings)} - {"tokens", "source", "host"}


def load_service_settings(path: Path | None = None) -> ServiceSettings:
    """Read the ``[service]`` table from ``path``, or ./docgen.toml or ./pyproject.toml."""
    if path is None:
        for candidate in (Path("docgen.toml"), Path("pyproject.toml")):
            if candidate.is_file() and _table(_read(candidate), candidate) is not None:
                path = candidate
                break
        else:
            return ServiceSettings()
    table = _table(_read(path), path)
    settings = settings_from_mapping(table or {}, path)
    if settings.lint_config_file is None:
        settings = replace(settings, lint_config_file=str(path))
    return settings


def settings_from_mapping(
    table: dict[str, Any], path: str | Path = "<settings>"
) -> ServiceSettings:
    """Build settings from a ``[tool.docgen.service]`` table; unknown keys are an error."""
    unknown = sorted(set(table) - _KEYS - {"tokens"})
    if unknown:
        raise ConfigError(
            f"[service] has unknown key '{unknown[0]}'; expected one of "
            f"{', '.join(sorted(_KEYS | {'tokens'}))}",
            path=path,
        )
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key == "tokens":
            values["tokens"] = tuple(_token(entry, i, path) for i, entry in enumerate(value))
        elif key == "cors_origins":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError("[service] cors_origins: expected a list of origins, such "
                                  "as [\"https://tone.example.gov.uk\"]", path=path)
            values[key] = tuple(value)
        else:
            values[key] = _checked(key, value, path)
    names = [t.name for t in values.get("tokens", ())]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"[service] tokens: the name '{duplicates[0]}' is used twice; "
                          "give each token its own name", path=path)
    return ServiceSettings(**values, source=str(path))


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot be read ({exc.strerror})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"is not valid TOML ({exc})", path=path) from None


def _table(document: dict[str, Any], path: Path) -> dict[str, Any] | None:
    table = document.get("tool", {}).get("docgen", {}).get("service")
    if table is None and path.name != "pyproject.toml":
        table = document.get("service")
    if table is not None and not isinstance(table, dict):
        raise ConfigError("[service] must be a table of settings", path=path)
    return table


def _token(entry: Any, index: int, path: str | Path) -> ApiToken:
    where = f"[service] tokens[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a table with name, role and sha256", path=path)
    unknown = sorted(set(entry) - {"name", "role", "roles", "sha256"})
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}'; expected name, role (or "
                          "roles) and sha256", path=path)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: 'name' is required: who or what holds this token",
                          path=path)
    roles = entry.get("roles", [entry["role"]] if "role" in entry else [])
    if isinstance(roles, str):
        roles = [roles]
    if not roles or not all(r in ROLES for r in roles):
        raise ConfigError(f"{where} ({name}): expected role to be one of "
                          f"{', '.join(ROLES)}, got {roles!r}", path=path)
    digest = str(entry.get("sha256", "")).lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ConfigError(f"{where} ({name}): 'sha256' must be the 64-character hex "
                          "SHA-256 of the token; make it with 'docgen serve --hash-token'",
                          path=path)
    return ApiToken(name=name, roles=frozenset(roles), sha256=digest)


def _checked(key: str, value: Any, path: str | Path) -> Any:
    declared = {f.name: f.type for f in fields(ServiceSettings)}[key]
    # A string under "from __future__ import annotations"; a class otherwise.
    expected = declared if isinstance(declared, str) else getattr(declared, "__name__", "")
    expected = expected.removesuffix(" | None")
    if expected == "bool":
        ok = isinstance(value, bool)
    elif expected == "int":
        least = 0 if key == "lint_processes" else 1
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= least
    elif expected == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
        value = float(value) if ok else value
    else:
        ok = isinstance(value, str)
    if not ok:
        kind = {"bool": "true or false",
                "int": "a whole number" + (" (0 or more)" if key == "lint_processes"
                                           else " above 0"),
                "float": "a number above 0"}.get(expected, "text")
        raise ConfigError(f"[service] {key}: expected {kind}, got {value!r}", path=path)
    return value


# --- everything together -------------------------------------------------------------------


class Settings(BaseModel):
    """Everything the pipeline and the service read: service, lint and environment."""

    model_config = ConfigDict(frozen=True)

    service: InstanceOf[ServiceSettings] = Field(default_factory=ServiceSettings)
    lint: InstanceOf[LintConfig] = Field(default_factory=LintConfig)
    environment: Environment = Field(default_factory=Environment)

    @property
    def register(self) -> str | None:
        """The register's path or URL: the service's file, else ``DOCGEN_DB``, else None
        (the register's default file)."""
        return self.service.register or self.environment.db

    @property
    def issue_dir(self) -> Path:
        """Where issued documents are written."""
        return Path(self.service.issue_dir or "issued")

    @classmethod
    def for_service(cls, service: ServiceSettings | None = None, *,
                    environ: Mapping[str, str] | None = None, **changes: Any) -> Settings:
        """Settings for ``service`` (with ``changes``), its lint table and the environment."""
        service = replace(service or ServiceSettings(), **changes)
        environment = Environment.read(environ)
        source = service.lint_config_file
        lint = load_config(Path(source) if source else None,
                           environ=_lint_environ(environment))
        return cls(service=service, lint=lint, environment=environment)


    @classmethod
    def for_command(cls, config: Path | None = None, *, register: str | None = None,
                    lint: LintConfig | None = None,
                    environ: Mapping[str, str] | None = None) -> Settings:
        """Settings for one command: lint settings from ``config`` (else the nearest
        docgen.toml or pyproject.toml) unless ``lint`` is given, the register named on
        the command line (else ``DOCGEN_DB``), and the environment."""
        environment = Environment.read(environ)
        if lint is None:
            lint = load_config(config, environ=_lint_environ(environment))
        return cls(service=ServiceSettings(register=register), lint=lint,
                   environment=environment)


def load_settings(config: Path | None = None, *, environ: Mapping[str, str] | None = None,
                  host: str | None = None, lint_processes: int | None = None) -> Settings:
    """Read every setting once: ``config`` (else ``DOCGEN_SERVICE_CONFIG``, else the file
    in the current folder), the environment, and the options given here."""
    environment = Environment.read(environ)
    service = load_service_settings(config or environment.service_config)
    host = host or environment.service_host
    if host:
        service = replace(service, host=host)
    if lint_processes is None:
        lint_processes = environment.service_lint_processes
    if lint_processes is not None:
        service = replace(service, lint_processes=lint_processes)
    source = service.lint_config_file
    lint = load_config(Path(source) if source else None, environ=_lint_environ(environment))
    return Settings(service=service, lint=lint, environment=environment)


def _lint_environ(environment: Environment) -> dict[str, str]:
    from docgen.lint.config import GRAMMAR_URL_ENV

    url = environment.languagetool_url
    return {GRAMMAR_URL_ENV: url} if url else {}
