"""Test helper: read an ESC/POS job back into the image it prints.

Accepts exactly the commands a ticket job may hold and fails on any other byte, so a job
with stray text, a broken length or a half-sent image does not pass as valid:
  ESC @            initialise (first)
  GS v 0 m xL xH yL yH d1...dk   raster bit image, k = (xL + 256 xH) * (yL + 256 yH),
                                 one bit per dot, most significant bit left, 1 = black
  ESC d n          print and feed n lines
  GS V m / GS V m n   cut (last)
The raster blocks are stacked top to bottom into one image (python-escpos splits tall images).
"""

from __future__ import annotations

from PIL import Image, ImageChops

ESC, GS = 0x1B, 0x1D


class NotAJob(AssertionError):
    """The bytes are not a whole, valid ticket job."""


def parse_job(data: bytes) -> tuple[Image.Image, list[str]]:
    """(the printed image, the commands in order) of one job; raises NotAJob."""
    if not data.startswith(b"\x1b@"):
        raise NotAJob(f"a job starts with ESC @, this one with {data[:4].hex(' ')}")
    commands = ["init"]
    blocks: list[Image.Image] = []
    i = 2
    while i < len(data):
        if data[i : i + 3] == b"\x1dv0":
            if len(data) < i + 8:
                raise NotAJob(f"raster header cut short at byte {i}")
            mode = data[i + 3]
            width_bytes = data[i + 4] + 256 * data[i + 5]
            height = data[i + 6] + 256 * data[i + 7]
            size = width_bytes * height
            raster = data[i + 8 : i + 8 + size]
            if mode not in (0, 1, 2, 3, 48, 49, 50, 51) or len(raster) != size or not size:
                raise NotAJob(f"raster block at byte {i}: mode {mode}, {len(raster)}/{size} bytes")
            # "1" mode: bit 1 = white, so invert the printer's 1 = black.
            block = Image.frombytes("1", (width_bytes * 8, height), raster)
            blocks.append(ImageChops.invert(block.convert("L")).convert("1"))
            commands.append("raster")
            i += 8 + size
        elif data[i : i + 2] == b"\x1bd" and i + 2 < len(data):
            commands.append("feed")
            i += 3
        elif data[i : i + 2] == b"\x1dV" and i + 2 < len(data):
            mode = data[i + 2]
            i += 4 if mode in (65, 66, 97, 98, 103, 104) else 3
            commands.append("cut")
            if i != len(data):
                raise NotAJob(f"{len(data) - i} bytes after the cut")
        else:
            raise NotAJob(f"unknown command at byte {i}: {data[i : i + 4].hex(' ')}")
    if commands[-1] != "cut":
        raise NotAJob("the job does not end with a cut")
    if not blocks:
        raise NotAJob("the job prints no image")
    width = blocks[0].width
    if any(block.width != width for block in blocks):
        raise NotAJob("raster blocks of different widths")
    image = Image.new("1", (width, sum(b.height for b in blocks)), 1)
    y = 0
    for block in blocks:
        image.paste(block, (0, y))
        y += block.height
    return image, commands


def split_jobs(data: bytes) -> list[bytes]:
    """The jobs a file printer appended, one after another (each starts with ESC @ after a cut)."""
    jobs: list[bytes] = []
    start = 0
    while start < len(data):
        _, commands_end = _job_end(data, start)
        jobs.append(data[start:commands_end])
        start = commands_end
    return jobs


def _job_end(data: bytes, start: int) -> tuple[int, int]:
    i = start + 2
    while i < len(data):
        if data[i : i + 3] == b"\x1dv0":
            i += 8 + (data[i + 4] + 256 * data[i + 5]) * (data[i + 6] + 256 * data[i + 7])
        elif data[i : i + 2] == b"\x1bd":
            i += 3
        elif data[i : i + 2] == b"\x1dV":
            i += 4 if data[i + 2] in (65, 66, 97, 98, 103, 104) else 3
            return start, i
        else:
            raise NotAJob(f"unknown command at byte {i}: {data[i : i + 4].hex(' ')}")
    raise NotAJob("the last job has no cut: cut short")


def ink(image: Image.Image) -> Image.Image:
    """The image cut to its black pixels."""
    box = ImageChops.invert(image.convert("L")).getbbox()
    if box is None:
        raise ValueError("no black pixel")
    return image.crop(box)


def contains(image: Image.Image, patch: Image.Image) -> bool:
    """Whether `patch` (black on white, cut to its ink) appears pixel for pixel in `image`,
    alone on its rows (nothing else printed beside it)."""
    # Compared as bytes of "L" images: ImageChops on mode "1" images is not reliable.
    patch = ink(patch).convert("L")
    wanted = patch.tobytes()
    width, height = patch.size
    for top in range(image.height - height + 1):
        band = image.crop((0, top, image.width, top + height))
        box = ImageChops.invert(band.convert("L")).getbbox()
        if box is None or box[2] - box[0] != width:
            continue
        crop = band.crop((box[0], 0, box[0] + width, height)).convert("L")
        if crop.tobytes() == wanted:
            return True
    return False
