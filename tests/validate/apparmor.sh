#!/bin/sh
# apparmor.sh [DIR | FILE.pol]...: every AppArmor profile compiles.
#
# Each NAME.apparmor found under a DIR, or written by `cpolc -t apparmor`
# for a FILE.pol, must compile with `apparmor_parser -QK --skip-cache`
# against the parser's default features and against the feature ABI of
# Debian 12's kernel (tests/data/aa-features-debian12), with nothing on
# stderr but the parser's note that no kernel is loaded.  Compiling a
# .pol twice must give byte-identical profiles.
#
# With no arguments: examples/*.pol, the golden cases' expected profiles
# (tests/golden), and the hostile corpus tests/data/aa-hostile, which is
# also checked for injected rules: apparmor_parser's own view of every
# rule under /h/ (its -D rule-exprs output) must be exactly the "#="
# lines of the .pol with the "#perms" permissions, every other rule must
# be that of an empty policy, and each refused/*.pol must fail with a
# located error and write nothing.
. "${srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"

features=$srcdir/tests/data/aa-features-debian12
hostile=$srcdir/tests/data/aa-hostile

# apparmor_parser lives in /usr/sbin, which a user's PATH may lack
PATH=$PATH:/usr/sbin:/sbin
export PATH
if ! command -v apparmor_parser > /dev/null 2>&1; then
	echo "SKIP: apparmor_parser not installed (Debian package apparmor)"
	exit 77
fi
have_cpolc=false
if [ -x "$CPOLC" ] && "$CPOLC" --help 2>&1 | grep -q '^  apparmor '; then
	have_cpolc=true
