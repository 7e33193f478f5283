"""SQLite behind domain-level methods: the only package that runs SQL.

``store.Store`` is the front screens, the CLI and the workbooks call; it owns a
``session.Session`` and one repository per aggregate over it:

- session: connection, clock, officer, ``write()``, audit, active campaign, one cache
- enterprises: districts, the register, its search and the list; the imports' look-ups
- library: the benchmark library (标杆库)
- items: the rows of the 情况表 and their drafts
- review: submissions, their steps, the review desk, flagged rows
- recognitions: 推介 and 推荐 with their scores
- followup: the follow-up of measures
- campaigns: campaigns, the active one, carry-over
- dashboard, export_tables, progress, history: read models
- bulk, form_drafts: many records at once; the forms' unsaved typing
- forwarding: how ``Store`` keeps today's method names
- rows: SELECT lists built from records, rows read by name
"""
