"""The kiosk's and the status page's words in English, keyed by the Vietnamese text that
the templates (``_()``, ``plural()``) and scripts (``Layso.t()``, ``Layso.plural()``) use.
Vietnamese is the source; a text with a count has one English form per plural category."""

CATALOG = {
    # kiosk page
    "Lấy số thứ tự": "Take a number",
    "Mời chọn lĩnh vực": "Choose a field",
    "Mời chọn dịch vụ": "Choose a service",
    "Chọn đối tượng ưu tiên": "Choose your priority group",
    "Ưu tiên": "Priority",
    "Tôi thuộc đối tượng ưu tiên": "I have priority",
    "Người cao tuổi, người khuyết tật, phụ nữ mang thai…": "Elderly, disabled, pregnant…",
    "Đã chọn ưu tiên:": "Priority chosen:",
    "Bỏ chọn": "Cancel",
    "Quay lại": "Back",
    "Tôi đã đặt lịch": "I have an appointment",
    "Xác nhận có mặt bằng mã đặt lịch hoặc mã QR": "Check in with your booking code or QR code",
    "Xác nhận lịch hẹn": "Check in for your appointment",
    "Gõ mã đặt lịch, hoặc đưa mã QR vào máy quét": "Type your booking code, or hold its QR code to the scanner",
    "Mã đặt lịch có trên trang lịch hẹn trong điện thoại của bạn.": "The booking code is on your booking's page on your phone.",
    "Xác nhận có mặt": "Check in",
    "Lấy số thứ tự thường": "Take a normal number",
    "Tiếng Việt": "Tiếng Việt",
    "English": "English",
    "{n} dịch vụ": {"one": "{n} service", "other": "{n} services"},
    "{n} người đang chờ": {"one": "{n} person waiting", "other": "{n} people waiting"},
    "Đang chờ: {n} người": {"one": "Waiting: {n} person", "other": "Waiting: {n} people"},
    "Chờ": "Wait",
    "Tạm ngừng:": "Closed:",
    "Tạm ngừng": "Closed",
    "Số thứ tự của bạn": "Your number",
    "Trước bạn còn {n} người": {"one": "{n} person ahead of you", "other": "{n} people ahead of you"},
    "Thời gian chờ dự kiến:": "Estimated wait:",
    "Đang in phiếu…": "Printing your ticket…",
    "Mời bạn nhận phiếu ở khe bên dưới.": "Please take your ticket from the slot below.",
    "Xin vui lòng chụp ảnh số thứ tự của bạn": "Please take a photo of your number",
    "Quét mã QR để theo dõi lượt của bạn trên điện thoại.": "Scan the QR code to follow your turn on your phone.",
    "Xong": "Done",
    "Tự động quay lại sau {n} giây": {"one": "Back to the start in {n} second", "other": "Back to the start in {n} seconds"},
    "Máy in tạm thời không hoạt động. Số thứ tự sẽ hiện trên màn hình để bạn chụp ảnh.":
        "The printer is out of order. Your number will be shown on screen for you to photograph.",
    "Không lấy được số": "Could not take a number",
    "Đang lấy số…": "Taking a number…",
    "Kiosk này không có máy in: số thứ tự của bạn sẽ hiện trên màn hình để bạn chụp ảnh.":
        "This kiosk has no printer: your number will be shown on screen for you to photograph.",
    "Mất kết nối với máy chủ. Xin thử lại.": "Lost the connection to the server. Please try again.",
    # status page
    "Theo dõi số thứ tự": "Follow your number",
    "Dịch vụ": "Service",
    "Trạng thái": "Status",
    "Số người đang chờ trước bạn": "People ahead of you",
    "Quầy": "Counter",
    "Đang chờ đến lượt": "Waiting for your turn",
    "Mời bạn đến quầy số {n}": "Please go to counter {n}",
    "Đang tạm giữ, xin vui lòng chờ được gọi lại": "On hold, please wait to be called again",
    "Đã phục vụ xong. Cảm ơn bạn!": "Served. Thank you!",
    "Đã qua lượt (vắng mặt)": "Missed (not present when called)",
    "Số đã hết hạn": "This number has expired",
    "Số đã bị hủy": "This number was cancelled",
    "Bạn không có mặt khi được gọi nên số này đã qua lượt. Xin mời bạn đến bàn hướng dẫn (lễ tân) để được giúp, "
    "hoặc lấy số mới tại máy lấy số.":
        "You were not here when your number was called, so it has been passed. Please go to the reception desk "
        "for help, or take a new number at the ticket kiosk.",
    "Số này chỉ dùng trong ngày đã lấy. Xin mời bạn lấy số mới tại máy lấy số.":
        "A number is only valid on the day it was taken. Please take a new number at the ticket kiosk.",
    "Nếu bạn vẫn cần được phục vụ, xin mời đến bàn hướng dẫn (lễ tân) hoặc lấy số mới tại máy lấy số.":
        "If you still need to be served, please go to the reception desk or take a new number at the ticket kiosk.",
    "Trang tự cập nhật, không cần tải lại.": "This page updates itself; no need to reload.",
    "Bạn đang nhận tin nhắn về lượt của mình.": "You get text messages about your turn.",
    "Không nhận tin nhắn nữa": "No more messages",
    "Tra cứu hồ sơ": "Dossier status",
    "Quét mã trên giấy hẹn, hoặc nhập mã hồ sơ": "Scan the code on your receipt, or type the dossier code",
    "Tra cứu": "Look up",
    "Mã hồ sơ": "Dossier code",
    "Ngày tiếp nhận": "Received on",
    "Ngày hẹn trả": "Due on",
    "Cập nhật lúc": "Updated at",
    "Đã dừng gửi tin nhắn cho số này.": "No more messages will be sent for this number.",
    "Không tìm thấy số thứ tự này.": "No such ticket.",
    "Liên kết không đúng hoặc số đã quá cũ. Xin vui lòng hỏi cán bộ tại trung tâm.":
        "The link is wrong or the number is too old. Please ask staff at the center.",
    # the phone page (/lay-so) and a remote number's status page
    "Lấy số từ xa": "Take a number remotely",
    "Lấy số thứ tự trên điện thoại, rồi theo dõi lượt của bạn và đến trung tâm khi gần đến lượt.":
        "Take a number on your phone, follow your turn, and come to the center when it is near.",
    "Chọn dịch vụ": "Choose a service",
    "Số điện thoại di động": "Mobile phone number",
    "Tôi đồng ý để trung tâm dùng số điện thoại này để liên hệ với tôi về lượt phục vụ này, và chỉ cho việc đó.":
        "I agree that the center may use this phone number to contact me about this visit, and for nothing else.",
    "Mã xác nhận đã gửi qua tin nhắn": "The confirmation code sent to you by text message",
    "Lấy số": "Take a number",
    "Xác nhận": "Confirm",
    "Xin chọn một dịch vụ.": "Please choose a service.",
    "Chỉ lấy số tại trung tâm.": "Numbers at the center only.",
    "Số lấy từ xa được gọi như mọi số khác. Nếu bạn không có mặt khi được gọi, số sẽ bị qua lượt.":
        "A number taken remotely is called like any other. If you are not here when it is called, it is passed.",
    "Lấy từ xa": "Taken remotely",
    "Hãy có mặt tại trung tâm trước khi còn {n} người trước bạn.": {
        "one": "Please be at the center before only {n} person is ahead of you.",
        "other": "Please be at the center before only {n} people are ahead of you."},
    "Đã gần đến lượt: xin mời bạn đến trung tâm ngay.": "Your turn is near: please come to the center now.",
}
