"""Printer connections (máy in phiếu) from config, and sending one job to a printer.

Kinds: ``network`` (raw TCP, usually port 9100), ``usb`` (vendor/product id),
``serial`` (device and baud rate), ``file`` (a device path such as /dev/usb/lp0)
and ``agent`` (the kiosk PC's print agent drives the printer; the server never
opens it). Failures come out as :class:`PrinterError` with a code and a
Vietnamese message for the kiosk and the managers.
"""

import math
import socket
from dataclasses import dataclass
from pathlib import Path

from escpos import printer as escpos_printer
from escpos.capabilities import CAPABILITIES
from escpos.constants import RT_MASK_LOWPAPER, RT_MASK_NOPAPER, RT_STATUS_PAPER
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError

from layso.printing.render import WIDTH_58MM, WIDTH_80MM

KINDS = ("network", "usb", "serial", "file", "agent")
PAPER_WIDTHS = {80: WIDTH_80MM, 58: WIDTH_58MM}  # paper mm → printable dots
# python-escpos profiles used unless config names the printer's own: both have a cutter.
DEFAULT_PROFILES = {80: "TM-T20II", 58: "RP-F10-58mm"}
STATUS_WAIT_S = 0.5  # a LAN printer answers DLE EOT in milliseconds, or never
# A small send buffer: when a printer stops reading, the write stalls and times out
# instead of the whole ticket vanishing into our buffer and counting as printed.
SEND_BUFFER = 8192

# error code → message shown on the kiosk and the dashboard (wire contract: the codes)
MESSAGES = {
    "printer_offline": "Không kết nối được máy in. Vui lòng kiểm tra nguồn và dây cáp của máy in.",
    "printer_timeout": "Máy in không phản hồi. Vui lòng kiểm tra máy in.",
    "printer_disconnected": "Mất kết nối với máy in khi đang in phiếu.",
    "paper_out": "Máy in hết giấy. Vui lòng thay cuộn giấy mới.",
    "printer_error": "Máy in gặp lỗi, chưa in được phiếu.",
}


class PrinterError(Exception):
    """A job did not print; ``code`` is a key of MESSAGES."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.message = MESSAGES[code]


@dataclass(frozen=True)
class PrinterConfig:
    """Where a kiosk's printer is and how to reach it."""

    kind: str  # one of KINDS
    host: str | None = None  # network
    port: int = 9100  # network
    vendor_id: int | None = None  # usb
    product_id: int | None = None  # usb
    device: str | None = None  # serial and file: /dev/ttyS0, /dev/usb/lp0
    baudrate: int = 9600  # serial
    paper_mm: int = 80  # 80 or 58
    timeout_s: float = 5.0  # connect, write and (usb) transfer limit
    check_every_s: float = 60.0  # while idle, asked this often whether it still works (0: never)
    profile: str | None = None  # python-escpos profile; default by paper width

    @property
    def width_px(self) -> int:
        """Printable width in dots: 576 for 80 mm paper, 384 for 58 mm."""
        return PAPER_WIDTHS[self.paper_mm]

    @property
    def escpos_profile(self) -> str:
        """The python-escpos profile that frames jobs for this printer."""
        return self.profile or DEFAULT_PROFILES[self.paper_mm]


_REQUIRED = {"network": ("host",), "usb": ("vendor_id", "product_id"), "serial": ("device",),
             "file": ("device",), "agent": ()}


def parse_printer(raw: dict) -> PrinterConfig:
    """A PrinterConfig from a config table such as ``{"kind": "network", "host": "10.0.0.5"}``.

    USB ids may be integers or hex strings ("0x04b8"). Raises ValueError naming the
    key that is unknown, missing or wrong.
    """
    known = set(PrinterConfig.__dataclass_fields__)
    for key in raw:
        if key not in known:
            raise ValueError(f"printer: unknown key {key!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ValueError(f"printer.kind: {kind!r} is not one of {', '.join(KINDS)}")
    for key in _REQUIRED[kind]:
        if raw.get(key) in (None, ""):
            raise ValueError(f"printer.{key}: required for a {kind} printer")
    values = dict(raw)
    for key in ("vendor_id", "product_id"):
        if key in values:
            values[key] = _number(key, values[key], base=16)
    for key in ("port", "baudrate", "paper_mm"):
        if key in values:
            values[key] = _number(key, values[key], base=10)
    if "timeout_s" in values:
        values["timeout_s"] = _seconds("timeout_s", values["timeout_s"])
    if "check_every_s" in values:
        values["check_every_s"] = _seconds("check_every_s", values["check_every_s"], zero_allowed=True)
    if values.get("paper_mm", 80) not in PAPER_WIDTHS:
        raise ValueError(f"printer.paper_mm: {values['paper_mm']!r} is not 80 or 58")
    config = PrinterConfig(**values)
    if config.profile is not None:
        if config.profile not in CAPABILITIES["profiles"]:
            raise ValueError(f"printer.profile: unknown python-escpos profile {config.profile!r}")
        dots = CAPABILITIES["profiles"][config.profile]["media"]["width"].get("pixels")
        if isinstance(dots, int) and dots < config.width_px:
            raise ValueError(f"printer.profile: {config.profile} prints {dots} dots, "
                             f"narrower than {config.paper_mm} mm paper ({config.width_px})")
    return config


def _number(key: str, value, *, base: int) -> int:
    try:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError
        number = int(value, base) if isinstance(value, str) else value  # int() takes "0x04b8"
        if number < 0:
            raise ValueError
    except ValueError:
        raise ValueError(f"printer.{key}: {value!r} is not a valid number") from None
    return number


def _seconds(key: str, value, *, zero_allowed: bool = False) -> float:
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0
            or (value == 0 and not zero_allowed)):
        raise ValueError(f"printer.{key}: {value!r} is not a {'' if zero_allowed else 'positive '}number of seconds")
    return float(value)


