#!/bin/bash
# Canonical dump of what the relate stage stored (placements, pairs, trees) in a SQLite store, for equality checks of two
# builds or two ingest orders (needs the sqlite3 command-line shell):
#   dump-store.sh A.db > a.txt; dump-store.sh B.db > b.txt; cmp a.txt b.txt
# labeled_at is left out (pass --labeled to include it).
db="$1"
lab=""
[ "$2" = "--labeled" ] && lab=", g.labeled_at"
sqlite3 -readonly "$db" <<SQL
.mode tabs
SELECT 'P', d.id, g.family_id, g.story_id, ifnull(g.parent,''), ifnull(g.relation,''), ifnull(g.origin,'') $lab FROM groups g JOIN documents d ON d.seq = g.doc ORDER BY d.id;
SELECT 'R', da.id, db.id, p.relation, printf('%.6f', p.similarity), printf('%.6f', p.jaccard), printf('%.6f', p.containment), ifnull(p.details,'') FROM pairs p JOIN documents da ON da.seq = p.a JOIN documents db ON db.seq = p.b ORDER BY da.id, db.id;
SELECT 'T', family_id, story_id, tree FROM lineage_trees ORDER BY family_id;
SELECT 'N', count(*) FROM pending;
SQL
