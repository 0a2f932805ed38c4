"""Files a wheel carries that the repository does not hold inside its packages: the example
configurations (config/) and the front-end libraries from npm (node_modules/, never committed).
setup.py copies them into ``layso/_bundled/`` when it builds a wheel, so an installed server
finds everything inside its own package; in a checkout (``python server.py``, an editable
install) they are read where they are. This module imports nothing of the project: setup.py
loads it on its own."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "_bundled"
CHECKOUT = PACKAGE.parent  # the repository, when running from a checkout

# name in the bundle → where it is in a checkout
CONFIG_FILES = {"demo.toml": "config/demo.toml", "center.example.toml": "config/center.example.toml"}
# Front-end libraries from the npm registry (package.json), served on the LAN at /vendor/<name>: no CDN.
VENDOR_FILES = {
    "socket.io.min.js": "node_modules/socket.io-client/dist/socket.io.min.js",
    "chart.umd.min.js": "node_modules/chart.js/dist/chart.umd.min.js",
    "jsQR.js": "node_modules/jsqr/dist/jsQR.js",  # the kiosk camera's QR decoder (kiosk/static/kiosk/camera.js)
}
KINDS = {"config": CONFIG_FILES, "vendor": VENDOR_FILES}


def bundled_file(kind: str, name: str) -> Path:
    """Where ``name`` of ``kind`` (config or vendor) is: inside the installed package, else
    in the checkout. Raises KeyError for a name that is not bundled."""
    source = KINDS[kind][name]
    inside = BUNDLED / kind / name
    return inside if inside.exists() else CHECKOUT / source
