"""Schools and the bodies responsible for them."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from docgen.models.base import Model
from docgen.models.people import Email, Person

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)


def _urn(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{6,7}", value.strip()):
        raise ValueError(f"expected a URN of 6 or 7 digits, such as '100000', got {value!r}")
    return value.strip() if isinstance(value, str) else value


def _postcode(value: object) -> object:
    if isinstance(value, str):
        if not _POSTCODE.match(value.strip()):
            raise ValueError(f"expected a UK postcode such as 'SK11 8PJ', got {value!r}")
        compact = value.replace(" ", "").upper()
        return f"{compact[:-3]} {compact[-3:]}"
    return value


URN = Annotated[str, BeforeValidator(_urn)]
Postcode = Annotated[str, BeforeValidator(_postcode)]
CompaniesHouseNumber = Annotated[
    str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
    Field(pattern=r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$", examples=["07654321"]),
]

Phase = Literal[
    "nursery", "primary", "middle", "secondary", "all-through", "special",
    "alternative provision", "16 to 19",
]


class Address(Model):
    lines: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1, max_length=5)
    """The address lines before the town, such as the street (one to five)."""
    town: str = Field(min_length=1)
    """The town or city."""
    postcode: Postcode
    """A UK postcode, such as 'M1 2WD'; it is written in capitals with one space."""

    @property
    def as_lines(self) -> list[str]:
        return [*self.lines, self.town, self.postcode]


class School(Model):
    """A school or other provider, as Ofsted knows it."""

    urn: URN
    """The school's unique reference number: 6 or 7 digits."""
    name: str = Field(min_length=1, max_length=200)
    """The school's name as it should appear in the letter."""
    address: Address
    """The school's postal address."""
    phase: Phase
    """The phase of education the school provides."""
    type: str = Field(min_length=1, max_length=120, examples=["academy converter"])
    """The kind of school, as Get Information about Schools gives it."""
    number_on_roll: int = Field(ge=0, le=20000)
    """How many pupils are on the school's roll."""
    local_authority: str | None = None
    """The local authority area the school is in, if it is to be named."""
    age_range: str | None = Field(default=None, examples=["4 to 11"])
    """The ages of the pupils, in words."""
    email: Email | None = None
    """An email address for the school, if it is to be printed."""


class LocalAuthority(Model):
    kind: Literal["local authority"]
    """Say 'local authority' when a local authority is responsible for the school."""
    name: str = Field(min_length=1)
    """The local authority's name."""
    contact: Person
    """The person at the local authority who is told about the inspection."""

    @property
    def lead(self) -> Person:
        return self.contact


class AcademyTrust(Model):
    kind: Literal["academy trust"]
    """Say 'academy trust' when an academy trust is responsible for the school."""
    name: str = Field(min_length=1)
    """The trust's name."""
    trust_id: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
                        Field(pattern=r"^(TR)?[0-9]{4,6}$", examples=["TR01234", "16789"])]
    """The trust's reference in Get Information about Schools, with or without 'TR'."""
    companies_house_number: CompaniesHouseNumber
    """The trust's company number: 8 digits, or 2 letters and 6 digits."""
    address: Address | None = None
    """The trust's postal address, if it is to be printed."""
    email: Email | None = None
    """An email address for the trust, if it is to be printed."""
    ceo: Person
    """The trust's chief executive officer (or accounting officer)."""
    chair: Person
    """The chair of the trust's board."""

    @property
    def lead(self) -> Person:
        return self.ceo


ResponsibleBody = Annotated[LocalAuthority | AcademyTrust, Field(discriminator="kind")]
