#!/bin/sh
# cpolc diff: each tests/diff/CASE.old.pol against CASE.new.pol prints
# exactly CASE.out and exits 1 when it is not empty, 0 when it is (or
# with the status in CASE.status).
. "${srcdir:-.}/tests/lib.sh"

cd "$srcdir/tests/diff" || exit 99
for old in *.old.pol; do
	name=${old%.old.pol}
	want=0
	[ -s "$name.out" ] && want=1
	[ -f "$name.status" ] && want=$(cat "$name.status")
	"$CPOLC" diff "$old" "$name.new.pol" > "$scratch/out" 2> "$scratch/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name: exit status $rc, want $want"
		cat "$scratch/err"
	elif ! diff -u "$name.out" "$scratch/out"; then
		fail "$name: output differs"
	else
		pass "$name"
	fi
done
# -q says it by the exit status alone.
"$CPOLC" diff -q change.old.pol change.new.pol > "$scratch/out"
check quiet test $? -eq 1 -a ! -s "$scratch/out"
"$CPOLC" diff change.old.pol > /dev/null 2> "$scratch/err"
check one-file test $? -eq 2
finish
