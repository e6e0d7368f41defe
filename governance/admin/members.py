"""What governance adds to the members' admin pages, which members cannot
know of (it never imports governance): the offices a member holds and held
on its page, its standing (whether it votes, and why not) and its invoices,
the secretariat's suspension and termination of a member (with a reason;
its offices end the same day), and the invitation to the portal on the
contacts' list. The members' admin classes are extended and registered
again."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from members import admin as members_admin
from members.models import Contact, Organisation

from .. import formats
from ..models import Invoice, vote_of
from ..services import dues as dues_services
from ..services.invitations import InvitationError, invite_contact
from .dues import _run_each, ask_reason


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
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                reverse("admin:governance_office_change", args=[office.pk]),
                office.post.label,
                office.post.body.abbreviation,
                office.term.name,
                formats.date_span(office.start_date, office.effective_end),
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


def standing_and_dues(organisation):
    """Whether the member votes today (and why not, arrears included) and
    its invoices, for its admin page. The secretariat's eyes only."""
    if organisation.pk is None:
        return _("None")
    vote = vote_of(organisation)
    standing = _("Carries a vote.") if vote else vote.reason
    invoices = Invoice.objects.filter(organisation=organisation).with_paid().order_by("-issued_on", "-number")[:20]
    rows = format_html_join(
        "\n",
        '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                reverse("admin:governance_invoice_change", args=[invoice.pk]),
                invoice,
                formats.date_span(invoice.period_start, invoice.period_end),
                formats.money(invoice.amount, invoice.currency),
                formats.money(invoice.paid, invoice.currency) if invoice.kind == "invoice" else "—",
                invoice.get_state_display(),
            )
            for invoice in invoices
        ),
    )
    table = (
        format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("invoice"),
            _("membership year"),
            _("amount"),
            _("paid"),
            _("state"),
            rows,
        )
        if invoices
        else format_html("<p>{}</p>", _("No invoice."))
    )
    return format_html("<p><strong>{}</strong></p>{}", standing, table)


class OrganisationAdmin(members_admin.OrganisationAdmin):
    readonly_fields = [*members_admin.OrganisationAdmin.readonly_fields, "offices_held", "standing_and_dues"]
    fieldsets = [
        *members_admin.OrganisationAdmin.fieldsets,
        (gettext_lazy("Offices"), {"fields": ["offices_held"]}),
        (gettext_lazy("Standing and dues"), {"fields": ["standing_and_dues"]}),
    ]
    actions = [*(members_admin.OrganisationAdmin.actions or []), "suspend", "terminate"]

    @admin.display(description=gettext_lazy("offices held"))
    def offices_held(self, obj):
        return offices_held_table(obj)

    @admin.display(description=gettext_lazy("standing and invoices"))
    def standing_and_dues(self, obj):
        return standing_and_dues(obj)

    def _decide(self, request, queryset, service, title, intro, done):
        reason, page = ask_reason(self, request, queryset, title, intro)
        if page is not None:
            return page
        _run_each(self, request, queryset, service, done, reason=reason)
        return None

    @admin.action(description=gettext_lazy("Suspend (ends their offices today)…"), permissions=["change"])
    def suspend(self, request, queryset):
        return self._decide(
            request,
            queryset,
            dues_services.suspend_member,
            _("Suspend these members?"),
            _(
                "A suspended member is no longer a current member: it loses its vote, its portal access "
                "and, today, its offices."
            ),
            lambda organisation, ended: (
                ngettext(
                    "%(member)s is suspended; %(count)d office ended.",
                    "%(member)s is suspended; %(count)d offices ended.",
                    len(ended),
                )
                % {"member": organisation, "count": len(ended)}
            ),
        )

    @admin.action(description=gettext_lazy("Terminate the membership (today is its last day)…"), permissions=["change"])
    def terminate(self, request, queryset):
        return self._decide(
            request,
            queryset,
            dues_services.terminate_member,
            _("Terminate these memberships?"),
            _("Today becomes the last day of the membership; the member's offices end today."),
            lambda organisation, ended: (
                ngettext(
                    "The membership of %(member)s ends today; %(count)d office ended.",
                    "The membership of %(member)s ends today; %(count)d offices ended.",
                    len(ended),
                )
                % {"member": organisation, "count": len(ended)}
            ),
        )


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
