"""The clinic's own case base: cases its cardiologists confirmed, kept in the user's data
folder, searched beside the bundled PTB-XL cases and shared as bundle files.

``store`` (SQLite, the source of truth), ``index`` (the hnswlib cache rebuilt from it),
``base`` (the two kept in step), ``bundle`` (export and import), ``embed`` (encoding a
kept ECG, and re-encoding after a model change). Qt-free.
"""
