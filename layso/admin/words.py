"""The words people read in the admin for stored codes: roles (vai trò), device kinds
(loại thiết bị) and audit actions (thao tác) — never "officer", "tablet" or
"service.create" on a screen. Vietnamese here; pages translate them (dashboard/messages.py)."""

ROLE_WORDS = {"officer": "Cán bộ", "manager": "Lãnh đạo", "admin": "Quản trị viên"}
DEVICE_WORDS = {"tablet": "Máy tính bảng", "kiosk": "Kiosk", "display": "Màn hình",
                "integration": "Phần mềm một cửa (tích hợp)"}
ACTION_WORDS = {
    "field.save": "Lưu lĩnh vực",
    "service.create": "Thêm dịch vụ",
    "service.update": "Sửa dịch vụ",
    "counter.create": "Thêm quầy",
    "counter.update": "Sửa quầy",
    "officer.create": "Thêm tài khoản",
    "officer.update": "Sửa tài khoản",
    "officer.reset_password": "Đặt lại mật khẩu",
    "device.register": "Đăng ký thiết bị",
    "device.revoke": "Thu hồi thiết bị",
    "backup.create": "Sao lưu dữ liệu",
    "backup.restore": "Phục hồi dữ liệu",
    "voice_pack.record": "Ghi âm giọng đọc",
    "voice_pack.delete": "Xóa đoạn ghi âm",
    "voice_pack.import": "Nhập bộ giọng đọc",
    # setting.<key> (layso.store.center.set_setting), one per SETTING_KEYS
    "setting.center_name": "Đổi tên trung tâm",
    "setting.place": "Đổi địa danh trên báo cáo",
    "setting.hours": "Sửa giờ làm việc, ngày nghỉ",
    "setting.queue": "Sửa cách gọi số",
    "setting.priority_reasons": "Sửa đối tượng ưu tiên",
    "setting.rating": "Sửa mức đánh giá",
    "setting.voice": "Sửa giọng đọc",
    "setting.announcement": "Sửa dòng thông báo",
    "setting.hub": "Sửa liên thông tỉnh",
    "setting.notify": "Sửa cách gửi tin nhắn SMS/Zalo",
    "setting.appointments": "Sửa khung giờ đặt lịch hẹn",
    "setting.remote": "Sửa quy định lấy số từ xa",
}


def action_words(action: str) -> str:
    """An audit action in words; an action this list does not know yet is shown as stored."""
    return ACTION_WORDS.get(action, action)
