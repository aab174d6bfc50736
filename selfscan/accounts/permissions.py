"""The one place that decides who may see and change what.

Views and selectors ask these functions; nothing else decides access. Two kinds of answer:
- predicates (`can_*`) for one object, and
- scopes (`visible_*`) that filter a queryset to what a user may see.

Object views use `get_object_or_404` on a scoped queryset, so an object outside a user's scope
answers 404 and its existence is not revealed.
"""

import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from selfscan.organisations.models import Bestuur, School

from .models import Role, User

STAFF_ROLES = {Role.STAFF, Role.ADMIN}


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_partnership_staff(user: Any) -> bool:
    """Partnership staff and administrators: they see and manage everything."""
    return _active(user) and (user.role in STAFF_ROLES or user.is_superuser)


def is_admin(user: Any) -> bool:
    return _active(user) and (user.role == Role.ADMIN or user.is_superuser)


def is_board_user(user: Any) -> bool:
    return _active(user) and user.role == Role.BOARD


def is_school_user(user: Any) -> bool:
    return _active(user) and user.role == Role.SCHOOL


def is_adviser(user: Any) -> bool:
    return _active(user) and user.role == Role.ADVISER


# --- the register -----------------------------------------------------------------------


def school_scope(user: Any) -> Q | None:
    """A Q over School for the schools a user may see; None means all of them."""
    if is_partnership_staff(user):
        return None
    if not _active(user):
        return Q(pk__in=[])
    if user.role == Role.BOARD:
        return Q(bestuur__in=user.besturen.all())
    if user.role == Role.ADVISER:
        return Q(pk__in=user.schools.all()) | Q(wijk__in=user.wijken.all())
    return Q(pk__in=user.schools.all())


def visible_schools(user: Any, queryset: QuerySet[School] | None = None) -> QuerySet[School]:
    """The schools `user` may see: all for staff, its besturen's for board staff, its own for a
    school team, its assigned schools and wijken for an adviser, none for anyone else."""
    qs = queryset if queryset is not None else School.objects.all()
    scope = school_scope(user)
    return qs if scope is None else qs.filter(scope).distinct()


def visible_besturen(user: Any) -> QuerySet[Bestuur]:
    """The besturen whose board-level figures `user` may see."""
    if is_partnership_staff(user):
        return Bestuur.objects.all()
    if is_board_user(user):
        return user.besturen.all()
    return Bestuur.objects.none()


def can_view_school(user: Any, school: School) -> bool:
    return visible_schools(user).filter(pk=school.pk).exists()


def can_manage_register(user: Any) -> bool:
    return is_partnership_staff(user)


