"""People: headteachers, inspectors, trust leaders and the contacts a letter names."""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    """How to address the person (Mrs, Dr, Mx); never guessed: without a title the
    letter uses the person's full name."""
    first_name: Name
    """The person's first name."""
    last_name: Name
    """The person's last name."""
    role: str | None = Field(default=None, max_length=120)
    """The person's role, such as 'Headteacher'."""
    email: Email | None = None
    """An email address for the person."""
    phone: Phone | None = None
    """A UK telephone number for the person."""

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
    """The contact's full name."""
    role: str = Field(min_length=1, max_length=120)
    """The contact's role, such as 'Senior His Majesty's Inspector'."""
    phone: Phone | None = None
    """A UK telephone number readers can call."""
    email: Email | None = None
    """An email address readers can write to."""


class Inspector(Person):
    """An inspector: one of His Majesty's Inspectors, or an Ofsted Inspector."""

    designation: Literal["HMI", "Ofsted Inspector"]
    """HMI (one of His Majesty's Inspectors) or Ofsted Inspector."""

    @property
    def name_and_designation(self) -> str:
        if self.designation == "HMI":
            return f"{self.full_name}, His Majesty's Inspector"
        return f"{self.full_name}, Ofsted Inspector"


class Signatory(Model):
    """Who signs a letter, and in what capacity."""

    name: Name
    """The full name of the person who signs the letter."""
    role: str = Field(min_length=1, max_length=120)
    """Their role, printed under their name."""
    organisation: str = Field(default="Ofsted", max_length=120)
    """The organisation they sign for."""
    region: str | None = Field(default=None, max_length=120)
    """Their region, printed under their role, if any."""


class Support(Model):
    """Wellbeing support signposted in every letter to a school leader."""

    name: str
    """The support service's name."""
    phone: Phone
    """The service's telephone number."""
    note: str
    """When and how the service helps, in a sentence."""


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


def trust_salutation(addressees: Sequence[Person], trust_name: str) -> str:
    """"Dear Ms Patel" to one addressee; to several, the trust's members and trustees."""
    if len(addressees) == 1:
        return addressees[0].salutation
    return f"Dear members and trustees of {trust_name}"
