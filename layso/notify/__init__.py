"""Notices to citizens by SMS and Zalo ZNS: the outbox (written with the event that causes
a notice), the channels, the sender, the wording. No Flask here; docs/notifications.md."""
