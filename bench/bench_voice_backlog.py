"""Voice backlog bench (issue 15 item 10): 8 calls within 10 s are all spoken within 30 s of the first.

Run: python bench/bench_voice_backlog.py [--calls 8] [--within-s 10] [--shorten-after 2]
Against server.py --demo (gevent) in a subprocess, with the speaking hall screen (/display/hall)
in headless Chromium playing every announcement to its end (chime, then the WAV). Officers at
four counters call the next number at even steps over ``--within-s``; the page's own log says
when each announcement starts and ends. Prints each call's delay and exits 1 when the last call
ends more than ``--limit-s`` after the first call was made. ``--shorten-after 100`` shows the
old behaviour (every call in full).
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.helpers import CHROMIUM_ARGS, LiveServer  # noqa: E402

COUNTERS = (1, 2, 3, 4)
SERVICE_OF = {1: "HT", 2: "HT", 3: "LLTP", 4: "GCN"}


def config_with_voice(folder: Path, shorten_after: int) -> Path:
    demo = (ROOT / "config" / "demo.toml").read_text(encoding="utf-8")
    demo = re.sub(r"(\[voice\]\n)", rf"\1shorten_after = {shorten_after}\n", demo, count=1)
    path = folder / "center.toml"
    path.write_text(demo, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=8)
    parser.add_argument("--within-s", type=float, default=10.0)
    parser.add_argument("--limit-s", type=float, default=30.0)
    parser.add_argument("--shorten-after", type=int, default=2)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder), config=config_with_voice(Path(folder), options.shorten_after)).start()
        try:
            officers = {number: server.login(f"canbo{number}") for number in COUNTERS}
            for number, headers in officers.items():
                server.post(f"/api/v1/counters/{number}/open", headers=headers).raise_for_status()
            for index in range(options.calls):
                server.post("/api/v1/tickets", {"service": SERVICE_OF[COUNTERS[index % len(COUNTERS)]]}).raise_for_status()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(server.url + "/display/hall")
                page.wait_for_function("() => document.body.dataset.connected === 'yes'")
                made = {}  # number → seconds after the first call
                ended = {}
                started = {}

                def look() -> None:  # the page's log, read every 0.1 s at most
                    for entry in page.evaluate("window.__speechLog"):
                        how, number = entry.split(" ", 1)
                        if how == "start" and number not in started:
                            started[number] = time.monotonic() - start
                        elif how != "start" and number not in ended:
                            ended[number] = (how, time.monotonic() - start)

                step = options.within_s / max(1, options.calls - 1)
                start = time.monotonic()
                for index in range(options.calls):
                    while time.monotonic() < start + index * step:
                        look()
                        time.sleep(0.05)
                    counter = COUNTERS[index % len(COUNTERS)]
                    response = server.post(f"/api/v1/counters/{counter}/call-next", headers=officers[counter])
                    response.raise_for_status()
                    made[response.json()["ticket"]["number"]] = time.monotonic() - start
                deadline = start + options.limit_s + 60
                while len(ended) < len(made) and time.monotonic() < deadline:
                    look()
                    time.sleep(0.05)
                played = page.evaluate("window.__played")
                browser.close()
        finally:
            server.stop()

    print(f"{options.calls} calls within {options.within_s:g} s, shorten_after = {options.shorten_after}")
    print(f"{'number':>7} {'called at':>10} {'heard from':>11} {'spoken by':>10} {'how':>8}")
    for number, at in made.items():
        how, end = ended.get(number, ("never", float("nan")))
        print(f"{number:>7} {at:>9.1f}s {started.get(number, float('nan')):>10.1f}s {end:>9.1f}s {how:>8}")
    last = max((end for _, end in ended.values()), default=float("inf"))
    in_order = played == list(made)
    ok = len(ended) == len(made) and in_order and last <= options.limit_s
    print(f"all spoken: {len(ended) == len(made)}, in call order: {in_order}, "
          f"last ends {last:.1f} s after the first call (limit {options.limit_s:g} s): {'OK' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
