"""factory-boy factories for the shared models. Apps add their own below their section."""

import factory
from factory.django import DjangoModelFactory

from selfscan.accounts.models import Role, User
from selfscan.norms.models import Norm, NormVersion, ScaleLevel, Statement, Theme
from selfscan.organisations.models import Bestuur, School, Sector, Stadsdeel, Wijk

TEST_PASSWORD = "correct-horse-battery-staple"


class StadsdeelFactory(DjangoModelFactory[Stadsdeel]):
    class Meta:
        model = Stadsdeel
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Stadsdeel {n}")


class WijkFactory(DjangoModelFactory[Wijk]):
    class Meta:
        model = Wijk
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Wijk {n}")
    stadsdeel = factory.SubFactory(StadsdeelFactory)


class BestuurFactory(DjangoModelFactory[Bestuur]):
    class Meta:
        model = Bestuur

    name = factory.Sequence(lambda n: f"Stichting Testbestuur {n}")
    bevoegd_gezag_nummer = factory.Sequence(lambda n: f"{40000 + n:05d}")


def _vestigingscode(n: int) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"{10 + n // 576 % 90:02d}{letters[n // 24 % 24]}{letters[n % 24]}{n % 100:02d}"


class SchoolFactory(DjangoModelFactory[School]):
    class Meta:
        model = School

    vestigingscode = factory.Sequence(_vestigingscode)
    name = factory.Sequence(lambda n: f"Testschool {n}")
    sector = Sector.PO
    wijk = factory.SubFactory(WijkFactory)
    bestuur = factory.SubFactory(BestuurFactory)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    role = Role.SCHOOL
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def schools(self, create: bool, extracted: list[School] | None, **kwargs: object) -> None:
        if create and extracted:
            self.schools.set(extracted)

    @factory.post_generation
    def besturen(self, create: bool, extracted: list[Bestuur] | None, **kwargs: object) -> None:
        if create and extracted:
            self.besturen.set(extracted)

    @factory.post_generation
    def wijken(self, create: bool, extracted: list[Wijk] | None, **kwargs: object) -> None:
        if create and extracted:
            self.wijken.set(extracted)
        self.save()


# --- norms ---------------------------------------------------------------------------------

DEFAULT_SCALE = [
    ("1", "Onvoldoende", False),
    ("2", "Matig / in ontwikkeling", False),
    ("3", "Voldoende", True),
    ("4", "Goed", True),
]


def make_norm_version(
    *,
    key: str = "testnorm",
    label: str = "2025",
    themes: int = 3,
    statements_per_theme: int = 4,
    sectors: tuple[str, ...] = ("PO", "VO", "SV"),
    nvt_every: int = 4,
    previous: NormVersion | None = None,
) -> NormVersion:
    """A small norm version with the standard 1-4 scale plus n.v.t.

    Statement codes are T01.01 ...; every `nvt_every`-th statement allows n.v.t. (0: none).
    """
    norm, _ = Norm.objects.get_or_create(key=key, defaults={"name": key.upper()})
    version = NormVersion.objects.create(
        norm=norm, label=label, title=f"{norm.name} {label}", previous=previous
    )
    for order, (code, text, sufficient) in enumerate(DEFAULT_SCALE):
        ScaleLevel.objects.create(
            version=version, code=code, label=text, sufficient=sufficient, order=order
        )
    number = 0
    for t in range(1, themes + 1):
        theme = Theme.objects.create(
            version=version, code=f"T{t:02d}", title=f"Thema {t}", order=t, guidance="Tip"
        )
        for s in range(1, statements_per_theme + 1):
            number += 1
            Statement.objects.create(
                version=version,
                theme=theme,
                code=f"T{t:02d}.{s:02d}",
                concept_key=f"{key}-t{t}-s{s}",
                text=f"Stelling {t}.{s}",
                sectors=list(sectors),
                nvt_allowed=bool(nvt_every) and number % nvt_every == 0,
                order=s,
            )
    return version
