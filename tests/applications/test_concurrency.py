"""Two secretaries admitting the same application at the same moment: the
row lock lets one through; the other is told it is admitted already. One
organisation, one membership, one set of invitations."""

import threading

import pytest
from django.db import connection

from governance.models import ApplicationState
from governance.notifications.models import Notification
from governance.services import applications as services
from governance.services.invitations import InvitationNotice
from members.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_admissions_at_once_admit_once(make_application, staff_user, ga_item):
    application = make_application(ApplicationState.RECOMMENDED)
    barrier = threading.Barrier(2)
    outcomes = []

    def admit():
        try:
            barrier.wait()
            services.admit(application.pk, staff_user.pk, agenda_item_id=ga_item.pk)
            outcomes.append("admitted")
        except services.ApplicationError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=admit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(outcomes) == 2 and outcomes.count("admitted") == 1
    refused = next(outcome for outcome in outcomes if outcome != "admitted")
    assert refused.endswith("cannot be admitted: it is admitted.")
    assert Organisation.objects.filter(name="Lyon").count() == 1
    assert application.transitions.filter(to_state=ApplicationState.ADMITTED).count() == 1
    assert Notification.objects.filter(kind=InvitationNotice.PORTAL_INVITATION).count() == 2  # one per contact
