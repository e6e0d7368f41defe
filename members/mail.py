"""What every automated e-mail of the portal carries, whoever sends it
(allauth's account mails through ``members.adapters``, the notices through
``governance.notifications.emails``).

- ``Auto-Submitted: auto-generated`` (RFC 3834), so that mail programs and
  servers do not answer it with vacation replies or bounce loops.
- A subject encoded within RFC 2047's limits: Django leaves a long non-ASCII
  subject to ``email.header.Header``, whose encoded-words run over the 75
  characters the RFC allows (a long Korean or French subject). Here each
  encoded-word holds at most 42 bytes of UTF-8, never a split character, so it
  is 68 characters long and fits with "Subject: " on a 78-character line.
"""

import base64

from django.core.mail import EmailMessage, EmailMultiAlternatives

AUTOMATED_HEADERS = {"Auto-Submitted": "auto-generated"}

# 42 bytes of UTF-8 make 56 characters of base64, in "=?utf-8?b?…?=": 68.
_WORD_BYTES = 42


def encoded_words(text):
    """``text`` as RFC 2047 encoded-words separated by spaces (which readers
    drop between encoded-words), or unchanged if it is ASCII."""
    if text.isascii():
        return text
    words, chunk = [], b""
    for character in text:
        encoded = character.encode("utf-8")
        if len(chunk) + len(encoded) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return " ".join(f"=?utf-8?b?{base64.b64encode(word).decode('ascii')}?=" for word in words)


class _EncodedSubject:
    """Writes the Subject as ``encoded_words``; ``self.subject`` stays the text."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        subject = str(self.subject)
        if not subject.isascii():
            del message["Subject"]
            message["Subject"] = encoded_words(" ".join(subject.split()))
        return message


class AutomatedEmail(_EncodedSubject, EmailMultiAlternatives):
    """An automated e-mail with text and HTML alternatives."""

    def __init__(self, *args, headers=None, **kwargs):
        super().__init__(*args, headers={**AUTOMATED_HEADERS, **(headers or {})}, **kwargs)


class AutomatedPlainEmail(_EncodedSubject, EmailMessage):
    """An automated e-mail in plain text."""

    def __init__(self, *args, headers=None, **kwargs):
        super().__init__(*args, headers={**AUTOMATED_HEADERS, **(headers or {})}, **kwargs)
