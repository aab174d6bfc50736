"""Loading norm files into the database.

`validate_norm_files` reads a batch of files and decides, without writing, what loading them
would do; `load_norm_files` writes the batch in one transaction, only when no file has an error.
Loading the same content again changes nothing (the SHA-256 of the file is stored). A version that
a round or a scan has used is frozen: changing it is refused with the advice to publish a new
version.

Two people publishing the same new version at the same moment are both told the outcome: the
database's unique constraint on (norm, label) lets one write win, and the other's load sees that
version afterwards (the same content: unchanged; other content: a Dutch error, nothing written).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from selfscan.audit.services import record
from selfscan.core.yamldata import FileError, ParsedFile, parse

from .models import DroppedStatement, Norm, NormUpload, NormVersion, ScaleLevel, Statement, Theme
from .schema import NormFile
from .validation import KnownStatement, KnownVersion, check

MAX_FILE_BYTES = 1_000_000


class Action:
    NEW = "nieuw"
    REPLACE = "vervangen"
    UNCHANGED = "ongewijzigd"


@dataclass
class NormSource:
    """One file to load: a name for messages and its raw bytes."""

    name: str
    content: bytes


@dataclass
class FilePlan:
    """What loading one file would do, or why it cannot be loaded."""

    source: NormSource
    parsed: ParsedFile[NormFile]
    sha256: str
    action: str = ""
    existing: NormVersion | None = None
    previous_label: str | None = None

    @property
    def model(self) -> NormFile | None:
        return self.parsed.model

    @property
    def key(self) -> tuple[str, str] | None:
        if self.parsed.model is None:
            return None
        return (self.parsed.model.metadata.norm, self.parsed.model.metadata.versie)


@dataclass
class LoadReport:
    plans: list[FilePlan] = field(default_factory=list)
    written: bool = False
    versions: list[NormVersion] = field(default_factory=list)
    # True when another load wrote the same version between our check and our write.
    concurrent: bool = False

    @property
    def errors(self) -> list[FileError]:
        return [error for plan in self.plans for error in plan.parsed.errors]

    @property
    def ok(self) -> bool:
        return bool(self.plans) and not self.errors


def keep_norm_upload(*, user: Any, source: NormSource) -> str:
    """Keep a checked file for `user` until publication; return its token. The user's earlier
    file and every file older than NormUpload.KEPT_FOR are deleted."""
    with transaction.atomic():
        NormUpload.objects.filter(uploaded_by=user).delete()
        NormUpload.objects.filter(uploaded_at__lt=timezone.now() - NormUpload.KEPT_FOR).delete()
        upload = NormUpload.objects.create(
            uploaded_by=user,
            token=secrets.token_urlsafe(16),
            file_name=source.name[:255],
            content=source.content,
        )
    return upload.token


def waiting_norm_upload(*, user: Any, token: str) -> NormSource | None:
    """The file `user` checked under `token`, if it still waits (not published, not expired)."""
    upload = NormUpload.objects.filter(
        uploaded_by=user, token=token, uploaded_at__gte=timezone.now() - NormUpload.KEPT_FOR
    ).first()
    return NormSource(name=upload.file_name, content=bytes(upload.content)) if upload else None


def discard_norm_upload(*, user: Any) -> None:
    """The user's waiting file was published or refused: it no longer waits."""
    NormUpload.objects.filter(uploaded_by=user).delete()


def source_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def version_usage(version: NormVersion) -> str | None:
    """Why `version` is frozen (a round or a scan uses it), or None when it is not used."""
    from selfscan.rounds.models import Round
    from selfscan.scans.models import Scan

    round_ = (
        Round.objects.filter(Q(version_po=version) | Q(version_vo=version) | Q(version_sv=version))
        .order_by("pk")
        .first()
    )
    if round_ is not None:
        return _("ronde '%(round)s' gebruikt deze versie") % {"round": round_.name}
    if Scan.objects.filter(norm_version=version).exists():
        return _("er zijn zelfscans met deze versie")
    return None


def _known_from_db(version: NormVersion) -> KnownVersion:
    return KnownVersion(
        norm=version.norm.key,
        label=version.label,
        statements={
            code: KnownStatement(code, concept_key, counts, text)
            for code, concept_key, counts, text in version.statements.values_list(
                "code", "concept_key", "counts_for_norm", "text"
            )
        },
    )


