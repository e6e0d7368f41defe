"""Reading a message's headers as they went on the wire, for the tests that
check RFC 2047 and 5322: the Subject's folded lines and its encoded-words."""

import re

ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def head_of(raw):
    """The header block of a raw message, as bytes."""
    return re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]


def subject_lines(head):
    """The Subject header's lines, its first and those folded under it."""
    lines = head.decode("ascii").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Subject:"))
    folded = [lines[start]]
    for line in lines[start + 1 :]:
        if not line[:1].isspace():
            break
        folded.append(line)
    return folded
