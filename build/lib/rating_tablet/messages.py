"""The tablet's words: Vietnamese source text → English (i18n catalog, also sent to the page's script)."""

CATALOG = {
    "Đánh giá mức độ hài lòng": "Satisfaction rating",
    "Quầy": "Counter",
    "Xin kính chào quý công dân": "Welcome",
    "Quý vị có hài lòng với việc phục vụ?": "Are you satisfied with the service?",
    "Số thứ tự": "Ticket",
    "Mức độ hài lòng": "Satisfaction",
    "Xin cho biết lý do (chọn một hoặc nhiều)": "Please tell us why (choose one or more)",
    "Góp ý thêm (không bắt buộc)": "Comment (optional)",
    "Gửi đánh giá": "Send",
    "Xin cảm ơn quý vị đã đánh giá!": "Thank you for your rating!",
    "Ý kiến của quý vị giúp chúng tôi phục vụ tốt hơn.": "Your opinion helps us serve you better.",
    "Quầy chưa có cán bộ": "No officer at this counter",
    "Cán bộ tiếp nhận": "Officer",
    "Quầy tạm dừng": "Counter paused",
    "Đã ghi nhận đánh giá": "Rating already recorded",
    "Không thể ghi nhận đánh giá": "The rating could not be recorded",
    "Không tải được cấu hình đánh giá": "Could not load the rating form",
    "Máy tính bảng chưa được đăng ký": "This tablet is not registered",
    "Quản trị viên hãy mở trang này kèm mã thiết bị: /tablet/{n}?token=…":
        "An administrator should open this page with the device token: /tablet/{n}?token=…",
    "Mã thiết bị không hợp lệ. Xin báo quản trị viên.": "Invalid device token. Please tell the administrator.",
    "Mất kết nối — đang kết nối lại…": "Connection lost — reconnecting…",
    "Mất kết nối với máy chủ. Xin thử lại.": "Lost the connection to the server. Please try again.",
    # The default levels and reasons (config labels are shown as configured in Vietnamese).
    "Rất hài lòng": "Very satisfied",
    "Hài lòng": "Satisfied",
    "Bình thường": "Neutral",
    "Không hài lòng": "Not satisfied",
}
