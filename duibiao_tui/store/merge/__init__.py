"""Bring district databases (or packages of them) into this one: the city's.

``merge_files(store, paths)`` reads each file read-only, checks it (SQLite, not damaged, a
duibiao schema this release knows, not a copy of this very database), takes a backup of
this database and merges all files in ONE transaction:

- rows are matched by their UUIDs; library entries, districts and campaigns registered
  separately are matched by name (and reported), submissions by enterprise and campaign;
- an incoming enterprise that is not here by id but has the credit code of a local one, or
  its name in the same district, is a *duplicate*: nothing of it is written (its rows wait
  in ``merge_pending``) until the officer says "same enterprise" (``confirm_duplicate``:
  the mapping is remembered, its rows attach to the local enterprise now and in later
  merges) or "two enterprises" (it is added, renamed or recoded if it must be);
- a row changed on both sides since the last merge of that source is a *conflict*: it is
  listed (both versions, who changed each and when) and left as it is here until the
  officer keeps this one, takes the incoming one, or picks field by field
  (``resolve_conflict``); rows changed on one side only are taken from that side;
- review history and audit entries are append-only: missing ones are inserted by id;
- a file new here under its own id that names a former one merged before
  (``database_parent_id``: a copy, or a file from before per-copy ids) takes over that
  source's bases only for rows whose history here is its own (``Merger._inherit``).

The clean part is applied even when conflicts or duplicates remain (they are stored for the
merge screen); a second merge of the same file changes nothing. ``dry_run`` does all of it
inside the transaction and rolls it back.

A package merged again is not read where its content is what this database merged clean
from it before (``digests``: a digest per table, remembered per source).

One module a job: ``source`` reads and checks a district file (its identity and rows),
``merger`` plans each incoming row against this database's (and keeps the bases, aliases
and conflicts), ``writing`` applies the planned rows, ``run`` is ``merge_files`` (the one
transaction over all files), ``resolve`` settles what the officer decides, ``digests``
says what need not be read again.
"""

from __future__ import annotations

from duibiao_tui.store.merge.resolve import confirm_duplicate, open_conflicts, resolve_conflict
from duibiao_tui.store.merge.run import merge_files
from duibiao_tui.store.merge.source import Incoming, MergeRefused, read_source

__all__ = [
    "Incoming",
    "MergeRefused",
    "confirm_duplicate",
    "merge_files",
    "open_conflicts",
    "read_source",
    "resolve_conflict",
]
