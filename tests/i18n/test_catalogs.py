"""Every language of the portal is complete (issue 14): each catalog holds
every string the code marks, each translated, none fuzzy, msgfmt --check
clean, and the counted messages take each language's plural forms."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# The portal's catalogs: the project's, and the outbox's own (an app that may be reused).
CATALOG_DIRS = [BASE_DIR / "locale", BASE_DIR / "governance" / "notifications" / "locale"]


def catalog(directory, code):
    return directory / translation.to_locale(code) / "LC_MESSAGES" / "django.po"


def msgids(po):
    """The msgids of a .po file (header left out), joined across lines."""
    text = po.read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.M):
        value = "".join(re.findall(r'"(.*)"', block))
        if value:
            ids.add(value)
    return ids


def test_the_portal_speaks_the_seven_languages():
    assert {code for code, _name in settings.LANGUAGES} == {"en", "fr", "es", "ko", "ar", "ru", "zh-hans"}


@pytest.mark.parametrize("directory", CATALOG_DIRS, ids=lambda d: str(d.relative_to(BASE_DIR)))
@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_is_translated_none_fuzzy_and_msgfmt_check_is_clean(code, directory):
    po = catalog(directory, code)
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), f"{po.relative_to(BASE_DIR)}: {statistics}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext's xgettext is needed to read the code's strings")
def test_the_catalogs_hold_every_string_the_code_marks(tmp_path):
    """makemessages run afresh finds no string the committed catalogs lack:
    a string marked and not put in the catalogs would show in English."""
    fresh = tmp_path / "project"
    for name in ("members", "governance", "wego_portal", "templates"):
        shutil.copytree(BASE_DIR / name, fresh / name, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (fresh / "locale").mkdir()
    subprocess.run(
        [
            "django-admin",
            "makemessages",
            "-l",
            "fr",
            "--no-location",
            "--no-wrap",
            "-v",
            "0",
        ],
        cwd=fresh,
        check=True,
        capture_output=True,
        env={"PATH": str(Path(__import__("sys").executable).parent) + ":/usr/bin:/bin"},
    )
    code_ids = msgids(fresh / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    committed = set().union(*(msgids(catalog(directory, "fr")) for directory in CATALOG_DIRS))
    missing = sorted(code_ids - committed)
    assert not missing, f"{len(missing)} marked strings are in no catalog, e.g. {missing[:5]}: run makemessages"


# (language, n, what the form for n holds): the number, in every language
# whose form for n writes it.
PLURALS = [
    ("en", 1, "1 office ended"),
    ("en", 3, "3 offices ended"),
    ("ru", 1, "1 "),
    ("ru", 3, "3 "),
    ("ru", 5, "5 "),
    ("ru", 21, "21 "),
    ("ar", 5, "5"),
    ("ar", 11, "11"),
    ("ar", 100, "100"),
    ("zh-hans", 1, "1"),
    ("zh-hans", 7, "7"),
]


def _suspended(code, count):
    with translation.override(code):
        return translation.ngettext(
            "%(member)s is suspended; %(count)d office ended.",
            "%(member)s is suspended; %(count)d offices ended.",
            count,
        ) % {"member": "X", "count": count}


@pytest.mark.parametrize(("code", "count", "expected"), PLURALS)
def test_counted_messages_take_the_languages_plural_forms(code, count, expected):
    assert expected in _suspended(code, count)


@pytest.mark.parametrize(
    ("code", "counts"),
    [("ru", (1, 3, 5)), ("ar", (0, 1, 2, 5, 11, 100)), ("fr", (1, 2)), ("es", (1, 2)), ("en", (1, 2))],
)
def test_each_plural_category_has_its_own_form(code, counts):
    """Russian says 1, 3 and 5 offices in three ways, Arabic six: each
    count of a category gets that category's own translation."""
    forms = {_suspended(code, count).replace(str(count), "N") for count in counts}
    assert len(forms) == len(counts), forms


# Short words with two meanings, a context apiece (issue 14): in the language
# named, each meaning has its own word. (context, msgid) of one meaning, then
# of the other, and the two translations.
TWO_MEANINGS = [
    ("fr", ("amount", "Paid"), (None, "Paid"), "Payé", "Payée"),  # an amount; an invoice's state
    ("ko", ("amount", "Credited"), (None, "Credited"), "감액", "크레딧 노트로 취소됨"),
    (
        "ru",
        ("how a meeting is held: in person, online or both", "Held"),
        (None, "Held"),
        "Формат проведения",
        "Состоялось",
    ),
    ("ar", ("admin filter: whether an office is held today", "held"), (None, "held"), "شغل المنصب", "طريقة الانعقاد"),
    ("zh-hans", ("button that switches to the language chosen", "Change"), (None, "Change"), "切换", "更改"),
    ("ko", ("number of votes", "Votes"), ("whether a member votes", "Votes"), "득표수", "투표권"),
    ("fr", ("an application's state before a move", "from"), (None, "from"), "ancien état", "début"),
    ("ko", ("the date an application was sent", "Submitted"), (None, "Submitted"), "접수일", "접수됨"),
    ("ko", ("an application", "Withdrawn"), ("a membership", "Withdrawn"), "철회됨", "탈퇴"),
    ("ru", ("an application", "Withdrawn"), ("a membership", "Withdrawn"), "Отозвана", "Выход из организации"),
    ("ko", ("an application", "Rejected"), ("a resolution", "Rejected"), "거절됨", "부결"),
    ("zh-hans", ("an application", "Rejected"), ("a resolution", "Rejected"), "已拒绝", "未通过"),
    ("ko", ("a person's position", "title"), (None, "title"), "직함", "제목"),
]


def test_the_models_name_each_meaning_in_its_own_word():
    """The states and fields behind TWO_MEANINGS' model words use those contexts."""
    from governance.models.applications import ApplicationState
    from governance.models.meetings import ResolutionOutcome
    from members.models import Contact, MembershipStatus, Standing

    with translation.override("ko"):
        assert str(ApplicationState.WITHDRAWN.label) == "철회됨" and str(ApplicationState.REJECTED.label) == "거절됨"
        assert str(MembershipStatus.WITHDRAWN.label) == str(Standing.WITHDRAWN.label) == "탈퇴"
        assert str(ResolutionOutcome.REJECTED.label) == "부결"
        assert str(Contact._meta.get_field("title").verbose_name) == "직함"


def _translated(context, msgid):
    return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


@pytest.mark.parametrize(("code", "one", "other", "first", "second"), TWO_MEANINGS)
def test_a_short_word_with_two_meanings_is_translated_for_each(code, one, other, first, second):
    with translation.override(code):
        assert (_translated(*one), _translated(*other)) == (first, second)
