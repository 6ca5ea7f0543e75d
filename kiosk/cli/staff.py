"""`kiosk staff`: the staff app for one desk (today's queue; call, finish, transfer tickets)."""

from __future__ import annotations

import argparse

from kiosk.cli import Context, UsageProblem

HELP = "staff app: today's queue at one desk; call, finish, transfer and undo tickets"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--desk",
        metavar="ID",
        help="desk id from desks.toml (without it: choose from the list at start)",
    )
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help="language of the staff screens, one of site.staff_languages "
        "(default site.default_staff_language)",
    )
    parser.add_argument(
        "--no-watch",
        action="store_true",
        help="do not re-read the config folder when it changes",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    config = ctx.load_config()
    if not config.desks:
        raise UsageProblem(f"{ctx.config_dir}/desks.toml defines no desks")
    if args.desk is not None and config.desk(args.desk) is None:
        known = ", ".join(desk.id for desk in config.desks)
        raise UsageProblem(f'--desk: unknown desk "{args.desk}"; known desks: {known}')
    if args.lang is not None and args.lang not in config.site.staff_languages:
        known = ", ".join(config.site.staff_languages)
        raise UsageProblem(f'--lang: "{args.lang}" is not a staff language; choose one of: {known}')
    clock = ctx.clock(config)

    from kiosk.core.errors import StorageUnavailable
    from kiosk.core.logs import setup_logging
    from kiosk.core.storage import check_data_dir
    from kiosk.ui.staff.app import make_staff_app

    try:  # staff act on tickets: a folder that cannot be written is said at once, not per key
        check_data_dir(ctx.data_dir)
    except StorageUnavailable as error:
        raise UsageProblem(f"data folder {ctx.data_dir}: {error}") from None

    log = setup_logging(ctx.data_dir, "staff")
    try:
        app = make_staff_app(
            ctx.config_dir,
            ctx.data_dir,
            desk_id=args.desk,
            clock=clock,
            config=config,
            lang=args.lang,
            watch=not args.no_watch,
        )
    except StorageUnavailable as error:
        raise UsageProblem(f"data folder {ctx.data_dir}: {error}") from None
    log.info("staff app starting (desk %s)", args.desk or "to be chosen")
    app.run()
    log.info("staff app ended (desk %s)", app.desk_id)
    return 0