def _ordered(plans: list[FilePlan]) -> list[FilePlan]:
    """Plans in dependency order: a previous version in the batch comes before its successor."""
    by_key = {plan.key: plan for plan in plans if plan.key is not None}
    ordered: list[FilePlan] = []
    state: dict[int, str] = {}

    def visit(plan: FilePlan) -> None:
        if state.get(id(plan)) == "done":
            return
        if state.get(id(plan)) == "busy":
            plan.parsed.error_at(
                ("metadata", "vorige_versie"),
                _("de vorige versies verwijzen in een kring naar elkaar"),
            )
            return
        state[id(plan)] = "busy"
        if plan.model is not None and plan.model.metadata.vorige_versie:
            parent = by_key.get((plan.model.metadata.norm, plan.model.metadata.vorige_versie))
            if parent is not None:
                visit(parent)
        state[id(plan)] = "done"
        ordered.append(plan)

    for plan in plans:
        visit(plan)
    return ordered


def validate_norm_files(sources: Iterable[NormSource]) -> LoadReport:
    """Parse and check every file of the batch; decide per file new / replace / unchanged.

    Nothing is written. Each file's problems are in its `parsed.errors`, in Dutch with line and
    column. Files of one batch may build on each other (2024 and 2025 loaded together).
    """
    report = LoadReport()
    for source in sources:
        parsed = parse(source.content, NormFile, source.name, max_bytes=MAX_FILE_BYTES)
        report.plans.append(FilePlan(source, parsed, source_hash(source.content)))

    seen: dict[tuple[str, str], str] = {}
    for plan in report.plans:
        if plan.key is None:
            continue
        if plan.key in seen:
            plan.parsed.error_at(
                ("metadata", "versie"),
                _("versie %(label)s van norm %(norm)s staat ook in %(file)s")
                % {"label": plan.key[1], "norm": plan.key[0], "file": seen[plan.key]},
            )
        seen.setdefault(plan.key, plan.source.name)

    report.plans = _ordered(report.plans)
    in_batch = {plan.key: plan for plan in report.plans if plan.key is not None}
    for plan in report.plans:
        model = plan.model
        if model is None:
            continue
        meta = model.metadata
        previous: KnownVersion | None = None
        if meta.vorige_versie:
            plan.previous_label = meta.vorige_versie
            parent = in_batch.get((meta.norm, meta.vorige_versie))
            if parent is not None and parent.model is not None:
                previous = KnownVersion.from_file(parent.model)
            else:
                stored = (
                    NormVersion.objects.filter(norm__key=meta.norm, label=meta.vorige_versie)
                    .select_related("norm")
                    .first()
                )
                if stored is not None:
                    previous = _known_from_db(stored)
                else:
                    plan.parsed.error_at(
                        ("metadata", "vorige_versie"),
                        _(
                            "de vorige versie %(label)s van norm %(norm)s is niet geladen; laad "
                            "die eerst (of in dezelfde opdracht)"
                        )
                        % {"label": repr(meta.vorige_versie), "norm": repr(meta.norm)},
                    )
        check(plan.parsed, previous)
        _decide_action(plan)
    return report


def _decide_action(plan: FilePlan) -> None:
    model = plan.model
    assert model is not None
    existing = (
        NormVersion.objects.filter(norm__key=model.metadata.norm, label=model.metadata.versie)
        .select_related("norm")
        .first()
    )
    plan.existing = existing
    if existing is None:
        plan.action = Action.NEW
        return
    if existing.source_sha256 == plan.sha256:
        plan.action = Action.UNCHANGED
        return
    usage = version_usage(existing)
    if usage is not None:
        plan.parsed.error_at(
            ("metadata", "versie"),
            _(
                "versie %(label)s van norm %(norm)s is al in gebruik (%(usage)s) en kan niet meer "
                "veranderen; publiceer de wijzigingen als een nieuwe versie, met een nieuw "
                "versielabel en vorige_versie: %(label)s"
            )
            % {"label": existing.label, "norm": existing.norm.key, "usage": usage},
        )
        return
    successor = existing.next_versions.order_by("label").first()
    if successor is not None:
        plan.parsed.error_at(
            ("metadata", "versie"),
            _(
                "versie %(label)s is de vorige versie van %(successor)s en kan daarom niet meer "
                "veranderen; publiceer de wijzigingen als een nieuwe versie"
            )
            % {"label": existing.label, "successor": successor.label},
        )
        return
    plan.action = Action.REPLACE


