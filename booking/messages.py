"""The booking pages' words in English, keyed by the Vietnamese the templates and the data
blocks use (layso.web.i18n); the scripts show what these give."""

CATALOG = {
    "Đặt lịch hẹn": "Book an appointment",
    "1. Chọn dịch vụ": "1. Choose a service",
    "2. Chọn ngày": "2. Choose a day",
    "3. Chọn giờ": "3. Choose a time",
    "4. Số điện thoại của bạn": "4. Your phone number",
    "Trung tâm chưa nhận đặt lịch hẹn trực tuyến.": "The center does not take bookings online yet.",
    "Số điện thoại di động": "Mobile phone number",
    "Họ và tên (không bắt buộc)": "Full name (optional)",
    ("Tôi đồng ý cung cấp số điện thoại để trung tâm giữ lịch hẹn này, xác nhận khi tôi đến và gửi tin nhắn về lịch "
     "hẹn. Số điện thoại chỉ dùng cho mục đích này và được xóa {n} ngày sau lịch hẹn."):
        ("I agree to give my phone number so the center can keep this booking, check me in when I come and text me "
         "about it. The number is used for this only and deleted {n} days after the appointment."),
    "Đặt lịch": "Book",
    "Xin đánh dấu ô đồng ý để đặt lịch.": "Please tick the consent box to book.",
    "Xin nhập số điện thoại di động.": "Please give your mobile number.",
    "Ngày này không còn chỗ. Xin chọn ngày khác.": "No places left on this day. Please choose another.",
    "còn {n} chỗ": {"one": "{n} place left", "other": "{n} places left"},
    "hết chỗ": "full",
    "{service}, {weekday} {date}, lúc {time}": "{service}, {weekday} {date}, at {time}",
    "Lịch hẹn của bạn": "Your appointment",
    "Đã đặt lịch": "Booked",
    "Đã xác nhận có mặt": "Checked in",
    "Đã hủy": "Cancelled",
    "Đã quá giờ hẹn": "Missed",
    "Dịch vụ": "Service",
    "Ngày": "Date",
    "Giờ": "Time",
    "Mã đặt lịch": "Booking code",
    "Mã QR của lịch hẹn": "The booking's QR code",
    ("Khi đến trung tâm, bấm “Tôi đã đặt lịch” trên máy lấy số rồi đưa mã QR này vào máy quét, hoặc gõ mã đặt lịch. "
     "Xác nhận từ {from} đến {until} trong ngày hẹn."):
        ("At the center, press “I have an appointment” on the ticket machine and hold this QR code to its scanner, "
         "or type the booking code. Check in from {from} to {until} on the day."),
    "Hãy giữ trang này (đánh dấu hoặc chụp màn hình): ai có mã này đều có thể hủy hoặc đổi lịch.":
        "Keep this page (bookmark it or take a screenshot): whoever has this code can cancel or move the booking.",
    "Đổi giờ hẹn": "Change the time",
    "Hủy lịch hẹn": "Cancel the booking",
    "Bạn chắc chắn muốn hủy lịch hẹn này?": "Cancel this booking?",
    "Hủy lịch": "Cancel it",
    "Không": "No",
    "Chọn ngày mới": "Choose a new day",
    "Chọn giờ mới": "Choose a new time",
    "Số thứ tự của bạn": "Your number",
    "Bạn đã không xác nhận có mặt trong giờ hẹn. Xin lấy số thứ tự tại máy lấy số, hoặc đặt lịch mới.":
        "You did not check in in time. Please take a number at the ticket machine, or book again.",
    "Đặt lịch mới": "Book again",
}
