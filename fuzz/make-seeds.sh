#!/bin/sh
# make-seeds.sh [SRCDIR]: (re)build fuzz/seeds from the examples and the
# tests.  The harness compiles one buffer and follows no include, so a
# file's includes (one level) are inlined in its seed.
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
out=$top/fuzz/seeds
mkdir -p "$out"
for f in "$top"/examples/*.pol "$top"/tests/golden/*.pol \
	"$top"/tests/errors/*.pol "$top"/tests/data/aa-hostile/*.pol; do
	[ -f "$f" ] || continue
	dir=$(dirname "$f")
	seed=$out/$(basename "$dir")-$(basename "$f" .pol)
	awk -v dir="$dir" '
		/^[[:blank:]]*include[[:blank:]]+"[^"]*"[[:blank:]]*;/ {
			p = $0
			sub(/^[^"]*"/, "", p); sub(/".*$/, "", p)
			f = dir "/" p
			ok = 0
			while ((getline l < f) > 0) { print l; ok = 1 }
			close(f)
			if (ok) next
		}
		{ print }' "$f" > "$seed"
done