def load_norm_files(
    sources: Iterable[NormSource], *, actor: Any = None, dry_run: bool = False
) -> LoadReport:
    """Validate the whole batch, then (unless `dry_run` or any error) write it atomically.

    Returns the report; `report.written` tells whether anything was written. Unchanged files
    are skipped; new versions are created; unused changed versions are replaced in place.
    """
    sources = list(sources)
    report = validate_norm_files(sources)
    if not report.ok or dry_run:
        return report
    if all(plan.action == Action.UNCHANGED for plan in report.plans):
        report.versions = [plan.existing for plan in report.plans if plan.existing]
        return report
    try:
        with transaction.atomic():
            # Validate again under the transaction: a round may have started using a version.
            report = validate_norm_files(sources)
            if not report.ok:
                return report
            for plan in report.plans:
                if plan.action == Action.UNCHANGED:
                    assert plan.existing is not None
                    report.versions.append(plan.existing)
                    continue
                report.versions.append(_write(plan, actor))
            report.written = True
    except IntegrityError:
        # Someone else wrote one of these versions after our check (two people publishing the
        # same file at once): nothing of ours was written; report what is there now.
        return _after_concurrent_load(sources)
    return report


def _after_concurrent_load(sources: list[NormSource]) -> LoadReport:
    """The outcome for a load that lost a race: the same versions as the winner's are simply
    there (unchanged); a file whose version now exists with other content is an error."""
    report = validate_norm_files(sources)
    report.concurrent = True
    if not report.ok:
        return report
    if all(plan.action == Action.UNCHANGED for plan in report.plans):
        report.versions = [plan.existing for plan in report.plans if plan.existing]
        return report
    for plan in report.plans:
        if plan.action != Action.UNCHANGED and plan.model is not None:
            plan.parsed.error_at(
                ("metadata", "versie"),
                _(
                    "versie %(label)s van norm %(norm)s is op hetzelfde moment door iemand anders "
                    "geladen; er is niets opgeslagen. Bekijk die versie en laad dit bestand zo "
                    "nodig opnieuw."
                )
                % {"label": plan.model.metadata.versie, "norm": plan.model.metadata.norm},
            )
    return report


