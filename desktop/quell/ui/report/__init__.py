"""The doctor's report: the period dialog and the PDF layout."""
