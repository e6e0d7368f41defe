"""The anonymous cache of the public pages, and the one key that empties it.

Every public page an anonymous visitor asks for is rendered once per version
of the public data, language and day, then served from the cache (Redis in
production, shared by every gunicorn worker) with an ETag, so a browser that
already has it gets a 304. The version is a single cache key: any save or
delete of a model the public pages show bumps it (signals, connected by the
apps with ``watch()``), and so do the bulk paths that bypass signals
(``QuerySet.update()``), which call ``changed()`` themselves. A bumped
version makes every old entry unreachable at once; Redis evicts them.

The day is part of the key because a membership's status is read from its
dates: a member whose end date has passed drops out of the directory the
next morning without anyone saving anything.

Never cached: logged-in visitors (their pages differ), a request with
messages waiting, a response that is not a plain 200 or that sets a cookie.
"""

import functools
import gzip
import hashlib
import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag

VERSION_KEY = "public-pages:version"
# A page is rebuilt at least this often even if nothing was saved: meetings
# move from "upcoming" to "past" as time passes, not on a save.
PAGE_TIMEOUT = 300
# Exports larger than this are streamed on every request, never kept whole.
MAX_CACHED_EXPORT_BYTES = 2 * 1024 * 1024


def version():
    """The current version of the public data (a short string)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex[:12], None)
        current = cache.get(VERSION_KEY)
    return current


def _bump():
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], None)


def changed():
    """Something the public pages show has changed: forget every cached page.

    Bumped at once, and again when the transaction commits: a request that
    read the old rows between the two, and cached them under the first new
    version, is forgotten by the second."""
    _bump()
    transaction.on_commit(_bump)


def _on_change(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata
        return
    changed()


def watch(*models):
    """Bump the version whenever one of ``models`` is saved or deleted."""
    for model in models:
        uid = f"public-pages:{model._meta.label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_on_change, sender=field.remote_field.through, dispatch_uid=uid + field.name)


def is_anonymous_plain(request):
    """True when the request may be answered from, and stored in, the cache."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # len() reads the waiting messages without marking them shown.
    return len(get_messages(request)) == 0


def key_for(request, kind="page"):
    """The cache key of this request's answer. The version is not in it but
    in the entry, so that one round trip (MGET) reads both."""
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"public-pages:{kind}:{timezone.localdate().isoformat()}:{language}:{path}"


def lookup(key):
    """The current version and the entry at ``key`` if it was built under
    that version (else None), in one round trip to the cache."""
    found = cache.get_many([VERSION_KEY, key])
    current = found.get(VERSION_KEY)
    if current is None:
        return version(), None
    entry = found.get(key)
    return current, entry if entry is not None and entry.get("version") == current else None


def _accepts_gzip(request):
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def _answer(request, entry):
    """A response from a cache entry, or a 304 if the browser has it.

    A large entry is kept gzipped (compressed once, when it is stored) and
    sent so to a browser that accepts it, under an ETag of its own; the rare
    client that does not is sent it unpacked. A cached page holds no secret
    (no CSRF token, no session), so compressing it leaks nothing (BREACH)."""
    gzipped = entry["gzipped"] and _accepts_gzip(request)
    etag = entry["etag"][:-1] + '-gz"' if gzipped else entry["etag"]
    not_modified = get_conditional_response(request, etag=etag, last_modified=entry["last_modified"])
    if not_modified is not None:
        response = not_modified
    else:
        content = entry["content"]
        if entry["gzipped"] and not gzipped:
            content = gzip.decompress(content)
        response = HttpResponse(content, content_type=entry["content_type"])
        for header, value in entry["headers"].items():
            response[header] = value
        if gzipped:
            response["Content-Encoding"] = "gzip"
    if entry["gzipped"]:
        patch_vary_headers(response, ("Accept-Encoding",))
    _conditional_headers(response, etag, entry["last_modified"])
    return response


def _conditional_headers(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # The browser keeps the page but asks each time (a 304 is cheap), so a
    # save is seen on the next request; logged-in pages share the address.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Cookie", "Accept-Language"))


_KEPT_HEADERS = ("Content-Language", "Content-Disposition", "Access-Control-Allow-Origin")


# Below this, compressing saves less than it costs.
GZIP_FROM_BYTES = 2048


def _entry(response, content, current_version, etag=None):
    gzipped = len(content) >= GZIP_FROM_BYTES
    return {
        "version": current_version,
        "content": gzip.compress(content, compresslevel=6, mtime=0) if gzipped else content,
        "gzipped": gzipped,
        "content_type": response["Content-Type"],
        "headers": {header: response[header] for header in _KEPT_HEADERS if response.has_header(header)},
        "etag": etag or quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest()),
        "last_modified": int(timezone.now().timestamp()),
    }


def _cacheable(request, response):
    """A plain 200 that sets no cookie and embeds no CSRF token (a token is
    one visitor's: it must never reach another)."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def public_page(view):
    """Serve anonymous visitors from the cache, conditionally (ETag, 304)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_anonymous_plain(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ("Cookie",))
            return response
        key = key_for(request)
        # The version is read before the page is built: a change saved while
        # it is being built leaves the entry stale, so it is built again.
        current, entry = lookup(key)
        if entry is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if not _cacheable(request, response):
                return response
            entry = _entry(response, response.content, current)
            cache.set(key, entry, PAGE_TIMEOUT)
        return _answer(request, entry)

    return wrapper


class _Tee:
    """Passes a streamed body through, keeping a copy while it stays small."""

    def __init__(self, chunks, on_complete):
        self.chunks, self.on_complete = chunks, on_complete

    def __iter__(self):
        kept, size = [], 0
        for chunk in self.chunks:
            chunk = chunk if isinstance(chunk, bytes) else chunk.encode()
            if kept is not None:
                size += len(chunk)
                if size <= MAX_CACHED_EXPORT_BYTES:
                    kept.append(chunk)
                else:
                    kept = None
            yield chunk
        if kept is not None:
            self.on_complete(b"".join(kept))


def public_export(view):
    """Like ``public_page``, for a streamed export: a small export is kept
    whole once it has been streamed; a large one is streamed each time, and
    answered 304 when the data has not changed since the browser's copy
    (its weak ETag is the version of the data, known before any row is read).
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_anonymous_plain(request):
            return view(request, *args, **kwargs)
        key = key_for(request, kind="export")
        current, entry = lookup(key)
        if entry is not None:
            return _answer(request, entry)
        digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()[:16]
        weak_etag = f'W/"{current}-{digest}"'
        last_modified = int(timezone.now().timestamp())
        not_modified = get_conditional_response(request, etag=weak_etag)
        if not_modified is not None:
            _conditional_headers(not_modified, weak_etag, last_modified)
            return not_modified
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or not response.streaming:
            return response

        def keep(content):
            cache.set(key, _entry(response, content, current, etag=weak_etag), PAGE_TIMEOUT)

        response.streaming_content = _Tee(response.streaming_content, keep)
        _conditional_headers(response, weak_etag, last_modified)
        return response

    return wrapper


def remember(name, compute):
    """``compute()``, kept until the public data changes (or the day ends):
    for figures a page shows whatever the visitor asked, such as counts."""
    name = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    key = f"public-pages:value:{version()}:{timezone.localdate().isoformat()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, PAGE_TIMEOUT)
    return value