def _write(plan: FilePlan, actor: Any) -> NormVersion:
    model = plan.model
    assert model is not None
    meta = model.metadata
    norm, _created = Norm.objects.get_or_create(key=meta.norm, defaults={"name": meta.naam})
    if norm.name != meta.naam:
        norm.name = meta.naam
        norm.save(update_fields=["name"])
    previous = (
        NormVersion.objects.get(norm=norm, label=meta.vorige_versie) if meta.vorige_versie else None
    )
    fields = {
        "title": meta.titel,
        "adopted_on": meta.vastgesteld_op,
        "status": meta.status,
        "description": meta.wijzigingen,
        "previous": previous,
        "has_nvt": model.schaal.nvt is not None,
        "nvt_label": model.schaal.nvt.label if model.schaal.nvt else "Niet van toepassing",
        "nvt_guidance": model.schaal.nvt.toelichting if model.schaal.nvt else "",
        "sectors": list(meta.sectoren),
        "source_name": plan.source.name[:255],
        "source_sha256": plan.sha256,
        "source_text": plan.source.content.decode("utf-8").removeprefix("\ufeff"),
        "loaded_by": actor if getattr(actor, "pk", None) else None,
    }
    if plan.action == Action.REPLACE:
        version = NormVersion.objects.select_for_update().get(pk=plan.existing.pk)  # type: ignore[union-attr]
        version.dropped.all().delete()
        Statement.derived_from.through.objects.filter(from_statement__version=version).delete()
        version.statements.all().delete()
        version.themes.all().delete()
        version.scale.all().delete()
        for name, value in fields.items():
            setattr(version, name, value)
        version.save()
    else:
        version = NormVersion.objects.create(norm=norm, label=meta.versie, **fields)

    sufficient = set(model.schaal.voldoende)
    ScaleLevel.objects.bulk_create(
        ScaleLevel(
            version=version,
            code=level.code,
            label=level.label,
            guidance=level.toelichting,
            sufficient=level.code in sufficient,
            order=order,
        )
        for order, level in enumerate(model.schaal.niveaus, start=1)
    )
    themes = Theme.objects.bulk_create(
        Theme(
            version=version,
            code=spec.code,
            title=spec.titel,
            introduction=spec.inleiding,
            guidance=spec.handreiking,
            links=[card.model_dump() for card in spec.kaarten],
            order=spec.volgorde if spec.volgorde is not None else position,
        )
        for position, spec in enumerate(model.themas, start=1)
    )
    statements: list[Statement] = []
    for theme, spec in zip(themes, model.themas, strict=True):
        for position, item in enumerate(spec.stellingen, start=1):
            lineage = item.herkomst
            statements.append(
                Statement(
                    version=version,
                    theme=theme,
                    code=item.code,
                    concept_key=item.concept_key,
                    text=item.tekst,
                    help_text=item.hulptekst,
                    sectors=list(item.geldt_voor),
                    nvt_allowed=item.nvt_toegestaan,
                    counts_for_norm=item.telt_mee,
                    tags=list(item.labels),
                    order=item.volgorde if item.volgorde is not None else position,
                    relation=lineage.relatie if lineage else "",
                    comparable=lineage.vergelijkbaar if lineage else False,
                )
            )
    # bulk_create sets primary keys on PostgreSQL and SQLite (3.35+), which the links need.
    statements = Statement.objects.bulk_create(statements)

    if previous is not None:
        old = dict(previous.statements.values_list("code", "pk"))
        links = []
        specs = [item for spec in model.themas for item in spec.stellingen]
        for statement, item in zip(statements, specs, strict=True):
            for code in item.herkomst.vorige if item.herkomst else []:
                links.append(
                    Statement.derived_from.through(
                        from_statement_id=statement.pk, to_statement_id=old[code]
                    )
                )
        Statement.derived_from.through.objects.bulk_create(links)
        DroppedStatement.objects.bulk_create(
            DroppedStatement(version=version, statement_id=old[item.code], note=item.toelichting)
            for item in model.vervallen
        )

    record(
        actor=actor,
        action="norm.vervangen" if plan.action == Action.REPLACE else "norm.geladen",
        obj=version,
        changes={
            "bestand": plan.source.name,
            "sha256": plan.sha256,
            "themas": len(themes),
            "stellingen": len(statements),
        },
    )
    return version


def describe(plan: FilePlan, *, dry_run: bool = False) -> str:
    """One line for the outcome of one file (used by the command and the upload page)."""
    model = plan.model
    if model is None or plan.parsed.errors:
        return _("%(file)s: %(count)s fout(en), niet geladen") % {
            "file": plan.source.name,
            "count": len(plan.parsed.errors),
        }
    values = {
        "file": plan.source.name,
        "name": f"{model.metadata.norm} {model.metadata.versie}",
        "themes": len(model.themas),
        "statements": sum(len(theme.stellingen) for theme in model.themas),
    }
    if plan.action == Action.UNCHANGED:
        return _("%(file)s: %(name)s ongewijzigd (al geladen met dezelfde inhoud)") % values
    if plan.action == Action.REPLACE and dry_run:
        line = _(
            "%(file)s: %(name)s zou worden vervangen (%(themes)s thema's, "
            "%(statements)s stellingen)"
        )
    elif plan.action == Action.REPLACE:
        line = _("%(file)s: %(name)s vervangen (%(themes)s thema's, %(statements)s stellingen)")
    elif dry_run:
        line = _(
            "%(file)s: %(name)s zou nieuw worden geladen (%(themes)s thema's, "
            "%(statements)s stellingen)"
        )
    else:
        line = _("%(file)s: %(name)s nieuw geladen (%(themes)s thema's, %(statements)s stellingen)")
    return line % values
