import datetime

import factory

from regie.directory.tests.factories import DepartmentFactory
from regie.telephony.models import (
    CopperCutoff,
    DepartmentOnCall,
    Extension,
    Line,
    LineKind,
    Operator,
    OperatorContract,
    SimCard,
    SiteFallback,
    Technology,
)
from regie.telephony.numbers import luhn_is_valid


def iccid(serial: int) -> str:
    """A valid 19-digit ICCID (89, country, issuer, serial, Luhn check digit)."""
    base = f"893315{serial:012d}"
    return next(base + digit for digit in "0123456789" if luhn_is_valid(base + digit))


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator

    name = factory.Sequence(lambda n: f"Opérateur {n}")


class OperatorContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorContract

    operator = factory.SubFactory(OperatorFactory)
    reference = factory.Sequence(lambda n: f"CT-{n:05d}")
    start_date = datetime.date(2024, 1, 1)


class LineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Line

    number = factory.Sequence(lambda n: f"+3354927{n:04d}")
    kind = LineKind.ANALOGUE
    technology = Technology.COPPER


class SimCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SimCard

    iccid = factory.Sequence(iccid)


class ExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Extension

    number = factory.Sequence(lambda n: f"{2000 + n}")


class SiteFallbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteFallback


class CopperCutoffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CopperCutoff


class DepartmentOnCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentOnCall

    department = factory.SubFactory(DepartmentFactory)
    number = factory.Sequence(lambda n: f"+3354988{n:04d}")