def open_printer(config: PrinterConfig) -> Escpos:
    """A connected python-escpos printer for ``config``.

    Raises PrinterError("printer_offline") when it cannot be reached, ValueError for
    an ``agent`` printer (the print agent owns it).
    """
    profile = config.escpos_profile
    if config.kind == "network":
        printer = escpos_printer.Network(config.host, config.port, config.timeout_s, profile=profile)
    elif config.kind == "usb":
        timeout_ms = int(config.timeout_s * 1000)  # pyusb counts milliseconds
        printer = escpos_printer.Usb(config.vendor_id, config.product_id, timeout=timeout_ms, profile=profile)
    elif config.kind == "serial":
        printer = escpos_printer.Serial(
            config.device, config.baudrate, timeout=config.timeout_s, profile=profile
        )
    elif config.kind == "file":
        if _device_gone(config.device):
            raise PrinterError("printer_offline", f"{config.device}: no such device (unplugged or switched off?)")
        printer = escpos_printer.File(config.device, profile=profile)
    else:
        raise ValueError(f"a {config.kind} printer is driven by the print agent, not the server")
    try:
        printer.open()
    except DeviceNotFoundError as error:
        raise PrinterError("printer_offline", str(error)) from error
    if config.kind == "network":
        # Without it the status query after the job waits for a delayed ACK (~40 ms).
        printer.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        printer.device.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
    return printer


def send_job(config: PrinterConfig, data: bytes, *, ask_status: bool = True) -> bool | None:
    """Send one job's bytes to the printer and close the connection.

    A network printer is first asked for its paper status (DLE EOT 4): paper out
    fails the job before anything prints; no answer within STATUS_WAIT_S counts as
    unknown and the job goes ahead. A printer that answered is asked again after
    the job, which catches a connection dropped mid-job and paper running out.
    Returns the paper sensor's latest answer, "ok" or "low"; "silent" when the printer
    was asked and did not answer, None when not asked. Raises PrinterError.
    """
    printer = open_printer(config)
    try:
        paper = None
        if config.kind == "network" and ask_status:
            paper = _check_paper(printer, config) or "silent"
        # python-escpos has no public raw write; _raw is the one method every
        # connection class implements, and the job is already ESC/POS.
        printer._raw(data)
        if paper in ("ok", "low"):
            paper = _check_paper(printer, config) or paper
        return paper
    except TimeoutError as error:  # socket.timeout is TimeoutError
        raise PrinterError("printer_timeout", str(error)) from error
    except ConnectionError as error:  # reset, broken pipe, refused
        raise PrinterError("printer_disconnected", str(error)) from error
    except OSError as error:  # usb.core.USBError and serial errors are OSErrors
        raise PrinterError("printer_error", str(error)) from error
    finally:
        printer.close()


def probe(config: PrinterConfig, *, silence_ok: bool = False) -> str | None:
    """Check a printer works: it opens and, on a network, answers the status query with
    paper present. Returns the paper sensor's answer ("ok", "low"; None without one).
    Raises PrinterError otherwise.

    ``silence_ok``: a network printer that does not answer passes (some never do; the
    idle check must not call one out of order for that). A printer that failed is
    only called back when it answers.
    """
    printer = open_printer(config)
    try:
        paper = _check_paper(printer, config) if config.kind == "network" else None
        if paper is None and config.kind == "network" and not silence_ok:
            raise PrinterError("printer_timeout", "no answer to the status query")
        return paper
    except TimeoutError as error:
        raise PrinterError("printer_timeout", str(error)) from error
    except OSError as error:
        raise PrinterError("printer_disconnected", str(error)) from error
    finally:
        printer.close()


def worth_checking_idle(config: PrinterConfig) -> bool:
    """Whether an idle check tells anything. A ``file`` printer only when it names a
    device (/dev/…, there or unplugged): opening a plain file standing in for a printer
    (the demo's) would empty it, and opening a missing plain path would create one."""
    return config.kind != "file" or config.device.startswith("/dev/") or Path(config.device).is_char_device()


def _device_gone(device: str) -> bool:
    """A /dev path that is no character device: the printer is unplugged or off (its node
    goes with it). Opening it to write would make a plain file there that swallows every
    ticket and then stands in the way of the device coming back."""
    return device.startswith("/dev/") and not Path(device).is_char_device()


def _check_paper(printer: Escpos, config: PrinterConfig) -> str | None:
    """"ok" or "low" from the paper sensor, None without an answer; paper out raises."""
    printer.device.settimeout(min(STATUS_WAIT_S, config.timeout_s))
    try:
        reply = printer.query_status(RT_STATUS_PAPER)
    except TimeoutError:
        return None
    finally:
        printer.device.settimeout(config.timeout_s)
    if not reply:
        raise PrinterError("printer_disconnected", "the printer closed the connection")
    status = reply[-1]  # the latest answer, should an earlier one still be buffered
    if status & RT_MASK_NOPAPER == RT_MASK_NOPAPER:
        raise PrinterError("paper_out")
    return "low" if status & RT_MASK_LOWPAPER == RT_MASK_LOWPAPER else "ok"
