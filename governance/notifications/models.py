"""The outbox: a notification and one delivery row per recipient.

A delivery moves queued → sending → sent, or → failed. Each move is a
conditional UPDATE (``claim()``, a batch's at once; ``mark_sent()``, ``release()``,
``fail()``, ``unclaim()``), so two workers holding the same id never both send it.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds


class NotificationKind(models.TextChoices):
    """The outbox's own kinds; others are registered by the code that records
    them (see kinds.py)."""

    ANNOUNCEMENT = "announcement", _("Announcement from the secretariat")


class Notification(models.Model):
    """One notice (a meeting convened, minutes published ...) sent to many.

    What the recipients must all see the same is fixed when the notice is
    recorded: ``payload`` and the .ics ``attachment`` (with the SEQUENCE of
    that moment). The rest is rendered per recipient, in their language.
    """

    # No choices here: the kinds are registered by those who send them
    # (kinds.py), and the outbox is not changed when one is added.
    kind = models.CharField(_("kind"), max_length=30)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("about (type)")
    )
    object_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    subject_label = models.CharField(
        _("about"), max_length=300, blank=True, help_text=_("What the notice is about, as it was named then.")
    )
    payload = models.JSONField(_("details"), default=dict, blank=True)
    attachment = models.TextField(_("attachment (.ics)"), blank=True)
    attachment_name = models.CharField(_("attachment file name"), max_length=100, blank=True)
    key = models.CharField(
        _("key"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("Set for notices that must exist at most once, such as a reminder."),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="notification_key_unique"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"], name="notification_subject_idx")]

    def __str__(self):
        return f"{self.kind_label}: {self.subject_label}" if self.subject_label else str(self.kind_label)

    def get_absolute_url(self):
        return reverse("admin:notifications_notification_change", args=[self.pk])

    @property
    def kind_label(self):
        return kinds.label(self.kind)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Queued and not waiting for a retry's back-off."""
        now = now or timezone.now()
        return self.filter(status=DeliveryStatus.QUEUED).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )

    def claim(self, token, now=None, due_by=None):
        """Take those of these deliveries that are due for sending (by
        ``due_by``, default ``now``), in one conditional UPDATE, each counting
        an attempt; returns how many were taken. The rows carrying ``token``
        are the caller's; a row another worker holds, or that is sent or
        failed, is left alone."""
        now = now or timezone.now()
        return self.due(due_by or now).update(
            status=DeliveryStatus.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
        )

    def mark_sent(self, now=None):
        """The server accepted these messages: one UPDATE for all of them.

        Not conditional on the claim: if the claim had been taken back (the
        worker looked dead) the message still went, and saying so spares the
        recipient a second copy.
        """
        now = now or timezone.now()
        return self.exclude(status=DeliveryStatus.SENT).update(
            status=DeliveryStatus.SENT, sent_at=now, claim=None, last_error=""
        )

    def unclaim(self, token, retry_at):
        """Give back claimed deliveries that were never tried (the connection
        broke before them, or the batch ran out of time): queued again for
        ``retry_at``, and the attempt their claim counted taken back."""
        return self.filter(status=DeliveryStatus.SENDING, claim=token).update(
            status=DeliveryStatus.QUEUED,
            claim=None,
            attempts=F("attempts") - 1,
            next_attempt_at=retry_at,
            dispatched_at=retry_at,
        )


class Delivery(models.Model):
    """The notice to one recipient: one e-mail, sent at most once."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    contact = models.ForeignKey(
        "members.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("contact"),
    )
    # A snapshot of the recipient, so the record stays true if the contact
    # changes or is removed. Stored lower-case: one message per address.
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    role = models.CharField(
        _("role"), max_length=30, blank=True, help_text=_("The role that made this contact a recipient.")
    )
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("handed to the queue"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["notification", "email"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "email"], name="delivery_one_per_recipient"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in DeliveryStatus]), name="delivery_status_valid"
            ),
        ]
        indexes = [
            # A notification's deliveries by status: dispatching, the admin's counts.
            models.Index(fields=["notification", "status"], name="delivery_notification_status"),
            # The sweep's and the admin's question: what is not sent yet?
            models.Index(
                fields=["status", "created_at"],
                condition=~Q(status=DeliveryStatus.SENT),
                name="delivery_unsent_idx",
            ),
        ]

    def __str__(self):
        return f"{self.email} — {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("admin:notifications_delivery_change", args=[self.pk])

    # --- Moves between states: each a conditional UPDATE --------------------
    def claim_for_sending(self, now=None):
        """Take this delivery for sending; return the claim token, or None when
        it is not queued any more (sent, failed, or another worker has it)."""
        now = now or timezone.now()
        token = uuid.uuid4()
        if not Delivery.objects.filter(pk=self.pk).claim(token, now):
            return None
        self.status, self.claim, self.claimed_at = DeliveryStatus.SENDING, token, now
        self.attempts += 1  # the UPDATE counted it in the database
        return token

    def mark_sent(self, now=None):
        """The server accepted the message (see ``DeliveryQuerySet.mark_sent``)."""
        now = now or timezone.now()
        Delivery.objects.filter(pk=self.pk).mark_sent(now)
        self.status, self.sent_at = DeliveryStatus.SENT, now

    def release(self, token, error, retry_at):
        """A temporary failure: queue again, to be tried at ``retry_at``."""
        return Delivery.objects.filter(pk=self.pk, status=DeliveryStatus.SENDING, claim=token).update(
            status=DeliveryStatus.QUEUED,
            claim=None,
            last_error=error,
            next_attempt_at=retry_at,
            dispatched_at=retry_at,
        )

    def fail(self, token, error):
        """A permanent failure, kept for the secretariat to see."""
        return Delivery.objects.filter(pk=self.pk, status=DeliveryStatus.SENDING, claim=token).update(
            status=DeliveryStatus.FAILED, claim=None, last_error=error
        )
