"""The keys every language file must have, and the placeholders each string may use.

The language reader checks lang/<code>.toml against them; kiosk.core.i18n looks strings up by them.
"""

from __future__ import annotations

# key -> placeholders the string may use. Every visitor language must have every key.
VISITOR_KEYS: dict[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in {
        "welcome": (),  # greeting above the language choice, shown in that language
        "choose_topic": (),  # heading of the topic screen
        "back": (),
        "change_language": (),
        "your_number": (),  # heading above the big ticket number
        "people_ahead": ("n",),  # e.g. "Vor Ihnen warten: {n}"
        "nobody_ahead": (),  # people ahead is 0
        "wait_estimate": ("minutes",),  # "etwa {minutes} Minuten Wartezeit"
        "wait_range": ("low", "high"),  # "Wartezeit: etwa {low}–{high} Minuten"
        "wait_unknown": (),  # today has too few calls of the topic to say
        # the status page on the visitor's phone (kiosk serve status)
        "status_waiting": (),
        "status_called": ("desk",),  # your turn: please go to {desk}
        "status_done": (),
        "status_cancelled": (),
        "status_no_show": (),  # called, not there: please speak to the staff
        "status_expired": (),  # the day is over
        "status_cancel_button": (),  # I no longer need this number
        "status_cancel_confirm": (),
        "status_cancel_yes": (),
        "status_cancel_no": (),
        "status_offline": (),  # the page cannot reach the server; it keeps trying
        "status_updated": ("time",),
        "status_keep_open": (),
        "status_sound_on": (),  # button: phones play sound only after a tap
        "status_overview_title": (),
        "status_calling": (),  # label before the numbers being called
        "status_people_waiting": ("n",),
        "what_now": (),  # take a seat, your number will be shown on the screen
        "address": (),  # label
        "hours": (),  # label: opening hours of this topic
        "hotline": (),  # label: information telephone
        "hotline_reachable_now": (),
        "hotline_not_reachable_now": (),
        "email": (),  # label
        "done": (),  # button that ends the visit on the ticket screen
        "qr_hint": (),  # scan this code with your phone to keep number, hours, phone
        "qr_hint_status": (),  # the code opens the live status page (site.toml [status])
        "qr_too_small": (),  # the screen is too small for the code
        "issuing": (),  # your number is being printed/created
        "storage_error": (),  # something went wrong, please ask the staff
        "closed_now": (),  # heading: the service point is closed now
        "closed_today": (),  # no more advice today
        "next_opening": ("when",),  # "Wieder geöffnet: {when}"
        "urgent_contacts": (),  # heading: in an emergency / urgent cases
        "opens_at": ("when",),  # on an unavailable topic: "ab {when}"
        "full_today": (),  # no more numbers today for this topic
        "paused_today": (),  # not possible any more today
        "open_until": ("time",),
        "today": (),
        "tomorrow": (),
        "closed": (),  # a day without hours in the week's list
        "touch_hint": (),  # tap a field or press its number
        "nothing_issuing": (),  # no topic issues numbers right now
        "numbers_until": ("time",),  # numbers are given out until {time} (start and closed screens)
        "open_today": ("hours",),  # today's opening hours, e.g. "Heute geöffnet 12:30–16:30"
        "closed_all_day": (),  # heading: no hours at all today (Sunday, a holiday)
        "closed_until": ("date",),  # heading: closed for several days, {date} = the last closed day
        "hotline_reachable_from": ("when",),  # when the closed hotline answers again
        "note_number": (),  # ticket screen: for visitors without a smartphone
        "pick_language": (),  # language screen instruction, shown in several languages at once
        "closed_qr_hint": (),  # closed screen: what the code holds
        # speech mode (the 0 key), the more-time prompt, the display's spoken call
        "read_aloud": (),  # the touch button that starts speech mode
        "large_text": (),  # the browser kiosk's button that switches to large text
        "speech_choose_language": ("digit",),  # "For English, press {digit}." in each language
        "speech_press": ("digit",),  # before each spoken choice: "Press {digit}"
        "speech_range": ("start", "end"),  # spoken hours: "{start} to {end}"
        "speech_keys": (),  # 0 hears everything again, Escape goes back
        "speech_volume": (),  # plus and minus change the volume
        "more_time": (),  # "Do you need more time?" before a screen times out
        "more_time_hint": (),  # press a key or tap, else the kiosk starts again
        "call_aloud": ("number", "desk"),  # the display's call in the visitor's language
        # the optional printer (site.toml [printer]) on the ticket screen
        "print": (),  # button: print the ticket
        "printing": (),  # the ticket is being printed
        "printed": (),  # printed: please take your ticket
        "print_failed": (),  # the printer failed: write down or photograph your number
    }.items()
}

