"""Pieces every room shares: style and palette colours, bundled resources, illustrations, readable
and wheel-safe widgets, the undo bar, record lists and their undoable deletes, form dialogs,
days and times in Qt's terms, and bringing a window to the front with the one dialog it has open.
"""
