#!/bin/sh
# Golden tests: each tests/golden/NAME.pol compiles to exactly the files
# in NAME/out/ (no more, no fewer), prints exactly NAME/dump under
# --dump, and prints exactly NAME/stderr (empty when absent).
#
# After a deliberate change of output, `tests/golden.sh --update`
# rewrites the expected files; review the diff before committing it.
. "${srcdir:-.}/tests/lib.sh"

update=false
[ "${1-}" = --update ] && update=true

cd "$srcdir/tests/golden" || exit 99
for pol in *.pol; do
	name=${pol%.pol}
	out=$scratch/$name
	mkdir -p "$out"
	"$CPOLC" "$pol" -o "$out/out" 2> "$out/stderr"
	rc=$?
	"$CPOLC" --dump "$pol" > "$out/dump" 2> /dev/null
	if [ "$rc" -ne 0 ]; then
		fail "$name: exit status $rc"
		cat "$out/stderr"
		continue
	fi
	[ -s "$out/stderr" ] || rm -f "$out/stderr"
	if $update; then
		rm -rf "$name"
		cp -R "$out" "$name"
		pass "$name (updated)"
		continue
	fi
	if [ ! -d "$name" ]; then
		fail "$name: no expected outputs in $name/"
		continue
	fi
	if diff -ru "$name" "$out" > "$scratch/diff"; then
		pass "$name"
	else
		fail "$name: outputs differ"
		cat "$scratch/diff"
	fi
done
finish
