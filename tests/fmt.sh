#!/bin/sh
# cpolc fmt: each tests/fmt/CASE.pol formats to exactly CASE.out; every
# policy file in the tree formats to a fixed point; and what a formatted
# tree compiles to is byte for byte what the original compiles to.
. "${srcdir:-.}/tests/lib.sh"

cd "$srcdir/tests/fmt" || exit 99
for pol in *.pol; do
	name=${pol%.pol}
	[ -f "$name.out" ] || continue
	if "$CPOLC" fmt "$pol" > "$scratch/out" && diff -u "$name.out" \
		"$scratch/out"; then
		pass "$name"
	else
		fail "$name"
	fi
done

# Copies of every directory of policies, formatted in place.
cd "$srcdir" || exit 99
for dir in examples tests/golden tests/lint tests/diff tests/fmt; do
	orig=$scratch/orig/$dir
	new=$scratch/new/$dir
	mkdir -p "$orig" "$new"
	cp -R "$dir"/. "$orig"
	cp -R "$dir"/. "$new"
	files=$(cd "$new" && find . -name '*.pol' | sort)
	# Files that do not parse (diff's broken case) stay as they are.
	for f in $files; do
		(cd "$new" && "$CPOLC" fmt -i "$f" 2> /dev/null)
	done
	again=ok
	for f in $files; do
		(cd "$new" && "$CPOLC" fmt "$f" > "$scratch/again" 2> /dev/null) ||
			continue
		cmp -s "$scratch/again" "$new/$f" || again="$f"
	done
	check "fixed point in $dir" test "$again" = ok
	for f in $files; do
		(cd "$orig" && "$CPOLC" -q "$f" -o "$scratch/o/$dir/$f") \
			> /dev/null 2>&1 || continue
		(cd "$new" && "$CPOLC" -q "$f" -o "$scratch/n/$dir/$f") \
			> /dev/null 2>&1
	done
	if [ -d "$scratch/o/$dir" ] &&
		diff -r "$scratch/o/$dir" "$scratch/n/$dir" > "$scratch/d"; then
		pass "same outputs after formatting $dir"
	else
		fail "same outputs after formatting $dir"
		head -20 "$scratch/d"
	fi
done

# --check lists what would change and says so in its exit status.
cd "$scratch" || exit 99
printf 'policy p{read /a;}\n' > ugly.pol
printf 'policy p {\n    read /a;\n}\n' > neat.pol
chmod 640 ugly.pol
"$CPOLC" fmt --check ugly.pol neat.pol > out
check check-status test $? -eq 1
check check-lists test "$(cat out)" = ugly.pol
"$CPOLC" fmt --check neat.pol > out
check check-clean test $? -eq 0 -a ! -s out
"$CPOLC" fmt -i ugly.pol
check in-place cmp ugly.pol neat.pol
check in-place-mode test "$(stat -c %a ugly.pol)" = 640
printf 'policy p {\n\tread /a\n}\n' > broken.pol
cp broken.pol broken.orig
"$CPOLC" fmt -i broken.pol 2> err
check broken-status test $? -eq 1
check broken-untouched cmp broken.pol broken.orig
check broken-message grep -qF "broken.pol:2:9: error: missing ';' at the end" err
finish
