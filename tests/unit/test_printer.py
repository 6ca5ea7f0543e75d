"""Paper ticket (issue 18): printed through python-escpos's Dummy printer, the file kind and a
network printer on loopback, read back from the bytes: a valid ESC/POS job whose image shows the
number and whose QR code carries the take-away note, in de, uk, ar and fa. Failures (missing,
raising mid-job, slow, out of paper) never block the caller, never retry, never touch tickets.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest
import zxingcpp
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from kiosk.core.clock import Clock
from kiosk.core.config import Printer, load_config
from kiosk.core.paper_ticket import (
    BOLD,
    FontMissing,
    find_font,
    paper_ticket,
    printed_note,
    render,
)
from kiosk.core.printer import (
    PrinterError,
    PrintService,
    job_bytes,
    print_ticket,
    printer_status,
    read_state,
    send,
)
from kiosk.core.qr import qr_matrix
from kiosk.core.store import Store
from tests.escpos_raster import NotAJob, contains, parse_job, split_jobs

CONFIG = Path(__file__).resolve().parents[2] / "config"
WEDNESDAY = "2026-12-09T13:05"  # the Sprechstunde (kim) is open
LANGS = ("de", "uk", "ar", "fa")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")  # fonts-dejavu-core


@pytest.fixture(scope="module")
def config():
    return load_config(CONFIG)


@pytest.fixture
def store(config, tmp_path):
    clock = Clock.starting_at(WEDNESDAY, config.site.timezone)
    return Store(tmp_path / "data", config, clock)


def number_patch(number: str, size: int = 150) -> Image.Image:
    """The number as the ticket should show it: DejaVu Sans Bold, 150 px, black on white."""
    font = ImageFont.truetype(str(FONT), size, layout_engine=ImageFont.Layout.BASIC)
    left, top, right, bottom = font.getbbox(number)
    image = Image.new("1", (right - left + 4, bottom - top + 4), 1)
    ImageDraw.Draw(image).text((2 - left, 2 - top), number, font=font, fill=0)
    return image


def decoded_qr(image: Image.Image) -> list[str]:
    results = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [r.text for r in results]


def min_module_dots(image: Image.Image, note: str) -> float:
    """The printed code's module width in dots: its side (zxing's corners) over its modules."""
    (result,) = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    top_left, top_right = result.position.top_left, result.position.top_right
    side = ((top_right.x - top_left.x) ** 2 + (top_right.y - top_left.y) ** 2) ** 0.5
    return side / len(qr_matrix(note, border=0, level="M"))


def issue_paper(config, store, lang):
    issued = store.issue("kim", lang)
    return issued, paper_ticket(config, store.hours, issued, lang, store.clock.now())


def test_font_is_found_by_path():
    assert find_font(BOLD) == FONT


@pytest.mark.parametrize("lang", LANGS)
def test_dummy_printer_job_shows_the_number_and_the_qr_carries_the_note(config, store, lang):
    store.issue("kim", "de")  # someone ahead: the number is A-002
    issued, paper = issue_paper(config, store, lang)
    printer = Printer(kind="file", path="/unused")
    dummy = Dummy()
    print_ticket(printer, paper, sender=lambda _printer, data: dummy._raw(data))

    image, commands = parse_job(dummy.output)
    assert commands[0] == "init" and commands[-1] == "cut" and "raster" in commands
    assert image.width == 576
    assert issued.ticket.number == "A-002"
    assert contains(image, number_patch("A-002"))
    assert not contains(image, number_patch("A-003"))  # the check can fail
    # 80 mm paper holds the full note (the screen's longest) with modules of 4+ dots.
    assert decoded_qr(image) == [paper.notes[0]]
    assert "A-002" in paper.notes[0] and "0214/406-3333" in paper.notes[0]
    assert config.site.name in paper.notes[0]
    if os.environ.get("KIOSK_TICKET_PNG"):  # a folder: keep the printed image to look at
        image.save(Path(os.environ["KIOSK_TICKET_PNG"]) / f"ticket-{lang}.png")


def test_note_and_topic_are_in_the_visitors_language(config, store):
    _, paper_fa = issue_paper(config, store, "fa")
    _, paper_uk = issue_paper(config, store, "uk")
    assert paper_fa.rtl and not paper_uk.rtl
    assert paper_fa.topic == config.languages["fa"].topics["kim"].label
    assert paper_uk.what_now == config.languages["uk"].visitor["what_now"]
    assert config.languages["fa"].visitor["hotline"] in paper_fa.notes[0]


def test_file_printer_appends_each_job_whole(config, store, tmp_path):
    out = tmp_path / "printed.bin"
    printer = Printer(kind="file", path=str(out))
    papers = [issue_paper(config, store, lang)[1] for lang in LANGS]
    for paper in papers:
        print_ticket(printer, paper)
    jobs = split_jobs(out.read_bytes())
    assert len(jobs) == 4
    for index, (job, paper) in enumerate(zip(jobs, papers, strict=True)):
        image, _ = parse_job(job)
        assert contains(image, number_patch(f"A-00{index + 1}"))
        assert decoded_qr(image) == [paper.notes[0]]


def test_58mm_paper_gets_a_narrower_image_with_a_readable_code(config, store):
    _, paper = issue_paper(config, store, "ar")
    image = render(paper, 384)
    assert image.width == 384
    # A shorter note rather than modules under 4 dots (0.5 mm), still with number and hotline.
    note = printed_note(paper, 384)
    assert decoded_qr(image) == [note]
    assert note != paper.notes[0] and "A-001" in note and "0214/406-3333" in note
    assert min_module_dots(image, note) >= 3.9
    image_back, _ = parse_job(job_bytes(image, 384))
    assert image_back.size == image.size


def test_a_job_cut_short_is_not_a_valid_job(config, store):
    _, paper = issue_paper(config, store, "de")
    data = job_bytes(render(paper), 576)
    parse_job(data)
    with pytest.raises(NotAJob):
        parse_job(data[: len(data) // 2])
    with pytest.raises(NotAJob):
        parse_job(data[:-4] + b"hello" + data[-4:])


def test_missing_font_names_the_package(config, store, tmp_path):
    _, paper = issue_paper(config, store, "de")
    with pytest.raises(FontMissing, match="fonts-dejavu-core"):
        render(paper, font_dirs=(tmp_path,))


# ---- connections ------------------------------------------------------------------------------


def test_network_printer_gets_the_job_and_answers_status(config, store):
    _, paper = issue_paper(config, store, "fa")
    received, server = _fake_printer(paper_status=0x12)
    printer = Printer(kind="network", address=f"127.0.0.1:{server.getsockname()[1]}")
    print_ticket(printer, paper)
    server.close()
    data = received.wait_bytes()
    # Status queries (DLE EOT n) come before the job; the job itself is whole.
    job = data[data.index(b"\x1b@") :]
    image, _ = parse_job(job)
    assert decoded_qr(image) == [paper.notes[0]]


def test_network_printer_out_of_paper_fails_without_sending(config, store):
    _, paper = issue_paper(config, store, "uk")
    received, server = _fake_printer(paper_status=0x72)
    printer = Printer(kind="network", address=f"127.0.0.1:{server.getsockname()[1]}")
    with pytest.raises(PrinterError, match="out of paper"):
        print_ticket(printer, paper)
    server.close()
    assert b"\x1b@" not in received.wait_bytes()


def test_an_answer_that_is_no_printer_status_is_not_taken_for_out_of_paper(config, store):
    # Regression: any byte with the paper-end bits set was read as "out of paper", so
    # something answering with text (not a printer's status byte) blocked every print.
    _, paper = issue_paper(config, store, "de")
    received, server = _fake_printer(paper_status=b"\xff")
    printer = Printer(kind="network", address=f"127.0.0.1:{server.getsockname()[1]}")
    print_ticket(printer, paper)
    server.close()
    data = received.wait_bytes()
    assert decoded_qr(parse_job(data[data.index(b"\x1b@") :])[0]) == [paper.notes[0]]


def test_status_report_of_a_network_printer():
    received, server = _fake_printer(paper_status=0x12)
    printer = Printer(kind="network", address=f"127.0.0.1:{server.getsockname()[1]}")
    assert printer_status(printer) == "connected; online; paper ok"
    server.close()
    received.wait_bytes()


@pytest.mark.parametrize(
    "printer",
    [
        Printer(kind="network", address="127.0.0.1:8799"),  # nothing listens there
        Printer(kind="serial", address="/dev/ttyUSB-h18-none"),
        Printer(kind="usb", address="04b8:0e15"),
        Printer(kind="file", path="/nonexistent-h18/printed.bin"),
    ],
    ids=["network", "serial", "usb", "file"],
)
def test_a_missing_printer_is_one_line_error(printer):
    with pytest.raises(PrinterError) as caught:
        send(printer, b"\x1b@", timeout=1.0)
    assert "\n" not in str(caught.value) and str(caught.value)


class _Received:
    def __init__(self) -> None:
        self.data = bytearray()
        self.done = threading.Event()

    def wait_bytes(self) -> bytes:
        assert self.done.wait(10)
        return bytes(self.data)


def _fake_printer(paper_status: int | bytes):
    """A one-connection ESC/POS printer on loopback (port in h18's range) answering DLE EOT
    (`paper_status`: the byte for DLE EOT 4, or raw bytes to answer every query with)."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for port in range(8700, 8790):
        try:
            server.bind(("127.0.0.1", port))
            break
        except OSError:
            continue
    server.listen(1)
    received = _Received()

    def serve() -> None:
        try:
            connection, _ = server.accept()
        except OSError:
            received.done.set()
            return
        with connection:
            connection.settimeout(5)
            while True:
                try:
                    chunk = connection.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                received.data += chunk
                if isinstance(paper_status, bytes) and chunk.endswith((b"\x04\x04", b"\x04\x01")):
                    connection.sendall(paper_status)
                elif chunk.endswith(b"\x10\x04\x04"):
                    connection.sendall(bytes([paper_status]))
                elif chunk.endswith(b"\x10\x04\x01"):
                    connection.sendall(b"\x16")  # online
        received.done.set()

    threading.Thread(target=serve, daemon=True).start()
    return received, server


# ---- the queue ----------------------------------------------------------------------------------


def _printer(tmp_path: Path) -> Printer:
    return Printer(kind="file", path=str(tmp_path / "printed.bin"))


def test_submit_returns_at_once_while_the_printer_is_slow(config, store, tmp_path):
    release = threading.Event()
    started = threading.Event()
    sent: list[bytes] = []

    def slow(printer, data):
        started.set()
        release.wait(10)
        sent.append(data)

    service = PrintService(_printer(tmp_path), sender=slow)
    _, paper = issue_paper(config, store, "de")
    job = service.submit("A-001", paper)
    assert started.wait(10)
    # The printer is busy with the job: the caller got the job back and can issue more.
    assert not job.finished.is_set()
    for _ in range(3):
        store.issue("kim", "ar")
    release.set()
    assert job.finished.wait(10)
    assert job.problem is None and len(sent) == 1
    assert len(store.snapshot().tickets) == 4
    service.close()


def test_a_job_that_waited_too_long_is_dropped_not_printed_for_the_next_visitor(
    config, store, tmp_path
):
    release = threading.Event()
    started = threading.Event()
    sent: list[str] = []

    def stuck_then_fine(printer, data):
        started.set()
        release.wait(10)
        sent.append("job")

    seconds = [0.0]
    service = PrintService(
        _printer(tmp_path), sender=stuck_then_fine, max_wait=20, monotonic=lambda: seconds[0]
    )
    _, first = issue_paper(config, store, "de")
    _, second = issue_paper(config, store, "uk")
    job1 = service.submit("A-001", first)
    assert started.wait(10)
    job2 = service.submit("A-002", second)
    seconds[0] = 21.0  # the printer hung for longer than the next visitor waits
    release.set()
    assert job1.finished.wait(10) and job2.finished.wait(10)
    assert job1.problem is None
    assert job2.problem and "waited" in job2.problem
    assert sent == ["job"]  # the second ticket never came out of the printer
    service.close()


def test_failure_mid_job_is_reported_once_never_retried_and_warns_until_a_success(
    config, store, tmp_path
):
    data_dir = tmp_path / "state"
    data_dir.mkdir()
    out = tmp_path / "printed.bin"
    calls: list[int] = []
    fail = [True]

    def flaky(printer, data):
        calls.append(len(data))
        if fail[0]:
            out.open("ab").write(data[:100])  # half a job reached the device, then it broke
            raise OSError("device unplugged")
        send(printer, data)

    outcomes: list[tuple[str, str | None]] = []
    service = PrintService(_printer(tmp_path), data_dir=data_dir, sender=flaky)
    _, paper = issue_paper(config, store, "ar")
    job = service.submit("A-001", paper, lambda j, problem: outcomes.append((j.number, problem)))
    assert job.finished.wait(10)
    assert outcomes == [("A-001", "device unplugged")]
    assert service.problem == "device unplugged"
    state = read_state(data_dir)
    assert state is not None and not state.ok and state.problem == "device unplugged"

    # Later jobs still fail while the printer is broken; the warning stays.
    job = service.submit("A-002", issue_paper(config, store, "fa")[1])
    assert job.finished.wait(10) and read_state(data_dir).ok is False

    fail[0] = False
    _, paper3 = issue_paper(config, store, "de")
    job = service.submit("A-003", paper3)
    assert job.finished.wait(10) and job.problem is None
    assert read_state(data_dir).ok and service.problem is None
    assert len(calls) == 3  # each job sent once: nothing was printed again later
    assert len(store.snapshot().tickets) == 3
    service.close()


def test_close_drops_waiting_jobs(config, store, tmp_path):
    release = threading.Event()
    started = threading.Event()

    def slow(printer, data):
        started.set()
        release.wait(10)

    service = PrintService(_printer(tmp_path), sender=slow)
    _, paper = issue_paper(config, store, "de")
    service.submit("A-001", paper)
    assert started.wait(10)
    waiting = service.submit("A-002", paper)
    release.set()
    service.close()
    assert waiting.finished.is_set() and waiting.problem
