"""Signing in with the school's account (OpenID Connect) for the extension, the Outlook add-in
and the admin pages, and the page an invitation link opens. views.py holds the pages."""
