"""Outgoing mail: build an EmailMessage, send it by SMTP or write it to var/mail."""
