"""Notifications: a message to people, kept in the app and sent by e-mail.

Domain-free: an app registers the kinds of notification it sends (:func:`register_kind`,
from its ``AppConfig.ready``) and calls :func:`notify` from its services. Every
notification is kept in the app (the top bar counts the unread ones); an e-mail goes,
once the surrounding transaction commits, to each recipient with an address who has not
turned that kind off, in the language the recipient last chose. A failing mail server
never fails the business action: the error is logged.

The text is given untranslated (``gettext_noop``) with its parameters and stored in both
languages, so it reads right whichever language the person switches to later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from kaopei.core.models import Notification, UserPreferences

log = logging.getLogger(__name__)

LANGUAGES = ("zh-hans", "en")
TEXT_MAX = 300


# --- Kinds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification that people may turn e-mail off for."""

    code: str
    label: str | Promise  # gettext_lazy: read in the language of the moment

    def __str__(self) -> str:
        return str(self.label)


_KINDS: dict[str, NotificationKind] = {}


def register_kind(code: str, label: str | Promise) -> NotificationKind:
    """Declare a kind (from an app's ``AppConfig.ready``); registering again replaces it."""
    if not code or len(code) > 40:
        raise ValueError(f"a notification kind needs a code of 1 to 40 characters: {code!r}")
    kind = NotificationKind(code=code, label=label)
    _KINDS[code] = kind
    return kind


def notification_kinds() -> list[NotificationKind]:
    """Every registered kind, in the order of registration."""
    return list(_KINDS.values())


def notification_kind(code: str) -> NotificationKind:
    """The registered kind ``code``; raises LookupError for one nobody registered."""
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unknown notification kind {code!r}") from None


# --- Sending ----------------------------------------------------------------------------------


def render_text(message: str, params: Mapping[str, Any] | None, language: str) -> str:
    """``message`` translated into ``language`` with its parameters. A lazy parameter (a
    ``gettext_lazy`` label) or a callable one (``lambda: metric.name``, for a name kept in
    both languages) is read in that language too."""
    with translation.override(language):
        text = gettext(message)
        if params:
            text = text % {
                name: str(value() if callable(value) else value) for name, value in params.items()
            }
    return text[:TEXT_MAX]


def _user_ids(users: Iterable[Any]) -> list[int]:
    ids = {u if isinstance(u, int) else getattr(u, "pk", None) for u in users}
    return sorted(i for i in ids if i is not None)


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    message: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    urls: Mapping[int, str] | None = None,
) -> int:
    """Notify ``users`` (users or user ids; duplicates and None ignored) of one thing.

    ``message`` is an untranslated text (``gettext_noop``) with ``%(name)s`` placeholders
    filled from ``params`` (see :func:`render_text`); ``url`` a path inside Kaopei, or
    ``urls`` one per recipient (user id → path; ``url`` for those without one). Stores one
    notification per user (in bulk) and schedules the e-mails for after the commit. Returns
    how many were stored. Raises LookupError for a kind nobody registered.
    """
    notification_kind(kind)
    ids = _user_ids(users)
    if not ids:
        return 0
    texts = {lang: render_text(message, params, lang) for lang in LANGUAGES}
    links = {pk: (urls or {}).get(pk, url) for pk in ids}
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=pk,
                kind=kind,
                text_zh=texts["zh-hans"],
                text_en=texts["en"],
                url=links[pk],
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    if not getattr(_held, "on", False):
        transaction.on_commit(lambda: _send_emails(kind=kind, texts=texts, links=links))
    return len(ids)


_held = threading.local()


@contextmanager
def emails_held() -> Iterator[None]:
    """Notifications made inside are stored as usual but send no e-mail: for building the
    demo, whose history of events happened long before anyone could read the mail."""
    before = getattr(_held, "on", False)
    _held.on = True
    try:
        yield
    finally:
        _held.on = before


def _absolute(path: str) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{path}" if base and path.startswith("/") else path


