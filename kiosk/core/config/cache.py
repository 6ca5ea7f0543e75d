"""The checked config kept for the next start: `cache/config.json` in the data folder.

Reading and checking the config folder (tomllib on about a dozen files, every rule, the
readers' imports) took about 18 ms of the visitor kiosk's cold start. So after a successful
read the Config is kept, with what it was read from: size, modification and change time and
inode of every file the read used, the folder, the kiosk's version and the state of its core
code (a code change can change what a file means). The next start takes the Config from there
when all of that still matches (about 2 ms). Anything else (a file edited, added, removed or
replaced, the kiosk updated, the cache missing, unreadable, damaged, of another format) reads
the folder as before, so a broken edit is reported exactly as without the cache, and the cache
is written anew after the next good read. `kiosk check-config` and the apps' hot reload always
read the files.

Nothing is kept when a file changed while it was read, or was modified less than
RECENT_SECONDS before: timestamps move in coarse steps (two seconds on FAT), and an edit within
the same step, keeping the size, would look unchanged (git's "racy" files). The cache is plain JSON, read back into the model's frozen
dataclasses without running their checks again; it never holds code to run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.config import CONFIG_FILES, Config, load_config

log = logging.getLogger("kiosk.config")

CACHE_NAME = "config.json"
CACHE_FORMAT = 1
RECENT_SECONDS = 2.0
"""Files modified this recently are read, not cached (see the module docstring)."""

_CORE = Path(__file__).resolve().parents[1]
"""kiosk/core: its code and that of kiosk/core/config decide what a config file means."""
_MODEL_MODULES = "kiosk.core.config."
"""Classes the cache may name: the config model's, nothing else."""


class _Unusable(Exception):
    """This cache entry cannot be used (or this config cannot be kept)."""


def load_config_cached(folder: Path | str, cache_dir: Path) -> Config:
    """The config of `folder`, from `cache_dir` when it was kept from the same files, else read
    and checked (raising ConfigError as `load_config` does) and kept for the next start."""
    folder = Path(folder)
    path = Path(cache_dir) / CACHE_NAME
    try:
        return _read(path, folder)
    except FileNotFoundError:
        pass  # no cache yet, or a config file gone: the read below says which
    except Exception as problem:  # damaged, garbage, another kiosk's: read the folder
        log.info("config cache %s not used: %r", path, problem)
    before = _stamps_before_reading(folder)
    config = load_config(folder)
    try:
        _write(path, folder, config, before)
    except Exception as problem:  # the cache only saves time: never fail a start over it
        log.info("config cache %s not written: %r", path, problem)
    return config


# ---- what a config was read from ----------------------------------------------------------


def _files_of(config: Config) -> list[str]:
    """The files a read of this config used (relative to its folder)."""
    codes = dict.fromkeys((*config.site.languages, *config.site.staff_languages))
    return [*CONFIG_FILES, *(f"lang/{code}.toml" for code in codes)]


def _stamp(path: Path | str) -> list[int]:
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _stamps_before_reading(folder: Path) -> dict[str, list[int]]:
    """Every file a read of the folder may use, as it is before the read (a file changed while
    it is read must not be kept with the text read before the change)."""
    names = list(CONFIG_FILES)
    with contextlib.suppress(OSError):
        names += [f"lang/{name}" for name in os.listdir(folder / "lang") if name.endswith(".toml")]
    stamps = {}
    for name in names:
        with contextlib.suppress(OSError):
            stamps[name] = _stamp(folder / name)
    return stamps


def _code_stamp() -> list[list[Any]]:
    """Name, size and modification time of every module of kiosk/core and kiosk/core/config."""
    stamps = []
    for folder in (_CORE, _CORE / "config"):
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    stamps.append([f"{folder.name}/{entry.name}", info.st_size, info.st_mtime_ns])
    return sorted(stamps)


def _key(folder: Path, files: list[str]) -> dict[str, Any]:
    from kiosk import __version__

    return {
        "kiosk": __version__,
        "folder": str(folder),
        "real_folder": os.path.realpath(folder),
        "files": {name: _stamp(folder / name) for name in files},
        "code": _code_stamp(),
    }


# ---- reading and writing ------------------------------------------------------------------


def _read(path: Path, folder: Path) -> Config:
    entry = json.loads(path.read_bytes())
    if not isinstance(entry, dict) or entry.get("format") != CACHE_FORMAT:
        raise _Unusable("another format")
    files = entry["key"]["files"]
    if not isinstance(files, dict) or entry["key"] != _key(folder, list(files)):
        raise _Unusable("kept from other files or another kiosk")  # the usual case after an edit
    config = _decode(entry["config"])
    if not isinstance(config, Config) or list(files) != _files_of(config):
        raise _Unusable("damaged")
    return config


