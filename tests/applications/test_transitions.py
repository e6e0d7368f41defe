"""Every move an application may make, and every one it may not: through the
service, and straight into PostgreSQL (the trigger generated from the same
table)."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from governance.models import Application, ApplicationState, ApplicationTransition
from governance.models.applications import ACTIONS, TRANSITIONS, allowed_pairs, transition_for, transitions_trigger_sql
from governance.services.applications import ApplicationError

from .conftest import run

S = ApplicationState
ALLOWED = {(t.action, t.source) for t in TRANSITIONS}
EVERY = [(action, state) for action in ACTIONS for state in S]


@pytest.mark.parametrize(("action", "state"), [pair for pair in EVERY if pair in ALLOWED])
def test_an_allowed_move_is_made_and_recorded(make_application, staff_user, ga_item, excom_item, action, state):
    application = make_application(state)
    moves_before = application.transitions.count()
    run(action, application, staff_user, ga_item=ga_item, excom_item=excom_item)
    application.refresh_from_db()
    target = transition_for(action, state).target
    assert application.state == target
    last = application.transitions.order_by("-at", "-pk").first()
    assert application.transitions.count() == moves_before + 1
    assert (last.from_state, last.to_state) == (state, target)
    if action == "withdraw":
        assert last.by_applicant and last.by is None
    else:
        assert last.by == staff_user and not last.by_applicant


@pytest.mark.parametrize(("action", "state"), [pair for pair in EVERY if pair not in ALLOWED])
def test_a_forbidden_move_is_refused_and_changes_nothing(
    make_application, staff_user, ga_item, excom_item, action, state
):
    application = make_application(state)
    moves_before = application.transitions.count()
    with pytest.raises(ApplicationError):
        run(action, application, staff_user, ga_item=ga_item, excom_item=excom_item)
    application.refresh_from_db()
    assert application.state == state
    assert application.transitions.count() == moves_before


def test_the_migrations_trigger_is_the_one_the_table_gives():
    migration = importlib.import_module("governance.migrations.0006_applications")
    assert migration.TRIGGER.strip() == transitions_trigger_sql().strip()


def _raw_update(application, state):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE governance_application SET state = %s WHERE id = %s", [state, application.pk])


@pytest.mark.parametrize("source", list(S))
def test_postgresql_allows_exactly_the_tables_moves(make_application, source):
    """For every pair of states, a raw UPDATE succeeds if and only if the
    table allows the move: the trigger and the table agree."""
    for target in S:
        if target == source:
            continue
        application = make_application(source, name=f"City {source} {target}")
        if (source, target) in allowed_pairs():
            _raw_update(application, target)
            application.refresh_from_db()
            assert application.state == target
        else:
            with pytest.raises(IntegrityError, match="cannot move"):
                _raw_update(application, target)
            application.refresh_from_db()
            assert application.state == source


def test_a_raw_update_to_a_forbidden_state_fails(make_application):
    application = make_application(S.SUBMITTED)
    with pytest.raises(IntegrityError, match="cannot move from submitted to admitted"):
        _raw_update(application, S.ADMITTED)
    assert Application.objects.get(pk=application.pk).state == S.SUBMITTED


def test_a_queryset_update_cannot_skip_the_review_either(make_application):
    application = make_application(S.REJECTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(state=S.ADMITTED)


def test_an_application_starts_submitted_in_postgresql(make_application):
    application = make_application()
    with pytest.raises(IntegrityError, match="starts in state submitted"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO governance_application (reference, state, name, country, kind, category_id, website,"
                " head_of_government, political_name, political_title, political_email, liaison_name,"
                " liaison_title, liaison_email, language, letter, consent, possible_duplicate, duplicate_note,"
                " name_folded, submitted_at, updated_at)"
                " SELECT 'WEGO-RAW', 'admitted', name, country, kind, category_id, website, head_of_government,"
                " political_name, political_title, political_email, liaison_name, liaison_title, liaison_email,"
                " language, letter, consent, false, '', name_folded, now(), now()"
                " FROM governance_application WHERE id = %s",
                [application.pk],
            )


def test_a_recorded_move_outside_the_table_is_refused(make_application):
    application = make_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationTransition.objects.create(application=application, from_state=S.SUBMITTED, to_state=S.ADMITTED)


def test_every_move_starts_from_the_first_state_it_can_reach():
    """The table has no move out of admitted: an admission is final."""
    assert not [t for t in TRANSITIONS if t.source == S.ADMITTED]
    reachable = {S.SUBMITTED} | {t.target for t in TRANSITIONS}
    assert reachable == set(S)


def test_recommending_needs_an_excom_agenda_item(make_application, staff_user, ga_item):
    from governance.services import applications as services

    application = make_application(S.UNDER_REVIEW)
    with pytest.raises(ApplicationError, match="Executive Committee"):
        services.recommend(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
    with pytest.raises(ApplicationError, match="agenda item"):
        services.recommend(application.pk, staff_user.pk, agenda_item_id=None)
    application.refresh_from_db()
    assert application.state == S.UNDER_REVIEW


def test_rejecting_and_reopening_need_a_reason(make_application, staff_user):
    from governance.services import applications as services

    application = make_application(S.SUBMITTED)
    with pytest.raises(ApplicationError, match="reason"):
        services.reject(application.pk, staff_user.pk, "   ")
    services.reject(application.pk, staff_user.pk, "Outside our remit.")
    with pytest.raises(ApplicationError, match="reopened"):
        services.reopen(application.pk, staff_user.pk, "")
    application.refresh_from_db()
    assert application.state == S.REJECTED


def test_a_move_from_the_wrong_state_says_so_before_asking_for_the_decision(make_application, staff_user):
    from governance.services import applications as services

    application = make_application(S.SUBMITTED)
    with pytest.raises(ApplicationError, match="cannot be recommended: it is submitted"):
        services.recommend(application.pk, staff_user.pk, agenda_item_id=None)
    with pytest.raises(ApplicationError, match="cannot be admitted: it is submitted"):
        services.admit(application.pk, staff_user.pk, agenda_item_id=None)
