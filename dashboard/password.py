"""The change-password page (/password) for every staff role. A user who must change their
password (the first one came from the config file or an admin's reset) is sent here from
any page (layso.web.auth.password_change_first) and back to that page afterwards."""

from flask import render_template, request

from layso.passwords import MIN_LENGTH, RULES
from layso.web import i18n
from layso.web.auth import PASSWORD_PAGE, current_principal, local_path

from dashboard import bp

HOME_OF_ROLE = {"officer": "/counter", "manager": "/dashboard", "admin": "/admin"}

i18n.register({
    "Đổi mật khẩu": "Change password",
    "Mật khẩu hiện tại là mật khẩu tạm. Hãy đặt mật khẩu của riêng bạn trước khi tiếp tục.":
        "Your current password is temporary. Choose your own before you go on.",
    "Mật khẩu hiện tại": "Current password",
    "Mật khẩu mới": "New password",
    "Nhập lại mật khẩu mới": "New password again",
    "Hai lần nhập mật khẩu mới không giống nhau.": "The two new passwords differ.",
    "Đăng xuất": "Log out",
    "Đăng nhập": "Log in",
    "Tên đăng nhập": "Username",
    "Mật khẩu": "Password",
    RULES[0]: f"At least {MIN_LENGTH} characters; a sentence you remember is best.",
    RULES[1]: "Not a common password (123456…, password…), not even with digits or symbols added.",
    RULES[2]: "Not containing your username or the center's name.",
})


@bp.get(PASSWORD_PAGE)
def password_page():
    principal = current_principal()
    if principal is None or principal.kind != "user":
        return render_template("dashboard/login.html", next_page=PASSWORD_PAGE)
    back = local_path(request.args.get("next"))
    if back is None or back.split("?")[0] == PASSWORD_PAGE:
        back = HOME_OF_ROLE.get(principal.role, "/")
    return render_template("dashboard/password.html", user=principal, next_page=back,
                           required=principal.must_change_password, min_length=MIN_LENGTH, rules=RULES)
