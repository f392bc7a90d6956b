"""Qt adapters over core and storage: the habit session, the symptom session, data transfer, report
collection, background operations. The only part of ui that may import storage.
"""
