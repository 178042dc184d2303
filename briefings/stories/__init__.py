"""Stories: articles about one event, clustered and merged.

- `index`: the incremental story index (bounded work per article, idle stories close, plain-data state);
  `features` and `near_duplicates` are what it compares. `clustering` runs it over a batch.
- `merge`: one story from its articles — `identity` (actors and places), `timeline`, `quotes`,
  `disagreements` (claims grouped by what they count), `naming` (short name, headline).
- `changes`: what is new in a story since the snapshot a channel last saw.
"""
