"""The LaysoError family: every refusal the core can give, with its HTTP status and a
Vietnamese message for the person at the screen (English beside it for i18n)."""


class LaysoError(Exception):
    code = "error"
    status = 400
    message = "Yêu cầu không hợp lệ."
    message_en = "Invalid request."

    def __init__(self, message: str | None = None, *, message_en: str | None = None, **detail):
        self.message = message or self.message
        if message_en:
            self.message_en = message_en
        self.detail = detail
        super().__init__(self.message)


class InvalidInput(LaysoError):
    code = "invalid_input"
    status = 400


class NotFound(LaysoError):
    code = "not_found"
    status = 404
    message = "Không tìm thấy."
    message_en = "Not found."


class UnknownService(NotFound):
    code = "unknown_service"
    message = "Không có dịch vụ này."
    message_en = "No such service."


class UnknownCounter(NotFound):
    code = "unknown_counter"
    message = "Không có quầy này."
    message_en = "No such counter."


class UnknownTicket(NotFound):
    code = "unknown_ticket"
    message = "Không tìm thấy số thứ tự này."
    message_en = "No such ticket."



class UnknownAppointment(NotFound):
    code = "unknown_appointment"
    message = "Không tìm thấy lịch hẹn này. Xin kiểm tra lại mã đặt lịch."
    message_en = "No such appointment. Please check the booking code."

class Conflict(LaysoError):
    code = "conflict"
    status = 409
    message = "Thao tác không thực hiện được ở trạng thái hiện tại."
    message_en = "Not possible in the current state."


class SequenceGap(Conflict):
    """A center's batch starts past the hub's cursor + 1: ``expected`` is the sequence the
    hub needs next (the answer carries it)."""

    code = "sequence_gap"
    message = "Dữ liệu đồng bộ bị thiếu: hãy gửi lại từ số thứ tự mà trung tâm tỉnh cần."
    message_en = "Events are missing: send again from the sequence the hub expects."


class ServiceClosed(Conflict):
    code = "service_closed"
    message = "Dịch vụ này hiện không nhận hồ sơ."
    message_en = "This service is not taking tickets now."


class SlotFull(Conflict):
    """Two citizens raced for the last place of a slot: exactly one got it."""
    code = "slot_full"
    message = "Khung giờ này vừa hết chỗ. Xin chọn khung giờ khác."
    message_en = "This time slot has just filled up. Please choose another."


class AppointmentClosed(Conflict):
    """The appointment is cancelled, checked in or past: it can no longer change."""
    code = "appointment_closed"
    message = "Lịch hẹn này không còn thay đổi được."
    message_en = "This appointment can no longer be changed."


class CheckInRefused(Conflict):
    """A check-in before its window opens or after its grace time (the message says when,
    or offers a normal number)."""
    code = "check_in_refused"
    message = "Chưa đến hoặc đã quá giờ xác nhận lịch hẹn."
    message_en = "Not within the check-in time of this appointment."


class CounterNotHeld(LaysoError):
    code = "counter_not_held"
    status = 403
    message = "Bạn không giữ quầy này."
    message_en = "You do not hold this counter."


class CounterOccupied(Conflict):
    code = "counter_occupied"
    message = "Quầy đang có cán bộ khác làm việc."
    message_en = "Another officer holds this counter."


class CounterPaused(Conflict):
    code = "counter_paused"
    message = "Quầy đang tạm dừng. Hãy tiếp tục trước khi gọi số."
    message_en = "The counter is paused. Resume it first."


class NoCurrentTicket(Conflict):
    code = "no_current_ticket"
    message = "Quầy chưa gọi số nào."
    message_en = "The counter has no current ticket."


class TicketNotWaiting(Conflict):
    code = "ticket_not_waiting"
    message = "Số này không còn trong hàng chờ."
    message_en = "This ticket is no longer waiting."


class TransferRefused(Conflict):
    """A transfer to a counter that is closed or does not serve the ticket's service; the
    officer may send it anyway with ``force: true``."""

    code = "transfer_refused"
    message = "Không chuyển được sang quầy này."
    message_en = "Cannot transfer to this counter."


class AlreadyRated(Conflict):
    code = "already_rated"
    message = "Lượt phục vụ này đã được đánh giá."
    message_en = "This service has already been rated."


class RatingNotAllowed(LaysoError):
    code = "rating_not_allowed"
    status = 403
    message = "Không thể đánh giá lượt phục vụ này từ thiết bị này."
    message_en = "This device cannot rate this service."


class Unauthorized(LaysoError):
    code = "unauthorized"
    status = 401
    message = "Cần đăng nhập."
    message_en = "Login required."


class Forbidden(LaysoError):
    code = "forbidden"
    status = 403
    message = "Bạn không có quyền thực hiện thao tác này."
    message_en = "You are not allowed to do this."


class TooManyRequests(LaysoError):
    code = "too_many_requests"
    status = 429
    message = "Bạn thao tác quá nhanh. Xin vui lòng chờ một chút."
    message_en = "Too many requests. Please wait a moment."


class CodeSenderMissing(LaysoError):
    """The center asks for a one-time code by SMS before a remote number, but no message
    sender (layso.notify) is set up: nothing can be sent, so no number is given."""
    code = "sms_unavailable"
    status = 503
    message = "Chưa gửi được mã xác nhận qua tin nhắn. Xin mời bạn lấy số tại trung tâm."
    message_en = "A confirmation code cannot be sent by text message now. Please take a number at the center."


class LoginUnavailable(LaysoError):
    """The province hub's Redis, which holds the failed-login counts all its workers share,
    does not answer: no password is checked, as a throttle that cannot count would let
    guessing through. Accounts already logged in carry on (their tokens are in PostgreSQL)."""
    code = "login_unavailable"
    status = 503
    message = "Tạm thời chưa đăng nhập được do máy chủ đang gặp sự cố. Xin thử lại sau ít phút."
    message_en = "Logging in is not possible right now because of a server problem. Please try again in a few minutes."


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"
    message = "Bạn cần đổi mật khẩu trước khi tiếp tục."
    message_en = "Change your password first."


class RestoreFailed(LaysoError):
    """The server could not copy a checked backup in (a full disk): the copy is one
    transaction, rolled back, so the center's data is as it was."""
    code = "restore_failed"
    status = 500
    message = "Không phục hồi được bản sao lưu (lỗi ghi đĩa). Dữ liệu hiện tại được giữ nguyên."
    message_en = "The backup could not be restored (a disk write failed). The current data is unchanged."


class WritesStopped(LaysoError):
    """A failed fsync stopped the store (fail-stop): after one, Linux may have dropped the
    unwritten pages, so no later write can be acknowledged as safe until a restart."""
    code = "writes_stopped"
    status = 503
    message = "Hệ thống tạm ngừng ghi dữ liệu do lỗi ổ đĩa. Xin báo cán bộ trung tâm để khởi động lại máy chủ."
    message_en = "The server has stopped saving changes after a disk error. Please tell the center's staff to restart it."


class OutcomeUnknown(WritesStopped):
    """The store stopped between this request's commit and its fsync: the change may or may
    not survive, so it is neither acknowledged nor reported as failed."""
    message = ("Hệ thống tạm ngừng ghi dữ liệu do lỗi ổ đĩa; thao tác vừa rồi có thể đã được lưu hoặc chưa. "
               "Xin báo cán bộ trung tâm để khởi động lại máy chủ, rồi kiểm tra lại.")
    message_en = ("The server has stopped saving changes after a disk error; your last action may or may not have "
                  "been saved. Please tell the center's staff to restart the server, then check.")
