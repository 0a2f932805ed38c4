"""The passwords people choose first, refused for an account (docs/security.md).

Written as layso.passwords compares them: lower case, no diacritics. Short entries matter
too: a password made of one of them plus digits or symbols ("matkhau@2026") is refused.
The world's most common ones (the yearly "top passwords" lists of password managers and
breach studies), keyboard runs, and the words a Vietnamese office reaches for first.
"""

COMMON_PASSWORDS = frozenset("""
123456 123456789 12345678 12345 1234567 1234567890 0123456789 0987654321 987654321 1234 123123 123321 654321
111111 000000 666666 888888 999999 121212 112233 11223344 12341234 1234512345 123123123 147258369 123654789
789456123 159753 1111111111 0000000000 1212121212 123456789a a123456789 123456a a123456 123456aa 12345678a
abc123 abc12345 abcd1234 abcdef abcdefgh 123abc 123qwe qwe123 qwerty qwerty123 qwerty1234 qwertyuiop qwertyui
asdfgh asdfghjkl zxcvbnm zxcvbnm123 1q2w3e 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5 1qaz2wsx
1qazxsw2 zaq12wsx qazwsx qazwsxedc asdasd aaaaaa
password password1 password123 passw0rd p@ssw0rd p@ssword pass pass123 passwort motdepasse
iloveyou iloveu loveyou letmein welcome welcome1 hello hello123 hellohello secret changeme default guest
login admin admin123 admin1234 administrator root toor test test123 testing user demo
dragon monkey sunshine princess football baseball superman batman starwars master shadow michael whatever
trustno1 computer internet google samsung iphone freedom
matkhau matkhau123 matkhaumoi doimatkhau khongbiet
anhyeuem emyeuanh yeuem yeuanh anhyeu emyeu iloveyouvn
vietnam vietnam123 vietnamvodich hanoi saigon hochiminh danang haiphong cantho hue
trungtam phucvu hanhchinh hanhchinhcong motcua canbo congchuc lanhdao quantri quantrivien
""".split())
