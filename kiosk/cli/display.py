"""`kiosk display`: the public call display in this terminal (locked down like the kiosk)."""

from __future__ import annotations

import argparse

from kiosk.cli import Context, UsageProblem

HELP = "public call display: called numbers and desks, very large (no topics)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not re-read the config folder when it changes",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    config = ctx.load_config()
    clock = ctx.clock(config)

    from kiosk.core.errors import StorageUnavailable
    from kiosk.core.logs import setup_logging
    from kiosk.ui.display.app import make_display_app

    log = setup_logging(ctx.data_dir, "display")
    try:
        app = make_display_app(
            ctx.config_dir, ctx.data_dir, clock=clock, config=config, watch=not args.no_watch
        )
    except StorageUnavailable as error:
        raise UsageProblem(f"data folder {ctx.data_dir}: {error}") from None
    log.info("display starting (config %s, data %s)", ctx.config_dir, ctx.data_dir)
    app.run()
    # The PIN dialog logs an admin exit itself; a browser tab closing under `kiosk serve` also
    # ends the app here, so this line must not claim one.
    if app.ended_by_signal:
        log.info("display ended by %s", app.ended_by_signal)
    else:
        log.info("display ended")
    return int(app.return_code or 0)
