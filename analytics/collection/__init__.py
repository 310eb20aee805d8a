"""Collecting the quarter's returns: the calendar (due dates in working days, the collection
window, the lock), the reminders' plan and mail, and the web form's check (pure or file
I/O only: what the warehouse holds is read and written by ``analytics.warehouse.collection``
and ``analytics.warehouse.drafts``)."""
