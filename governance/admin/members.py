"""What governance adds to the members' admin pages, which members cannot
know of (it never imports governance): the offices a member holds and held
on its page, and the invitation to the portal on the contacts' list. The
members' admin classes are extended and registered again."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import admin as members_admin
from members.models import Contact, Organisation

from ..services.invitations import InvitationError, invite_contact


def offices_held_table(organisation):
    """The offices a member holds and held, as a read-only table for its
    admin page (a field, not an inline: it adds nothing to the form's POST)."""
    if organisation.pk is None:
        return _("None")
    offices = organisation.offices.select_related("post__body", "term").order_by("-start_date")
    if not offices:
        return _("None")
    rows = format_html_join(
        "\n",
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{} – {}</td><td>{}</td></tr>',
        (
            (
                reverse("admin:governance_office_change", args=[office.pk]),
                office.post.label,
                office.post.body.abbreviation,
                office.term.name,
                office.start_date,
                office.effective_end,
                office.get_end_reason_display() or office.get_how_chosen_display() or "—",
            )
            for office in offices
        ),
    )
    return format_html(
        '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        _("post"),
        _("body"),
        _("term"),
        _("dates"),
        _("how chosen or why it ended"),
        rows,
    )


class OrganisationAdmin(members_admin.OrganisationAdmin):
    readonly_fields = [*members_admin.OrganisationAdmin.readonly_fields, "offices_held"]
    fieldsets = [*members_admin.OrganisationAdmin.fieldsets, (gettext_lazy("Offices"), {"fields": ["offices_held"]})]

    @admin.display(description=gettext_lazy("offices held"))
    def offices_held(self, obj):
        return offices_held_table(obj)


@admin.action(description=gettext_lazy("Invite to the portal"), permissions=["change"])
def invite_to_portal(modeladmin, request, queryset):
    invited, linked = [], []
    for contact in queryset.select_related("organisation"):
        try:
            (invited if invite_contact(contact.pk, request.user.pk) else linked).append(contact.name)
        except InvitationError as error:
            modeladmin.message_user(
                request,
                _("%(contact)s was not invited: %(why)s") % {"contact": contact.name, "why": error},
                messages.ERROR,
            )
    if invited:
        modeladmin.message_user(
            request, _("Invitations sent to: %(names)s.") % {"names": ", ".join(invited)}, messages.SUCCESS
        )
    if linked:
        modeladmin.message_user(
            request,
            _("Already had a login with a password, now linked: %(names)s.") % {"names": ", ".join(linked)},
            messages.INFO,
        )


class ContactAdmin(members_admin.ContactAdmin):
    actions = [*members_admin.ContactAdmin.actions, invite_to_portal]


for model, model_admin in ((Organisation, OrganisationAdmin), (Contact, ContactAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
