"""The province hub's blueprint: the centers' sync API (/api/v1/hub), hub logins, province
reports (/api/v1/province), the live province dashboard (/province) and the public
province page (/cong-khai). The domain is layso/province; this folder parses, calls one core
function, then renders or publishes."""

from flask import Blueprint

from layso.web import i18n

from province.messages import CATALOG

i18n.register(CATALOG)
bp = Blueprint("province", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/province")

from province import admin, api, pages  # noqa: E402,F401  (routes attach to bp)
