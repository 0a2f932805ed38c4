"""The booking pages: /dat-lich (book), /dat-lich/<code> (see, cancel, move), /lich-hen (staff)."""
