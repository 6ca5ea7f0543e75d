"""`kiosk run` (and plain `kiosk`): the visitor kiosk in this terminal."""

from __future__ import annotations

import argparse
import os

HELP = "run the visitor kiosk in this terminal (also: plain `kiosk`)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not re-read the config folder when it changes",
    )


def run(args: argparse.Namespace, ctx) -> int:
    from kiosk.core.logs import setup_logging

    config = ctx.load_config()
    clock = ctx.clock(config)
    log = setup_logging(ctx.data_dir, "visitor")
    for warning in config.warnings:
        log.warning("config: %s", warning)

    from kiosk.core.errors import StorageUnavailable
    from kiosk.ui.visitor import make_visitor_app

    try:
        app = make_visitor_app(
            ctx.config_dir,
            ctx.data_dir,
            clock=clock,
            config=config,
            watch=not getattr(args, "no_watch", False),
            # kiosk serve sets it for a page on a touch screen (kiosk.cli.serve.TOUCH_ENV)
            touch=os.environ.get("KIOSK_TOUCH") == "1",
        )
    except StorageUnavailable as error:
        from kiosk.cli import UsageProblem

        raise UsageProblem(f"data folder {ctx.data_dir}: {error}") from None
    log.info("visitor kiosk starting (config %s, data %s)", ctx.config_dir, ctx.data_dir)
    app.run()
    # The PIN dialog logs an admin exit itself; a browser tab closing under `kiosk serve` also
    # ends the app here, so this line must not claim one.
    if app.ended_by_signal:
        log.info("visitor kiosk ended by %s", app.ended_by_signal)
    else:
        log.info("visitor kiosk ended")
    return int(app.return_code or 0)
