"""What each visitor screen says in speech mode (EN 301 549 5.1.3), in the language shown.

The texts are the screen's own strings, put in the order a listener needs them: the choice
and its digit, whether a topic issues now, and on the ticket everything printed on it
(5.1.3.16), the number spelled character by character ("A, 0, 0, 7") and the hotline digit by
digit. Weekdays are said in full and time ranges in words ("12:30 bis 16:30"): a synthesizer
reads "Mo" and a dash badly. Nothing here touches the screen's widgets; the app speaks what
`speech_for` returns.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from kiosk.audio.speech import Utterance
from kiosk.core.i18n import localized, topic_label

_RANGE = re.compile(r"(\d{1,2}:\d{2})\s*[\u2013-]\s*(\d{1,2}:\d{2})")


def spell(number: str) -> str:
    """A ticket number character by character: "A-007" -> "A, 0, 0, 7"."""
    return ", ".join(ch for ch in number if ch.isalnum())


def spell_phone(number: str) -> str:
    """A phone number digit by digit, its groups kept: "0214/406-3333" -> "0 2 1 4, 4 0 6, 3 3 3 3"."""
    groups = [group for group in re.split(r"[^\d+]+", number) if group]
    return ", ".join(" ".join(group) for group in groups)


def spoken_week(app, schedule_id: str, lang: str) -> str:
    """A schedule's week as said aloud: full weekday names, "{start} to {end}"."""
    if schedule_id not in app.config.schedules:
        return ""
    language = app.language(lang)
    long_names = dataclasses.replace(language, weekdays=language.weekdays_long)
    try:
        lines = app.hours.week_lines(schedule_id, long_names, app.now())
    except Exception:
        return ""

    def say_range(match: re.Match) -> str:
        return app.t("speech_range", lang, start=match.group(1), end=match.group(2))

    return ". ".join(_RANGE.sub(say_range, line) for line in lines if line)


def sentence(text: str) -> str:
    """`text` ending like a sentence: a full stop unless it ends with one already (or ?, !)."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!", "\u061f", "…")) else f"{text}."


def _keys(app, lang: str) -> list[Utterance]:
    return [
        Utterance(lang, app.t("speech_keys", lang)),
        Utterance(lang, app.t("speech_volume", lang)),
    ]


def _hotline(app, lang: str) -> list[Utterance]:
    hotline = app.config.site.hotline
    if not hotline.number:
        return []
    hours = spoken_week(app, hotline.schedule, lang)
    said = f"{app.t('hotline', lang)}: {spell_phone(hotline.number)}" + (
        f". {hours}" if hours else ""
    )
    key = (
        "hotline_reachable_now"
        if app.hours.hotline_open(app.now())
        else "hotline_not_reachable_now"
    )
    return [Utterance(lang, said), Utterance(lang, app.t(key, lang))]


def language_speech(app, screen) -> list[Utterance]:
    """Each language's name and digit in that language, then the state in German and English."""
    said = [
        Utterance(language.code, app.t("speech_choose_language", language.code, digit=n))
        for n, language in enumerate(app.config.visitor_languages[:9], start=1)
    ]
    for code in ("de", "en"):
        words = screen._words_line(code) if hasattr(screen, "_words_line") else ""
        if words:
            said.append(Utterance(code, words))
    return said


def _why_not(app, state, lang: str) -> str:
    """Why a topic issues nothing now and when it will (the words its card shows)."""
    reason = getattr(state, "reason", "closed")
    if reason in ("full", "paused"):
        return app.t(f"{reason}_today", lang)
    nxt = getattr(state, "next_issue_at", None)
    if nxt is None:
        return app.t("closed_today", lang)
    return app.t("opens_at", lang, when=app.when(nxt, lang))


