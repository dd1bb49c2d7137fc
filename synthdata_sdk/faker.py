"""``SafeProvider``: synthdata's safe values one Faker call at a time.

For a test suite that builds its data with Faker and moves to safe values a call at a time:
``fake.add_provider(SafeProvider)``, then ``fake.safe_ssn()`` where ``fake.ssn()`` was. Each
method draws one value of the engine's own semantic type (``generation/semantics``: the same
safe rules, the same domains, the same locale formats), picking its index with the Faker
instance's random generator, so ``Faker.seed()`` and ``seed_instance()`` make the values
reproducible as they do Faker's own. The locale is the Faker generator's when synthdata
supports it (``SUPPORTED_LOCALES``), else ``en_US``; each method also takes ``locale=``.
A Faker with several locales has no ``add_provider`` (Faker's proxy does not pass it on):
``add_safe_provider(fake)`` adds the provider to each of its locales.

The module is ``synthdata_sdk.faker``; its ``import faker`` is absolute, so it always means
the Faker package.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from faker.providers import BaseProvider

from synthdata_sdk.generation.semantics import get_semantic
from synthdata_sdk.options import DEFAULT_LOCALE, SUPPORTED_LOCALES, check_locale

__all__ = ["SafeProvider", "add_safe_provider"]


class SafeProvider(BaseProvider):
    """Faker methods named ``safe_*`` that return values no real person or account holds."""

    def safe_ssn(self, locale: str | None = None) -> str:
        """A US SSN that is never assigned (area 000/666, group 00 or serial 0000)."""
        return self._draw("ssn", locale)

    def safe_credit_card(self, luhn: bool = False, locale: str | None = None) -> str:
        """A 16-digit card number with a wrong Luhn digit; ``luhn=True``: a published test
        card number (for code that checks the Luhn digit)."""
        return self._draw("credit_card", locale, luhn=luhn)

    def safe_phone(self, locale: str | None = None) -> str:
        """A phone number in a range kept for fiction (US 555-0100..0199, Ofcom drama
        numbers...), in the locale's format."""
        return self._draw("phone", locale)

    def safe_email(self, locale: str | None = None) -> str:
        """An email address on a reserved domain (example.com, .net, .org)."""
        return self._draw("email", locale)

    def safe_iban(self, checksum: bool = False, locale: str | None = None) -> str:
        """An IBAN in the locale's format with wrong check digits; ``checksum=True``: a
        registry example IBAN (for code that checks mod 97)."""
        return self._draw("iban", locale, checksum=checksum)

    def safe_ipv4(self, locale: str | None = None) -> str:
        """An IPv4 address of a documentation network (RFC 5737)."""
        return self._draw("ipv4", locale)

    def safe_ipv6(self, locale: str | None = None) -> str:
        """An IPv6 address of the documentation prefix 2001:db8::/32 (RFC 3849)."""
        return self._draw("ipv6", locale)

    def safe_mac(self, locale: str | None = None) -> str:
        """A MAC address of the documentation block 00-00-5E-00-53-xx (RFC 9542)."""
        return self._draw("mac_address", locale)

    def safe_nhs_number(self, locale: str | None = None) -> str:
        """An NHS number of the synthetic range 999 000 0000..999 999 9999, mod-11 valid."""
        return self._draw("nhs_number", locale)

    def safe_nino(self, locale: str | None = None) -> str:
        """A UK National Insurance number with a never-allocated prefix (QQ, GB, ZZ...)."""
        return self._draw("national_insurance_number", locale)

    def safe_medicare_mbi(self, locale: str | None = None) -> str:
        """A US Medicare MBI with S in position 2, which real MBIs never use."""
        return self._draw("medicare_mbi", locale)

    def safe_url(self, locale: str | None = None) -> str:
        """An https URL on a reserved domain."""
        return self._draw("url", locale)

    def safe_domain(self, locale: str | None = None) -> str:
        """A host name under a reserved domain (``name.example.com``)."""
        return self._draw("hostname", locale)

    def safe_postcode(self, locale: str | None = None) -> str:
        """A postcode in the locale's format that no address has (US ZIP 000xx-003xx, a UK
        code that breaks an allocation rule...)."""
        return self._draw("postcode", locale)

    def _draw(self, semantic: str, locale: str | None, **options: Any) -> str:
        """One value of ``semantic``, its index drawn with this Faker instance's random."""
        rule = get_semantic(semantic)
        where = check_locale(locale) if locale is not None else self._locale()
        chosen = {key: value for key, value in options.items() if value}
        size = rule.domain_size(where, chosen)
        index = self.generator.random.randrange(size)
        return rule.values(np.array([index], dtype=np.int64), where, chosen)[0]

    def _locale(self) -> str:
        """The Faker generator's locale (its localized providers carry it) if synthdata
        supports it, else ``DEFAULT_LOCALE``."""
        for provider in self.generator.providers:
            lang = getattr(provider, "__lang__", None)
            if lang in SUPPORTED_LOCALES:
                return str(lang)
        return DEFAULT_LOCALE


def add_safe_provider(fake: Any) -> Any:
    """Add ``SafeProvider`` to ``fake`` and return it: to each of its locales when it has
    several (``Faker(["de_DE", "fr_FR"])``, whose ``add_provider`` raises), so that each
    ``safe_*`` call draws in the locale Faker picks for it."""
    factories = getattr(fake, "factories", None)
    for generator in factories if factories else [fake]:
        generator.add_provider(SafeProvider)
    return fake
