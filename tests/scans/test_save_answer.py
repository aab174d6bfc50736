"""Saving one answer: versions, history, conflicts."""

from selfscan.scans.models import Answer, AnswerChange, Scan
from selfscan.scans.services import save_answer


def test_first_save_creates_the_answer_with_version_one(scan, statements, school_user):
    result = save_answer(
        scan=scan, statement_id=statements[0].pk, by=school_user, value="3", expected_version=0
    )
    assert result.status == "saved"
    answer = Answer.objects.get(scan=scan, statement=statements[0])
    assert (answer.value, answer.version, answer.updated_by) == ("3", 1, school_user)
    scan.refresh_from_db()
    assert scan.status == Scan.Status.IN_PROGRESS
    assert scan.current_step == statements[0].theme.code
    assert scan.started_at is not None


def test_every_change_is_kept_with_old_and_new_value(scan, statements, school_user):
    sid = statements[0].pk
    save_answer(scan=scan, statement_id=sid, by=school_user, value="2", expected_version=0)
    save_answer(
        scan=scan,
        statement_id=sid,
        by=school_user,
        value="4",
        comment="Geborgd",
        expected_version=1,
    )
    changes = list(AnswerChange.objects.filter(answer__scan=scan).order_by("id"))
    assert [(c.old_value, c.new_value) for c in changes] == [("", "2"), ("2", "4")]
    assert changes[1].new_comment == "Geborgd"
    assert changes[1].changed_by == school_user


def test_stale_version_is_a_conflict_and_changes_nothing(scan, statements, world):
    sid = statements[0].pk
    me, colleague = world.user("school"), world.user("school")
    save_answer(scan=scan, statement_id=sid, by=colleague, value="4", expected_version=0)
    result = save_answer(scan=scan, statement_id=sid, by=me, value="1", expected_version=0)
    assert result.conflict
    assert result.answer.value == "4"
    answer = Answer.objects.get(scan=scan, statement_id=sid)
    assert (answer.value, answer.version) == ("4", 1)
    assert AnswerChange.objects.filter(answer=answer).count() == 1


def test_overwrite_after_seeing_the_conflict_uses_the_new_version(scan, statements, school_user):
    sid = statements[0].pk
    save_answer(scan=scan, statement_id=sid, by=school_user, value="4", expected_version=0)
    result = save_answer(scan=scan, statement_id=sid, by=school_user, value="1", expected_version=1)
    assert result.status == "saved"
    assert Answer.objects.get(scan=scan, statement_id=sid).value == "1"


def test_same_value_again_is_unchanged_and_writes_no_history(scan, statements, school_user):
    sid = statements[0].pk
    save_answer(scan=scan, statement_id=sid, by=school_user, value="3", expected_version=0)
    result = save_answer(scan=scan, statement_id=sid, by=school_user, value="3", expected_version=0)
    assert result.status == "unchanged"
    assert AnswerChange.objects.filter(answer__scan=scan).count() == 1


def test_nvt_with_explanation_is_stored(scan, statements, school_user):
    nvt_statement = next(s for s in statements if s.nvt_allowed)
    save_answer(
        scan=scan,
        statement_id=nvt_statement.pk,
        by=school_user,
        value="NVT",
        nvt_explanation="Wij hebben geen leerlingen in deze situatie.",
        expected_version=0,
    )
    answer = Answer.objects.get(scan=scan, statement=nvt_statement)
    assert answer.value == "NVT"
    assert answer.nvt_explanation.startswith("Wij hebben")
