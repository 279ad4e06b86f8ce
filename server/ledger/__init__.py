"""Per-user memory: the facts of each message an applicant sent, stored and queried.

events (what one event is), store (SQL), facts (the ledger as the engine reads it),
summary (what the clients' badge shows about one program).
"""
