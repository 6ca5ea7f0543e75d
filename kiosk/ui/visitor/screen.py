"""The base of every visitor screen: digits pick, Enter confirms, Escape goes back, arrows move.

Its own module so the screens need not import the app (which imports the screens): the app
drives the screens, the screens ask the app through `self.kiosk`, and no import runs in a circle.
"""

from __future__ import annotations

from typing import Any

from textual.app import active_app
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from kiosk.ui.visitor.arrows import CHOICE, CONTROL, Spot, arrow_target


class VisitorScreen(Screen, inherit_bindings=False):
    """Base of the visitor screens: digits pick, Enter confirms, Escape goes back."""

    IDLE: str | None = "idle"
    """Which timeout applies: "idle" (site.timeouts.idle_seconds), "ticket", or None."""

    AUTO_FOCUS = ""
    """(Empty, not None: None inherits the app's "*".) Nothing starts focused: Enter or Space
    pressed "to be sure" must not choose something the visitor never moved to."""

    BINDINGS = [
        *(Binding(str(n), f"pick({n})", show=False, id=f"visitor.pick{n}") for n in range(1, 10)),
        Binding("escape", "back", show=False, id="visitor.back"),
        Binding("tab", "app.focus_next", show=False, id="visitor.next"),
        Binding("shift+tab", "app.focus_previous", show=False, id="visitor.previous"),
        Binding("down", "move(0, 1)", show=False, id="visitor.down"),
        Binding("up", "move(0, -1)", show=False, id="visitor.up"),
        Binding("right", "move(1, 0)", show=False, id="visitor.right"),
        Binding("left", "move(-1, 0)", show=False, id="visitor.left"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._take_breakpoint_classes()

    def _take_breakpoint_classes(self) -> None:
        """The app's size classes (-w100, -h30, ...) from the start, as Textual sets them on the
        screen's first resize: set only then, they restyled every widget of the freshly built
        screen a second time (3 ms of the start screen's first frame)."""
        app = active_app.get(None)
        if app is None:  # made outside a running app (a test): the resize sets them
            return
        width, height = app.size
        classes = set()
        for size, breakpoints in (
            (width, self.HORIZONTAL_BREAKPOINTS or app.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS or app.VERTICAL_BREAKPOINTS),
        ):
            reached = [(at, name) for at, name in breakpoints or () if size >= at]
            if reached:
                classes.add(max(reached)[1])
        self.add_class(*classes, update=False)  # styled when mounted

    def draw_off_stage(self) -> None:
        """For a screen built ahead of its use (started off stage by the app, see
        VisitorApp.start_off_stage): lay out and draw once now, into the widgets' line caches,
        so that showing it later costs a layout of what changed and one frame."""
        self.call_later(self._draw_off_stage)

    def _draw_off_stage(self) -> None:
        if not self.is_current:
            # Textual 8.2 internals (pinned in constraints.txt; the visitor flow tests fail
            # if they change): the layout and render a screen does when it is drawn,
            # without sending the frame anywhere.
            self._refresh_layout(self.app.size)
            self._compositor.render_update(full=True)

    def draw_now(self) -> None:
        """Lay out and draw the whole screen at once, on being shown to a new visitor. A
        screen laid out before (off stage, or for the last visitor) would otherwise wait for
        Textual's next 60 Hz update tick (up to 17 ms), and its layout alone would redraw only
        what changed, over what the terminal still shows of the screen before. Textual 8.2
        internals: the whole screen region is marked dirty, so the layout's frame is a full
        one; the repaint Textual also asked for would draw that frame twice."""
        if self.outer_size != self.app.size:
            return  # the terminal changed size meanwhile: Textual lays it out anew at once
        if self._layout_required:
            self._compositor._dirty_regions.add(self.app.size.region)
            self._repaint_required = False
        self._on_timer_update()

    def arrow_grid(self) -> tuple[list[Widget], int, bool, list[Widget]] | None:
        """For arrow keys: (choices in digit order, columns, right to left, controls below from
        left to right), or None where arrows just go to the next/previous control."""
        return None

    def action_move(self, dx: int, dy: int) -> None:
        grid = self.arrow_grid()
        if grid is None:
            if dx + dy > 0:
                self.focus_next()
            else:
                self.focus_previous()
            return
        choices, columns, rtl, controls = grid
        target = self._arrow_destination(choices, columns, rtl, controls, dx, dy)
        if target is not None:
            target.focus()

    def _arrow_destination(
        self,
        choices: list[Widget],
        columns: int,
        rtl: bool,
        controls: list[Widget],
        dx: int,
        dy: int,
    ) -> Widget | None:
        """Where an arrow goes, stepping over choices that cannot be chosen now (a closed topic
        is no place to rest: Enter there would do nothing)."""
        focused = self.focused
        if focused in choices:
            spot: Spot | None = Spot(CHOICE, choices.index(focused))
        elif focused in controls:
            spot = Spot(CONTROL, controls.index(focused))
        else:  # nothing focused yet: any arrow brings the focus to the first open choice
            usable = [c for c in choices if c.focusable] or [c for c in controls if c.focusable]
            return usable[0] if usable else None
        for _ in range(len(choices) + len(controls) + 1):
            spot = arrow_target(
                spot, dx, dy, count=len(choices), columns=columns, rtl=rtl, controls=len(controls)
            )
            if spot is None:
                return None
            widget = (choices if spot.kind == CHOICE else controls)[spot.index]
            if widget.focusable:
                return widget
        return None

    @property
    def kiosk(self) -> Any:
        """The VisitorApp (typed loosely: naming it here, even for the type checker only,
        would import the app from its screens again)."""
        return self.app

    def action_pick(self, n: int) -> None:
        pass

    def action_back(self) -> None:
        pass
