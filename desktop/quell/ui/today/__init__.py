"""The Today view: each habit's progress, quick-add controls, the day's entries, and the log/edit
entry dialogs.
"""
