"""One error shape for the whole API: ``{"error": code, "message": text}`` with a fitting
4xx, in the language of the page that asked (layso.web.i18n.language: the page's own
language, sent with every request; Vietnamese unless English is asked for). Browsers
asking for a page get a friendly page instead. Bad input never becomes a 500."""

import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from layso.errors import LaysoError
from layso.web.i18n import language

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ.", "Bad request."),
    401: ("unauthorized", "Cần đăng nhập.", "Login required."),
    403: ("forbidden", "Bạn không có quyền truy cập.", "Forbidden."),
    404: ("not_found", "Không tìm thấy trang hoặc dữ liệu yêu cầu.", "Not found."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn.", "The request body is too large."),
    415: ("unsupported_media_type", "Định dạng dữ liệu không được hỗ trợ.", "Unsupported media type."),
    429: ("too_many_requests", "Quá nhiều yêu cầu. Xin vui lòng chờ.", "Too many requests."),
    500: ("internal_error", "Hệ thống gặp sự cố. Xin vui lòng thử lại.", "Internal error. Please try again."),
}


def wants_html() -> bool:
    if request.path.startswith("/api/"):
        return False
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def error_response(status: int, code: str, message: str, message_en: str, **fields):
    """The error answer; ``fields`` are what a program needs beside the words (the hub's
    ``sequence_gap`` names the ``expected`` sequence)."""
    text = message_en if language() == "en" else message
    if wants_html():
        return render_template("error.html", status=status, message=text), status
    return jsonify(fields | {"error": code, "message": text}), status


def register_error_handlers(app):
    @app.errorhandler(LaysoError)
    def layso_error(error: LaysoError):
        return error_response(error.status, error.code, error.message, error.message_en, **error.detail)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code, message, message_en = HTTP_MESSAGES.get(error.code, (error.name.lower().replace(" ", "_"), error.description, error.description))
        response = error_response(error.code, code, message, message_en)
        if error.code == 405 and error.valid_methods:
            body, status = response
            return body, status, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, *HTTP_MESSAGES[500])
