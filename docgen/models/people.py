"""People: headteachers, inspectors, trust leaders and the contacts a letter names."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from docgen.models.base import Model

_PHONE = re.compile(r"^\+?[0-9][0-9 ]{7,15}[0-9]$")


def _check_phone(value: str) -> str:
    if not _PHONE.match(value):
        raise ValueError(f"expected a UK telephone number such as '0300 123 1231', got {value!r}")
    return value


Phone = Annotated[str, AfterValidator(_check_phone)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Person(Model):
    """A named person. Titles are given, never guessed: without one we write the full name."""

    title: str | None = Field(default=None, max_length=30, examples=["Mrs", "Dr", "Mx"])
    first_name: Name
    last_name: Name
    role: str | None = Field(default=None, max_length=120)
    email: Email | None = None
    phone: Phone | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formal_name(self) -> str:
        """The name as it stands in an address block: 'Mrs Aisha Patel'."""
        return f"{self.title} {self.full_name}" if self.title else self.full_name

    @property
    def salutation(self) -> str:
        """'Dear Mrs Patel', or 'Dear Aisha Patel' when no title was given."""
        if self.title:
            return f"Dear {self.title} {self.last_name}"
        return f"Dear {self.full_name}"


class Contact(Model):
    """Someone a reader can call or write to."""

    name: Name
    role: str = Field(min_length=1, max_length=120)
    phone: Phone | None = None
    email: Email | None = None


class Inspector(Person):
    """An inspector: one of His Majesty's Inspectors, or an Ofsted Inspector."""

    designation: Literal["HMI", "Ofsted Inspector"]

    @property
    def name_and_designation(self) -> str:
        if self.designation == "HMI":
            return f"{self.full_name}, His Majesty's Inspector"
        return f"{self.full_name}, Ofsted Inspector"


class Signatory(Model):
    """Who signs a letter, and in what capacity."""

    name: Name
    role: str = Field(min_length=1, max_length=120)
    organisation: str = Field(default="Ofsted", max_length=120)
    region: str | None = Field(default=None, max_length=120)


class Support(Model):
    """Wellbeing support signposted in every letter to a school leader."""

    name: str
    phone: Phone
    note: str


DEFAULT_SUPPORT: tuple[Support, ...] = (
    Support(
        name="Education Support",
        phone="08000 562 561",
        note="a free, confidential helpline for school staff, open 24 hours a day",
    ),
    Support(
        name="Ofsted's helpline",
        phone="0300 123 1231",
        note="for questions about the inspection",
    ),
)
