"""The status pages' HTML: a ticket's page and the public overview, whole on first load.

Everything is escaped here; the page loads only /static/status.css and /static/status.js from
the same box. A page works without script too (it reloads itself every 15 s, and the cancel
confirmation is a <details> with a plain form).
"""

from __future__ import annotations

import re
from html import escape

from kiosk.core.config import Config
from kiosk.core.i18n import text

LTR_RUN = re.compile(r"(\+?\d[\d:./\-\u2013 ]*\d|[\w.+-]+@[\w.-]+\w)")
"""Phone numbers, times and time ranges ("12:30–16:30"), e-mail addresses: each kept whole
and left-to-right inside an Arabic or Farsi line (as on the kiosk), never split by the bidi."""

NOSCRIPT_RELOAD = '<noscript><meta http-equiv="refresh" content="15"></noscript>'


def _t(config: Config, lang: str, key: str, **values: object) -> str:
    return escape(text(config, lang, "visitor", key, **values))


def _ltr_runs(line: str) -> str:
    """Escape a line, isolating numbers like 0214/406-3333 so the bidi never splits them."""
    parts = LTR_RUN.split(line)
    return "".join(
        f'<span class="ltr">{escape(part)}</span>' if i % 2 else escape(part)
        for i, part in enumerate(parts)
    )


def _head(title: str, lang: str, rtl: bool) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang)}" dir="{"rtl" if rtl else "ltr"}">\n<head>\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="same-origin">\n'
        '<meta name="robots" content="noindex, nofollow">\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" href="/static/status.css">\n'
        '<script src="/static/status.js" defer></script>\n'
    )


def ticket_page(
    config: Config,
    lang: str,
    token: str,
    view: dict,
    note: list[str],
    urgent: list[str],
) -> str:
    """The page behind a ticket's QR code, in the ticket's language."""
    rtl = config.languages[lang].rtl
    site = config.site.name
    number = escape(view["number"])
    updated = text(config, lang, "visitor", "status_updated", time="{time}")
    state = escape(view["state"])
    hidden = lambda value: "" if value else " hidden"  # noqa: E731
    note_items = "".join(f"<li>{_ltr_runs(line)}</li>" for line in note)
    urgent_items = "".join(f"<li>{_ltr_runs(line)}</li>" for line in urgent)
    urgent_block = (
        f"<h2>{_t(config, lang, 'urgent_contacts')}</h2><ul>{urgent_items}</ul>" if urgent else ""
    )
    return (
        _head(f"{view['number']} · {site}", lang, rtl) + NOSCRIPT_RELOAD + "\n</head>\n"
        f'<body class="state-{state}" data-state="{state}" data-poll="/t/{escape(token)}/state"'
        f' data-updated="{escape(updated)}" data-expired="{_t(config, lang, "status_expired")}">\n'
        "<main>\n"
        f'<p class="site">{escape(site)}</p>\n'
        '<section id="ticket" aria-live="assertive">\n'
        f'<p class="label">{_t(config, lang, "your_number")}</p>\n'
        f'<p class="number"><bdi dir="ltr" id="number">{number}</bdi></p>\n'
        f'<p class="topic" id="topic">{escape(view["topic"])}</p>\n'
        f'<h1 id="headline">{escape(view["headline"])}</h1>\n'
        f'<p id="ahead"{hidden(view["ahead"])}>{escape(view["ahead"])}</p>\n'
        f'<p id="wait"{hidden(view["wait"])}>{escape(view["wait"])}</p>\n'
        "</section>\n"
        f'<p id="offline" role="status" hidden>{_t(config, lang, "status_offline")}</p>\n'
        f'<p class="hint" id="keep-open">{_t(config, lang, "status_keep_open")}</p>\n'
        f'<button id="sound" type="button" hidden>{_t(config, lang, "status_sound_on")}</button>\n'
        f'<details id="cancel"{hidden(view["can_cancel"])}>\n'
        f"<summary>{_t(config, lang, 'status_cancel_button')}</summary>\n"
        f"<p>{_t(config, lang, 'status_cancel_confirm')}</p>\n"
        f'<form method="post" action="/t/{escape(token)}/cancel">\n'
        f'<button class="primary" type="submit" id="cancel-yes">'
        f"{_t(config, lang, 'status_cancel_yes')}</button>\n"
        f'<button type="button" id="cancel-no">{_t(config, lang, "status_cancel_no")}</button>\n'
        "</form>\n</details>\n"
        '<p class="updated" id="updated"></p>\n'
        f'<section class="note"><ul>{note_items}</ul>{urgent_block}</section>\n'
        "</main>\n</body>\n</html>\n"
    )


def overview_page(config: Config, lang: str, data: dict) -> str:
    """The public overview, linkable from the city's website: no ticket, no token."""
    rtl = config.languages[lang].rtl
    site = config.site.name
    links = " ".join(
        f'<a href="/?lang={escape(code)}" hreflang="{escape(code)}" lang="{escape(code)}"'
        + (' aria-current="page"' if code == lang else "")
        + f">{escape(config.languages[code].native_name)}</a>"
        for code in config.site.languages
        if code in config.languages
    )
    items = []
    for topic in data["topics"]:
        calling = ""
        if topic["calling"]:
            numbers = ", ".join(f"<bdi>{escape(n)}</bdi>" for n in topic["calling"])
            calling = f'<p class="calling">{_t(config, lang, "status_calling")}: {numbers}</p>'
        waiting = topic["waiting"] if topic["open"] or topic["calling"] else ""
        items.append(
            f'<li class="{"open" if topic["open"] else "closed"}">'
            f"<h2>{escape(topic['label'])}</h2>"
            f'<p class="when">{escape(topic["when"])}</p>'
            + (f'<p class="note">{escape(topic["note"])}</p>' if topic["note"] else "")
            + calling
            + (f'<p class="waiting">{escape(waiting)}</p>' if waiting else "")
            + (f'<p class="wait">{escape(topic["wait"])}</p>' if topic["wait"] else "")
            + "</li>"
        )
    updated = text(config, lang, "visitor", "status_updated", time="{time}")
    address = escape(config.site.address)
    return (
        _head(f"{text(config, lang, 'visitor', 'status_overview_title')} · {site}", lang, rtl)
        + NOSCRIPT_RELOAD
        + "\n</head>\n"
        f'<body class="overview" data-overview="/status.json?lang={escape(lang)}"'
        f' data-updated="{escape(updated)}" data-calling="{_t(config, lang, "status_calling")}">\n'
        "<main>\n"
        f'<p class="site">{escape(site)} · {address}</p>\n'
        f"<h1>{_t(config, lang, 'status_overview_title')}</h1>\n"
        f'<nav class="languages">{links}</nav>\n'
        f'<ul class="topics" id="topics">{"".join(items)}</ul>\n'
        f'<p id="offline" role="status" hidden>{_t(config, lang, "status_offline")}</p>\n'
        '<p class="updated" id="updated"></p>\n'
        "</main>\n</body>\n</html>\n"
    )
