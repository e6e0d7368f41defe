import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Contact, ContactRole, Membership, MembershipCategory, Organisation, Standing

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:members_organisation_changelist",
    "admin:members_membership_changelist",
    "admin:members_contact_changelist",
    "admin:members_user_changelist",
    "admin:members_membershipcategory_changelist",
]


def _bulk_members(count, category, start=0):
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bulk City {i}",
                slug=f"bulk-city-{i}",
                country="DE",
                kind="local_government",
                search_text=f"bulk city {i}",
            )
            for i in range(start, start + count)
        ]
    )
    Membership.objects.bulk_create([Membership(organisation=o, category=category) for o in organisations])
    contacts = Contact.objects.bulk_create(
        [Contact(organisation=o, name=f"Person {o.pk}", email=f"p{o.pk}@example.org") for o in organisations]
    )
    ContactRole.objects.bulk_create([ContactRole(contact=c, role="focal_point") for c in contacts])


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_open_for_staff_with_a_constant_number_of_queries(staff_client, full_category, name):
    url = reverse(name)
    _bulk_members(10, full_category)
    small = _queries(staff_client, url)
    _bulk_members(990, full_category, start=10)
    large = _queries(staff_client, url)
    assert large == small, f"{name}: {small} queries for 10 rows, {large} for 1,000"


@pytest.mark.parametrize("status", ["current", "suspended", "withdrawn", "ended", "pending", "none"])
def test_the_organisation_changelist_filters_on_the_derived_status(staff_client, make_member, today, status):
    make_member("Current City")
    make_member("Suspended City", standing=Standing.SUSPENDED)
    response = staff_client.get(reverse("admin:members_organisation_changelist"), {"status": status})
    shown = {o.name for o in response.context["cl"].result_list}
    assert shown == {"current": {"Current City"}, "suspended": {"Suspended City"}}.get(status, set())


@pytest.mark.parametrize("region", ["asia", "europe"])
def test_the_organisation_changelist_filters_on_the_region(staff_client, make_member, region):
    make_member("Seoul", country="KR")
    make_member("Paris", country="FR")
    response = staff_client.get(reverse("admin:members_organisation_changelist"), {"region": region})
    assert [o.name for o in response.context["cl"].result_list] == [{"asia": "Seoul", "europe": "Paris"}[region]]