def topic_speech(app, screen) -> list[Utterance]:
    """The question, each topic with its digit and whether it issues now, then the keys."""
    lang = app.lang or "de"
    said = [Utterance(lang, app.t("choose_topic", lang))]
    now = app.now()
    for n, topic in enumerate(app.config.topics[:9], start=1):
        line = sentence(
            f"{app.t('speech_press', lang, digit=n)}: {topic_label(app.config, lang, topic.id)}"
        )
        try:
            state = app.topic_state(topic.id, now)
        except Exception:
            state = None
        if state is not None and not state.issuing:
            line = f"{line} {sentence(_why_not(app, state, lang))}"
        said.append(Utterance(lang, line))
    return said + _keys(app, lang)


def closed_speech(app, screen) -> list[Utterance]:
    """Closed: since when and until when, the hotline, the urgent numbers."""
    lang = app.lang or "de"
    now = app.now()
    nxt = app.site_status(now).next_opening
    heading = "closed_now" if nxt is not None and nxt.date() == now.date() else "closed_today"
    said = [Utterance(lang, app.t(heading, lang))]
    if nxt is not None:
        said.append(Utterance(lang, app.t("next_opening", lang, when=app.when(nxt, lang))))
    said += _hotline(app, lang)
    if app.config.site.urgent:
        said.append(Utterance(lang, app.t("urgent_contacts", lang)))
        for contact in app.config.site.urgent:
            what = localized(contact.labels, lang)
            number = spell_phone(contact.number)
            said.append(Utterance(lang, f"{what}: {number}" if what else number))
    return said + _keys(app, lang)


def ticket_speech(app, screen) -> list[Utterance]:
    """Everything on the ticket (5.1.3.16), or why there is none, or that it is being made."""
    lang = screen.lang
    config = app.config
    issued = getattr(screen, "issued", None)
    if issued is None:
        failure = getattr(screen, "failure", None)
        if failure is None:
            return [Utterance(lang, app.t("issuing", lang))]
        said = []
        if getattr(screen, "refused", False):
            said.append(Utterance(lang, topic_label(config, lang, screen.topic_id)))
        return said + [Utterance(lang, failure)] + _keys(app, lang)
    ticket = issued.ticket
    said = [
        Utterance(lang, f"{app.t('your_number', lang)}: {spell(ticket.number)}."),
        Utterance(lang, topic_label(config, lang, ticket.topic)),
    ]
    if issued.people_ahead:
        ahead = app.t("people_ahead", lang, n=issued.people_ahead)
        if issued.wait_minutes is not None:
            ahead = f"{ahead}. {app.t('wait_estimate', lang, minutes=issued.wait_minutes)}"
    else:
        ahead = app.t("nobody_ahead", lang)
    said += [Utterance(lang, ahead), Utterance(lang, app.t("what_now", lang))]
    topic = config.topic(ticket.topic)
    hours = spoken_week(app, topic.schedule, lang) if topic else ""
    if hours:
        said.append(Utterance(lang, f"{app.t('hours', lang)}: {hours}."))
    said += _hotline(app, lang)
    site = config.site
    floor = localized(site.floor, lang) if site.floor else ""
    address = ", ".join(part for part in (site.address, floor) if part)
    said.append(Utterance(lang, f"{app.t('address', lang)}: {address}."))
    said.append(Utterance(lang, app.t("speech_keys", lang)))
    return said


def more_time_speech(app, screen) -> list[Utterance]:
    lang = app.lang or "de"
    return [
        Utterance(lang, app.t("more_time", lang)),
        Utterance(lang, app.t("more_time_hint", lang)),
    ]


SPEECH: dict[str, Callable] = {
    "LanguageScreen": language_speech,
    "TopicScreen": topic_speech,
    "ClosedScreen": closed_speech,
    "TicketScreen": ticket_speech,
    "MoreTimeScreen": more_time_speech,
}
"""Screen class name -> what it says (by name: the screens import the app, not this module)."""


def speech_for(app, screen) -> list[Utterance]:
    """What `screen` says in speech mode (nothing for screens not listed, e.g. the PIN)."""
    speak = SPEECH.get(type(screen).__name__)
    return speak(app, screen) if speak is not None else []
