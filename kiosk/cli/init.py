"""`kiosk init DIR`: a starting config folder, with the site's own values left as placeholders.

The template is the shipped Leverkusen config (installed with the package under
share/servicepoint-kiosk/config, or config/ of a clone). The values that only the site knows
(name, address, where in the building, e-mail, hotline number, local urgent contact) become
"<fill in: ...>" placeholders, which `kiosk check-config` and every app refuse until an admin
replaces them. Topics, desks, schedules and the language files stay as a worked example.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

HELP = "write a starting config folder whose site-specific values an admin must fill in"

SHARE = Path("share") / "servicepoint-kiosk" / "config"

# (section, key, placeholder) in site.toml
PLACEHOLDERS = (
    ("site", "name", "<fill in: the service point's name, shown on every screen>"),
    ("site", "address", "<fill in: street and number, postcode city>"),
    ("site", "email", "<fill in: the mailbox for visitors>"),
    ("hotline", "number", "<fill in: the information telephone, e.g. 0214 406-0>"),
)
FLOOR = (
    'de = "<fill in: wo im Gebäude, auf Deutsch>"\n'
    'en = "<fill in: where in the building, in English>"\n'
)
URGENT = (
    "# A local urgent contact (e.g. the city's number for acute need of housing): fill it in, or\n"
    "# remove this block. The three blocks after it are valid anywhere in Germany.\n"
    "[[urgent]]\n"
    'number = "<fill in: a local urgent number>"\n'
    'label.de = "<fill in: wofür, auf Deutsch>"\n'
    'label.en = "<fill in: what it is for, in English>"\n\n'
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", type=Path, help="the new config folder")


def template() -> Path | None:
    """The shipped config: installed data files first, then the clone this package runs from."""
    import kiosk

    for candidate in (
        Path(sys.prefix) / SHARE,
        Path(kiosk.__file__).resolve().parent.parent / "config",
    ):
        if (candidate / "site.toml").is_file():
            return candidate
    return None


def _section_span(text: str, header: str) -> tuple[int, int]:
    """Start and end offsets of the body of `[header]` (up to the next [table] line)."""
    match = re.search(rf"^\[{re.escape(header)}\]\s*$", text, flags=re.MULTILINE)
    if match is None:
        raise ValueError(f"no [{header}] in the template's site.toml")
    following = re.search(r"^\[", text[match.end() :], flags=re.MULTILINE)
    end = match.end() + following.start() if following else len(text)
    return match.end(), end


def with_placeholders(site_toml: str) -> str:
    """The template's site.toml with the site's own values replaced by placeholders."""
    text = site_toml
    for section, key, value in PLACEHOLDERS:
        start, end = _section_span(text, section)
        body, count = re.subn(
            rf'^{key} = ".*"$', f'{key} = "{value}"', text[start:end], count=1, flags=re.M
        )
        if count != 1:
            raise ValueError(f"no {key} in [{section}] of the template's site.toml")
        text = text[:start] + body + text[end:]
    start, end = _section_span(text, "site.floor")
    body = re.sub(r'^[a-z]{2,3} = ".*"\n', "", text[start:end], flags=re.M)
    text = text[:start] + "\n" + FLOOR + body.lstrip("\n") + text[end:]
    first_urgent = re.search(r"^\[\[urgent\]\]", text, flags=re.MULTILINE)
    if first_urgent is None:
        text += "\n" + URGENT
    else:
        text = text[: first_urgent.start()] + URGENT + text[first_urgent.start() :]
    return text


def run(args: argparse.Namespace, ctx) -> int:
    from kiosk.cli import UsageProblem

    folder: Path = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageProblem(f"{folder} exists and is not an empty folder: give a new one")
    source = template()
    if source is None:
        raise UsageProblem("the shipped config is not installed (reinstall the package)")
    try:
        site = with_placeholders((source / "site.toml").read_text(encoding="utf-8"))
        shutil.copytree(source, folder, dirs_exist_ok=True)
        (folder / "site.toml").write_text(site, encoding="utf-8")
    except ValueError as error:
        raise UsageProblem(f"{source}: {error}") from None
    except OSError as error:
        raise UsageProblem(f"cannot write {folder}: {error.strerror or error}") from None
    print(f"Wrote a starting config into {folder}.")
    print(f"Next: fill in every <fill in: ...> in {folder / 'site.toml'}, adapt topics.toml,")
    print("desks.toml and schedules.toml to your site, then check it and set your own PIN:")
    print(f"  kiosk check-config --config {folder}")
    print(f"  kiosk set-pin --config {folder}")
    return 0
