"""The clinic's own case base: cases its cardiologists confirmed, kept in the user's data
folder, searched beside the bundled PTB-XL cases and shared as bundle files.

``case`` (what a case is), ``store`` (SQLite, the source of truth), ``index`` (the
hnswlib cache rebuilt from it), ``base`` (the two kept in step), ``sources`` (searching
both bases together), ``bundle`` (export and import), ``embed`` (from a query to a kept
case and back; re-encoding after a model change), ``home`` (the data folder). Qt-free.
"""
