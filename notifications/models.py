"""Alerts and their e-mail deliveries (delivered in the notifications step)."""