def _write(path: Path, folder: Path, config: Config, before: dict[str, list[int]]) -> None:
    if not path.parent.parent.is_dir():
        return  # no data folder yet: do not make one for a cache
    key = _key(folder, _files_of(config))
    if any(before.get(name) != stamp for name, stamp in key["files"].items()):
        return  # changed while it was read: the next start reads it again
    recent = clock.time_ns() - int(RECENT_SECONDS * 1e9)
    if any(stamp[1] > recent for stamp in key["files"].values()):
        return  # just edited: the next start keeps it (see the module docstring)
    data = {"format": CACHE_FORMAT, "key": key, "config": _encode(config)}
    # The store's own writer: atomic, and the data folder's modes whatever the umask.
    from kiosk.core.storage import atomic_write, make_private_dir

    make_private_dir(path.parent)
    atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())


# ---- the model as JSON --------------------------------------------------------------------
# Every value is JSON as it is (None, bool, int, str) or a one-key object naming its type:
# {"t": [...]} tuple, {"l": [...]} list, {"d": [[key, value], ...]} dict, {"m": ...} read-only
# mapping, {"date"|"time"|"zone"|"path": text}, {"c": "module:Class", "v": [field values]}.


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, list):
        return {"l": [_encode(v) for v in value]}
    if isinstance(value, (dict, MappingProxyType)):
        pairs = [[_encode(k), _encode(v)] for k, v in value.items()]
        return {"d" if isinstance(value, dict) else "m": pairs}
    if isinstance(value, date) and not isinstance(value, datetime):
        return {"date": value.isoformat()}
    if isinstance(value, time) and value.tzinfo is None:
        return {"time": value.isoformat()}
    if isinstance(value, ZoneInfo) and value.key:
        return {"zone": value.key}
    if isinstance(value, PurePath):
        return {"path": str(value)}
    kind = type(value)
    if dataclasses.is_dataclass(value) and kind.__module__.startswith(_MODEL_MODULES):
        names = [f.name for f in dataclasses.fields(value)]
        if set(vars(value)) != set(names):
            raise _Unusable(f"{kind.__name__} holds more than its fields")
        return {
            "c": f"{kind.__module__}:{kind.__qualname__}",
            "v": [_encode(getattr(value, n)) for n in names],
        }
    raise _Unusable(f"cannot keep a {kind.__name__}")


def _model_class(name: str) -> tuple[type, list[str]]:
    import sys

    module, _, qualname = name.partition(":")
    loaded = sys.modules.get(module) if module.startswith(_MODEL_MODULES) else None
    kind = getattr(loaded, qualname, None)
    if not isinstance(kind, type) or not dataclasses.is_dataclass(kind):
        raise _Unusable(f"names {name!r}, not a class of the config model")
    return kind, [f.name for f in dataclasses.fields(kind)]


_SCALARS: dict[str, Callable[[str], Any]] = {
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "zone": ZoneInfo,
    "path": Path,
}


def _decode(value: Any, classes: dict[str, tuple[type, list[str]]] | None = None) -> Any:
    if type(value) is not dict:
        if isinstance(value, list):
            raise _Unusable("a bare list")
        return value
    if classes is None:
        classes = {}
    if "c" in value:
        name = value["c"]
        if name not in classes:
            classes[name] = _model_class(name)
        kind, names = classes[name]
        values = value["v"]
        if len(values) != len(names):
            raise _Unusable(f"{name} has other fields now")
        made = object.__new__(kind)
        for field_name, field_value in zip(names, values, strict=True):
            object.__setattr__(made, field_name, _decode(field_value, classes))
        return made
    if len(value) != 1:
        raise _Unusable(f"unknown value {value!r:.60}")
    ((tag, inner),) = value.items()
    if tag == "t":
        return tuple(_decode(v, classes) for v in inner)
    if tag == "l":
        return [_decode(v, classes) for v in inner]
    if tag in ("d", "m"):
        pairs = {_decode(k, classes): _decode(v, classes) for k, v in inner}
        return pairs if tag == "d" else MappingProxyType(pairs)
    if tag in _SCALARS and isinstance(inner, str):
        return _SCALARS[tag](inner)
    raise _Unusable(f"unknown value {value!r:.60}")