def _email_language(language: str | None) -> str:
    return "en" if (language or settings.LANGUAGE_CODE).startswith("en") else "zh-hans"


def _send_emails(*, kind: str, texts: dict[str, str], links: dict[int, str]) -> int:
    """E-mail the recipients who have an address and have not turned ``kind`` off, each in
    their language, over one connection. Logs (never raises) when sending fails."""
    try:
        rows = (
            get_user_model()
            .objects.filter(pk__in=list(links), is_active=True)
            .exclude(email="")
            .values_list("pk", "email", "preferences__language", "preferences__email_off")
        )
        emails = [
            _email(
                to=email,
                language=_email_language(language),
                kind=kind,
                texts=texts,
                url=links[pk],
            )
            for pk, email, language, off in rows
            if kind not in (off or [])
        ]
        if emails:
            get_connection().send_messages(emails)
        return len(emails)
    except Exception:  # noqa: BLE001 - the notification is kept; the mail is not worth a failure
        log.exception("sending the %s notification e-mails failed", kind)
        return 0


def _email(*, to: str, language: str, kind: str, texts: dict[str, str], url: str) -> EmailMessage:
    text = texts[language]
    with translation.override(language):
        lines = [text]
        if url:
            lines += ["", gettext("Open it in Kaopei: %(url)s") % {"url": _absolute(url)}]
        lines += [
            "",
            "-- ",
            gettext(
                "You receive this e-mail because e-mail is on for “%(kind)s”. "
                "Turn it off in your notification settings: %(url)s"
            )
            % {
                "kind": notification_kind(kind),
                "url": _absolute(reverse("notifications:settings")),
            },
        ]
        subject = gettext("Kaopei: %(text)s") % {"text": text.splitlines()[0][:150]}
    return EmailMessage(subject=subject, body="\n".join(lines), to=[to])


# --- Reading (selectors) ----------------------------------------------------------------------


def notification_list_for(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (none for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def notification_get_for_user(*, user: Any, pk: int) -> Notification:
    """One of the user's own notifications; Http404 for anyone else's."""
    found = notification_list_for(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def notification_unread_count(*, user: Any) -> int:
    """How many of the user's notifications are unread (one query), for the top bar."""
    return notification_list_for(user=user, unread_only=True).count()


def preferences_for(*, user: Any) -> UserPreferences:
    """The user's preferences, or the defaults (unsaved: reading writes nothing)."""
    found = UserPreferences.objects.filter(user_id=user.pk).first()
    return found if found is not None else UserPreferences(user_id=user.pk)


# --- Writing (services) -----------------------------------------------------------------------


@transaction.atomic
def notification_open(*, user: Any, pk: int) -> Notification:
    """Mark one of the user's notifications read and return it (Http404 for anyone else's)."""
    note = notification_get_for_user(user=user, pk=pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


@transaction.atomic
def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return notification_list_for(user=user, unread_only=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(
    *, user: Any, email_off: Iterable[str], language: str | None = None
) -> UserPreferences:
    """Save which kinds the user gets no e-mail for (each a registered kind, else
    LookupError) and, when given, the language of their e-mails."""
    off = sorted({notification_kind(code).code for code in email_off})
    prefs, _created = UserPreferences.objects.get_or_create(user_id=user.pk)
    prefs.email_off = off
    fields = ["email_off", "updated_at"]
    if language is not None:
        prefs.language = _checked_language(language)
        fields.append("language")
    prefs.save(update_fields=fields)
    return prefs


def _checked_language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise LookupError(f"unknown language {language!r}")
    return language


@transaction.atomic
def user_language_remember(*, user: Any, language: str) -> None:
    """Remember the language the user chose (for their e-mails); ignores unknown ones."""
    if not getattr(user, "is_authenticated", False):
        return
    try:
        language = _checked_language(language)
    except LookupError:
        return
    UserPreferences.objects.update_or_create(user_id=user.pk, defaults={"language": language})
