"""The staff's ticket tools, shared by the console and the dashboard: a look-up panel (a
ticket by number or dossier code, with its day's history) and the reprint dialog. The page
part is templates/ticket_tools.html and static/ticket-tools.js; these are its English words
(the history lines and statuses are worded by layso.queue.history)."""

CATALOG = {
    "Tra cứu số thứ tự": "Ticket look-up",
    "Tra cứu số": "Look up",
    "Số thứ tự hoặc mã hồ sơ": "Ticket number or dossier code",
    "Tìm": "Find",
    "Không có số nào như vậy hôm nay.": "No such ticket today.",
    "In lại phiếu": "Reprint the ticket",
    "In lại": "Reprint",
    "In ở kiosk": "Print at kiosk",
    "máy in đang lỗi": "printer out of order",
    "Đã gửi lệnh in lại số {number} ở {kiosk}.": "Ticket {number} is being reprinted at {kiosk}.",
    "Không kiosk nào có máy in.": "No kiosk has a printer.",
    "Quay lại": "Back",
    "Quầy": "Counter",
    "Mã hồ sơ": "Dossier code",
}
