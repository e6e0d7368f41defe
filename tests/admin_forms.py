"""Resubmitting an admin change page as a browser would: the fields and
inline rows it shows, with their current values, ready to change and post."""

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
            self.data[name] = attrs.get("value") or default
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, text):
        if self.textarea:
            self.data[self.textarea] += text.lstrip("\n") if not self.data[self.textarea] else text


def change_page_data(response):
    """POST data that resubmits the admin page of ``response`` unchanged."""
    parser = _Form()
    parser.feed(response.content.decode())
    return {key: value for key, value in parser.data.items() if "__prefix__" not in key}


def add_inline_row(data, prefix, **fields):
    """A copy of ``data`` with a new row in the inline ``prefix`` (say "registrations")."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    return {
        **data,
        f"{prefix}-TOTAL_FORMS": str(index + 1),
        **{f"{prefix}-{index}-{field}": value for field, value in fields.items()},
    }