def test_the_change_page_shows_the_membership_and_contacts_inlines_and_history(
    staff_client, make_member, make_contact, associate_category
):
    organisation = make_member("Seoul", country="KR")
    make_contact(organisation, name="Kim Focal")
    membership = organisation.membership
    membership.category = associate_category
    membership.save()
    response = staff_client.get(reverse("admin:members_organisation_change", args=[organisation.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kim Focal" in html
    assert "membership-0-category" in html or 'name="membership-0-category"' in html
    assert "Associate Member" in html and "Full Member" in html  # both sides of the change


def test_the_secretariat_can_suspend_a_membership_from_the_change_page(staff_client, make_member):
    organisation = make_member("Paris")
    url = reverse("admin:members_organisation_change", args=[organisation.pk])
    data = {
        "name": "Paris",
        "slug": "paris",
        "kind": "local_government",
        "country": "FR",
        "website": "",
        "description": "",
        "latitude": "48.85",
        "longitude": "2.35",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "1",
        "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-id": organisation.membership.pk,
        "membership-0-organisation": organisation.pk,
        "membership-0-category": organisation.membership.category_id,
        "membership-0-standing": "suspended",
        "membership-0-standing_reason": "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200  # the form comes back with the error
    assert "Say why the membership is suspended or withdrawn." in response.content.decode()
    organisation.membership.refresh_from_db()
    assert organisation.membership.standing == ""
    data["membership-0-standing_reason"] = "Dues unpaid for two years"
    assert staff_client.post(url, data).status_code == 302
    organisation.membership.refresh_from_db()
    assert organisation.membership.standing == "suspended"
    assert organisation.membership.history.first().history_user.email == "secretariat@example.org"


def test_the_admin_refuses_people_who_are_not_staff(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("admin:members_organisation_changelist"))
    assert response.status_code == 302


IMPORT_HEADER = (
    "slug,name,kind,country,website,description,latitude,longitude,is_founding_member,category,"
    "joined_on,start_date,end_date\n"
)


def _import(client, content):
    upload = SimpleUploadedFile("members.csv", content.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse("admin:members_organisation_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )


def test_an_import_with_one_bad_row_imports_nothing_and_names_the_rows(staff_client, full_category):
    content = IMPORT_HEADER + (
        "almaty,Almaty,local_government,KZ,,,43.22,76.85,0,full-member,2019-05-01,,\n"
        "atlantis,Atlantis,local_government,XX,,,,,0,full-member,,,\n"
        "kampala,Kampala,local_government,UG,,,0.34,32.58,0,no-such-category,,,\n"
        "cuenca,Cuenca,local_government,EC,,,-2.9,-79.0,maybe,full-member,13/13/2020,,\n"
    )
    response = _import(staff_client, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not an ISO country code" in html
    assert "is not a membership category" in html
    assert "is not a date (YYYY-MM-DD)" in html
    assert "Write 1 or 0." in html
    assert 'name="import_file_name"' not in html  # no confirm step offered
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_a_good_import_creates_members_with_their_membership_after_confirmation(staff_client, full_category):
    content = IMPORT_HEADER + (
        "almaty,Almaty,local_government,kz,,Host of the next GA,43.22,76.85,0,full-member,2019-05-01,2019-05-01,\n"
        "sao-paulo,São Paulo,local_government,BR,https://sp.example,,-23.55,-46.63,1,full-member,2010-09-01,,\n"
    )
    response = _import(staff_client, content)
    html = response.content.decode()
    assert 'name="import_file_name"' in html
    assert not Organisation.objects.exists()  # the first step is a dry run
    confirm = {
        field: response.context["confirm_form"].initial[field]
        for field in ("import_file_name", "original_file_name", "format", "resource")
    }
    assert staff_client.post(reverse("admin:members_organisation_process_import"), confirm).status_code == 302
    almaty = Organisation.objects.get(slug="almaty")
    assert almaty.country.code == "KZ"
    assert almaty.membership.category == full_category
    assert str(almaty.membership.joined_on) == "2019-05-01"
    assert Organisation.objects.get(slug="sao-paulo").is_founding_member


def test_an_import_refuses_a_category_of_another_kind(staff_client, full_category):
    MembershipCategory.objects.create(slug="industry-member", name="Industry Member", kind="provider")
    content = IMPORT_HEADER + "acme,Acme,local_government,KR,,,,,0,industry-member,,,\n"
    html = _import(staff_client, content).content.decode()
    assert "is not for organisations of kind" in html
    assert not Organisation.objects.exists()


def test_an_import_checks_each_row_by_the_memberships_own_rules(staff_client, full_category):
    """The rows are checked by Membership.clean(), not by rules restated for the import."""
    MembershipCategory.objects.create(slug="industry-member", name="Industry Member", kind="provider")
    content = IMPORT_HEADER + (
        "almaty,Almaty,local_government,KZ,,,,,0,full-member,,2020-05-01,2020-04-30\n"
        "acme,Acme,local_government,KR,,,,,0,industry-member,,,\n"
        "seoul,Seoul,local_government,KR,,,,,0,full-member,,2020-05-01,2020-05-01\n"
    )
    html = _import(staff_client, content).content.decode()
    assert "The end date cannot be before the start date." in html
    assert "Industry Member is not for organisations of kind “Local government”." in html
    assert 'name="import_file_name"' not in html
    assert not Organisation.objects.exists()


def test_the_admin_export_has_the_members_with_their_category(staff_client, make_member):
    make_member("São Paulo", country="BR")
    response = staff_client.post(
        reverse("admin:members_organisation_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"organisationresource_{f}": "on" for f in ("slug", "name", "kind", "country", "category")},
        },
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert "sao-paulo" in body and "full-member" in body