# Staff screens: every staff language must have every key. Extended by the staff app's issue.
STAFF_KEYS: dict[str, frozenset[str]] = {
    k: frozenset(v)
    for k, v in {
        "title": (),
        # staff app (kiosk staff): head, table, states
        "choose_desk": (),  # heading of the desk picker
        "col_number": (),
        "col_topic": (),
        "col_lang": (),
        "col_state": (),
        "col_wait": (),  # waiting time column
        "col_desk": (),
        "state_waiting": (),
        "state_called": (),
        "state_done": (),
        "state_no_show": (),
        "state_cancelled": (),
        "state_expired": (),
        "state_unresolved": (),
        "cancelled_by_visitor": (),  # state of a ticket the visitor cancelled on the phone
        "my_visitor": (),  # label of the panel with this desk's own called ticket(s)
        "my_visitor_none": (),  # the panel when this desk has no open call
        "my_visitor_called": ("time",),  # "aufgerufen 13:05" in the panel
        "my_visitor_recalled": ("n",),  # how often it was called again
        "waiting_label": (),  # before the per-topic waiting counts
        "longest_wait": ("minutes", "number"),
        "nobody_waiting": (),
        "minutes": ("minutes",),  # "12 min"
        "filter_active": ("what", "shown", "total"),
        # footer keys (short words: all keys fit two rows at 80 columns)
        "key_call_next": (),
        "key_call_language": (),
        "key_call_selected": (),
        "key_recall": (),
        "key_done": (),
        "key_no_show": (),
        "key_reactivate": (),
        "key_transfer": (),
        "key_cancel": (),
        "key_undo": (),
        "key_pause": (),
        "key_filter": (),
        "key_stats": (),
        "key_quit": (),
        "key_desk_topics": (),  # change this desk's call-next topics for today
        # notifications after an action
        "no_selection": (),
        "nothing_waiting": (),
        "nothing_waiting_lang": ("language",),
        "called": ("number", "desk"),
        "recalled": ("number",),
        "finished": ("number",),
        "marked_no_show": ("number",),
        "reactivated": ("number",),
        "cancelled": ("number",),
        "transferred": ("number", "topic"),
        "paused": ("topic",),
        "resumed": ("topic",),
        "undone": ("number", "state"),
        # errors of the core, in the staff language
        "err_illegal": ("number", "state", "action", "allowed"),
        "err_already_called": ("number", "desk"),  # "call" on a ticket another desk called
        "err_called_elsewhere": ("number", "desk", "action"),  # another desk's call, unconfirmed
        "no_own_call": ("action",),  # d/x/r with no open call at this desk
        "own_call_changed": ("number", "state"),  # another desk changed this desk's call
        "err_not_found": ("number",),
        "err_nothing_to_undo": (),
        "err_undo_conflict": (),  # last action too old, or the ticket changed since
        "err_storage": ("message",),
        "err_clock": (),
        "err_not_issuing": ("topic",),
        "err_unknown_topic": ("topic",),
        "err_unknown_desk": ("desk",),
        "err_other": ("message",),
        # status line: a damaged day file salvaged (notices.py), the clock behind the tickets
        "salvaged_all": ("issued",),
        "salvaged_one_missing": ("recovered", "issued", "number"),
        "salvaged_missing": ("recovered", "issued", "numbers"),
        "salvaged_check": ("numbers",),
        "clock_behind": ("now", "stored"),
        # dialogs
        "transfer_title": ("number",),
        "confirm_no": (),  # the safe answer of every question: change nothing
        "confirm_other_title": ("number", "desk", "action"),
        "confirm_other_yes": ("number", "desk", "action"),
        "confirm_cancel_title": ("number",),
        "confirm_cancel_yes": ("number",),
        "open_call_title": ("desk", "numbers"),  # n/c/l while this desk has an open call
        "open_call_finish": ("number",),
        "open_call_keep": ("numbers",),
        "which_call_title": ("action",),  # d/x/r with two open calls
        "transfer_not_today": (),  # mark of a topic that issues no numbers today
        "confirm_transfer_title": ("number", "topic"),  # moving to a topic closed today
        "confirm_transfer_yes": ("number", "topic"),
        "desk_topics_title": ("desk",),
        "desk_topics_hint": (),
        "desk_topics_today": (),  # header mark: the topics were changed for today
        "desk_topics_set": ("desk", "topics"),
        "desk_topics_none": (),  # nothing ticked
        "language_title": (),
        "pause_title": (),
        "paused_mark": (),
        "dialog_hint": (),
        "filter_title": (),
        "filter_topics": (),
        "filter_states": (),
        "filter_hint": (),
        "filter_apply": (),
        "filter_reset": (),
        "quit_question": (),
        "quit_yes": (),
        "quit_no": (),
        "config_reloaded": (),
        "config_rejected": ("problem",),
        # public display (kiosk display): shown in the default staff language and English
        "display_calling": (),
        "display_previous": (),
        "display_none": (),
        # status line: the last print failed (until one succeeds again)
        "printer_failed": ("problem",),
    }.items()
}

# Texts with a number in them that take the number's plural form: key -> the placeholder that
# holds the number. A language file gives these as a table with one text per plural category
# the language needs (kiosk.core.plurals: CLDR's), e.g. [visitor.wait_estimate] one = "...".
PLURAL_KEYS: dict[str, str] = {
    "wait_estimate": "minutes",
    "wait_range": "high",
}
