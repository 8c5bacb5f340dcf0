#!/bin/sh
# Error tests: each tests/errors/NAME.pol must fail with exactly the
# stderr in NAME.err (caret lines included), exit status 1 (or the one
# in NAME.status), and leave the output directory exactly as it was.
# NAME.args, when present, holds extra arguments, one a line.
. "${srcdir:-.}/tests/lib.sh"

cd "$srcdir/tests/errors" || exit 99
for pol in *.pol; do
	name=${pol%.pol}
	want_rc=1
	[ -f "$name.status" ] && want_rc=$(cat "$name.status")
	out=$scratch/$name.out
	mkdir -p "$out"
	echo "an earlier output" > "$out/$name.docker"
	before=$(tree_sum "$out")
	set --
	if [ -f "$name.args" ]; then
		while IFS= read -r a; do set -- "$@" "$a"; done < "$name.args"
	fi
	"$CPOLC" "$@" "$pol" -o "$out" > "$scratch/stdout" 2> "$scratch/stderr"
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		fail "$name: exit status $rc, want $want_rc"
		cat "$scratch/stderr"
		continue
	fi
	if ! diff -u "$name.err" "$scratch/stderr" > "$scratch/diff"; then
		fail "$name: stderr differs"
		cat "$scratch/diff"
		continue
	fi
	if [ -s "$scratch/stdout" ]; then
		fail "$name: printed on stdout"
		continue
	fi
	if [ "$(tree_sum "$out")" != "$before" ]; then
		fail "$name: the output directory changed"
		continue
	fi
	pass "$name"
done
finish
