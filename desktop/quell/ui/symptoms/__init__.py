"""The symptom check (wizard, questions, result), the check history and the twitch diary."""