def visible_register_uploads(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """A register file waiting for its dry run or confirmation is seen by the staff member who
    uploaded it only; nobody else sees it (not even another staff member)."""
    from selfscan.organisations.models import RegisterUpload

    qs = queryset if queryset is not None else RegisterUpload.objects.all()
    if not can_manage_register(user):
        return qs.none()
    return qs.filter(uploaded_by_id=user.pk)


def can_manage_users(user: Any) -> bool:
    return is_partnership_staff(user)


def can_view_audit_log(user: Any) -> bool:
    return is_partnership_staff(user)


# --- norms --------------------------------------------------------------------------------


def can_view_norms(user: Any) -> bool:
    """Every logged-in user may read the norm versions."""
    return _active(user)


def can_manage_norms(user: Any) -> bool:
    return is_partnership_staff(user)


def visible_norm_versions(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The norm versions `user` may read: every version for partnership staff and
    administrators, only published ones (adopted or retired, never a concept) for anyone else.

    A concept version outside one's scope answers 404 on its pages, like any other object."""
    from selfscan.norms.models import NormVersion

    qs = queryset if queryset is not None else NormVersion.objects.all()
    if is_partnership_staff(user):
        return qs
    if not can_view_norms(user):
        return qs.none()
    return qs.exclude(status=NormVersion.Status.DRAFT)


def can_view_norm_version(user: Any, version: Any) -> bool:
    """The same rule as `visible_norm_versions` for one loaded version (no query)."""
    from selfscan.norms.models import NormVersion

    if is_partnership_staff(user):
        return True
    return can_view_norms(user) and version.status != NormVersion.Status.DRAFT


# --- rounds and scans ---------------------------------------------------------------------


def can_manage_rounds(user: Any) -> bool:
    return is_partnership_staff(user)


def visible_imports(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The uploads of earlier rounds' results `user` may see: for partnership staff their own
    in any state and every applied import (the history of the rounds). Another staff member's
    upload that was not applied (its dry run, its problems, its confirmation) stays with the
    one who uploaded it; nobody else sees any."""
    from selfscan.imports.models import RoundImport

    qs = queryset if queryset is not None else RoundImport.objects.all()
    if not can_manage_rounds(user):
        return qs.none()
    return qs.filter(Q(uploaded_by_id=user.pk) | Q(status=RoundImport.Status.APPLIED))


def can_confirm_import(user: Any, upload: Any) -> bool:
    """Only the staff member who uploaded a file confirms its import."""
    return can_manage_rounds(user) and upload.uploaded_by_id == user.pk


def can_view_progress(user: Any) -> bool:
    """Progress screens: staff for all schools, board staff for their own schools."""
    return is_partnership_staff(user) or is_board_user(user)


def can_view_school_contacts(user: Any) -> bool:
    """The team members of schools, their e-mail addresses and whether they can log in (the
    progress page's contact column and its export): partnership staff."""
    return is_partnership_staff(user)


def visible_scans(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """Scans of the schools `user` may see."""
    from selfscan.scans.models import Scan

    qs = queryset if queryset is not None else Scan.objects.all()
    scope = school_scope(user)
    if scope is None:
        return qs
    return qs.filter(school__in=visible_schools(user))


def can_view_scan(user: Any, scan: Any) -> bool:
    return visible_scans(user).filter(pk=scan.pk).exists()


def is_on_school_team(user: Any, school_id: int, team: Iterable[Any] | None = None) -> bool:
    """A school user linked to this school: the one test behind every "own team" right.

    `team`, when the caller has already read the school's active school-team accounts
    (plans.services.team_members), answers without a query of its own: an active school user
    is among them exactly when it is linked to the school."""
    if not is_school_user(user):
        return False
    if team is not None:
        return any(member.pk == user.pk for member in team)
    return bool(user.schools.filter(pk=school_id).exists())


def team_scan_for_autosave(user: Any, pk: int) -> Any:
    """The scan `pk` when it belongs to one of school user `user`'s schools, else None: the
    rule of `visible_scans` for a school user, in one plain SQL statement for the autosave.

    Building and compiling the scoped queryset cost more CPU than the autosave's own writes
    (decision 0275). The scan comes with only the fields a save reads (id, round, school,
    norm version, sector, status, imported_at) and its round with those `locked_reason` reads
    (status, opens_on, closes_on); any other field is deferred and would cost a query. Anyone
    but an active school user gets None: the autosave is theirs only."""
    from django.db import connection

    from selfscan.rounds.models import Round
    from selfscan.scans.models import Scan

    if not is_school_user(user):
        return None
    sql, scan_names, round_names, converters = _team_scan_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, user.pk])
        found = cursor.fetchone()
    if found is None:
        return None
    # The ORM's own conversions (SQLite's datetimes made aware, and so on).
    row = list(found)
    for i, column, functions in converters:
        for function in functions:
            row[i] = function(row[i], column, connection)
    cut = len(scan_names)
    scan = Scan.from_db(connection.alias, scan_names, row[:cut])
    scan.round = Round.from_db(connection.alias, round_names, row[cut:])
    return scan


@functools.cache
def _team_scan_query(vendor: str) -> tuple[str, list[str], list[str], list[Any]]:
    """`team_scan_for_autosave`'s SQL (built once per database vendor from the models' meta,
    so a renamed column follows) and the attribute names of its columns, in each model's field
    order as `Model.from_db` wants them, and per column the ORM's converters of its values."""
    from django.db import connection

    from selfscan.core.bulk import quoted_column, quoted_table
    from selfscan.rounds.models import Round
    from selfscan.scans.models import Scan

    scan_fields = [
        f
        for f in Scan._meta.concrete_fields
        if f.attname
        in {"id", "round_id", "school_id", "norm_version_id", "sector", "status", "imported_at"}
    ]
    round_fields = [
        f
        for f in Round._meta.concrete_fields
        if f.attname in {"id", "status", "opens_on", "closes_on"}
    ]
    link = User.schools.through
    scans, rounds = quoted_table(Scan), quoted_table(Round)
    columns = [f"{scans}.{quoted_column(Scan, f.name)}" for f in scan_fields]
    columns += [f"{rounds}.{quoted_column(Round, f.name)}" for f in round_fields]
    sql = (  # only quoted names from the models' meta; the values are parameters
        f"SELECT {', '.join(columns)} FROM {scans} INNER JOIN {rounds} "  # noqa: S608
        f"ON ({scans}.{quoted_column(Scan, 'round')} = {rounds}.{quoted_column(Round, 'id')}) "
        f"WHERE ({scans}.{quoted_column(Scan, 'id')} = %s "
        f"AND {scans}.{quoted_column(Scan, 'school')} IN ("
        f"SELECT {quoted_column(link, 'school')} FROM {quoted_table(link)} "
        f"WHERE {quoted_column(link, 'user')} = %s))"
    )
    converters = []
    for i, field in enumerate(scan_fields + round_fields):
        column = field.get_col(field.model._meta.db_table)
        functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if functions:
            converters.append((i, column, functions))
    return sql, [f.attname for f in scan_fields], [f.attname for f in round_fields], converters


def can_edit_scan(user: Any, scan: Any) -> bool:
    """Only the school's own team fills in its scan (staff reopen it, they do not answer it)."""
    return is_on_school_team(user, scan.school_id)


def schools_with_active_team(queryset: QuerySet[School] | None = None) -> QuerySet[School]:
    """The schools in `queryset` whose scan someone can fill in: at least one active account
    with the school-team role linked to the school (who `can_edit_scan`)."""
    qs = queryset if queryset is not None else School.objects.all()
    return qs.filter(members__role=Role.SCHOOL, members__is_active=True).distinct()


def can_reopen_scan(user: Any, scan: Any) -> bool:
    return is_partnership_staff(user)


# --- results, exports, surveys --------------------------------------------------------------


def can_view_city_results(user: Any) -> bool:
    return is_partnership_staff(user)


def can_view_board_results(user: Any, bestuur: Bestuur) -> bool:
    return visible_besturen(user).filter(pk=bestuur.pk).exists()


def sees_every_school_in(user: Any, schools: QuerySet[School]) -> bool:
    """True when `user` may see each school in `schools` (then no small-group suppression)."""
    if is_partnership_staff(user):
        return True
    return not schools.exclude(pk__in=visible_schools(user)).exists()


def can_export(user: Any) -> bool:
    return is_partnership_staff(user) or is_board_user(user) or is_school_user(user)


def visible_export_jobs(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """An export job and its file belong to whoever requested it: nobody else sees them. A
    member who may not export (an adviser) can still have school report PDFs made of the
    schools they see (decision 0232), so they see those jobs of their own."""
    from selfscan.exports.models import SCHOOL_REPORT, ExportJob

    qs = queryset if queryset is not None else ExportJob.objects.all()
    if can_export(user):
        return qs.filter(requested_by_id=user.pk)
    if is_member(user):
        return qs.filter(requested_by_id=user.pk, kind=SCHOOL_REPORT)
    return qs.none()


def can_manage_surveys(user: Any) -> bool:
    return is_partnership_staff(user)


def is_member(user: Any) -> bool:
    """Any logged-in, active user with a role."""
    return _active(user) and isinstance(user, User)


# --- accounts, register and audit pages (issue 5) -------------------------------------------


def visible_users(user: Any) -> QuerySet[User]:
    """The accounts `user` may see and manage on the user pages: all for staff, else none."""
    if is_partnership_staff(user):
        return User.objects.all()
    return User.objects.none()


def can_view_bestuur(user: Any, bestuur: Bestuur) -> bool:
    """Board staff see their own besturen; partnership staff all of them."""
    return visible_besturen(user).filter(pk=bestuur.pk).exists()


def can_change_user(user: Any, target: Any) -> bool:
    """Staff manage accounts; only an administrator may change another administrator, and
    nobody deactivates or demotes themselves through the user pages."""
    if not can_manage_users(user) or target.pk == user.pk:
        return False
    return is_admin(user) or not (target.role == Role.ADMIN or target.is_superuser)


# --- results dashboards (issue 7: results) ---------------------------------------------------


def can_view_board_dashboards(user: Any) -> bool:
    """Board dashboards: staff for every bestuur, board staff for their own (object scope by
    `visible_besturen`, so another bestuur answers 404)."""
    return is_partnership_staff(user) or is_board_user(user)


# --- improvement actions (issue 15; docs/decisions/0185) ---------------------------------------


def visible_actions(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The improvement actions `user` may read: those of the schools it may see (its own for a
    school team, its besturen's schools for board staff, its assigned schools and wijken for an
    adviser, all for partnership staff)."""
    from selfscan.plans.models import ImprovementAction

    qs = queryset if queryset is not None else ImprovementAction.objects.all()
    if is_partnership_staff(user):
        return qs
    if not _active(user):
        return qs.none()
    return qs.filter(scan__school__in=visible_schools(user))


def can_view_actions(user: Any, school: School) -> bool:
    """A school's action overview: whoever may see the school."""
    return can_view_school(user, school)


def can_edit_actions(user: Any, school_id: int, team: Iterable[Any] | None = None) -> bool:
    """Only the school's own team adds and changes its improvement actions (also of earlier
    rounds: the status is followed up the next year). `team`: see is_on_school_team."""
    return is_on_school_team(user, school_id, team)


def can_view_action_counts(user: Any) -> bool:
    """Counts of improvement actions per theme and status across a bestuur's schools: staff
    for every bestuur, board staff for their own (object scope by `visible_besturen`)."""
    return is_partnership_staff(user) or is_board_user(user)


def can_view_action_pages(user: Any) -> bool:
    """Everyone with a role that sees schools reaches the action pages (objects are scoped)."""
    return (
        is_partnership_staff(user)
        or is_board_user(user)
        or is_school_user(user)
        or is_adviser(user)
    )


# --- team perspectives (issue 15) -------------------------------------------------------------


def can_use_team_perspectives(user: Any, scan: Any) -> bool:
    """Individual answers, the team's progress (names) and the comparison page of a scan: only
    the members of that school's own team, and only in a round with team perspectives. Not
    partnership staff, boards or advisers: they never see one person's answer."""
    return bool(scan.round.team_perspectives) and can_edit_scan(user, scan)


def visible_individual_answers(user: Any, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The individual answers `user` may read: those given on scans of the user's own schools,
    for school-team members only; none for anyone else."""
    from selfscan.perspectives.models import IndividualAnswer

    qs = queryset if queryset is not None else IndividualAnswer.objects.all()
    if not is_school_user(user):
        return qs.none()
    return qs.filter(perspective__scan__school__in=user.schools.all())


def can_view_spread_indicators(user: Any) -> bool:
    """The aggregate spread indicators of team perspectives (share of statements with
    disagreement per theme, for teams of at least the round's minimum group size): partnership
    staff for every school, board staff for their own schools (scope: `visible_scans`)."""
    return is_partnership_staff(user) or is_board_user(user)
