"""Pieces every room shares: style and palette colours, bundled resources, illustrations, readable
and wheel-safe widgets, the undo bar, record lists.
"""
