#!/bin/sh
# -j: however many threads emit, a run gives the same outputs, the same
# standard output (-v, --up-to-date) and standard error, byte for byte,
# and the same exit status; a failed run leaves the directory as it
# was.  Under a ThreadSanitizer build (configure
# --enable-sanitizers=thread) a data race ends the run with a report,
# which fails the comparisons below.
. "${srcdir:-.}/tests/lib.sh"

if ! command -v python3 > /dev/null 2>&1; then
	skip "python3 is missing: bench/gen.py writes the repository"
	finish
fi
python3 "$srcdir/bench/gen.py" "$scratch/gen" 100 > /dev/null
repo=$scratch/gen/repo-100
cd "$repo" || exit 99

# run NAME J ARGS...: cpolc -j J ARGS, its streams and status kept.
run() {
	name=$1
	j=$2
	shift 2
	"$CPOLC" -j "$j" "$@" > "$scratch/$name.$j.out" \
		2> "$scratch/$name.$j.err"
	echo $? > "$scratch/$name.$j.rc"
}

# same NAME J [STREAMS]: run NAME with J threads matched the one-thread
# run on STREAMS (default: out err rc).
same() {
	for f in ${3:-out err rc}; do
		if ! cmp -s "$scratch/$1.1.$f" "$scratch/$1.$2.$f"; then
			fail "$1: -j $2 differs from -j 1 on $f"
			diff "$scratch/$1.1.$f" "$scratch/$1.$2.$f" | head -5
			return
		fi
	done
	pass "$1: -j $2 as -j 1"
}

# A clean run, with -v: every output and every "wrote" line in order.
for j in 1 2 3 8; do
	run clean $j -v -o "$scratch/out.$j" policies/*.pol
done
check "clean: exit 0" test "$(cat "$scratch/clean.1.rc")" -eq 0
check "clean: 700 outputs" \
	test "$(find "$scratch/out.1" -type f | wc -l)" -eq 700
check "clean: fidelity notes said" grep -q 'note: ' "$scratch/clean.1.err"
for j in 2 3 8; do
	same clean $j "err rc"
	if diff -r "$scratch/out.1" "$scratch/out.$j" > /dev/null; then
		pass "clean: -j $j outputs identical"
	else
		fail "clean: -j $j outputs differ"
	fi
	# The writer's "wrote" lines name the final directory: compare
	# them once the directory is named the same.
	sed "s|out\.$j/|out.1/|" "$scratch/clean.$j.out" > "$scratch/w.$j"
	check "clean: -j $j wrote lines in order" \
		cmp -s "$scratch/clean.1.out" "$scratch/w.$j"
done
check "no temporaries left" \
	test -z "$(find "$scratch"/out.* -name '.*' -type f)"

# -Werror: the warnings of several policies, in source order, and no
# output.
cp -r "$repo" "$scratch/warn"
for i in 00010 00050 00090; do
	printf 'policy warn-%s {\n    listen tcp 8080;\n}\n' "$i" \
		>> "$scratch/warn/policies/svc$i.pol"
done
cd "$scratch/warn" || exit 99
for j in 1 2 4; do
	run werror $j -Werror -o "$scratch/werror.$j" policies/*.pol
done
check "werror: exit 1" test "$(cat "$scratch/werror.1.rc")" -eq 1
check "werror: three warnings" \
	test "$(grep -c 'error: .*\[-Werror\]' "$scratch/werror.1.err")" -eq 3
same werror 2
same werror 4
check "werror: nothing written" test ! -e "$scratch/werror.4"

# Errors in late policies (a body error and a whole-policy error):
# the same messages, exit 1, and the directory left as it was.
cp -r "$repo" "$scratch/bad"
cd "$scratch/bad" || exit 99
printf 'policy late-body {\n    capabilities no_such_cap;\n}\n' \
	>> policies/svc00097.pol
printf 'policy late-whole {\n    network app;\n    publish 8080:80;\n}\n' \
	>> policies/svc00098.pol
mkdir "$scratch/kept"
echo before > "$scratch/kept/svc00000.apparmor"
before=$(tree_sum "$scratch/kept")
for j in 1 2 8; do
	run bad $j -o "$scratch/kept" policies/*.pol
done
check "errors: exit 1" test "$(cat "$scratch/bad.1.rc")" -eq 1
check "errors: located" grep -q 'svc00097.pol:[0-9]*:[0-9]*: error' \
	"$scratch/bad.1.err"
same bad 2
same bad 8
check "errors: directory untouched" test "$before" = \
	"$(tree_sum "$scratch/kept")"

# Files are read and parsed ahead on the threads: syntax errors in
# several files, a file named twice and one that cannot be read give
# the same messages in the same order, and the same exit status.
cp -r "$repo" "$scratch/syntax"
cd "$scratch/syntax" || exit 99
printf 'policy broken-a {\n    read /x\n}\n' >> policies/svc00003.pol
printf 'policy broken-b {\n    capabilities ;\n}\n' >> policies/svc00061.pol
printf 'policy ok\xff {\n}\n' > policies/svc00077.pol
for j in 1 2 8; do
	run syntax $j --check policies/*.pol policies/svc00003.pol
	run unreadable $j --check policies/svc0000*.pol no-such.pol \
		policies/svc0001*.pol
done
check "syntax: exit 1" test "$(cat "$scratch/syntax.1.rc")" -eq 1
check "syntax: three files" test "$(grep -c '^policies/svc000[0-9]*\.pol:[0-9]*:[0-9]*: error' "$scratch/syntax.1.err")" -ge 3
same syntax 2
same syntax 8
check "unreadable: exit 2" test "$(cat "$scratch/unreadable.1.rc")" -eq 2
same unreadable 2
same unreadable 8

# --up-to-date: the same report in the same order.
cd "$repo" || exit 99
rm "$scratch/out.1/svc00042.te"
echo changed >> "$scratch/out.1/svc00007.docker"
echo stale > "$scratch/out.1/gone.cil"
for j in 1 2 8; do
	run utd $j --up-to-date -o "$scratch/out.1" policies/*.pol
done
check "up-to-date: exit 1" test "$(cat "$scratch/utd.1.rc")" -eq 1
check "up-to-date: three lines" \
	test "$(wc -l < "$scratch/utd.1.out")" -eq 3
same utd 2
same utd 8

# A directory that cannot be made: exit 2 however many threads.
: > "$scratch/file"
for j in 1 4; do
	run nodir $j -o "$scratch/file/sub" policies/*.pol
done
check "unwritable: exit 2" test "$(cat "$scratch/nodir.1.rc")" -eq 2
same nodir 4

# -j takes 1 to 64.
for bad in 0 65 -1 x 2x ''; do
	"$CPOLC" -j "$bad" --check policies/svc00000.pol > /dev/null 2>&1
	check "-j '$bad' is a usage error" test $? -eq 2
done
"$CPOLC" --jobs=64 --check policies/svc00000.pol
check "--jobs=64 accepted" test $? -eq 0
finish
