"""The display pages' words: Vietnamese source text → English (i18n.register), and the
strings the page scripts need (passed to them as window.LAYSO_I18N)."""

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

ENGLISH = {
    "Màn hình gọi số": "Calling display",
    "Mời công dân có số": "Now calling number",
    "Chưa gọi số nào": "No number called yet",
    "đến quầy": "to counter",
    "Quầy": "Counter",
    "Số vừa gọi": "Recent calls",
    "Số người đang chờ": "People waiting",
    "Tạm dừng": "Paused",
    "Tạm dừng phục vụ": "Not serving at the moment",
    "Đóng": "Closed",
    "Sẵn sàng": "Ready",
    "Chạm để bật âm thanh": "Tap to turn the sound on",
    "Cán bộ": "Officer",
    "Thứ Hai": "Monday",
    "Thứ Ba": "Tuesday",
    "Thứ Tư": "Wednesday",
    "Thứ Năm": "Thursday",
    "Thứ Sáu": "Friday",
    "Thứ Bảy": "Saturday",
    "Chủ Nhật": "Sunday",
}

# What display.js and counter.js show; each goes through _() into the page.
SCRIPT_TEXTS = ("Quầy", "Tạm dừng", "Tạm dừng phục vụ", "Đóng", "Sẵn sàng", "Đang phục vụ", "Cán bộ", "Chạm để bật âm thanh", *WEEKDAYS)

# The hall's own reading of words other screens read differently (i18n.register with the blueprint).
OWN_READINGS = {"Đang phục vụ": "Now serving"}
