"""The start page: where each device of the center opens its screen."""

from flask import Blueprint, render_template

from layso.store.center import get_setting
from layso.web import i18n
from layso.web.context import db, settings

bp = Blueprint("home", __name__)
i18n.register({
    "Chọn màn hình của thiết bị này.": "Choose this device's screen.",
    "Kiosk lấy số": "Ticket kiosk",
    "Công dân chọn dịch vụ và nhận số thứ tự": "Citizens choose a service and take a number",
    "Màn hình sảnh": "Hall display",
    "Hiển thị và đọc số đang được mời": "Shows and speaks the numbers called",
    "Cán bộ gọi số và phục vụ công dân": "Officers call and serve citizens",
    "Bảng điều hành": "Dashboard",
    "Lãnh đạo theo dõi trực tiếp, báo cáo": "Managers: live view and reports",
    "Quản trị": "Administration",
    "Dịch vụ, quầy, cán bộ, thiết bị": "Services, counters, officers, devices",
    "Công khai kết quả": "Public results",
    "Kết quả phục vụ và mức độ hài lòng trong tháng": "This month's service and satisfaction figures",
    "Máy tính bảng đánh giá:": "Rating tablets:",
    "Màn hình quầy:": "Counter displays:",
    "Quầy": "Counter",
    "Kiosk:": "Kiosks:",
    "kiosk không có máy in": "kiosk without a printer",
})
i18n.register({"Quầy phục vụ": "Counter console"}, blueprint=bp.name)  # the console's name; elsewhere a counter


@bp.get("/")
def index():
    counters = [row["number"] for row in db().query("SELECT number FROM counters WHERE active = 1 ORDER BY number")]
    # The kiosks the center configured (with their printers); the main link opens the first.
    kiosks = [{"id": str(kiosk["id"]), "name": kiosk.get("name") or str(kiosk["id"])} for kiosk in settings().kiosks]
    return render_template("home.html", center=get_setting(db(), "center_name"), counters=counters, kiosks=kiosks)
