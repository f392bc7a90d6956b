"""What the desktop offers around the app: D-Bus services, idle and lock, do-not-disturb,
full-screen windows, meetings, native notifications and start at login.

Each service here degrades quietly: where the desktop lacks it, it reports "unknown" and Quell
behaves as before. None of it opens a network connection.
"""