elif [ $# -eq 0 ]; then
	echo "SKIP: $CPOLC has no apparmor target"
	exit 77
fi

# parse LABEL FILE [PARSER-OPTION...]: one apparmor_parser compile.
parse() {
	label=$1
	file=$2
	shift 2
	if apparmor_parser -QK --skip-cache "$@" -o /dev/null "$file" \
		> "$scratch/parser.out" 2>&1; then
		if grep -v 'Cache read/write disabled: interface file missing' \
			"$scratch/parser.out" > "$scratch/parser.rest"; then
			fail "$label: apparmor_parser said more than expected"
			cat "$scratch/parser.rest"
		else
			pass "$label"
		fi
	else
		fail "$label"
		cat "$scratch/parser.out"
	fi
}

# check_profile FILE [LABEL]: compile against both feature sets.
check_profile() {
	what=${2:-$1}
	parse "compiles: $what" "$1"
	if [ -r "$features" ]; then
		parse "compiles (Debian 12 kernel ABI): $what" "$1" \
			-M "$features"
	else
		skip "Debian 12 kernel ABI: $features missing"
	fi
}

# compile POL DIR: cpolc -t apparmor, quietly; returns cpolc's status.
compile() {
	rm -rf "$2"
	mkdir -p "$2"
	"$CPOLC" -t apparmor -o "$2" "$1" > "$2.err" 2>&1
}

n=0
# check_pol POL: compile twice, compare, check every profile written.
check_pol() {
	n=$((n + 1))
	if ! $have_cpolc; then
		skip "$1: $CPOLC has no apparmor target"
		return
	fi
	if ! compile "$1" "$scratch/pol$n/a"; then
		fail "cpolc -t apparmor $1"
		cat "$scratch/pol$n/a.err"
		return
	fi
	compile "$1" "$scratch/pol$n/b" || true
	if diff -r "$scratch/pol$n/a" "$scratch/pol$n/b" > /dev/null; then
		pass "deterministic: $1"
	else
		fail "deterministic: $1: two runs differ"
	fi
	for prof in "$scratch/pol$n/a"/*.apparmor; do
		[ -f "$prof" ] || continue
		check_profile "$prof" "$1 -> $(basename "$prof")"
	done
}

check_dir() {
	found=false
	for prof in $(find "$1" -name '*.apparmor' | LC_ALL=C sort); do
		found=true
		check_profile "$prof"
	done
	$found || skip "$1: no .apparmor files"
}

# rules PROFILE: "PERMS<TAB>PATH" for every file rule, as the parser
# sees it: the aare text (the path after unquoting, escapes shown as
# written) and the permission bits of the rule compiled from it.
rules() {
	apparmor_parser -QK --skip-cache -D rule-exprs -o /dev/null "$1" 2>&1 |
		awk '
		/^aare: \// {
			sub(/^aare: /, "")
			sub(/   ->   .*$/, "")
			path = $0
			want = 1
			next
		}
		want && /^rule: / {
			# the last "(0x...)" holds the permissions: a path may
			# hold such text too, but comes before them
			perms = $0
			if (sub(/.*\(0x/, "(0x", perms) && sub(/\).*$/, ")", perms))
				print perms "\t" path
			want = 0
		}'
}

# check_hostile POL: no path in POL can add, remove or change a rule.
check_hostile() {
	name=$(basename "$1" .pol)
	d=$scratch/hostile-$name
	if ! compile "$1" "$d"; then
		fail "hostile $name: cpolc failed"
		cat "$d.err"
		return
	fi
	set -- "$1" "$d"/*.apparmor
	if [ $# -ne 2 ] || [ ! -f "$2" ]; then
		fail "hostile $name: expected exactly one profile"
		return
	fi
	rules "$2" > "$d.rules"
	if [ ! -s "$d.rules" ]; then
		fail "hostile $name: apparmor_parser printed no rule" \
			"expressions (has -D rule-exprs changed?)"
		return
	fi
	tab=$(printf '\t')
	perms=$(sed -n 's/^#perms //p' "$1")
	grep -v "$tab/h/" "$d.rules" | LC_ALL=C sort > "$d.other"
	grep "$tab/h/" "$d.rules" | LC_ALL=C sort > "$d.h"
	sed -n 's/^#= //p' "$1" | LC_ALL=C sort -u |
		sed "s|^|$perms$tab|" > "$d.want"
	if cmp -s "$d.want" "$d.h"; then
		pass "hostile $name: $(wc -l < "$d.h") rules, each exactly" \
			"its own path"
	else
		fail "hostile $name: the /h/ rules differ from the #= lines"
		diff "$d.want" "$d.h"
	fi
	if cmp -s "$scratch/reference.rules" "$d.other"; then
		pass "hostile $name: every other rule as in an empty policy"
	else
		fail "hostile $name: rules outside /h/ changed"
		diff "$scratch/reference.rules" "$d.other"
	fi
}

check_refused() {
	name=$(basename "$1" .pol)
	d=$scratch/refused-$name
	if compile "$1" "$d"; then
		fail "refused $name: cpolc accepted it"
		return
	fi
	if ls "$d" | grep -q .; then
		fail "refused $name: cpolc wrote output"
	elif grep -q "^[^:]*$name.pol:[0-9]*:[0-9]*: error: " "$d.err"; then
		pass "refused $name: $(grep -m 1 ' error: ' "$d.err" |
			sed 's/^.* error: //')"
	else
		fail "refused $name: no located error"
		cat "$d.err"
	fi
}

# The check must be able to fail: a backslash before the closing quote
# lets the token run on, which the parser must reject.
printf 'abi <abi/3.0>,\nprofile t {\n  "/a\\" r,\n  "/b" r,\n}\n' \
	> "$scratch/bad.apparmor"
if apparmor_parser -QK --skip-cache -o /dev/null "$scratch/bad.apparmor" \
	> /dev/null 2>&1; then
	fail "self-test: apparmor_parser accepted a broken profile"
else
	pass "self-test: apparmor_parser rejects a broken profile"
fi

if [ $# -gt 0 ]; then
	for arg; do
		case $arg in
		*.pol) check_pol "$arg" ;;
		*) check_dir "$arg" ;;
		esac
	done
	finish
fi

for pol in "$srcdir"/examples/*.pol "$srcdir"/tests/golden/*.pol \
	"$hostile"/*.pol; do
	check_pol "$pol"
done
if [ -d "$srcdir/tests/golden" ]; then
	check_dir "$srcdir/tests/golden"
fi
if $have_cpolc; then
	printf 'policy hostile-reference {\n}\n' > "$scratch/reference.pol"
	if compile "$scratch/reference.pol" "$scratch/reference"; then
		rules "$scratch/reference/hostile-reference.apparmor" |
			LC_ALL=C sort > "$scratch/reference.rules"
		for pol in "$hostile"/*.pol; do
			check_hostile "$pol"
		done
	else
		fail "an empty policy does not compile"
		cat "$scratch/reference.err"
	fi
	for pol in "$hostile"/refused/*.pol; do
		check_refused "$pol"
	done
else
	skip "hostile corpus: $CPOLC has no apparmor target"
fi
finish
