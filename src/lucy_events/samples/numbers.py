"""Valid identifiers with their check digits: VAT and company numbers, IBANs, Belgian
structured communications. Each is computed, then confirmed with python-stdnum, so a
generated document never carries a number a real validator would refuse."""

from __future__ import annotations

import random

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.be import iban as be_iban
from stdnum.be import ogm_vcs
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.fr import siren, tva
from stdnum.iso7064 import mod_11_10
from stdnum.nl import btw

#: (first three digits of a Belgian account, BIC): KBC, ING, BNP Paribas Fortis, Belfius.
BE_BANKS = (("734", "KREDBEBB"), ("363", "BBRUBEBB"), ("001", "GEBABEBB"),
            ("068", "GKCCBEBB"))
NL_BANKS = (("INGB", "INGBNL2A"), ("RABO", "RABONL2U"), ("ABNA", "ABNANL2A"))
FR_BANKS = (("30004", "BNPAFRPP"), ("30003", "SOGEFRPP"), ("10278", "CMCIFR2A"))
DE_BANKS = (("37040044", "COBADEFFXXX"), ("50070010", "DEUTDEFFXXX"),
            ("70020270", "HYVEDEMMXXX"))


def _confirmed(number: str, valid: bool) -> str:
    if not valid:  # a bug in this module, never the caller's input
        raise ValueError(f"generated an invalid number {number}")
    return number


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def be_enterprise_number(rng: random.Random) -> str:
    """A KBO/BCE number, 10 digits: 0 + 7 digits + 97 - (first 8 mod 97)."""
    first = "0" + str(rng.randrange(2_000_000, 9_999_999))
    number = first + f"{97 - int(first) % 97:02d}"
    return _confirmed(number, be_vat.is_valid(number))


def nl_kvk(rng: random.Random) -> str:
    return str(rng.randrange(10_000_000, 99_999_999))


def nl_vat(rng: random.Random) -> str:
    """NL + 9 digits (mod 11) + B + 2 digits."""
    while True:
        body = _digits(rng, 8)
        check = sum(int(d) * w for d, w in zip(body, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            number = f"NL{body}{check}B{rng.randrange(1, 4):02d}"
            return _confirmed(number, btw.is_valid(number))


def fr_siren(rng: random.Random) -> str:
    body = str(rng.randrange(30_000_000, 99_999_999))
    number = body + luhn.calc_check_digit(body)
    return _confirmed(number, siren.is_valid(number))


def fr_vat(siren_number: str) -> str:
    number = "FR" + siren.to_tva(siren_number)
    return _confirmed(number, tva.is_valid(number))


def de_vat_number(rng: random.Random) -> str:
    body = str(rng.randrange(10_000_000, 99_999_999))
    number = "DE" + body + mod_11_10.calc_check_digit(body)
    return _confirmed(number, de_vat.is_valid(number))


def iban(country: str, rng: random.Random) -> tuple[str, str]:
    """A valid IBAN of ``country`` (BE, NL, FR or DE) and its bank's BIC."""
    if country == "BE":
        bank, bic = rng.choice(BE_BANKS)
        account = bank + _digits(rng, 7)
        bban = account + f"{int(account) % 97 or 97:02d}"
    elif country == "NL":
        bank, bic = rng.choice(NL_BANKS)
        bban = bank + _digits(rng, 10)
    elif country == "FR":
        bank, bic = rng.choice(FR_BANKS)
        branch, account = _digits(rng, 5), _digits(rng, 11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        bban = f"{bank}{branch}{account}{key:02d}"
    else:
        bank, bic = rng.choice(DE_BANKS)
        bban = bank + _digits(rng, 10)
    number = country + std_iban.calc_check_digits(country + "00" + bban) + bban
    valid = std_iban.is_valid(number) and (country != "BE" or be_iban.is_valid(number))
    return _confirmed(number, valid), bic


def structured_communication(rng: random.Random) -> str:
    """A Belgian structured communication, +++123/4567/89012+++ (mod 97, 97 for 0)."""
    body = str(rng.randrange(1, 10**10)).rjust(10, "0")
    number = body + ogm_vcs.calc_check_digits(body)
    _confirmed(number, ogm_vcs.is_valid(number))
    return f"+++{ogm_vcs.format(number)}+++"


def grouped_iban(number: str) -> str:
    return std_iban.format(number)
