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
    town: str = Field(min_length=1)
    postcode: Postcode

    @property
    def as_lines(self) -> list[str]:
        return [*self.lines, self.town, self.postcode]


class School(Model):
    """A school or other provider, as Ofsted knows it."""

    urn: URN
    name: str = Field(min_length=1, max_length=200)
    address: Address
    phase: Phase
    type: str = Field(min_length=1, max_length=120, examples=["academy converter"])
    number_on_roll: int = Field(ge=0, le=20000)
    local_authority: str | None = None
    age_range: str | None = Field(default=None, examples=["4 to 11"])
    email: Email | None = None


class LocalAuthority(Model):
    kind: Literal["local authority"]
    name: str = Field(min_length=1)
    contact: Person

    @property
    def lead(self) -> Person:
        return self.contact


class AcademyTrust(Model):
    kind: Literal["academy trust"]
    name: str = Field(min_length=1)
    trust_id: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
                        Field(pattern=r"^(TR)?[0-9]{4,6}$", examples=["TR01234", "16789"])]
    companies_house_number: CompaniesHouseNumber
    address: Address | None = None
    email: Email | None = None
    ceo: Person
    chair: Person

    @property
    def lead(self) -> Person:
        return self.ceo


ResponsibleBody = Annotated[LocalAuthority | AcademyTrust, Field(discriminator="kind")]
