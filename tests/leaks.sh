#!/bin/sh
# leaks.sh: cpolc under valgrind frees everything and touches no memory
# it should not, on success and on every error path: each example (alone
# and together), each golden case, each error case (exit 1, which must
# not hide a leak), the small hostile cases (tests/hostile/*.pol) and
# the usage errors.  Any valgrind error or leak of
# any kind, reachable included, fails the case (valgrind exits 99).
#
# Runs two cases at a time; LEAKS_JOBS overrides that.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

if ! command -v valgrind > /dev/null 2>&1; then
	echo "SKIP: valgrind not installed (apt-get install valgrind)"
	exit 77
fi
if [ ! -x "$CPOLC" ]; then
	echo "SKIP: no compiler at $CPOLC"
	exit 77
fi
# A sanitizer build cannot run under valgrind; its own leak check runs
# in every other test instead.
if nm "$CPOLC" 2> /dev/null | grep -q '__asan_init'; then
	echo "SKIP: $CPOLC is built with AddressSanitizer"
	exit 77
fi

jobs=${LEAKS_JOBS:-2}
cases=$scratch/cases
: > "$cases"

# add NAME DIR WANT_RC ARG...: one case, run in DIR; each line holds the
# fields separated by a tab, the arguments by a 0x1f byte.
us=$(printf '\037')
add() {
	name=$1 dir=$2 rc=$3
	shift 3
	args=
	for a; do args=$args$a$us; done
	printf '%s\t%s\t%s\t%s\n' "$name" "$dir" "$rc" "$args" >> "$cases"
}

out=$scratch/out
ex=$srcdir/examples
add "examples together" "$ex" 0 -o "$out/ex" base.pol web.pol
# The threads: every example at once on three, into a new directory
# and into an existing one, and with -v (the notes taken back).
add "examples -j 3" "$ex" 0 -j 3 -o "$out/ex-j3" base.pol batch.pol web.pol
mkdir -p "$out/ex-j3-kept"
add "examples -j 3 -v, existing dir" "$ex" 0 -j 3 -v -o "$out/ex-j3-kept" \
	base.pol batch.pol web.pol
add "golden multi -j 2" "$srcdir/tests/golden" 0 -j 2 -v -o "$out/g-j2" \
	$(cd "$srcdir/tests/golden" && ls *.pol)
for pol in "$ex"/*.pol; do
	n=$(basename "$pol" .pol)
	add "example $n" "$ex" 0 -o "$out/ex-$n" "$n.pol"
	add "example $n --dump" "$ex" 0 --dump "$n.pol"
done
for pol in "$srcdir"/tests/golden/*.pol; do
	n=$(basename "$pol" .pol)
	add "golden $n" "$srcdir/tests/golden" 0 -v -o "$out/g-$n" "$n.pol"
done
for pol in "$srcdir"/tests/errors/*.pol; do
	n=$(basename "$pol" .pol)
	rc=1
	[ -f "${pol%.pol}.status" ] && rc=$(cat "${pol%.pol}.status")
	if [ -f "${pol%.pol}.args" ]; then
		set --
		while IFS= read -r a; do set -- "$@" "$a"; done \
			< "${pol%.pol}.args"
		add "error $n" "$srcdir/tests/errors" "$rc" "$@" -o \
			"$out/e-$n" "$n.pol"
	else
		add "error $n" "$srcdir/tests/errors" "$rc" -o "$out/e-$n" \
			"$n.pol"
	fi
done
for pol in "$srcdir"/tests/hostile/*.pol; do
	[ -f "$pol" ] || continue
	n=$(basename "$pol" .pol)
	rc=0
	head -1 "$pol" | grep -q '^# expect: error' && rc=1
	add "hostile $n" "$srcdir/tests/hostile" "$rc" -o "$out/h-$n" "$n.pol"
done
add "usage: no file" "$ex" 2
add "usage: unknown option" "$ex" 2 --no-such-option web.pol
add "usage: unknown target" "$ex" 2 -t apparmor,nosuch web.pol
add "usage: empty target" "$ex" 2 -t , web.pol
add "usage: --check with -o" "$ex" 2 --check -o "$out/x" web.pol
add "usage: bad -W" "$ex" 2 -Wnosuch web.pol
add "usage: bad --debug" "$ex" 2 --debug=nosuch web.pol
add "usage: missing file" "$ex" 2 no-such-file.pol
add "usage: directory as file" "$ex" 2 "$srcdir/tests"
add "help" "$ex" 0 --help
add "version" "$ex" 0 --version
add "check" "$ex" 0 --check base.pol web.pol
add "quiet -t docker" "$ex" 0 -q -t docker -o "$out/q" web.pol
add "debug scanner,parser" "$ex" 0 --debug=scanner,parser --check base.pol
# an output directory that cannot be made: a write error path
: > "$out.file"
add "usage: output is a file" "$ex" 2 -o "$out.file/sub" web.pol

# run_case LINE: prints "PASS: name" or "FAIL: name" and valgrind's log.
run_case() {
	IFS='	' read -r name dir rc args <<EOF
$1
EOF
	log=$(mktemp "$scratch/vg.XXXXXX")
	oldifs=$IFS
	IFS=$us
	# shellcheck disable=SC2086
	set -- $args
	IFS=$oldifs
	(cd "$dir" && valgrind -q --leak-check=full --show-leak-kinds=all \
		--errors-for-leak-kinds=all --error-exitcode=99 \
		--log-file="$log" "$CPOLC" "$@") > /dev/null 2>&1
	got=$?
	if [ "$got" -eq "$rc" ] && [ ! -s "$log" ]; then
		echo "PASS: $name"
	else
		echo "FAIL: $name: exit status $got, want $rc"
		sed 's/^/    /' "$log" | head -60
	fi
	rm -f "$log"
}

mkdir -p "$out"
export scratch us CPOLC
results=$scratch/results
# One shell per case, $jobs at a time.  The function is passed by
# defining it again in each child (xargs runs sh, not this shell).
fn=$(sed -n '/^run_case() {$/,/^}$/p' "$0")
tr '\n' '\0' < "$cases" |
	xargs -0 -P "$jobs" -n 1 sh -c "$fn"'
run_case "$1"' sh > "$results"
cat "$results"
npass=$(grep -c '^PASS: ' "$results" || true)
nfail=$(grep -c '^FAIL: ' "$results" || true)
total=$(wc -l < "$cases")
if [ $((npass + nfail)) -ne "$total" ]; then
	fail "ran $((npass + nfail)) of $total cases"
fi
finish
