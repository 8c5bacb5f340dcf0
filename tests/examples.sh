#!/bin/sh
# Every example compiles cleanly (-Werror), and the examples from the
# language design reference are in examples/ exactly as written there.
. "${srcdir:-.}/tests/lib.sh"

for pol in "$srcdir"/examples/*.pol; do
	name=$(basename "$pol" .pol)
	if "$CPOLC" -Werror "$pol" -o "$scratch/$name" 2> "$scratch/err"; then
		pass "compile $name"
	else
		fail "compile $name"
		cat "$scratch/err"
	fi
done

# Every complete policy file shown in docs/language.md compiles: blocks
# that open with a comment naming a file are written under that name, so
# that their includes resolve.
docs=$scratch/docs
mkdir -p "$docs"
awk -v dir="$docs" '
/^```/ {
	if (inblock) { close(file); inblock = 0; next }
	inblock = 1; n++; file = dir "/block" n ".pol"; first = 1; next
}
inblock {
	if (first && match($0, /^# [a-z0-9_-]+\.pol:/))
		file = dir "/" substr($0, 3, RLENGTH - 3)
	first = 0
	print > file
}' "$srcdir/docs/language.md"
for pol in "$docs"/*.pol; do
	head -n 1 "$pol" | grep -qE '^(#|policy|template|include)' || continue
	name=$(basename "$pol")
	if (cd "$docs" && "$CPOLC" --check -Werror "$name") 2> "$scratch/err"
	then
		pass "docs/language.md $name"
	else
		fail "docs/language.md $name"
		cat "$scratch/err"
	fi
done

# The reference lives beside the repository (../shared/design); a
# checkout without it cannot compare, and says so.
ref=$srcdir/../shared/design/LANGUAGE.md
if [ -f "$ref" ]; then
	awk '/^```/ { n++; next } n % 2 == 1 { print > (dir "/block" (n + 1) / 2) }' \
		dir="$scratch" "$ref"
	for want in web base; do
		found=false
		for b in "$scratch"/block*; do
			cmp -s "$b" "$srcdir/examples/$want.pol" && found=true
		done
		if $found; then
			pass "LANGUAGE.md example $want.pol"
		else
			fail "LANGUAGE.md has no block equal to examples/$want.pol"
		fi
	done
else
	skip "LANGUAGE.md examples: $ref not found"
fi
finish
