"""The app's frame: the tray icon and menu, the shared actions, the main window, the welcome and
About.
"""
