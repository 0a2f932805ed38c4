"""English for the booking pages (keyed by the Vietnamese, layso.web.i18n)."""

CATALOG = {
}
