"""Qt widgets and thin QObjects: tray, Today window, dialogs."""
